/* takes-shot.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-shot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "takes-model-private.h"
#include "takes-shot.h"

#define DISPLAY_TITLE_MAX_CHARS 40

G_DEFINE_ENUM_TYPE (TakesTransition, takes_transition,
  G_DEFINE_ENUM_VALUE (TAKES_TRANSITION_CUT, "cut"),
  G_DEFINE_ENUM_VALUE (TAKES_TRANSITION_CROSSFADE, "crossfade"))

G_DEFINE_ENUM_TYPE (TakesShotFit, takes_shot_fit,
  G_DEFINE_ENUM_VALUE (TAKES_SHOT_FIT_LETTERBOX, "letterbox"),
  G_DEFINE_ENUM_VALUE (TAKES_SHOT_FIT_FILL, "fill"))

struct _TakesShot
{
  GObject          parent_instance;

  /* owned */
  char            *id;
  char            *title;
  char            *prompt;
  char            *negative_prompt;
  char            *aspect;
  char            *reference_image;
  char            *notes;
  char            *picked_take_id;
  JsonObject      *backend_params;
  GListStore      *takes;
  JsonObject      *extra;
  JsonObject      *extra_transition;

  double           duration;
  gint64           seed;
  double           trim_in;
  double           trim_out;
  TakesTransition  transition;
  double           transition_duration;
  TakesShotFit     fit;
};

