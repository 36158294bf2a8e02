/* takes-compare-view.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-history.h"
#include "takes-player.h"

G_BEGIN_DECLS

#define TAKES_TYPE_COMPARE_VIEW (takes_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (TakesCompareView, takes_compare_view, TAKES, COMPARE_VIEW, GtkWidget)

/* Two to four takes of a shot playing in lock step (one TakesPlayer for
 * all): side by side for two, a 2×2 grid for three or four. Each cell says
 * what made the take (hidden in blind mode until a pick is made), has its
 * rating, a Pick button and the choice of sound; two takes can also be
 * seen as an A/B wipe over one frame. Opening starts playing in a loop.
 *
 * Signals:
 *   "picked" (TakesTake *take): after the shot's picked take was set
 *            (through the history, so it undoes).
 */
GtkWidget   *takes_compare_view_new        (void);
void         takes_compare_view_set_takes  (TakesCompareView *self,
                                            TakesProject     *project,
                                            TakesShot        *shot,
                                            GPtrArray        *takes,
                                            TakesHistory     *history);
TakesPlayer *takes_compare_view_get_player (TakesCompareView *self);

/* What "Compare" compares with nothing selected: the shot's ready takes,
 * up to four, best rated first (ties keep the shot's order). */
GPtrArray   *takes_compare_default_selection (TakesShot *shot);

/* Opens a window "Compare Takes — Shot N" over @parent (Escape closes it)
 * showing @takes (2–4 TakesTake of @shot; NULL for the default selection).
 * Returns the window (owned by GTK). */
GtkWindow   *takes_compare_window_present  (GtkWindow        *parent,
                                            TakesProject     *project,
                                            TakesShot        *shot,
                                            GPtrArray        *takes,
                                            TakesHistory     *history);

/* The compare view of a window made by takes_compare_window_present() */
TakesCompareView *takes_compare_window_get_view (GtkWindow *window);

G_END_DECLS
