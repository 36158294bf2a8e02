/* takes-transport-bar.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-player.h"

G_BEGIN_DECLS

#define TAKES_TYPE_TRANSPORT_BAR (takes_transport_bar_get_type ())
G_DECLARE_FINAL_TYPE (TakesTransportBar, takes_transport_bar, TAKES, TRANSPORT_BAR, GtkWidget)

/* The controls of a TakesPlayer: play/pause, frame step, loop, a
 * scrubbable position bar and the timecode. Shared by the take player and
 * the compare view.
 *
 * Keys, added to any widget with takes_transport_bar_add_shortcuts():
 * Space play/pause; Left/Right and ,/. one frame; J/K/L shuttle (J back,
 * K stop, L forward; pressed again, faster); Home/End to the ends. */
GtkWidget   *takes_transport_bar_new           (void);
void         takes_transport_bar_set_player    (TakesTransportBar *self,
                                                TakesPlayer       *player);
TakesPlayer *takes_transport_bar_get_player    (TakesTransportBar *self);
void         takes_transport_bar_add_shortcuts (TakesTransportBar *self,
                                                GtkWidget         *widget);

/* Styles shared by the player and compare views (black behind videos,
 * labels over them); loaded once per display. */
void         _takes_media_ensure_style         (void);

G_END_DECLS