G_DEFINE_FINAL_TYPE (TakesShot, takes_shot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PROMPT,
  PROP_NEGATIVE_PROMPT,
  PROP_DURATION,
  PROP_ASPECT,
  PROP_SEED,
  PROP_REFERENCE_IMAGE,
  PROP_NOTES,
  PROP_BACKEND_PARAMS,
  PROP_PICKED_TAKE_ID,
  PROP_TRIM_IN,
  PROP_TRIM_OUT,
  PROP_TRANSITION,
  PROP_TRANSITION_DURATION,
  PROP_FIT,
  PROP_TAKES,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_changed (TakesShot *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_take_notify (TakesTake  *take,
                GParamSpec *pspec,
                TakesShot  *self)
{
  emit_changed (self);
}

static void
on_takes_items_changed (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        TakesShot  *self)
{
  emit_changed (self);
}

static void
takes_shot_dispatch_properties_changed (GObject     *object,
                                        guint        n_pspecs,
                                        GParamSpec **pspecs)
{
  G_OBJECT_CLASS (takes_shot_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);

  emit_changed (TAKES_SHOT (object));
}

static void
takes_shot_dispose (GObject *object)
{
  TakesShot *self = (TakesShot *) object;

  if (self->takes != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->takes));

      g_signal_handlers_disconnect_by_func (self->takes, on_takes_items_changed, self);

      /* Takes can outlive the shot (undo keeps them); leave no handler behind. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (G_LIST_MODEL (self->takes), i);

          g_signal_handlers_disconnect_by_func (take, on_take_notify, self);
        }

      g_clear_object (&self->takes);
    }

  G_OBJECT_CLASS (takes_shot_parent_class)->dispose (object);
}

static void
takes_shot_finalize (GObject *object)
{
  TakesShot *self = (TakesShot *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->prompt);
  g_free (self->negative_prompt);
  g_free (self->aspect);
  g_free (self->reference_image);
  g_free (self->notes);
  g_free (self->picked_take_id);
  g_clear_pointer (&self->backend_params, json_object_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->extra_transition, json_object_unref);

  G_OBJECT_CLASS (takes_shot_parent_class)->finalize (object);
}

static void
takes_shot_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TakesShot *self = TAKES_SHOT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_NEGATIVE_PROMPT:
      g_value_set_string (value, self->negative_prompt);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_ASPECT:
      g_value_set_string (value, self->aspect);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_REFERENCE_IMAGE:
      g_value_set_string (value, self->reference_image);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_BACKEND_PARAMS:
      g_value_set_boxed (value, self->backend_params);
      break;
    case PROP_PICKED_TAKE_ID:
      g_value_set_string (value, self->picked_take_id);
      break;
    case PROP_TRIM_IN:
      g_value_set_double (value, self->trim_in);
      break;
    case PROP_TRIM_OUT:
      g_value_set_double (value, self->trim_out);
      break;
    case PROP_TRANSITION:
      g_value_set_enum (value, self->transition);
      break;
    case PROP_TRANSITION_DURATION:
      g_value_set_double (value, self->transition_duration);
      break;
    case PROP_FIT:
      g_value_set_enum (value, self->fit);
      break;
    case PROP_TAKES:
      g_value_set_object (value, self->takes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_shot_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TakesShot *self = TAKES_SHOT (object);

  switch (prop_id)
    {
    case PROP_ID:
      takes_shot_set_id (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      takes_shot_set_title (self, g_value_get_string (value));
      break;
    case PROP_PROMPT:
      takes_shot_set_prompt (self, g_value_get_string (value));
      break;
    case PROP_NEGATIVE_PROMPT:
      takes_shot_set_negative_prompt (self, g_value_get_string (value));
      break;
    case PROP_DURATION:
      takes_shot_set_duration (self, g_value_get_double (value));
      break;
    case PROP_ASPECT:
      takes_shot_set_aspect (self, g_value_get_string (value));
      break;
    case PROP_SEED:
      takes_shot_set_seed (self, g_value_get_int64 (value));
      break;
    case PROP_REFERENCE_IMAGE:
      takes_shot_set_reference_image (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      takes_shot_set_notes (self, g_value_get_string (value));
      break;
    case PROP_BACKEND_PARAMS:
      takes_shot_set_backend_params (self, g_value_get_boxed (value));
      break;
    case PROP_PICKED_TAKE_ID:
      takes_shot_set_picked_take_id (self, g_value_get_string (value));
      break;
    case PROP_TRIM_IN:
      takes_shot_set_trim_in (self, g_value_get_double (value));
      break;
    case PROP_TRIM_OUT:
      takes_shot_set_trim_out (self, g_value_get_double (value));
      break;
    case PROP_TRANSITION:
      takes_shot_set_transition (self, g_value_get_enum (value));
      break;
    case PROP_TRANSITION_DURATION:
      takes_shot_set_transition_duration (self, g_value_get_double (value));
      break;
    case PROP_FIT:
      takes_shot_set_fit (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_shot_class_init (TakesShotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_shot_dispose;
  object_class->finalize = takes_shot_finalize;
  object_class->get_property = takes_shot_get_property;
  object_class->set_property = takes_shot_set_property;
  object_class->dispatch_properties_changed = takes_shot_dispatch_properties_changed;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", rw);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, "", rw);
  properties[PROP_NEGATIVE_PROMPT] = g_param_spec_string ("negative-prompt", NULL, NULL, "", rw);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL,
                                                   0.0, TAKES_SHOT_MAX_DURATION,
                                                   TAKES_SHOT_DEFAULT_DURATION, rw);
  properties[PROP_ASPECT] = g_param_spec_string ("aspect", NULL, NULL, TAKES_SHOT_DEFAULT_ASPECT, rw);
  properties[PROP_SEED] = g_param_spec_int64 ("seed", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_REFERENCE_IMAGE] = g_param_spec_string ("reference-image", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", rw);
  properties[PROP_BACKEND_PARAMS] = g_param_spec_boxed ("backend-params", NULL, NULL,
                                                        JSON_TYPE_OBJECT, rw);
  properties[PROP_PICKED_TAKE_ID] = g_param_spec_string ("picked-take-id", NULL, NULL, NULL, rw);
  properties[PROP_TRIM_IN] = g_param_spec_double ("trim-in", NULL, NULL,
                                                  0.0, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_TRIM_OUT] = g_param_spec_double ("trim-out", NULL, NULL,
                                                   0.0, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_TRANSITION] = g_param_spec_enum ("transition", NULL, NULL,
                                                   TAKES_TYPE_TRANSITION, TAKES_TRANSITION_CUT, rw);
  properties[PROP_TRANSITION_DURATION] = g_param_spec_double ("transition-duration", NULL, NULL,
                                                              0.0, TAKES_SHOT_MAX_DURATION, 0.0, rw);
  properties[PROP_FIT] = g_param_spec_enum ("fit", NULL, NULL,
                                            TAKES_TYPE_SHOT_FIT, TAKES_SHOT_FIT_LETTERBOX, rw);
  properties[PROP_TAKES] = g_param_spec_object ("takes", NULL, NULL, G_TYPE_LIST_MODEL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Any edit of the shot, its list of takes or one of its takes; the
   * project relays it as its own "changed". */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
takes_shot_init (TakesShot *self)
{
  self->id = _takes_new_id ('s');
  self->title = g_strdup ("");
  self->prompt = g_strdup ("");
  self->negative_prompt = g_strdup ("");
  self->notes = g_strdup ("");
  self->aspect = g_strdup (TAKES_SHOT_DEFAULT_ASPECT);
  self->duration = TAKES_SHOT_DEFAULT_DURATION;
  self->seed = -1;
  self->backend_params = json_object_new ();
  self->takes = g_list_store_new (TAKES_TYPE_TAKE);

  g_signal_connect (self->takes, "items-changed",
                    G_CALLBACK (on_takes_items_changed), self);
}

TakesShot *
takes_shot_new (void)
{
  return g_object_new (TAKES_TYPE_SHOT, NULL);
}

TakesShot *
takes_shot_duplicate (TakesShot *self)
{
  TakesShot *copy;

  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  copy = takes_shot_new ();
  _takes_set_text (&copy->title, self->title);
  _takes_set_text (&copy->prompt, self->prompt);
  _takes_set_text (&copy->negative_prompt, self->negative_prompt);
  _takes_set_text (&copy->aspect, self->aspect);
  _takes_set_optional (&copy->reference_image, self->reference_image);
  _takes_set_text (&copy->notes, self->notes);
  copy->duration = self->duration;
  copy->seed = self->seed;
  copy->transition = self->transition;
  copy->transition_duration = self->transition_duration;
  copy->fit = self->fit;

  /* Deep, so that editing one shot's parameters leaves the other's alone. */
  g_clear_pointer (&copy->backend_params, json_object_unref);
  copy->backend_params = _takes_json_object_copy (self->backend_params);

  return copy;
}

#define TEXT_SETTER(field, PROP)                                   \
  g_return_if_fail (TAKES_IS_SHOT (self));                         \
  if (_takes_set_text (&self->field, field))                       \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);

const char *
takes_shot_get_id (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->id;
}

void
takes_shot_set_id (TakesShot  *self,
                   const char *id)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (_takes_id_is_valid (id));

  if (_takes_set_text (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
takes_shot_get_title (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->title;
}

void
takes_shot_set_title (TakesShot  *self,
                      const char *title)
{
  TEXT_SETTER (title, PROP_TITLE)
}

char *
takes_shot_dup_display_title (TakesShot *self)
{
  g_autofree char *title = NULL;
  g_autofree char *line = NULL;
  const char *newline;
  glong n_chars;

  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  title = g_strstrip (g_strdup (self->title));
  if (title[0] != '\0')
    return g_steal_pointer (&title);

  line = g_strchug (g_strdup (self->prompt));
  newline = strchr (line, '\n');
  if (newline != NULL)
    line[newline - line] = '\0';
  g_strchomp (line);

  if (line[0] == '\0')
    return g_strdup (_("Untitled Shot"));

  n_chars = g_utf8_strlen (line, -1);
  if (n_chars > DISPLAY_TITLE_MAX_CHARS)
    {
      g_autofree char *start = g_utf8_substring (line, 0, DISPLAY_TITLE_MAX_CHARS - 1);

      g_strchomp (start);
      return g_strconcat (start, "…", NULL);
    }

  return g_steal_pointer (&line);
}

const char *
takes_shot_get_prompt (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->prompt;
}

void
takes_shot_set_prompt (TakesShot  *self,
                       const char *prompt)
{
  TEXT_SETTER (prompt, PROP_PROMPT)
}

const char *
takes_shot_get_negative_prompt (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->negative_prompt;
}

void
takes_shot_set_negative_prompt (TakesShot  *self,
                                const char *negative_prompt)
{
  TEXT_SETTER (negative_prompt, PROP_NEGATIVE_PROMPT)
}

double
takes_shot_get_duration (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), TAKES_SHOT_DEFAULT_DURATION);

  return self->duration;
}

void
takes_shot_set_duration (TakesShot *self,
                         double     duration)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (isfinite (duration) && duration > 0 && duration <= TAKES_SHOT_MAX_DURATION);

  if (self->duration == duration)
    return;

  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

const char *
takes_shot_get_aspect (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->aspect;
}

void
takes_shot_set_aspect (TakesShot  *self,
                       const char *aspect)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (_takes_aspect_is_valid (aspect));

  if (_takes_set_text (&self->aspect, aspect))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT]);
}

