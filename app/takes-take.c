/* takes-take.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-take"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "takes-model-private.h"
#include "takes-take.h"

G_DEFINE_ENUM_TYPE (TakesTakeState, takes_take_state,
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_SUBMITTING, "submitting"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_DOWNLOADING, "downloading"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_CANCELED, "canceled"),
  G_DEFINE_ENUM_VALUE (TAKES_TAKE_UNKNOWN, "unknown"))

static const char * const state_names[] = {
  "draft", "submitting", "queued", "running", "downloading",
  "ready", "failed", "canceled", "unknown",
};

const char *
takes_take_state_to_string (TakesTakeState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return "unknown";

  return state_names[state];
}

gboolean
takes_take_state_from_string (const char     *str,
                              TakesTakeState *state)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (str, state_names[i]))
        {
          if (state != NULL)
            *state = (TakesTakeState) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
takes_take_state_get_label (TakesTakeState state)
{
  switch (state)
    {
    case TAKES_TAKE_DRAFT:
      return C_("take state", "Draft");
    case TAKES_TAKE_SUBMITTING:
      return C_("take state", "Submitting");
    case TAKES_TAKE_QUEUED:
      return C_("take state", "Queued");
    case TAKES_TAKE_RUNNING:
      return C_("take state", "Generating");
    case TAKES_TAKE_DOWNLOADING:
      return C_("take state", "Downloading");
    case TAKES_TAKE_READY:
      return C_("take state", "Ready");
    case TAKES_TAKE_FAILED:
      return C_("take state", "Failed");
    case TAKES_TAKE_CANCELED:
      return C_("take state", "Canceled");
    case TAKES_TAKE_UNKNOWN:
    default:
      return C_("take state", "Unknown");
    }
}

gboolean
takes_take_state_is_in_flight (TakesTakeState state)
{
  return state >= TAKES_TAKE_SUBMITTING && state < TAKES_TAKE_READY;
}

struct _TakesTake
{
  GObject         parent_instance;

  /* owned */
  char           *id;
  char           *backend;
  char           *model;
  JsonObject     *request;
  char           *remote_id;
  char           *client_request_id;
  char           *error;
  char           *media;
  char           *thumbnail;
  char           *video_codec;
  char           *audio_codec;
  char           *notes;
  JsonObject     *extra;
  JsonObject     *extra_probe;
  JsonObject     *extra_cost;
  JsonObject     *extra_times;

  TakesTakeState  state;
  double          progress;
  double          duration;
  int             width;
  int             height;
  double          fps;
  gboolean        has_audio;
  double          cost_estimate;
  double          cost_actual;
  gint64          created;
  gint64          submitted;
  gint64          finished;
  int             rating;
};

G_DEFINE_FINAL_TYPE (TakesTake, takes_take, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_BACKEND,
  PROP_MODEL,
  PROP_REQUEST,
  PROP_REMOTE_ID,
  PROP_CLIENT_REQUEST_ID,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_ERROR,
  PROP_MEDIA,
  PROP_THUMBNAIL,
  PROP_DURATION,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FPS,
  PROP_VIDEO_CODEC,
  PROP_AUDIO_CODEC,
  PROP_HAS_AUDIO,
  PROP_COST_ESTIMATE,
  PROP_COST_ACTUAL,
  PROP_CREATED,
  PROP_SUBMITTED,
  PROP_FINISHED,
  PROP_RATING,
  PROP_NOTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
takes_take_finalize (GObject *object)
{
  TakesTake *self = (TakesTake *) object;

  g_free (self->id);
  g_free (self->backend);
  g_free (self->model);
  g_clear_pointer (&self->request, json_object_unref);
  g_free (self->remote_id);
  g_free (self->client_request_id);
  g_free (self->error);
  g_free (self->media);
  g_free (self->thumbnail);
  g_free (self->video_codec);
  g_free (self->audio_codec);
  g_free (self->notes);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->extra_probe, json_object_unref);
  g_clear_pointer (&self->extra_cost, json_object_unref);
  g_clear_pointer (&self->extra_times, json_object_unref);

  G_OBJECT_CLASS (takes_take_parent_class)->finalize (object);
}

