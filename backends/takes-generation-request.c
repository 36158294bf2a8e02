/* takes-generation-request.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-generation-request"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "takes-backend-error.h"
#include "takes-generation-request.h"

#define DEFAULT_DURATION     5.0
#define DEFAULT_ASPECT_RATIO "16:9"
#define DEFAULT_RESOLUTION   "720p"
#define DEFAULT_FPS          24
#define MAX_DURATION         600.0
#define MAX_FRAME_SIDE       8192

struct _TakesGenerationRequest
{
  GObject     parent_instance;

  /* owned */
  char       *prompt;
  char       *negative_prompt;
  char       *model;
  char       *aspect_ratio;
  char       *resolution;
  char       *image;
  char       *end_image;
  char       *client_request_id;
  JsonObject *extra;

  double      duration;
  gint64      seed;
  int         fps;
};

G_DEFINE_FINAL_TYPE (TakesGenerationRequest, takes_generation_request, G_TYPE_OBJECT)

static void
takes_generation_request_finalize (GObject *object)
{
  TakesGenerationRequest *self = (TakesGenerationRequest *)object;

  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->negative_prompt, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);
  g_clear_pointer (&self->resolution, g_free);
  g_clear_pointer (&self->image, g_free);
  g_clear_pointer (&self->end_image, g_free);
  g_clear_pointer (&self->client_request_id, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (takes_generation_request_parent_class)->finalize (object);
}

static void
takes_generation_request_class_init (TakesGenerationRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = takes_generation_request_finalize;
}

static void
takes_generation_request_init (TakesGenerationRequest *self)
{
  self->prompt = g_strdup ("");
  self->duration = DEFAULT_DURATION;
  self->aspect_ratio = g_strdup (DEFAULT_ASPECT_RATIO);
  self->resolution = g_strdup (DEFAULT_RESOLUTION);
  self->fps = DEFAULT_FPS;
  self->seed = -1;
  self->extra = json_object_new ();
}

TakesGenerationRequest *
takes_generation_request_new (const char *prompt)
{
  TakesGenerationRequest *self = g_object_new (TAKES_TYPE_GENERATION_REQUEST, NULL);

  takes_generation_request_set_prompt (self, prompt);

  return self;
}

TakesGenerationRequest *
takes_generation_request_copy (TakesGenerationRequest *self)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  object = takes_generation_request_to_json (self);

  return takes_generation_request_from_json (object, NULL);
}

static void
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
}

#define STRING_ACCESSORS(field)                                                  \
const char *                                                                     \
takes_generation_request_get_##field (TakesGenerationRequest *self)             \
{                                                                                \
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);              \
  return self->field;                                                            \
}                                                                                \
                                                                                 \
void                                                                             \
takes_generation_request_set_##field (TakesGenerationRequest *self,             \
                                      const char             *value)            \
{                                                                                \
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));                        \
  replace_string (&self->field, value);                                          \
}

STRING_ACCESSORS (negative_prompt)
STRING_ACCESSORS (model)
STRING_ACCESSORS (image)
STRING_ACCESSORS (end_image)
STRING_ACCESSORS (client_request_id)

#undef STRING_ACCESSORS

const char *
takes_generation_request_get_prompt (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  return self->prompt;
}

void
takes_generation_request_set_prompt (TakesGenerationRequest *self,
                                     const char             *prompt)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  replace_string (&self->prompt, prompt != NULL ? prompt : "");
}

const char *
takes_generation_request_get_aspect_ratio (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  return self->aspect_ratio;
}

void
takes_generation_request_set_aspect_ratio (TakesGenerationRequest *self,
                                           const char             *aspect_ratio)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  replace_string (&self->aspect_ratio, aspect_ratio != NULL ? aspect_ratio : DEFAULT_ASPECT_RATIO);
}

const char *
takes_generation_request_get_resolution (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  return self->resolution;
}

void
takes_generation_request_set_resolution (TakesGenerationRequest *self,
                                         const char             *resolution)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  replace_string (&self->resolution, resolution != NULL ? resolution : DEFAULT_RESOLUTION);
}

double
takes_generation_request_get_duration (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), 0);

  return self->duration;
}

void
takes_generation_request_set_duration (TakesGenerationRequest *self,
                                       double                  duration)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  self->duration = duration;
}

int
takes_generation_request_get_fps (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), 0);

  return self->fps;
}

void
takes_generation_request_set_fps (TakesGenerationRequest *self,
                                  int                     fps)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  self->fps = fps;
}

gint64
takes_generation_request_get_seed (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), -1);

  return self->seed;
}

void
takes_generation_request_set_seed (TakesGenerationRequest *self,
                                   gint64                  seed)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  self->seed = seed < 0 ? -1 : seed;
}

JsonObject *
takes_generation_request_get_extra (TakesGenerationRequest *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  return self->extra;
}

