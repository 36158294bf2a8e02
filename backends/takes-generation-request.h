/* takes-generation-request.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What one take asks a generator for. Plain values; a backend reads them
 * and never changes them. to_json() is what a take stores as "the exact
 * request sent"; from_json() reads it back (unknown members are ignored). */
#define TAKES_TYPE_GENERATION_REQUEST (takes_generation_request_get_type ())
G_DECLARE_FINAL_TYPE (TakesGenerationRequest, takes_generation_request, TAKES, GENERATION_REQUEST, GObject)

TakesGenerationRequest *takes_generation_request_new                   (const char              *prompt);
TakesGenerationRequest *takes_generation_request_copy                  (TakesGenerationRequest  *self);

const char  *takes_generation_request_get_prompt            (TakesGenerationRequest *self);
void         takes_generation_request_set_prompt            (TakesGenerationRequest *self,
                                                             const char             *prompt);
const char  *takes_generation_request_get_negative_prompt   (TakesGenerationRequest *self);
void         takes_generation_request_set_negative_prompt   (TakesGenerationRequest *self,
                                                             const char             *negative_prompt);
/* NULL: the backend's default model */
const char  *takes_generation_request_get_model             (TakesGenerationRequest *self);
void         takes_generation_request_set_model             (TakesGenerationRequest *self,
                                                             const char             *model);
/* Seconds; default 5 */
double       takes_generation_request_get_duration          (TakesGenerationRequest *self);
void         takes_generation_request_set_duration          (TakesGenerationRequest *self,
                                                             double                  duration);
/* "W:H", default "16:9" */
const char  *takes_generation_request_get_aspect_ratio      (TakesGenerationRequest *self);
void         takes_generation_request_set_aspect_ratio      (TakesGenerationRequest *self,
                                                             const char             *aspect_ratio);
/* "480p", "720p", "1080p", "2160p"/"4k" or "WxH"; default "720p" */
const char  *takes_generation_request_get_resolution        (TakesGenerationRequest *self);
void         takes_generation_request_set_resolution        (TakesGenerationRequest *self,
                                                             const char             *resolution);
/* Frame size from aspect ratio and resolution (even numbers; the short
 * side is the "p" value: 16:9 at 720p is 1280x720, 9:16 is 720x1280).
 * 0 when the two cannot be resolved (see validate()). */
int          takes_generation_request_get_width             (TakesGenerationRequest *self);
int          takes_generation_request_get_height            (TakesGenerationRequest *self);
/* Frames per second; default 24 */
int          takes_generation_request_get_fps               (TakesGenerationRequest *self);
void         takes_generation_request_set_fps               (TakesGenerationRequest *self,
                                                             int                     fps);
/* -1: let the generator choose */
gint64       takes_generation_request_get_seed              (TakesGenerationRequest *self);
void         takes_generation_request_set_seed              (TakesGenerationRequest *self,
                                                             gint64                  seed);
/* Local paths of the first (image-to-video) and last frame; NULL if none */
const char  *takes_generation_request_get_image             (TakesGenerationRequest *self);
void         takes_generation_request_set_image             (TakesGenerationRequest *self,
                                                             const char             *path);
const char  *takes_generation_request_get_end_image         (TakesGenerationRequest *self);
void         takes_generation_request_set_end_image         (TakesGenerationRequest *self,
                                                             const char             *path);
/* Backend-specific parameters, passed through. The animatic reads
 * "title" (string) and "shot_number" (int) from here. Never NULL. */
JsonObject  *takes_generation_request_get_extra             (TakesGenerationRequest *self);
void         takes_generation_request_set_extra             (TakesGenerationRequest *self,
                                                             JsonObject             *extra);
const char  *takes_generation_request_get_extra_string      (TakesGenerationRequest *self,
                                                             const char             *name);
gint64       takes_generation_request_get_extra_int         (TakesGenerationRequest *self,
                                                             const char             *name,
                                                             gint64                  default_value);
void         takes_generation_request_set_extra_string      (TakesGenerationRequest *self,
                                                             const char             *name,
                                                             const char             *value);
void         takes_generation_request_set_extra_int         (TakesGenerationRequest *self,
                                                             const char             *name,
                                                             gint64                  value);
/* Our own id for the take, sent as an idempotency key where a provider
 * accepts one, and used to find a create again after a restart. */
const char  *takes_generation_request_get_client_request_id (TakesGenerationRequest *self);
void         takes_generation_request_set_client_request_id (TakesGenerationRequest *self,
                                                             const char             *client_request_id);

/* Checks values every backend needs: a prompt or an image, a positive
 * duration (at most 10 minutes), 1–120 fps, a "W:H" aspect ratio and a
 * known resolution. TAKES_BACKEND_ERROR_INVALID_REQUEST naming the field. */
gboolean     takes_generation_request_validate              (TakesGenerationRequest *self,
                                                             GError                **error);

JsonObject  *takes_generation_request_to_json               (TakesGenerationRequest *self);
TakesGenerationRequest *takes_generation_request_from_json  (JsonObject             *object,
                                                             GError                **error);

/* Helpers shared with backends and the command line. */
gboolean     takes_parse_aspect_ratio                       (const char             *aspect_ratio,
                                                             int                    *num,
                                                             int                    *den);
gboolean     takes_resolve_frame_size                       (const char             *aspect_ratio,
                                                             const char             *resolution,
                                                             int                    *width,
                                                             int                    *height);

G_END_DECLS
