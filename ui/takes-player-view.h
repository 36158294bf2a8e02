/* takes-player-view.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-player.h"
#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_PLAYER_VIEW (takes_player_view_get_type ())
G_DECLARE_FINAL_TYPE (TakesPlayerView, takes_player_view, TAKES, PLAYER_VIEW, GtkWidget)

/* The shot's take player: the picture and its transport (play/pause,
 * frame step, J/K/L, loop, scrubbing, timecode). The video area is 16:9
 * of the width when the view may choose its height. Only a shown view
 * holds a pipeline: hidden, it releases it, and shown again it prerolls
 * where it was, paused. */
GtkWidget   *takes_player_view_new        (void);
/* Shows @take of @project (NULL clears); paused on its first frame,
 * prerolled now when shown, or when it is next shown */
void         takes_player_view_set_take   (TakesPlayerView *self,
                                           TakesProject    *project,
                                           TakesTake       *take);
TakesTake   *takes_player_view_get_take   (TakesPlayerView *self);
/* Plays any file; NULL clears */
void         takes_player_view_set_uri    (TakesPlayerView *self,
                                           const char      *uri);
/* Made (with GStreamer) on first use */
TakesPlayer *takes_player_view_get_player  (TakesPlayerView *self);
/* The player, or NULL while nothing was loaded yet */
TakesPlayer *takes_player_view_peek_player (TakesPlayerView *self);

G_END_DECLS
