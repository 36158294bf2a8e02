/* takes-backend-setup.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend-registry.h"
#include "takes-credentials.h"
#include "takes-pricing.h"

G_BEGIN_DECLS

/* Prepares the process-wide backend registry for the app (once; later
 * calls do nothing): keys from the keyring (takes_credentials_apply_async),
 * the endpoints of "backend-base-urls" (TAKES_<ID>_BASE_URL still wins),
 * and the price table with the person's "price-overrides". Follows changes
 * of those settings from then on. */
void                  takes_backend_setup_init          (void);

/* Calls @func (@owner) once the keyring's keys are in the backends (at
 * once if they already are), unless @owner is gone by then. Work that may
 * talk to a provider, such as resuming takes, waits for this. */
typedef void (*TakesBackendSetupReadyFunc) (GObject *owner);
void                  takes_backend_setup_when_ready    (GObject                    *owner,
                                                         TakesBackendSetupReadyFunc  func);

/* Applies "backend-base-urls" to every backend of @registry now. */
void                  takes_backend_setup_apply_endpoints (TakesBackendRegistry *registry,
                                                           GSettings            *settings);

/* The model the person chose for @backend_id in Preferences
 * ("backend-models"), or NULL for the backend's own default. */
char                 *takes_backend_setup_dup_model     (const char           *backend_id);

G_END_DECLS
