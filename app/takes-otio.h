/* takes-otio.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-timeline.h"

G_BEGIN_DECLS

/* The cut for other editors, from a timeline after its update.
 *
 * OpenTimelineIO (.otio, JSON): Timeline.1 → Stack.1 → a "Video" Track.1
 * of Clip.1 (ExternalReference.1 to the take's file:// URL), Gap.1 for
 * shots without a take and Transition.1 ("SMPTE_Dissolve") for crossfades;
 * an "Audio" track with the takes' own sound; one "Audio" track per
 * soundtrack clip. Times are RationalTime.1 at the output frame rate.
 * Each clip's metadata holds its provenance under "takes": shot_id,
 * shot_number, title, prompt, negative_prompt, backend, model, seed,
 * take_id, remote_id, cost. Clip.1 (not Clip.2) because every OTIO
 * reader understands it, including those older than 0.15.
 *
 * GES project (.xges): the timeline itself, which Pitivi opens; each clip
 * carries the same provenance as GES metadata (TAKES_TIMELINE_META_*).
 *
 * Both are written through a temporary file and renamed, so a failure
 * leaves no half file. */

char     *takes_otio_to_data   (TakesTimeline  *timeline,
                                gsize          *length);
gboolean  takes_otio_write     (TakesTimeline  *timeline,
                                GFile          *file,
                                GError        **error);
gboolean  takes_xges_write     (TakesTimeline  *timeline,
                                GFile          *file,
                                GError        **error);

G_END_DECLS
