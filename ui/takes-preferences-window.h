/* takes-preferences-window.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TAKES_TYPE_PREFERENCES_WINDOW (takes_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TakesPreferencesWindow, takes_preferences_window, TAKES, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *takes_preferences_window_new (GtkWindow *parent);

G_END_DECLS