void
takes_generation_request_set_extra (TakesGenerationRequest *self,
                                    JsonObject             *extra)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));

  if (self->extra == extra)
    return;

  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra != NULL ? json_object_ref (extra) : json_object_new ();
}

const char *
takes_generation_request_get_extra_string (TakesGenerationRequest *self,
                                           const char             *name)
{
  JsonNode *node;

  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  node = json_object_get_member (self->extra, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
takes_generation_request_get_extra_int (TakesGenerationRequest *self,
                                        const char             *name,
                                        gint64                  default_value)
{
  JsonNode *node;
  GType type;

  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), default_value);

  node = json_object_get_member (self->extra, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return (gint64)json_node_get_double (node);
  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char *end = NULL;
      gint64 value = g_ascii_strtoll (str, &end, 10);

      if (end != str && *end == '\0')
        return value;
    }

  return default_value;
}

void
takes_generation_request_set_extra_string (TakesGenerationRequest *self,
                                           const char             *name,
                                           const char             *value)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    json_object_remove_member (self->extra, name);
  else
    json_object_set_string_member (self->extra, name, value);
}

void
takes_generation_request_set_extra_int (TakesGenerationRequest *self,
                                        const char             *name,
                                        gint64                  value)
{
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (self));
  g_return_if_fail (name != NULL);

  json_object_set_int_member (self->extra, name, value);
}

gboolean
takes_parse_aspect_ratio (const char *aspect_ratio,
                          int        *num,
                          int        *den)
{
  g_auto(GStrv) parts = NULL;
  gint64 n, d;

  if (aspect_ratio == NULL)
    return FALSE;

  parts = g_strsplit (aspect_ratio, ":", -1);
  if (g_strv_length (parts) != 2)
    return FALSE;

  if (!g_ascii_string_to_signed (parts[0], 10, 1, 100, &n, NULL) ||
      !g_ascii_string_to_signed (parts[1], 10, 1, 100, &d, NULL))
    return FALSE;

  if (num != NULL)
    *num = (int)n;
  if (den != NULL)
    *den = (int)d;

  return TRUE;
}

static int
round_even (double value)
{
  int rounded = (int)lround (value / 2.0) * 2;

  return MAX (rounded, 2);
}

gboolean
takes_resolve_frame_size (const char *aspect_ratio,
                          const char *resolution,
                          int        *width,
                          int        *height)
{
  g_autofree char *lower = NULL;
  gint64 w, h, short_side;
  int num, den;

  if (resolution == NULL)
    return FALSE;

  lower = g_ascii_strdown (resolution, -1);

  if (strchr (lower, 'x') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (lower, "x", -1);

      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_signed (parts[0], 10, 2, MAX_FRAME_SIDE, &w, NULL) ||
          !g_ascii_string_to_signed (parts[1], 10, 2, MAX_FRAME_SIDE, &h, NULL))
        return FALSE;

      if (width != NULL)
        *width = (int)w;
      if (height != NULL)
        *height = (int)h;

      return TRUE;
    }

  if (g_str_equal (lower, "4k"))
    short_side = 2160;
  else if (g_str_has_suffix (lower, "p"))
    {
      lower[strlen (lower) - 1] = '\0';
      if (!g_ascii_string_to_signed (lower, 10, 2, MAX_FRAME_SIDE, &short_side, NULL))
        return FALSE;
    }
  else
    return FALSE;

  if (!takes_parse_aspect_ratio (aspect_ratio, &num, &den))
    return FALSE;

  if (num >= den)
    {
      h = round_even (short_side);
      w = round_even ((double)short_side * num / den);
    }
  else
    {
      w = round_even (short_side);
      h = round_even ((double)short_side * den / num);
    }

  if (w > MAX_FRAME_SIDE || h > MAX_FRAME_SIDE)
    return FALSE;

  if (width != NULL)
    *width = (int)w;
  if (height != NULL)
    *height = (int)h;

  return TRUE;
}

int
takes_generation_request_get_width (TakesGenerationRequest *self)
{
  int width = 0;

  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), 0);

  if (!takes_resolve_frame_size (self->aspect_ratio, self->resolution, &width, NULL))
    return 0;

  return width;
}

int
takes_generation_request_get_height (TakesGenerationRequest *self)
{
  int height = 0;

  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), 0);

  if (!takes_resolve_frame_size (self->aspect_ratio, self->resolution, NULL, &height))
    return 0;

  return height;
}