gint64
takes_shot_get_seed (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), -1);

  return self->seed;
}

void
takes_shot_set_seed (TakesShot *self,
                     gint64     seed)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  if (seed < 0)
    seed = -1;

  if (self->seed == seed)
    return;

  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

const char *
takes_shot_get_reference_image (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->reference_image;
}

void
takes_shot_set_reference_image (TakesShot  *self,
                                const char *path)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  /* Absolute until the project is saved: saving copies the image into the
   * media folder, as files may only refer to what is inside it. */
  g_return_if_fail (path == NULL || path[0] == '\0' ||
                    g_path_is_absolute (path) || _takes_relative_path_is_safe (path));

  if (_takes_set_optional (&self->reference_image, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERENCE_IMAGE]);
}

const char *
takes_shot_get_notes (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->notes;
}

void
takes_shot_set_notes (TakesShot  *self,
                      const char *notes)
{
  TEXT_SETTER (notes, PROP_NOTES)
}

JsonObject *
takes_shot_get_backend_params (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->backend_params;
}

void
takes_shot_set_backend_params (TakesShot  *self,
                               JsonObject *params)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  if (self->backend_params == params)
    return;

  g_clear_pointer (&self->backend_params, json_object_unref);
  self->backend_params = params != NULL ? json_object_ref (params) : json_object_new ();

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND_PARAMS]);
}

