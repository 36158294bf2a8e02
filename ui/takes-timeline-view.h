/* takes-timeline-view.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-history.h"
#include "takes-timeline.h"

G_BEGIN_DECLS

#define TAKES_TYPE_TIMELINE_VIEW (takes_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (TakesTimelineView, takes_timeline_view, TAKES, TIMELINE_VIEW, GtkWidget)

/* The film drawn as a timeline: a ruler, one clip per shot in shot order
 * (the picked take as a filmstrip, or a hatched placeholder of the shot's
 * duration), crossfades as overlaps, the soundtrack below and a playhead.
 * Time runs left to right in every language, as in other video editors.
 *
 * Every edit goes through the TakesHistory, so it can be undone: drag a
 * clip to reorder, drag its edges to trim (snapped to frames and to
 * other edges), click the handle between two clips for cut or crossfade,
 * drop audio files on the soundtrack. Ctrl+scroll zooms; it scrolls
 * horizontally as a GtkScrollable.
 *
 * Properties: "timeline", "history", "position" (gint64 ns: the playhead;
 * set by the program monitor, and changed by scrubbing and the arrow
 * keys), "selected-clip" (int, -1 for none), "pixels-per-second". */

GtkWidget      *takes_timeline_view_new                 (void);

void            takes_timeline_view_set_timeline        (TakesTimelineView *self,
                                                         TakesTimeline     *timeline,
                                                         TakesHistory      *history);
TakesTimeline  *takes_timeline_view_get_timeline        (TakesTimelineView *self);

gint64          takes_timeline_view_get_position        (TakesTimelineView *self);
void            takes_timeline_view_set_position        (TakesTimelineView *self,
                                                         gint64             position);

int             takes_timeline_view_get_selected_clip   (TakesTimelineView *self);
void            takes_timeline_view_set_selected_clip   (TakesTimelineView *self,
                                                         int                position);

double          takes_timeline_view_get_pixels_per_second (TakesTimelineView *self);
void            takes_timeline_view_set_pixels_per_second (TakesTimelineView *self,
                                                           double             pixels_per_second);
void            takes_timeline_view_zoom                (TakesTimelineView *self,
                                                         double             factor);

/* Moves the selected clip (its shot) by @delta places; FALSE when it
 * cannot move that way. */
gboolean        takes_timeline_view_move_selected       (TakesTimelineView *self,
                                                         int                delta);
/* Sets the transition from the selected clip to the next one */
gboolean        takes_timeline_view_set_transition      (TakesTimelineView *self,
                                                         TakesTransition    transition,
                                                         double             duration);
/* Trims the clip at @position: @edge GTK_POS_LEFT moves its in point,
 * GTK_POS_RIGHT its out point, by @delta seconds of the take. Snapped to
 * frames and kept inside the take. What a drag of the edge does. */
gboolean        takes_timeline_view_trim                (TakesTimelineView *self,
                                                         guint              position,
                                                         GtkPositionType    edge,
                                                         double             delta);
/* Adds an audio file to the soundtrack at @start seconds */
TakesSoundtrackClip *takes_timeline_view_add_audio      (TakesTimelineView *self,
                                                         GFile             *file,
                                                         double             start);

/* Geometry for tests and accessibility: the clip's rectangle in widget
 * coordinates; FALSE when there is no such clip. */
gboolean        takes_timeline_view_get_clip_bounds     (TakesTimelineView *self,
                                                         guint              position,
                                                         graphene_rect_t   *bounds);
gboolean        takes_timeline_view_clip_is_placeholder (TakesTimelineView *self,
                                                         guint              position);

/* Opens the cut/crossfade popover for the boundary after the selected clip */
void            takes_timeline_view_edit_transition     (TakesTimelineView *self);

G_END_DECLS
