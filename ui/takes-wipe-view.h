/* takes-wipe-view.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TAKES_TYPE_WIPE_VIEW (takes_wipe_view_get_type ())
G_DECLARE_FINAL_TYPE (TakesWipeView, takes_wipe_view, TAKES, WIPE_VIEW, GtkWidget)

/* Two videos over one frame: A on the start side of a draggable split
 * line, B on the end side (left and right, or the other way round in
 * right-to-left languages). Each is fitted without distortion. The split
 * moves with the pointer and with the arrow keys.
 *
 * Properties: "paintable-a", "paintable-b" (GdkPaintable), "position"
 * (double, 0–1 from the start side). */
GtkWidget *takes_wipe_view_new           (void);
void       takes_wipe_view_set_paintables (TakesWipeView *self,
                                           GdkPaintable  *a,
                                           GdkPaintable  *b);
double     takes_wipe_view_get_position  (TakesWipeView *self);
void       takes_wipe_view_set_position  (TakesWipeView *self,
                                          double         position);

G_END_DECLS
