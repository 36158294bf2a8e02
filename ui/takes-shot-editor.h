/* takes-shot-editor.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-generate-panel.h"
#include "takes-history.h"
#include "takes-job-engine.h"
#include "takes-player-view.h"
#include "takes-take-gallery.h"

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

/* The project's job engine: the generate panel and the take gallery
 * below the form use it. NULL disables generating. */
void            takes_shot_editor_set_engine         (TakesShotEditor *self,
                                                      TakesJobEngine  *engine);
TakesJobEngine *takes_shot_editor_get_engine         (TakesShotEditor *self);
/* What Generate (Ctrl+Return) does for the shot shown: the ticked
 * backends start their takes; problems are shown in the panel. */
void            takes_shot_editor_generate           (TakesShotEditor *self);
/* "Generate All": takes for every shot of the engine's project that has
 * none yet, with the backends ticked in the panel. */
gboolean        takes_shot_editor_generate_all       (TakesShotEditor *self,
                                                      GError         **error);
TakesGeneratePanel *takes_shot_editor_get_generate_panel (TakesShotEditor *self);
TakesTakeGallery   *takes_shot_editor_get_take_gallery   (TakesShotEditor *self);
/* The shot's player, between the panel and the gallery: the take last
 * played from the gallery, else the picked (or first ready) take, paused
 * on its first frame. Hidden while the shot has no take to play. */
TakesPlayerView    *takes_shot_editor_get_player_view    (TakesShotEditor *self);
/* What Compare (Ctrl+K) does: opens the compare window on the takes
 * selected in the gallery, or with none selected on up to four ready
 * takes, best rated first. Returns the window, or NULL (with an error
 * bell) when the shot has fewer than two takes to compare. */
GtkWindow          *takes_shot_editor_compare            (TakesShotEditor *self);

G_END_DECLS