const char *
takes_shot_get_picked_take_id (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return self->picked_take_id;
}

void
takes_shot_set_picked_take_id (TakesShot  *self,
                               const char *take_id)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  if (_takes_set_optional (&self->picked_take_id, take_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PICKED_TAKE_ID]);
}

TakesTake *
takes_shot_get_picked_take (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  if (self->picked_take_id == NULL)
    return NULL;

  return takes_shot_find_take (self, self->picked_take_id);
}

static double
sanitize_time (double seconds)
{
  if (!isfinite (seconds) || seconds < 0)
    return 0;

  return seconds;
}

double
takes_shot_get_trim_in (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), 0);

  return self->trim_in;
}

void
takes_shot_set_trim_in (TakesShot *self,
                        double     trim_in)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  trim_in = sanitize_time (trim_in);
  if (self->trim_in == trim_in)
    return;

  self->trim_in = trim_in;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRIM_IN]);
}

double
takes_shot_get_trim_out (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), 0);

  return self->trim_out;
}

void
takes_shot_set_trim_out (TakesShot *self,
                         double     trim_out)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  trim_out = sanitize_time (trim_out);
  if (self->trim_out == trim_out)
    return;

  self->trim_out = trim_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRIM_OUT]);
}

TakesTransition
takes_shot_get_transition (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), TAKES_TRANSITION_CUT);

  return self->transition;
}

