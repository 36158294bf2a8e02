/* takes-autosave.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-project.h"

G_BEGIN_DECLS

/* Seconds of quiet after a change before the copy is written */
#define TAKES_AUTOSAVE_DELAY_SECONDS 3

#define TAKES_TYPE_AUTOSAVE (takes_autosave_get_type ())
G_DECLARE_FINAL_TYPE (TakesAutosave, takes_autosave, TAKES, AUTOSAVE, GObject)

/* Watches @project and writes a recovery copy a few seconds after each
 * change into @dir (NULL: the user's data folder, takes/autosave). The copy
 * is removed when the project is saved or the autosave is disposed after
 * takes_autosave_discard(). */
TakesAutosave *takes_autosave_new          (TakesProject  *project,
                                            GFile         *dir);
/* The copy's file (whether or not written yet) */
GFile         *takes_autosave_get_file     (TakesAutosave *self);
/* Writes now if there are unsaved changes; for tests and quit */
gboolean       takes_autosave_flush        (TakesAutosave *self,
                                            GError       **error);
/* Removes the copy: the person saved or chose to discard their changes */
void           takes_autosave_discard      (TakesAutosave *self);

#define TAKES_TYPE_RECOVERY (takes_recovery_get_type ())
G_DECLARE_FINAL_TYPE (TakesRecovery, takes_recovery, TAKES, RECOVERY, GObject)

/* Copies left by a session that did not end cleanly, newest first */
GListModel    *takes_recovery_list         (GFile         *dir);
/* The autosave copy itself */
GFile         *takes_recovery_get_file     (TakesRecovery *self);
/* The project file it belongs to; NULL for a never-saved project */
GFile         *takes_recovery_get_original (TakesRecovery *self);
const char    *takes_recovery_get_title    (TakesRecovery *self);
/* Unix seconds of the copy */
gint64         takes_recovery_get_modified (TakesRecovery *self);
/* Loads the copy; the project's file is the original (or NULL) and it is
 * marked modified so the person saves it deliberately. */
TakesProject  *takes_recovery_load         (TakesRecovery *self,
                                            GError       **error);
void           takes_recovery_discard      (TakesRecovery *self);

G_END_DECLS
