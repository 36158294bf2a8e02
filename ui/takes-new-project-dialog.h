/* takes-new-project-dialog.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_NEW_PROJECT_DIALOG (takes_new_project_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TakesNewProjectDialog, takes_new_project_dialog, TAKES, NEW_PROJECT_DIALOG, AdwWindow)

/* Asks for a title, a folder, a size and a frame rate, then writes
 * FOLDER/TITLE.takes with one empty shot straight away (a project always
 * has a file, so its media has a home) and emits "created" with the
 * saved project before closing. */
GtkWidget *takes_new_project_dialog_new        (GtkWindow             *parent);
void       takes_new_project_dialog_set_folder (TakesNewProjectDialog *self,
                                                GFile                 *folder);

G_END_DECLS
