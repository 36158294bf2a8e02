/* takes-animatic.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend.h"

G_BEGIN_DECLS

/* The built-in, offline backend: placeholder clips for pre-visualisation.
 * A card with the shot number, title (request extra "shot_number",
 * "title"), the prompt and a running timecode moves over a seed-coloured
 * background with a moving ball; a quiet sine tone plays. H.264 + AAC in
 * MP4, exactly round(duration × fps) frames, byte-identical for the same
 * request and seed (seed -1: derived from the client request id).
 * Rendering runs in a GStreamer pipeline built on a worker thread and
 * watched from the caller's main context; nothing blocks its main loop.
 *
 * Lifecycle: submit answers at once (QUEUED); poll reports RUNNING with
 * progress, then SUCCEEDED with a file:// result_url in the work folder;
 * download copies the clip to the destination (through DESTINATION.part)
 * and then forgets the task and its cache file. Cancel stops the pipeline
 * and deletes the partial file. Polling an id this instance does not know
 * (after a restart) renders it again from the request: rendering is free
 * and deterministic. Concurrency limit: half the processors. */
#define TAKES_TYPE_ANIMATIC (takes_animatic_get_type ())
G_DECLARE_FINAL_TYPE (TakesAnimatic, takes_animatic, TAKES, ANIMATIC, TakesBackend)

TakesAnimatic *takes_animatic_new          (void);
/* Where clips are rendered before download moves them; defaults to
 * $XDG_CACHE_HOME/takes/animatic. */
const char    *takes_animatic_get_work_dir (TakesAnimatic *self);
void           takes_animatic_set_work_dir (TakesAnimatic *self,
                                            const char    *work_dir);

/* Zeroes the creation and modification times that mp4mux stamps into
 * mvhd, tkhd and mdhd, so equal input gives equal bytes; also checks that
 * the top-level boxes fit the file. Blocking file I/O: call it from a
 * worker thread. */
gboolean       takes_animatic_patch_mp4_times (const char  *path,
                                               GError     **error);

G_END_DECLS