static void
takes_take_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TakesTake *self = TAKES_TAKE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_BACKEND:
      g_value_set_string (value, self->backend);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_REMOTE_ID:
      g_value_set_string (value, self->remote_id);
      break;
    case PROP_CLIENT_REQUEST_ID:
      g_value_set_string (value, self->client_request_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_MEDIA:
      g_value_set_string (value, self->media);
      break;
    case PROP_THUMBNAIL:
      g_value_set_string (value, self->thumbnail);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_FPS:
      g_value_set_double (value, self->fps);
      break;
    case PROP_VIDEO_CODEC:
      g_value_set_string (value, self->video_codec);
      break;
    case PROP_AUDIO_CODEC:
      g_value_set_string (value, self->audio_codec);
      break;
    case PROP_HAS_AUDIO:
      g_value_set_boolean (value, self->has_audio);
      break;
    case PROP_COST_ESTIMATE:
      g_value_set_double (value, self->cost_estimate);
      break;
    case PROP_COST_ACTUAL:
      g_value_set_double (value, self->cost_actual);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_SUBMITTED:
      g_value_set_int64 (value, self->submitted);
      break;
    case PROP_FINISHED:
      g_value_set_int64 (value, self->finished);
      break;
    case PROP_RATING:
      g_value_set_int (value, self->rating);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_take_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TakesTake *self = TAKES_TAKE (object);

  switch (prop_id)
    {
    case PROP_ID:
      takes_take_set_id (self, g_value_get_string (value));
      break;
    case PROP_BACKEND:
      takes_take_set_backend (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      takes_take_set_model (self, g_value_get_string (value));
      break;
    case PROP_REQUEST:
      takes_take_set_request (self, g_value_get_boxed (value));
      break;
    case PROP_REMOTE_ID:
      takes_take_set_remote_id (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_REQUEST_ID:
      takes_take_set_client_request_id (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      takes_take_set_state (self, g_value_get_enum (value));
      break;
    case PROP_PROGRESS:
      takes_take_set_progress (self, g_value_get_double (value));
      break;
    case PROP_ERROR:
      takes_take_set_error (self, g_value_get_string (value));
      break;
    case PROP_MEDIA:
      takes_take_set_media (self, g_value_get_string (value));
      break;
    case PROP_THUMBNAIL:
      takes_take_set_thumbnail (self, g_value_get_string (value));
      break;
    case PROP_COST_ESTIMATE:
      takes_take_set_cost_estimate (self, g_value_get_double (value));
      break;
    case PROP_COST_ACTUAL:
      takes_take_set_cost_actual (self, g_value_get_double (value));
      break;
    case PROP_CREATED:
      takes_take_set_created (self, g_value_get_int64 (value));
      break;
    case PROP_SUBMITTED:
      takes_take_set_submitted (self, g_value_get_int64 (value));
      break;
    case PROP_FINISHED:
      takes_take_set_finished (self, g_value_get_int64 (value));
      break;
    case PROP_RATING:
      takes_take_set_rating (self, g_value_get_int (value));
      break;
    case PROP_NOTES:
      takes_take_set_notes (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_take_class_init (TakesTakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = takes_take_finalize;
  object_class->get_property = takes_take_get_property;
  object_class->set_property = takes_take_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, rw);
  properties[PROP_BACKEND] = g_param_spec_string ("backend", NULL, NULL, "", rw);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "", rw);
  properties[PROP_REQUEST] = g_param_spec_boxed ("request", NULL, NULL, JSON_TYPE_OBJECT, rw);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_REQUEST_ID] = g_param_spec_string ("client-request-id", NULL, NULL, NULL, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              TAKES_TYPE_TAKE_STATE, TAKES_TAKE_DRAFT, rw);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, rw);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, rw);
  properties[PROP_MEDIA] = g_param_spec_string ("media", NULL, NULL, NULL, rw);
  properties[PROP_THUMBNAIL] = g_param_spec_string ("thumbnail", NULL, NULL, NULL, rw);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_FPS] = g_param_spec_double ("fps", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_VIDEO_CODEC] = g_param_spec_string ("video-codec", NULL, NULL, NULL, ro);
  properties[PROP_AUDIO_CODEC] = g_param_spec_string ("audio-codec", NULL, NULL, NULL, ro);
  properties[PROP_HAS_AUDIO] = g_param_spec_boolean ("has-audio", NULL, NULL, FALSE, ro);
  properties[PROP_COST_ESTIMATE] = g_param_spec_double ("cost-estimate", NULL, NULL,
                                                        -1.0, G_MAXDOUBLE, -1.0, rw);
  properties[PROP_COST_ACTUAL] = g_param_spec_double ("cost-actual", NULL, NULL,
                                                      -1.0, G_MAXDOUBLE, -1.0, rw);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_SUBMITTED] = g_param_spec_int64 ("submitted", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_FINISHED] = g_param_spec_int64 ("finished", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_RATING] = g_param_spec_int ("rating", NULL, NULL, 0, 5, 0, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
takes_take_init (TakesTake *self)
{
  self->id = _takes_new_id ('t');
  self->backend = g_strdup ("");
  self->model = g_strdup ("");
  self->notes = g_strdup ("");
  self->cost_estimate = -1.0;
  self->cost_actual = -1.0;
}

TakesTake *
takes_take_new (const char *backend,
                const char *model)
{
  return g_object_new (TAKES_TYPE_TAKE,
                       "backend", backend,
                       "model", model,
                       NULL);
}

#define TEXT_SETTER(field, PROP)                                   \
  g_return_if_fail (TAKES_IS_TAKE (self));                         \
  if (_takes_set_text (&self->field, field))                       \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);

