/* takes-soundtrack-clip.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TAKES_TYPE_SOUNDTRACK_CLIP (takes_soundtrack_clip_get_type ())
G_DECLARE_FINAL_TYPE (TakesSoundtrackClip, takes_soundtrack_clip, TAKES, SOUNDTRACK_CLIP, GObject)

/* One music or voice-over file on the film's soundtrack track. */
TakesSoundtrackClip *takes_soundtrack_clip_new          (const char          *media);

const char          *takes_soundtrack_clip_get_id       (TakesSoundtrackClip *self);
void                 takes_soundtrack_clip_set_id       (TakesSoundtrackClip *self,
                                                         const char          *id);
/* Relative to the project's folder (absolute until saved, as for a shot's
 * reference image) */
const char          *takes_soundtrack_clip_get_media    (TakesSoundtrackClip *self);
void                 takes_soundtrack_clip_set_media    (TakesSoundtrackClip *self,
                                                         const char          *media);
/* Position on the film, seconds */
double               takes_soundtrack_clip_get_start    (TakesSoundtrackClip *self);
void                 takes_soundtrack_clip_set_start    (TakesSoundtrackClip *self,
                                                         double               start);
/* Offset into the file, seconds */
double               takes_soundtrack_clip_get_inpoint  (TakesSoundtrackClip *self);
void                 takes_soundtrack_clip_set_inpoint  (TakesSoundtrackClip *self,
                                                         double               inpoint);
/* Length used, seconds; 0 means to the end of the file */
double               takes_soundtrack_clip_get_duration (TakesSoundtrackClip *self);
void                 takes_soundtrack_clip_set_duration (TakesSoundtrackClip *self,
                                                         double               duration);
/* 0.0 to 2.0, 1.0 is unchanged */
double               takes_soundtrack_clip_get_volume   (TakesSoundtrackClip *self);
void                 takes_soundtrack_clip_set_volume   (TakesSoundtrackClip *self,
                                                         double               volume);

G_END_DECLS
