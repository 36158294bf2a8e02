/* takes-preferences-private.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-backend-registry.h"
#include "takes-credentials.h"
#include "takes-pricing.h"

G_BEGIN_DECLS

/* What the Generators and Pricing pages of Preferences share while the
 * window is open. */
typedef struct _TakesPreferencesPages TakesPreferencesPages;

TakesPreferencesPages *_takes_preferences_pages_new            (void);
void                   _takes_preferences_pages_free           (TakesPreferencesPages *pages);
/* One group per backend of the default registry: keys, endpoint, model, Test */
GtkWidget             *_takes_preferences_generators_page_new  (TakesPreferencesPages *pages);
/* The price table with editable prices and "Reset to Published Prices" */
GtkWidget             *_takes_preferences_pricing_page_new     (void);

G_END_DECLS
