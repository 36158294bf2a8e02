/* takes-program.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-timeline.h"

G_BEGIN_DECLS

#define TAKES_TYPE_PROGRAM (takes_program_get_type ())
G_DECLARE_FINAL_TYPE (TakesProgram, takes_program, TAKES, PROGRAM, GObject)

/* Plays the whole cut: a GESPipeline in preview mode over a
 * TakesTimeline's GES timeline. The video sink is made by name (the
 * caller registers it, so this layer needs no GTK); the sound goes to
 * autoaudiosink, or a fake sink on machines without a sound device.
 *
 * GES discipline (as Pitivi does it): the timeline's changes are
 * committed only while the pipeline is idle — a commit asked for during
 * a seek or a state change is remembered and done on the next
 * ASYNC_DONE; at most one seek is in flight and only the latest position
 * asked for in the meantime is sent.
 *
 * Properties: "timeline" (construct-only), "playing" (bool), "position",
 * "duration" (gint64 ns; "position" refreshed 30 times a second while
 * playing), "loop" (bool), "prerolled" (bool), "busy" (bool: a seek,
 * a state change or a commit in flight).
 *
 * Signals:
 *   "error" (const char *message)
 *   "eos" (): the end was reached and looping is off.
 *
 * Main thread only; needs a running main loop. */

TakesProgram  *takes_program_new                (TakesTimeline *timeline,
                                                 const char    *video_sink_name);

TakesTimeline *takes_program_get_timeline       (TakesProgram  *self);
/* Owned by the program */
GstElement    *takes_program_get_video_sink     (TakesProgram  *self);
GstElement    *takes_program_get_pipeline       (TakesProgram  *self);

void           takes_program_play               (TakesProgram  *self);
void           takes_program_pause              (TakesProgram  *self);
void           takes_program_toggle             (TakesProgram  *self);
gboolean       takes_program_get_playing        (TakesProgram  *self);

/* Frame-accurate and coalesced (see above); clamped to the cut */
void           takes_program_seek               (TakesProgram  *self,
                                                 gint64         position);
/* Pauses and moves by @delta frames of the output frame rate */
void           takes_program_step               (TakesProgram  *self,
                                                 int            delta);

gint64         takes_program_get_position       (TakesProgram  *self);
gint64         takes_program_get_duration       (TakesProgram  *self);
gboolean       takes_program_get_prerolled      (TakesProgram  *self);
gboolean       takes_program_get_busy           (TakesProgram  *self);

void           takes_program_set_loop           (TakesProgram  *self,
                                                 gboolean       loop);
gboolean       takes_program_get_loop           (TakesProgram  *self);

/* Applies the timeline's pending changes: now when the pipeline is
 * idle, otherwise on the next ASYNC_DONE. Called by itself on the
 * timeline's "updated"; TRUE when the commit was done right away. */
gboolean       takes_program_commit             (TakesProgram  *self);
/* Whether a commit waits for the pipeline to settle */
gboolean       takes_program_get_commit_pending (TakesProgram  *self);
/* How many commits were made (for tests and diagnostics) */
guint          takes_program_get_n_commits      (TakesProgram  *self);

/* Releases the media (state NULL); playing again reopens them */
void           takes_program_stop               (TakesProgram  *self);

G_END_DECLS