void
takes_shot_set_transition (TakesShot       *self,
                           TakesTransition  transition)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (transition == TAKES_TRANSITION_CUT ||
                    transition == TAKES_TRANSITION_CROSSFADE);

  if (self->transition == transition)
    return;

  self->transition = transition;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSITION]);
}

double
takes_shot_get_transition_duration (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), 0);

  return self->transition_duration;
}

void
takes_shot_set_transition_duration (TakesShot *self,
                                    double     duration)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  duration = MIN (sanitize_time (duration), TAKES_SHOT_MAX_DURATION);
  if (self->transition_duration == duration)
    return;

  self->transition_duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSITION_DURATION]);
}

TakesShotFit
takes_shot_get_fit (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), TAKES_SHOT_FIT_LETTERBOX);

  return self->fit;
}

void
takes_shot_set_fit (TakesShot    *self,
                    TakesShotFit  fit)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (fit == TAKES_SHOT_FIT_LETTERBOX || fit == TAKES_SHOT_FIT_FILL);

  if (self->fit == fit)
    return;

  self->fit = fit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
}

GListModel *
takes_shot_get_takes (TakesShot *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  return G_LIST_MODEL (self->takes);
}

void
_takes_shot_insert_take (TakesShot *self,
                         guint      position,
                         TakesTake *take)
{
  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (TAKES_IS_TAKE (take));

  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->takes)));

  g_signal_connect (take, "notify", G_CALLBACK (on_take_notify), self);
  g_list_store_insert (self->takes, position, take);
}

void
takes_shot_add_take (TakesShot *self,
                     TakesTake *take)
{
  g_return_if_fail (TAKES_IS_SHOT (self));

  _takes_shot_insert_take (self, G_MAXUINT, take);
}

gboolean
_takes_shot_find_take_position (TakesShot *self,
                                TakesTake *take,
                                guint     *position)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), FALSE);

  return g_list_store_find (self->takes, take, position);
}

void
takes_shot_remove_take (TakesShot *self,
                        TakesTake *take)
{
  guint position;

  g_return_if_fail (TAKES_IS_SHOT (self));
  g_return_if_fail (TAKES_IS_TAKE (take));

  if (!g_list_store_find (self->takes, take, &position))
    return;

  g_object_freeze_notify (G_OBJECT (self));

  /* A file whose pick names a missing take is refused on load. */
  if (g_strcmp0 (self->picked_take_id, takes_take_get_id (take)) == 0)
    takes_shot_set_picked_take_id (self, NULL);

  g_signal_handlers_disconnect_by_func (take, on_take_notify, self);
  g_list_store_remove (self->takes, position);

  g_object_thaw_notify (G_OBJECT (self));
}

TakesTake *
takes_shot_find_take (TakesShot  *self,
                      const char *take_id)
{
  guint n;

  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  if (take_id == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->takes));
  for (guint i = 0; i < n; i++)
    {
      /* The store holds a reference, so returning a borrowed pointer is safe. */
      TakesTake *take = g_list_model_get_item (G_LIST_MODEL (self->takes), i);

      g_object_unref (take);
      if (g_strcmp0 (takes_take_get_id (take), take_id) == 0)
        return take;
    }

  return NULL;
}

JsonObject *
_takes_shot_get_extra (TakesShot  *self,
                       const char *section)
{
  g_return_val_if_fail (TAKES_IS_SHOT (self), NULL);

  if (section == NULL)
    return self->extra;
  if (g_str_equal (section, "transition"))
    return self->extra_transition;

  g_return_val_if_reached (NULL);
}

void
_takes_shot_set_extra (TakesShot  *self,
                       const char *section,
                       JsonObject *extra)
{
  JsonObject **slot;

  g_return_if_fail (TAKES_IS_SHOT (self));

  if (section == NULL)
    slot = &self->extra;
  else if (g_str_equal (section, "transition"))
    slot = &self->extra_transition;
  else
    g_return_if_reached ();

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (slot, json_object_unref);
  *slot = extra;
}
