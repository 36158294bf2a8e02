/* takes-cut-pane.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-history.h"
#include "takes-program.h"
#include "takes-timeline.h"

G_BEGIN_DECLS

#define TAKES_TYPE_CUT_PANE (takes_cut_pane_get_type ())
G_DECLARE_FINAL_TYPE (TakesCutPane, takes_cut_pane, TAKES, CUT_PANE, GtkWidget)

/* The bottom of the project view: the program monitor beside the
 * timeline and its toolbar. It builds the GES timeline of the project it
 * is given (asynchronously; it follows the project's edits) and the
 * preview pipeline once the first build is done, and drops both when the
 * project goes.
 *
 * Actions (for the toolbar, menus and tests): timeline.move-earlier,
 * timeline.move-later, timeline.cut, timeline.crossfade,
 * timeline.add-music, timeline.zoom-in, timeline.zoom-out. */
GtkWidget     *takes_cut_pane_new           (void);

void           takes_cut_pane_set_project   (TakesCutPane *self,
                                             TakesProject *project,
                                             TakesHistory *history);
TakesTimeline *takes_cut_pane_get_timeline  (TakesCutPane *self);
/* NULL until the timeline's first build */
TakesProgram  *takes_cut_pane_get_program   (TakesCutPane *self);
GtkWidget     *takes_cut_pane_get_timeline_view (TakesCutPane *self);

G_END_DECLS