#define OPTIONAL_SETTER(field, PROP)                               \
  g_return_if_fail (TAKES_IS_TAKE (self));                         \
  if (_takes_set_optional (&self->field, field))                   \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);

const char *
takes_take_get_id (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->id;
}

void
takes_take_set_id (TakesTake  *self,
                   const char *id)
{
  g_return_if_fail (TAKES_IS_TAKE (self));
  g_return_if_fail (_takes_id_is_valid (id));

  if (_takes_set_text (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
takes_take_get_backend (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->backend;
}

void
takes_take_set_backend (TakesTake  *self,
                        const char *backend)
{
  TEXT_SETTER (backend, PROP_BACKEND)
}

const char *
takes_take_get_model (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->model;
}

void
takes_take_set_model (TakesTake  *self,
                      const char *model)
{
  TEXT_SETTER (model, PROP_MODEL)
}

JsonObject *
takes_take_get_request (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->request;
}

void
takes_take_set_request (TakesTake  *self,
                        JsonObject *request)
{
  g_return_if_fail (TAKES_IS_TAKE (self));

  if (self->request == request)
    return;

  if (request != NULL)
    json_object_ref (request);
  g_clear_pointer (&self->request, json_object_unref);
  self->request = request;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
}

const char *
takes_take_get_remote_id (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->remote_id;
}

void
takes_take_set_remote_id (TakesTake  *self,
                          const char *remote_id)
{
  OPTIONAL_SETTER (remote_id, PROP_REMOTE_ID)
}

const char *
takes_take_get_client_request_id (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->client_request_id;
}

void
takes_take_set_client_request_id (TakesTake  *self,
                                  const char *client_request_id)
{
  OPTIONAL_SETTER (client_request_id, PROP_CLIENT_REQUEST_ID)
}

TakesTakeState
takes_take_get_state (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), TAKES_TAKE_UNKNOWN);

  return self->state;
}

void
takes_take_set_state (TakesTake      *self,
                      TakesTakeState  state)
{
  g_return_if_fail (TAKES_IS_TAKE (self));
  g_return_if_fail ((guint) state <= TAKES_TAKE_UNKNOWN);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

double
takes_take_get_progress (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0.0);

  return self->progress;
}

void
takes_take_set_progress (TakesTake *self,
                         double     progress)
{
  g_return_if_fail (TAKES_IS_TAKE (self));

  /* Providers report slightly past 1.0 or garbage; the bar only needs 0..1. */
  if (!isfinite (progress))
    progress = 0.0;
  progress = CLAMP (progress, 0.0, 1.0);

  if (self->progress == progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

const char *
takes_take_get_error (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->error;
}

void
takes_take_set_error (TakesTake  *self,
                      const char *error)
{
  OPTIONAL_SETTER (error, PROP_ERROR)
}

const char *
takes_take_get_media (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->media;
}

void
takes_take_set_media (TakesTake  *self,
                      const char *media)
{
  g_return_if_fail (TAKES_IS_TAKE (self));
  g_return_if_fail (media == NULL || media[0] == '\0' || _takes_relative_path_is_safe (media));

  if (_takes_set_optional (&self->media, media))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA]);
}

const char *
takes_take_get_thumbnail (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->thumbnail;
}

void
takes_take_set_thumbnail (TakesTake  *self,
                          const char *thumbnail)
{
  g_return_if_fail (TAKES_IS_TAKE (self));
  g_return_if_fail (thumbnail == NULL || thumbnail[0] == '\0' ||
                    _takes_relative_path_is_safe (thumbnail));

  if (_takes_set_optional (&self->thumbnail, thumbnail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

double
takes_take_get_duration (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0.0);

  return self->duration;
}

int
takes_take_get_width (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0);

  return self->width;
}

int
takes_take_get_height (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0);

  return self->height;
}

double
takes_take_get_fps (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0.0);

  return self->fps;
}

const char *
takes_take_get_video_codec (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->video_codec;
}

const char *
takes_take_get_audio_codec (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->audio_codec;
}

gboolean
takes_take_get_has_audio (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), FALSE);

  return self->has_audio;
}

