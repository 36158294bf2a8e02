/* takes-ui.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the UI resources and types; call once after gtk_init(). */
void takes_ui_init (void);

G_END_DECLS
