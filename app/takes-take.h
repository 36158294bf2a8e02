/* takes-take.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The life of one generation. Order matters: states before READY are
 * "in flight" and resume after a restart; UNKNOWN is never resubmitted
 * on its own because every create may cost money. */
typedef enum
{
  TAKES_TAKE_DRAFT,
  TAKES_TAKE_SUBMITTING,
  TAKES_TAKE_QUEUED,
  TAKES_TAKE_RUNNING,
  TAKES_TAKE_DOWNLOADING,
  TAKES_TAKE_READY,
  TAKES_TAKE_FAILED,
  TAKES_TAKE_CANCELED,
  TAKES_TAKE_UNKNOWN,
} TakesTakeState;

GType        takes_take_state_get_type      (void) G_GNUC_CONST;
#define TAKES_TYPE_TAKE_STATE (takes_take_state_get_type ())
/* "draft", "submitting", … as stored in project files */
const char  *takes_take_state_to_string     (TakesTakeState  state);
gboolean     takes_take_state_from_string   (const char     *str,
                                             TakesTakeState *state);
/* Translated, for people */
const char  *takes_take_state_get_label     (TakesTakeState  state);
gboolean     takes_take_state_is_in_flight  (TakesTakeState  state);

#define TAKES_TYPE_TAKE (takes_take_get_type ())
G_DECLARE_FINAL_TYPE (TakesTake, takes_take, TAKES, TAKE, GObject)

TakesTake      *takes_take_new                   (const char     *backend,
                                                  const char     *model);

const char     *takes_take_get_id                (TakesTake      *self);
void            takes_take_set_id                (TakesTake      *self,
                                                  const char     *id);
const char     *takes_take_get_backend           (TakesTake      *self);
void            takes_take_set_backend           (TakesTake      *self,
                                                  const char     *backend);
const char     *takes_take_get_model             (TakesTake      *self);
void            takes_take_set_model             (TakesTake      *self,
                                                  const char     *model);
/* The exact request sent, so the take can be reproduced. May be NULL. */
JsonObject     *takes_take_get_request           (TakesTake      *self);
void            takes_take_set_request           (TakesTake      *self,
                                                  JsonObject     *request);
const char     *takes_take_get_remote_id         (TakesTake      *self);
void            takes_take_set_remote_id         (TakesTake      *self,
                                                  const char     *remote_id);
const char     *takes_take_get_client_request_id (TakesTake      *self);
void            takes_take_set_client_request_id (TakesTake      *self,
                                                  const char     *client_request_id);
TakesTakeState  takes_take_get_state             (TakesTake      *self);
void            takes_take_set_state             (TakesTake      *self,
                                                  TakesTakeState  state);
double          takes_take_get_progress          (TakesTake      *self);
void            takes_take_set_progress          (TakesTake      *self,
                                                  double          progress);
const char     *takes_take_get_error             (TakesTake      *self);
void            takes_take_set_error             (TakesTake      *self,
                                                  const char     *error);
/* Relative to the project file's folder (e.g. "Film.media/t-….mp4") */
const char     *takes_take_get_media             (TakesTake      *self);
void            takes_take_set_media             (TakesTake      *self,
                                                  const char     *media);
const char     *takes_take_get_thumbnail         (TakesTake      *self);
void            takes_take_set_thumbnail         (TakesTake      *self,
                                                  const char     *thumbnail);
/* Probed facts; 0 / NULL when not probed yet */
double          takes_take_get_duration          (TakesTake      *self);
int             takes_take_get_width             (TakesTake      *self);
int             takes_take_get_height            (TakesTake      *self);
double          takes_take_get_fps               (TakesTake      *self);
const char     *takes_take_get_video_codec       (TakesTake      *self);
const char     *takes_take_get_audio_codec       (TakesTake      *self);
gboolean        takes_take_get_has_audio         (TakesTake      *self);
void            takes_take_set_probe             (TakesTake      *self,
                                                  double          duration,
                                                  int             width,
                                                  int             height,
                                                  double          fps,
                                                  const char     *video_codec,
                                                  const char     *audio_codec,
                                                  gboolean        has_audio);
/* Cost in the pricing table's currency (USD); negative means unknown */
double          takes_take_get_cost_estimate     (TakesTake      *self);
void            takes_take_set_cost_estimate     (TakesTake      *self,
                                                  double          cost);
double          takes_take_get_cost_actual       (TakesTake      *self);
void            takes_take_set_cost_actual       (TakesTake      *self,
                                                  double          cost);
/* Unix times in seconds; 0 when it has not happened */
gint64          takes_take_get_created           (TakesTake      *self);
void            takes_take_set_created           (TakesTake      *self,
                                                  gint64          when);
gint64          takes_take_get_submitted         (TakesTake      *self);
void            takes_take_set_submitted         (TakesTake      *self,
                                                  gint64          when);
gint64          takes_take_get_finished          (TakesTake      *self);
void            takes_take_set_finished          (TakesTake      *self,
                                                  gint64          when);
/* 0 (unrated) to 5 */
int             takes_take_get_rating            (TakesTake      *self);
void            takes_take_set_rating            (TakesTake      *self,
                                                  int             rating);
const char     *takes_take_get_notes             (TakesTake      *self);
void            takes_take_set_notes             (TakesTake      *self,
                                                  const char     *notes);

G_END_DECLS