void
takes_take_set_probe (TakesTake  *self,
                      double      duration,
                      int         width,
                      int         height,
                      double      fps,
                      const char *video_codec,
                      const char *audio_codec,
                      gboolean    has_audio)
{
  g_return_if_fail (TAKES_IS_TAKE (self));

  if (!isfinite (duration) || duration < 0)
    duration = 0;
  if (!isfinite (fps) || fps < 0)
    fps = 0;
  width = MAX (width, 0);
  height = MAX (height, 0);
  has_audio = !!has_audio;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->duration != duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }

  if (self->width != width)
    {
      self->width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
    }

  if (self->height != height)
    {
      self->height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }

  if (self->fps != fps)
    {
      self->fps = fps;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FPS]);
    }

  if (_takes_set_optional (&self->video_codec, video_codec))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_CODEC]);

  if (_takes_set_optional (&self->audio_codec, audio_codec))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_CODEC]);

  if (self->has_audio != has_audio)
    {
      self->has_audio = has_audio;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static double
normalize_cost (double cost)
{
  /* Anything negative (or not a number) is "unknown", stored as -1 so that
   * comparisons and the file format have one spelling of it. */
  if (!isfinite (cost) || cost < 0)
    return -1.0;

  return cost;
}

double
takes_take_get_cost_estimate (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), -1.0);

  return self->cost_estimate;
}

void
takes_take_set_cost_estimate (TakesTake *self,
                              double     cost)
{
  g_return_if_fail (TAKES_IS_TAKE (self));

  cost = normalize_cost (cost);
  if (self->cost_estimate == cost)
    return;

  self->cost_estimate = cost;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST_ESTIMATE]);
}

double
takes_take_get_cost_actual (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), -1.0);

  return self->cost_actual;
}

void
takes_take_set_cost_actual (TakesTake *self,
                            double     cost)
{
  g_return_if_fail (TAKES_IS_TAKE (self));

  cost = normalize_cost (cost);
  if (self->cost_actual == cost)
    return;

  self->cost_actual = cost;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST_ACTUAL]);
}

static void
set_time (TakesTake *self,
          gint64    *field,
          gint64     when,
          guint      prop)
{
  g_return_if_fail (TAKES_IS_TAKE (self));

  when = MAX (when, 0);
  if (*field == when)
    return;

  *field = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

gint64
takes_take_get_created (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0);

  return self->created;
}

void
takes_take_set_created (TakesTake *self,
                        gint64     when)
{
  set_time (self, &self->created, when, PROP_CREATED);
}

gint64
takes_take_get_submitted (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0);

  return self->submitted;
}

void
takes_take_set_submitted (TakesTake *self,
                          gint64     when)
{
  set_time (self, &self->submitted, when, PROP_SUBMITTED);
}

gint64
takes_take_get_finished (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0);

  return self->finished;
}

void
takes_take_set_finished (TakesTake *self,
                         gint64     when)
{
  set_time (self, &self->finished, when, PROP_FINISHED);
}

int
takes_take_get_rating (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), 0);

  return self->rating;
}

void
takes_take_set_rating (TakesTake *self,
                       int        rating)
{
  g_return_if_fail (TAKES_IS_TAKE (self));
  g_return_if_fail (rating >= 0 && rating <= 5);

  if (self->rating == rating)
    return;

  self->rating = rating;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATING]);
}

const char *
takes_take_get_notes (TakesTake *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  return self->notes;
}

void
takes_take_set_notes (TakesTake  *self,
                      const char *notes)
{
  TEXT_SETTER (notes, PROP_NOTES)
}

static JsonObject **
extra_slot (TakesTake  *self,
            const char *section)
{
  if (section == NULL)
    return &self->extra;
  if (g_str_equal (section, "probe"))
    return &self->extra_probe;
  if (g_str_equal (section, "cost"))
    return &self->extra_cost;
  if (g_str_equal (section, "times"))
    return &self->extra_times;

  g_return_val_if_reached (NULL);
}

JsonObject *
_takes_take_get_extra (TakesTake  *self,
                       const char *section)
{
  JsonObject **slot;

  g_return_val_if_fail (TAKES_IS_TAKE (self), NULL);

  slot = extra_slot (self, section);

  return slot != NULL ? *slot : NULL;
}

void
_takes_take_set_extra (TakesTake  *self,
                       const char *section,
                       JsonObject *extra)
{
  JsonObject **slot;

  g_return_if_fail (TAKES_IS_TAKE (self));

  slot = extra_slot (self, section);
  if (slot == NULL)
    return;

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (slot, json_object_unref);
  *slot = extra;
}
