/* takes-export-dialog.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_EXPORT_DIALOG (takes_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TakesExportDialog, takes_export_dialog, TAKES, EXPORT_DIALOG, AdwWindow)

/* Export: format preset, size and frame rate (the project's by default),
 * file name, and the .otio and .xges files for other editors. The export
 * runs in the background with progress, time left and Cancel; the dialog
 * is not modal, and closing it while it runs only hides it. The window
 * announces the finished file with a toast ("Open"); the dialog offers
 * "Open" and "Show in Folder", or says why it failed.
 *
 * One per window: this presents the one already open. */
TakesExportDialog *takes_export_dialog_present (GtkWindow    *parent,
                                                TakesProject *project);

GFile             *takes_export_dialog_get_output (TakesExportDialog *self);
gboolean           takes_export_dialog_get_running (TakesExportDialog *self);

G_END_DECLS
