/* takes-project-settings-dialog.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-history.h"

G_BEGIN_DECLS

/* Title, frame size, frame rate and budget cap of a project. "Apply"
 * makes the changes one undo step ("Change Project Settings"). */
#define TAKES_TYPE_PROJECT_SETTINGS_DIALOG (takes_project_settings_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TakesProjectSettingsDialog, takes_project_settings_dialog, TAKES, PROJECT_SETTINGS_DIALOG, AdwWindow)

GtkWidget *takes_project_settings_dialog_new   (GtkWindow    *parent,
                                                TakesHistory *history);
/* What "Apply" does, for tests */
void       takes_project_settings_dialog_apply (TakesProjectSettingsDialog *self);

G_END_DECLS
