/* takes-timeline.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* GES 1.22 headers declare "const gboolean" returns, which -Wextra
 * reports in every file that includes them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-qualifiers"
#include <ges/ges.h>
#pragma GCC diagnostic pop

#include "takes-project.h"

G_BEGIN_DECLS

/* Audio format of every timeline and export: what AI clips and music
 * usually carry already, so nothing is resampled twice. */
#define TAKES_TIMELINE_AUDIO_RATE     48000
#define TAKES_TIMELINE_AUDIO_CHANNELS 2

/* Keys of the metadata every shot clip carries (GESMetaContainer), so a
 * saved .xges keeps where each clip came from. */
#define TAKES_TIMELINE_META_SHOT_ID         "takes-shot-id"
#define TAKES_TIMELINE_META_SHOT_NUMBER     "takes-shot-number"
#define TAKES_TIMELINE_META_TITLE           "takes-title"
#define TAKES_TIMELINE_META_PROMPT          "takes-prompt"
#define TAKES_TIMELINE_META_NEGATIVE_PROMPT "takes-negative-prompt"
#define TAKES_TIMELINE_META_BACKEND         "takes-backend"
#define TAKES_TIMELINE_META_MODEL           "takes-model"
#define TAKES_TIMELINE_META_SEED            "takes-seed"
#define TAKES_TIMELINE_META_TAKE_ID         "takes-take-id"
#define TAKES_TIMELINE_META_REMOTE_ID       "takes-remote-id"

#define TAKES_TYPE_TIMELINE (takes_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TakesTimeline, takes_timeline, TAKES, TIMELINE, GObject)

/* Keeps a GESTimeline that plays the project's cut: layer 0 holds one
 * clip per shot in shot order (its picked, ready take trimmed to
 * trim_in…trim_out; a titled placeholder of the shot's duration when
 * there is none), crossfades are overlaps with automatic transitions, and
 * the soundtrack clips lie on the layers below. Every time is on the frame
 * grid of the output frame rate.
 *
 * Media are discovered asynchronously, so the GES timeline is (re)built
 * by takes_timeline_update_async(); with "follow-changes" (the default)
 * every project "changed" schedules one. Each rebuild happens inside
 * ges_timeline_freeze_commit()/thaw_commit() and never commits: whoever
 * plays the timeline commits when its pipeline is idle, after "updated".
 *
 * Main thread only, like GES itself.
 *
 * Signals:
 *   "updated" (void): the GES timeline now reflects the project; clip
 *   positions and the duration may have changed. Commit when idle.
 */

TakesTimeline *takes_timeline_new                (TakesProject   *project);

TakesProject  *takes_timeline_get_project        (TakesTimeline  *self);
GESTimeline   *takes_timeline_get_ges_timeline   (TakesTimeline  *self);

/* The output format; 0 keeps the project's value. Takes effect at the
 * next update. */
void           takes_timeline_set_format         (TakesTimeline  *self,
                                                  int             width,
                                                  int             height,
                                                  double          fps);
int            takes_timeline_get_width          (TakesTimeline  *self);
int            takes_timeline_get_height         (TakesTimeline  *self);
/* As a fraction: 23.976 is 24000/1001 */
void           takes_timeline_get_framerate      (TakesTimeline  *self,
                                                  int            *fps_n,
                                                  int            *fps_d);

/* Whether project edits schedule an update (default TRUE). An export
 * turns it off to keep the cut it started with. */
gboolean       takes_timeline_get_follow_changes (TakesTimeline  *self);
void           takes_timeline_set_follow_changes (TakesTimeline  *self,
                                                  gboolean        follow_changes);

/* Discovers the media it has not seen yet and rebuilds the GES timeline.
 * Never fails for a broken take (the shot gets a placeholder and a
 * problem, see takes_timeline_get_shot_problem()); fails only when
 * canceled. */
void           takes_timeline_update_async       (TakesTimeline  *self,
                                                  GCancellable   *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer        user_data);
gboolean       takes_timeline_update_finish      (TakesTimeline  *self,
                                                  GAsyncResult   *result,
                                                  GError        **error);
/* TRUE while media discovery or a scheduled update is pending */
gboolean       takes_timeline_is_updating        (TakesTimeline  *self);

/* The length of the cut, frame-exact */
GstClockTime   takes_timeline_get_duration       (TakesTimeline  *self);
/* Shots as the last update placed them (positions in shot order) */
guint          takes_timeline_get_n_shots        (TakesTimeline  *self);
TakesShot     *takes_timeline_get_shot           (TakesTimeline  *self,
                                                  guint           position);
/* FALSE when @position is out of range. Start and duration on the
 * timeline (a crossfade makes a clip start before the previous one
 * ends), in-point inside the take. Any out pointer may be NULL. */
gboolean       takes_timeline_get_shot_range     (TakesTimeline  *self,
                                                  guint           position,
                                                  GstClockTime   *start,
                                                  GstClockTime   *duration,
                                                  GstClockTime   *inpoint);
/* Convenience: the start of the shot's clip, GST_CLOCK_TIME_NONE when the
 * shot is not in the last update. */
GstClockTime   takes_timeline_get_shot_start     (TakesTimeline  *self,
                                                  TakesShot      *shot);
/* Overlap with the next shot's clip (a crossfade), 0 for a cut */
GstClockTime   takes_timeline_get_shot_overlap   (TakesTimeline  *self,
                                                  guint           position);
/* The GES clip of a shot (borrowed): a GESUriClip, or a GESTitleClip when
 * the shot has no usable take. */
GESClip       *takes_timeline_get_shot_clip      (TakesTimeline  *self,
                                                  guint           position);
gboolean       takes_timeline_shot_is_placeholder (TakesTimeline *self,
                                                  guint           position);
/* Why a shot that has a picked take shows a placeholder ("media file …
 * is missing"), translated; NULL when there is nothing wrong. */
const char    *takes_timeline_get_shot_problem   (TakesTimeline  *self,
                                                  guint           position);
/* The shot whose clip is visible at @time (the later one inside a
 * crossfade); -1 past the end. */
int            takes_timeline_get_shot_at        (TakesTimeline  *self,
                                                  GstClockTime    time);

/* Frame grid of the output frame rate */
GstClockTime   takes_timeline_frame_to_time      (TakesTimeline  *self,
                                                  gint64          frame);
gint64         takes_timeline_time_to_frame      (TakesTimeline  *self,
                                                  GstClockTime    time);

/* Helpers shared with export */
void           takes_timeline_fps_to_fraction    (double          fps,
                                                  int            *fps_n,
                                                  int            *fps_d);
/* Where a @src_width×@src_height picture (square pixels) goes inside a
 * @frame_width×@frame_height frame: letterboxed (all of it visible,
 * centred) or filled (covering the frame, centred, overflow cropped). */
void           takes_timeline_fit_rect           (TakesShotFit    fit,
                                                  int             src_width,
                                                  int             src_height,
                                                  int             frame_width,
                                                  int             frame_height,
                                                  int            *x,
                                                  int            *y,
                                                  int            *width,
                                                  int            *height);

G_END_DECLS
