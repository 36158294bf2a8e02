/* takes-soundtrack-clip.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-soundtrack-clip"

#include "config.h"

#include <math.h>

#include "takes-model-private.h"
#include "takes-soundtrack-clip.h"

struct _TakesSoundtrackClip
{
  GObject     parent_instance;

  /* owned */
  char       *id;
  char       *media;
  JsonObject *extra;

  double      start;
  double      inpoint;
  double      duration;
  double      volume;
};

G_DEFINE_FINAL_TYPE (TakesSoundtrackClip, takes_soundtrack_clip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_MEDIA,
  PROP_START,
  PROP_INPOINT,
  PROP_DURATION,
  PROP_VOLUME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
takes_soundtrack_clip_finalize (GObject *object)
{
  TakesSoundtrackClip *self = (TakesSoundtrackClip *) object;

  g_free (self->id);
  g_free (self->media);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (takes_soundtrack_clip_parent_class)->finalize (object);
}

static void
takes_soundtrack_clip_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TakesSoundtrackClip *self = TAKES_SOUNDTRACK_CLIP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_MEDIA:
      g_value_set_string (value, self->media);
      break;
    case PROP_START:
      g_value_set_double (value, self->start);
      break;
    case PROP_INPOINT:
      g_value_set_double (value, self->inpoint);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_soundtrack_clip_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TakesSoundtrackClip *self = TAKES_SOUNDTRACK_CLIP (object);

  switch (prop_id)
    {
    case PROP_ID:
      takes_soundtrack_clip_set_id (self, g_value_get_string (value));
      break;
    case PROP_MEDIA:
      takes_soundtrack_clip_set_media (self, g_value_get_string (value));
      break;
    case PROP_START:
      takes_soundtrack_clip_set_start (self, g_value_get_double (value));
      break;
    case PROP_INPOINT:
      takes_soundtrack_clip_set_inpoint (self, g_value_get_double (value));
      break;
    case PROP_DURATION:
      takes_soundtrack_clip_set_duration (self, g_value_get_double (value));
      break;
    case PROP_VOLUME:
      takes_soundtrack_clip_set_volume (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_soundtrack_clip_class_init (TakesSoundtrackClipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = takes_soundtrack_clip_finalize;
  object_class->get_property = takes_soundtrack_clip_get_property;
  object_class->set_property = takes_soundtrack_clip_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, rw);
  properties[PROP_MEDIA] = g_param_spec_string ("media", NULL, NULL, NULL, rw);
  properties[PROP_START] = g_param_spec_double ("start", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_INPOINT] = g_param_spec_double ("inpoint", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_VOLUME] = g_param_spec_double ("volume", NULL, NULL, 0.0, 2.0, 1.0, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
takes_soundtrack_clip_init (TakesSoundtrackClip *self)
{
  self->id = _takes_new_id ('a');
  self->volume = 1.0;
}

TakesSoundtrackClip *
takes_soundtrack_clip_new (const char *media)
{
  return g_object_new (TAKES_TYPE_SOUNDTRACK_CLIP,
                       "media", media,
                       NULL);
}

const char *
takes_soundtrack_clip_get_id (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), NULL);

  return self->id;
}

void
takes_soundtrack_clip_set_id (TakesSoundtrackClip *self,
                              const char          *id)
{
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self));
  g_return_if_fail (_takes_id_is_valid (id));

  if (_takes_set_text (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
takes_soundtrack_clip_get_media (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), NULL);

  return self->media;
}

void
takes_soundtrack_clip_set_media (TakesSoundtrackClip *self,
                                 const char          *media)
{
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self));
  /* Absolute until the project is saved (see takes_shot_set_reference_image()) */
  g_return_if_fail (media == NULL || media[0] == '\0' ||
                    g_path_is_absolute (media) || _takes_relative_path_is_safe (media));

  if (_takes_set_optional (&self->media, media))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA]);
}

static void
set_seconds (TakesSoundtrackClip *self,
             double              *field,
             double               seconds,
             guint                prop)
{
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self));

  if (!isfinite (seconds) || seconds < 0)
    seconds = 0;

  if (*field == seconds)
    return;

  *field = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

double
takes_soundtrack_clip_get_start (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), 0);

  return self->start;
}

void
takes_soundtrack_clip_set_start (TakesSoundtrackClip *self,
                                 double               start)
{
  set_seconds (self, &self->start, start, PROP_START);
}

double
takes_soundtrack_clip_get_inpoint (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), 0);

  return self->inpoint;
}

void
takes_soundtrack_clip_set_inpoint (TakesSoundtrackClip *self,
                                   double               inpoint)
{
  set_seconds (self, &self->inpoint, inpoint, PROP_INPOINT);
}

double
takes_soundtrack_clip_get_duration (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), 0);

  return self->duration;
}

void
takes_soundtrack_clip_set_duration (TakesSoundtrackClip *self,
                                    double               duration)
{
  set_seconds (self, &self->duration, duration, PROP_DURATION);
}

double
takes_soundtrack_clip_get_volume (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), 1.0);

  return self->volume;
}

void
takes_soundtrack_clip_set_volume (TakesSoundtrackClip *self,
                                  double               volume)
{
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self));

  if (!isfinite (volume))
    volume = 1.0;
  volume = CLAMP (volume, 0.0, 2.0);

  if (self->volume == volume)
    return;

  self->volume = volume;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

JsonObject *
_takes_soundtrack_clip_get_extra (TakesSoundtrackClip *self)
{
  g_return_val_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self), NULL);

  return self->extra;
}

void
_takes_soundtrack_clip_set_extra (TakesSoundtrackClip *self,
                                  JsonObject          *extra)
{
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
