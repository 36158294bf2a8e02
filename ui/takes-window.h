/* takes-window.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-history.h"
#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_WINDOW (takes_window_get_type ())
G_DECLARE_FINAL_TYPE (TakesWindow, takes_window, TAKES, WINDOW, AdwApplicationWindow)

/* One window shows one project, or the welcome page when it has none.
 * Everything a person does goes through its win.* actions. */
TakesWindow  *takes_window_new              (GtkApplication *application);

/* NULL while the welcome page shows */
TakesProject *takes_window_get_project      (TakesWindow    *self);
TakesHistory *takes_window_get_history      (TakesWindow    *self);

/* Loads @file asynchronously and shows it: in the window that already has
 * it open, in @self when it shows the welcome page, else in a new window.
 * A file that fails to load leaves everything as it was and explains why
 * in a dialog over @self. */
void          takes_window_open_file        (TakesWindow    *self,
                                             GFile          *file);
/* Shows an already loaded project, with the same choice of window */
TakesWindow  *takes_window_open_project     (TakesWindow    *self,
                                             TakesProject   *project);

/* Asks for a title, folder and format, and opens the new project */
void          takes_window_new_project      (TakesWindow    *self);
/* Shows a file chooser for .takes files */
void          takes_window_choose_project   (TakesWindow    *self);

/* Offers the autosaved copies a crash left behind, if there are any */
void          takes_window_offer_recovery   (TakesWindow    *self);

void          takes_window_add_toast        (TakesWindow    *self,
                                             const char     *message);

G_END_DECLS