gboolean
takes_generation_request_validate (TakesGenerationRequest  *self,
                                   GError                 **error)
{
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), FALSE);

  if ((self->prompt == NULL || self->prompt[0] == '\0') && self->image == NULL)
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                           _("The prompt is empty. Describe the shot, or give a first frame image."));
      return FALSE;
    }

  if (!(self->duration > 0) || self->duration > MAX_DURATION)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The duration %.2f s is not possible. Choose a length between 0 and %.0f seconds."),
                   self->duration, MAX_DURATION);
      return FALSE;
    }

  if (self->fps < 1 || self->fps > 120)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The frame rate %d is not possible. Choose between 1 and 120 frames per second."),
                   self->fps);
      return FALSE;
    }

  if (!takes_parse_aspect_ratio (self->aspect_ratio, NULL, NULL))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The aspect ratio “%s” is not understood. Write it as width:height, such as 16:9."),
                   self->aspect_ratio);
      return FALSE;
    }

  if (!takes_resolve_frame_size (self->aspect_ratio, self->resolution, NULL, NULL))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The resolution “%s” is not understood. Use 480p, 720p, 1080p, 4k or a size such as 1280x720."),
                   self->resolution);
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  /* json_node_copy() shares objects and arrays; a recorded request must
   * not change when the live one does. */
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *source = json_node_get_object (node);
      g_autoptr(JsonObject) object = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, source);
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (object, name, deep_copy_node (member));

      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (copy, object);
      return copy;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *source = json_node_get_array (node);
      g_autoptr(JsonArray) array = json_array_sized_new (json_array_get_length (source));

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (array, deep_copy_node (json_array_get_element (source, i)));

      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (copy, array);
      return copy;
    }

  return json_node_copy (node);
}

JsonObject *
takes_generation_request_to_json (TakesGenerationRequest *self)
{
  JsonObject *object;
  g_autoptr(JsonNode) extra = NULL;

  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "prompt", self->prompt);
  if (self->negative_prompt != NULL)
    json_object_set_string_member (object, "negative_prompt", self->negative_prompt);
  if (self->model != NULL)
    json_object_set_string_member (object, "model", self->model);
  json_object_set_double_member (object, "duration", self->duration);
  json_object_set_string_member (object, "aspect_ratio", self->aspect_ratio);
  json_object_set_string_member (object, "resolution", self->resolution);
  json_object_set_int_member (object, "width", takes_generation_request_get_width (self));
  json_object_set_int_member (object, "height", takes_generation_request_get_height (self));
  json_object_set_int_member (object, "fps", self->fps);
  json_object_set_int_member (object, "seed", self->seed);
  if (self->image != NULL)
    json_object_set_string_member (object, "image", self->image);
  if (self->end_image != NULL)
    json_object_set_string_member (object, "end_image", self->end_image);
  if (self->client_request_id != NULL)
    json_object_set_string_member (object, "client_request_id", self->client_request_id);

  extra = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (extra, self->extra);
  json_object_set_member (object, "extra", deep_copy_node (extra));

  return object;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The request's “%s” must be text."), name);
      return FALSE;
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));

  return TRUE;
}

static gboolean
read_number (JsonObject  *object,
             const char  *name,
             double      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      type = json_node_get_value_type (node);
      if (type == G_TYPE_INT64)
        {
          *out = (double)json_node_get_int (node);
          return TRUE;
        }
      if (type == G_TYPE_DOUBLE)
        {
          *out = json_node_get_double (node);
          return TRUE;
        }
    }

  g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
               _("The request's “%s” must be a number."), name);

  return FALSE;
}

TakesGenerationRequest *
takes_generation_request_from_json (JsonObject  *object,
                                    GError     **error)
{
  g_autoptr(TakesGenerationRequest) self = NULL;
  JsonNode *node;
  double fps = DEFAULT_FPS;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (TAKES_TYPE_GENERATION_REQUEST, NULL);

  if (!read_string (object, "prompt", &self->prompt, error) ||
      !read_string (object, "negative_prompt", &self->negative_prompt, error) ||
      !read_string (object, "model", &self->model, error) ||
      !read_string (object, "aspect_ratio", &self->aspect_ratio, error) ||
      !read_string (object, "resolution", &self->resolution, error) ||
      !read_string (object, "image", &self->image, error) ||
      !read_string (object, "end_image", &self->end_image, error) ||
      !read_string (object, "client_request_id", &self->client_request_id, error) ||
      !read_number (object, "duration", &self->duration, error) ||
      !read_number (object, "fps", &fps, error))
    return NULL;

  self->fps = (int)fps;

  /* Seeds can exceed 2^53: read them as integers, never through double. */
  node = json_object_get_member (object, "seed");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("The request's “seed” must be a whole number."));
          return NULL;
        }
      takes_generation_request_set_seed (self, json_node_get_int (node));
    }

  node = json_object_get_member (object, "extra");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autoptr(JsonNode) copy = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("The request's “extra” must be an object."));
          return NULL;
        }
      copy = deep_copy_node (node);
      takes_generation_request_set_extra (self, json_node_get_object (copy));
    }

  if (self->prompt == NULL)
    self->prompt = g_strdup ("");

  return g_steal_pointer (&self);
}
