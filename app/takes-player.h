/* takes-player.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define TAKES_PLAYER_MAX_SOURCES 4

#define TAKES_TYPE_PLAYER (takes_player_get_type ())
G_DECLARE_FINAL_TYPE (TakesPlayer, takes_player, TAKES, PLAYER, GObject)

/* Plays one to four media files in lock step: one GstPipeline, one clock,
 * one seek for all. Each file gets its own video branch ending in its own
 * video sink (made by name, so this layer needs no GTK); audio comes from
 * one file at a time. Main thread only; needs a running main loop.
 *
 * Files of different lengths: the loop runs to the end of the longest;
 * the shorter ones hold their last frame until it restarts.
 *
 * Properties: "playing" (bool), "position", "duration" (gint64 ns, -1 when
 * unknown; "position" is refreshed 30 times a second while playing),
 * "loop" (bool), "rate" (double; negative plays backwards),
 * "audio-source" (int, -1 for silence), "n-sources" (uint),
 * "prerolled" (bool: every file shows its first frame after a load or seek).
 *
 * Signals:
 *   "error" (guint index, const char *message): a file failed; the
 *           message names the file.
 *   "eos" (): the end was reached and looping is off.
 */

TakesPlayer  *takes_player_new               (const char    *video_sink_name);

/* Replaces the files (URIs) and prerolls them paused on the first frame.
 * Returns FALSE with @error if the pipeline cannot be built. */
gboolean      takes_player_set_uris          (TakesPlayer   *self,
                                              const char * const *uris,
                                              GError       **error);
guint         takes_player_get_n_sources     (TakesPlayer   *self);
/* The video sink of source @index (owned by the player) */
GstElement   *takes_player_get_video_sink    (TakesPlayer   *self,
                                              guint          index);
GstElement   *takes_player_get_pipeline      (TakesPlayer   *self);

void          takes_player_play              (TakesPlayer   *self);
void          takes_player_pause             (TakesPlayer   *self);
void          takes_player_toggle            (TakesPlayer   *self);
gboolean      takes_player_get_playing       (TakesPlayer   *self);
/* Stops and releases the files (state NULL) */
void          takes_player_stop              (TakesPlayer   *self);

/* Frame-accurate; while a seek is in flight only the latest request is
 * kept and sent when the pipeline settles. */
void          takes_player_seek              (TakesPlayer   *self,
                                              gint64         position);
/* Pauses and moves by @delta frames of the first file's frame rate */
void          takes_player_step              (TakesPlayer   *self,
                                              int            delta);
gboolean      takes_player_get_seeking       (TakesPlayer   *self);

gint64        takes_player_get_position      (TakesPlayer   *self);
gint64        takes_player_get_duration      (TakesPlayer   *self);
/* Frames per second of source @index's video; 0 before preroll */
double        takes_player_get_fps           (TakesPlayer   *self,
                                              guint          index);
gboolean      takes_player_get_prerolled     (TakesPlayer   *self);

void          takes_player_set_loop          (TakesPlayer   *self,
                                              gboolean       loop);
gboolean      takes_player_get_loop          (TakesPlayer   *self);

/* J/K/L shuttle: 1, 2, 4 forwards; -1, -2, -4 backwards (plays; a file
 * whose decoder cannot go backwards makes that a single step back). */
void          takes_player_set_rate          (TakesPlayer   *self,
                                              double         rate);
double        takes_player_get_rate          (TakesPlayer   *self);

/* Which file is heard; -1 for none. A file without audio is silence. */
void          takes_player_set_audio_source  (TakesPlayer   *self,
                                              int            index);
int           takes_player_get_audio_source  (TakesPlayer   *self);
gboolean      takes_player_source_has_audio  (TakesPlayer   *self,
                                              guint          index);

/* "HH:MM:SS:FF" at @fps (frames counted from 0) */
char         *takes_player_format_timecode   (gint64         position,
                                              double         fps);

G_END_DECLS
