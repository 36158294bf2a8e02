/* takes-shot-editor.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-history.h"

G_BEGIN_DECLS

#define TAKES_TYPE_SHOT_EDITOR (takes_shot_editor_get_type ())
G_DECLARE_FINAL_TYPE (TakesShotEditor, takes_shot_editor, TAKES, SHOT_EDITOR, AdwBin)

/* The form for one shot's prompt and settings. Every edit goes through
 * the history; changes made elsewhere (undo, redo) show up here. */
GtkWidget *takes_shot_editor_new      (void);
void       takes_shot_editor_set_shot (TakesShotEditor *self,
                                       TakesShot       *shot,
                                       TakesHistory    *history);
TakesShot *takes_shot_editor_get_shot (TakesShotEditor *self);

G_END_DECLS
