/* takes-project-io.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-project-io"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "takes-json-guard.h"
#include "takes-model-private.h"
#include "takes-project.h"

/* Anything older than this beside a project is not a save in progress. */
#define ORPHAN_MIN_AGE_SECONDS 60
#define PROBE_MAX_DURATION     (24.0 * 3600.0)
#define PROBE_MAX_SIZE         65536
#define PROBE_MAX_FPS          1000.0
#define MAX_COST               1e9
#define MAX_SOUNDTRACK_SECONDS (24.0 * 3600.0)

/* ------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------ */

typedef struct
{
  char       *name;      /* the file, as people see it in messages */
  GError    **error;
  GHashTable *shot_ids;
  GHashTable *take_ids;
  GHashTable *clip_ids;
} Loader;

typedef enum
{
  UNIT_NONE,
  UNIT_SECONDS,
} Unit;

static const char * const project_members[] = {
  "format", "version", "title", "width", "height", "fps", "budget",
  "shots", "soundtrack", NULL
};
static const char * const shot_members[] = {
  "id", "title", "prompt", "negative", "duration", "aspect", "seed", "image",
  "params", "picked", "trim_in", "trim_out", "transition", "fit", "notes", "takes", NULL
};
static const char * const transition_members[] = { "kind", "duration", NULL };
static const char * const take_members[] = {
  "id", "backend", "model", "request", "remote_id", "client_request_id",
  "state", "progress", "error", "media", "thumbnail", "probe", "cost",
  "times", "rating", "notes", NULL
};
static const char * const probe_members[] = {
  "duration", "width", "height", "fps", "video_codec", "audio_codec", "audio", NULL
};
static const char * const cost_members[] = { "estimate", "actual", NULL };
static const char * const times_members[] = { "created", "submitted", "finished", NULL };
static const char * const clip_members[] = {
  "id", "media", "start", "in", "duration", "volume", NULL
};

static char *
field_path (const char *prefix,
            const char *field)
{
  if (prefix == NULL)
    return g_strdup (field);
  if (field == NULL)
    return g_strdup (prefix);

  return g_strconcat (prefix, ".", field, NULL);
}

G_GNUC_PRINTF (3, 4)
static gboolean
fail (Loader     *loader,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  /* @format carries the field path as its first %s, so translators can
   * put it where their language wants it. */
  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (loader->error, TAKES_PROJECT_ERROR, code,
               /* Translators: the file name, then what is wrong with it */
               _("“%s”: %s"), loader->name, detail);

  return FALSE;
}

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

static JsonNode *
get_member (JsonObject *object,
            const char *field)
{
  JsonNode *node = json_object_get_member (object, field);

  return node;
}

static gboolean
read_string (Loader      *loader,
             JsonObject  *object,
             const char  *prefix,
             const char  *field,
             gboolean     nullable,
             const char **out)
{
  JsonNode *node = get_member (object, field);
  g_autofree char *path = NULL;
  const char *str;

  if (node == NULL)
    return TRUE;

  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }

  path = field_path (prefix, field);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      if (nullable)
        return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                     _("%s must be text or null"), path);
      return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be text"), path);
    }

  str = json_node_get_string (node);
  if (strlen (str) > TAKES_PROJECT_MAX_STRING)
    return fail (loader, TAKES_PROJECT_ERROR_TOO_LARGE,
                 _("%s is longer than 1 MiB"), path);

  if (!g_utf8_validate (str, -1, NULL))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s is not valid UTF-8 text"), path);

  *out = str;

  return TRUE;
}

static gboolean
read_number (Loader     *loader,
             JsonObject *object,
             const char *prefix,
             const char *field,
             double      min,
             double      max,
             gboolean    min_exclusive,
             Unit        unit,
             gboolean    nullable,
             double     *out,
             gboolean   *is_null)
{
  JsonNode *node = get_member (object, field);
  g_autofree char *path = NULL;
  GType type;
  double value;

  if (is_null != NULL)
    *is_null = FALSE;

  if (node == NULL)
    return TRUE;

  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      if (is_null != NULL)
        *is_null = TRUE;
      return TRUE;
    }

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      value = json_node_get_double (node);
      if (isfinite (value) &&
          (min_exclusive ? value > min : value >= min) &&
          value <= max)
        {
          *out = value;
          return TRUE;
        }
    }

  {
    g_autofree char *lo = format_number (min);
    g_autofree char *hi = format_number (max);

    path = field_path (prefix, field);

    if (unit == UNIT_SECONDS)
      return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                   _("%s must be a number between %s and %s seconds"), path, lo, hi);

    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s must be a number between %s and %s"), path, lo, hi);
  }
}

static gboolean
read_int (Loader     *loader,
          JsonObject *object,
          const char *prefix,
          const char *field,
          gint64      min,
          gint64      max,
          gboolean    nullable,
          gint64     *out,
          gboolean   *is_null)
{
  JsonNode *node = get_member (object, field);
  g_autofree char *path = NULL;

  if (is_null != NULL)
    *is_null = FALSE;

  if (node == NULL)
    return TRUE;

  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      if (is_null != NULL)
        *is_null = TRUE;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value >= min && value <= max)
        {
          *out = value;
          return TRUE;
        }
    }

  path = field_path (prefix, field);

  if (max == G_MAXINT64)
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s must be a whole number of at least %lld"), path, (long long) min);

  return fail (loader, TAKES_PROJECT_ERROR_INVALID,
               _("%s must be a whole number between %lld and %lld"),
               path, (long long) min, (long long) max);
}

static gboolean
read_bool (Loader     *loader,
           JsonObject *object,
           const char *prefix,
           const char *field,
           gboolean   *out)
{
  JsonNode *node = get_member (object, field);
  g_autofree char *path = NULL;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }

  path = field_path (prefix, field);

  return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be true or false"), path);
}

static gboolean
read_object (Loader      *loader,
             JsonObject  *object,
             const char  *prefix,
             const char  *field,
             gboolean     nullable,
             JsonObject **out)
{
  JsonNode *node = get_member (object, field);
  g_autofree char *path = NULL;

  *out = NULL;

  if (node == NULL || (nullable && JSON_NODE_HOLDS_NULL (node)))
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      *out = json_node_get_object (node);
      return TRUE;
    }

  path = field_path (prefix, field);

  if (nullable)
    return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be an object or null"), path);

  return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be an object"), path);
}

static gboolean
read_array (Loader      *loader,
            JsonObject  *object,
            const char  *prefix,
            const char  *field,
            JsonArray  **out)
{
  JsonNode *node = get_member (object, field);
  g_autofree char *path = NULL;

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      *out = json_node_get_array (node);
      return TRUE;
    }

  path = field_path (prefix, field);

  return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be a list"), path);
}

static gboolean
read_path (Loader      *loader,
           JsonObject  *object,
           const char  *prefix,
           const char  *field,
           gboolean     nullable,
           const char **out)
{
  const char *value = NULL;
  g_autofree char *path = NULL;

  if (!read_string (loader, object, prefix, field, nullable, &value))
    return FALSE;

  /* Only present members are checked; the default stays. */
  if (get_member (object, field) == NULL)
    return TRUE;

  if (value == NULL || value[0] == '\0')
    {
      if (nullable)
        {
          *out = NULL;
          return TRUE;
        }
    }
  else if (_takes_relative_path_is_safe (value))
    {
      *out = value;
      return TRUE;
    }

  path = field_path (prefix, field);

  /* Media must stay in the project's folder: a file must not be able to
   * make Takes read, upload or overwrite anything else. */
  return fail (loader, TAKES_PROJECT_ERROR_INVALID,
               _("%s must be a relative path inside the project’s folder"), path);
}

static gboolean
read_id (Loader      *loader,
         JsonObject  *object,
         const char  *prefix,
         GHashTable  *seen,
         const char **out)
{
  const char *value = NULL;
  g_autofree char *path = NULL;

  if (!read_string (loader, object, prefix, "id", FALSE, &value))
    return FALSE;

  /* A missing id gets a fresh one; nothing can refer to it. */
  if (value == NULL)
    return TRUE;

  path = field_path (prefix, "id");

  if (!_takes_id_is_valid (value))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s must be 1 to %d letters, digits, “-” or “_”"), path, TAKES_ID_MAX_LENGTH);

  if (!g_hash_table_add (seen, (gpointer) value))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s repeats the id “%s”"), path, value);

  *out = value;

  return TRUE;
}

static gboolean
is_known (const char * const *known,
          const char         *name)
{
  for (guint i = 0; known[i] != NULL; i++)
    {
      if (strcmp (known[i], name) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The members a newer Takes wrote and this one does not know; NULL if none */
static JsonObject *
collect_extra (JsonObject         *object,
               const char * const *known)
{
  JsonObject *extra = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (is_known (known, name))
        continue;

      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, name, json_node_copy (node));
    }

  return extra;
}

static void
take_extra (JsonObject         *object,
            const char * const *known,
            gpointer            target,
            void              (*setter) (gpointer, const char *, JsonObject *),
            const char         *section)
{
  g_autoptr(JsonObject) extra = collect_extra (object, known);

  if (extra != NULL)
    setter (target, section, extra);
}

static gboolean
load_take (Loader      *loader,
           JsonNode    *node,
           const char  *prefix,
           TakesTake  **out)
{
  g_autoptr(TakesTake) take = NULL;
  JsonObject *object;
  JsonObject *section;
  const char *str;
  double number;
  gint64 integer;
  gboolean is_null;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be an object"), prefix);

  object = json_node_get_object (node);
  take = g_object_new (TAKES_TYPE_TAKE, NULL);

  str = NULL;
  if (!read_id (loader, object, prefix, loader->take_ids, &str))
    return FALSE;
  if (str != NULL)
    takes_take_set_id (take, str);

  str = "";
  if (!read_string (loader, object, prefix, "backend", FALSE, &str))
    return FALSE;
  takes_take_set_backend (take, str);

  str = "";
  if (!read_string (loader, object, prefix, "model", FALSE, &str))
    return FALSE;
  takes_take_set_model (take, str);

  if (!read_object (loader, object, prefix, "request", TRUE, &section))
    return FALSE;
  if (section != NULL)
    takes_take_set_request (take, section);

  str = NULL;
  if (!read_string (loader, object, prefix, "remote_id", TRUE, &str))
    return FALSE;
  takes_take_set_remote_id (take, str);

  str = NULL;
  if (!read_string (loader, object, prefix, "client_request_id", TRUE, &str))
    return FALSE;
  takes_take_set_client_request_id (take, str);

  str = NULL;
  if (!read_string (loader, object, prefix, "state", FALSE, &str))
    return FALSE;
  if (str != NULL)
    {
      TakesTakeState state;

      if (!takes_take_state_from_string (str, &state))
        {
          g_autofree char *path = field_path (prefix, "state");

          return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                       _("%s must be one of “draft”, “submitting”, “queued”, “running”, "
                         "“downloading”, “ready”, “failed”, “canceled” or “unknown”"), path);
        }
      takes_take_set_state (take, state);
    }

  number = 0;
  if (!read_number (loader, object, prefix, "progress", 0, 1, FALSE, UNIT_NONE, FALSE, &number, NULL))
    return FALSE;
  takes_take_set_progress (take, number);

  str = NULL;
  if (!read_string (loader, object, prefix, "error", TRUE, &str))
    return FALSE;
  takes_take_set_error (take, str);

  str = NULL;
  if (!read_path (loader, object, prefix, "media", TRUE, &str))
    return FALSE;
  takes_take_set_media (take, str);

  str = NULL;
  if (!read_path (loader, object, prefix, "thumbnail", TRUE, &str))
    return FALSE;
  takes_take_set_thumbnail (take, str);

  if (!read_object (loader, object, prefix, "probe", TRUE, &section))
    return FALSE;
  if (section != NULL)
    {
      g_autofree char *sub = field_path (prefix, "probe");
      double duration = 0, fps = 0;
      gint64 width = 0, height = 0;
      const char *video_codec = NULL, *audio_codec = NULL;
      gboolean audio = FALSE;

      if (!read_number (loader, section, sub, "duration", 0, PROBE_MAX_DURATION, FALSE,
                        UNIT_SECONDS, FALSE, &duration, NULL) ||
          !read_int (loader, section, sub, "width", 0, PROBE_MAX_SIZE, FALSE, &width, NULL) ||
          !read_int (loader, section, sub, "height", 0, PROBE_MAX_SIZE, FALSE, &height, NULL) ||
          !read_number (loader, section, sub, "fps", 0, PROBE_MAX_FPS, FALSE,
                        UNIT_NONE, FALSE, &fps, NULL) ||
          !read_string (loader, section, sub, "video_codec", TRUE, &video_codec) ||
          !read_string (loader, section, sub, "audio_codec", TRUE, &audio_codec) ||
          !read_bool (loader, section, sub, "audio", &audio))
        return FALSE;

      takes_take_set_probe (take, duration, (int) width, (int) height, fps,
                            video_codec, audio_codec, audio);
      take_extra (section, probe_members, take, (gpointer) _takes_take_set_extra, "probe");
    }

  if (!read_object (loader, object, prefix, "cost", TRUE, &section))
    return FALSE;
  if (section != NULL)
    {
      g_autofree char *sub = field_path (prefix, "cost");
      double estimate = -1, actual = -1;

      if (!read_number (loader, section, sub, "estimate", 0, MAX_COST, FALSE,
                        UNIT_NONE, TRUE, &estimate, &is_null))
        return FALSE;
      if (is_null)
        estimate = -1;

      if (!read_number (loader, section, sub, "actual", 0, MAX_COST, FALSE,
                        UNIT_NONE, TRUE, &actual, &is_null))
        return FALSE;
      if (is_null)
        actual = -1;

      takes_take_set_cost_estimate (take, estimate);
      takes_take_set_cost_actual (take, actual);
      take_extra (section, cost_members, take, (gpointer) _takes_take_set_extra, "cost");
    }

  if (!read_object (loader, object, prefix, "times", TRUE, &section))
    return FALSE;
  if (section != NULL)
    {
      g_autofree char *sub = field_path (prefix, "times");
      static const char * const names[] = { "created", "submitted", "finished" };
      gint64 values[3] = { 0, 0, 0 };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          if (!read_int (loader, section, sub, names[i], 0, G_MAXINT64, TRUE, &values[i], &is_null))
            return FALSE;
          if (is_null)
            values[i] = 0;
        }

      takes_take_set_created (take, values[0]);
      takes_take_set_submitted (take, values[1]);
      takes_take_set_finished (take, values[2]);
      take_extra (section, times_members, take, (gpointer) _takes_take_set_extra, "times");
    }

  integer = 0;
  if (!read_int (loader, object, prefix, "rating", 0, 5, FALSE, &integer, NULL))
    return FALSE;
  takes_take_set_rating (take, (int) integer);

  str = "";
  if (!read_string (loader, object, prefix, "notes", FALSE, &str))
    return FALSE;
  takes_take_set_notes (take, str);

  take_extra (object, take_members, take, (gpointer) _takes_take_set_extra, NULL);

  *out = g_steal_pointer (&take);

  return TRUE;
}

static gboolean
load_shot (Loader      *loader,
           JsonNode    *node,
           const char  *prefix,
           TakesShot  **out)
{
  g_autoptr(TakesShot) shot = NULL;
  JsonObject *object;
  JsonObject *section;
  JsonArray *takes;
  const char *str;
  const char *picked = NULL;
  double number;
  gint64 integer;
  gboolean is_null;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be an object"), prefix);

  object = json_node_get_object (node);
  shot = takes_shot_new ();

  /* One "changed" for the whole shot rather than one per field. */
  g_object_freeze_notify (G_OBJECT (shot));

  str = NULL;
  if (!read_id (loader, object, prefix, loader->shot_ids, &str))
    return FALSE;
  if (str != NULL)
    takes_shot_set_id (shot, str);

  str = "";
  if (!read_string (loader, object, prefix, "title", FALSE, &str))
    return FALSE;
  takes_shot_set_title (shot, str);

  str = "";
  if (!read_string (loader, object, prefix, "prompt", FALSE, &str))
    return FALSE;
  takes_shot_set_prompt (shot, str);

  str = "";
  if (!read_string (loader, object, prefix, "negative", FALSE, &str))
    return FALSE;
  takes_shot_set_negative_prompt (shot, str);

  number = TAKES_SHOT_DEFAULT_DURATION;
  if (!read_number (loader, object, prefix, "duration", 0, TAKES_SHOT_MAX_DURATION, TRUE,
                    UNIT_SECONDS, FALSE, &number, NULL))
    return FALSE;
  takes_shot_set_duration (shot, number);

  str = TAKES_SHOT_DEFAULT_ASPECT;
  if (!read_string (loader, object, prefix, "aspect", FALSE, &str))
    return FALSE;
  if (!_takes_aspect_is_valid (str))
    {
      g_autofree char *path = field_path (prefix, "aspect");

      return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                   _("%s must be an aspect ratio such as “16:9”"), path);
    }
  takes_shot_set_aspect (shot, str);

  integer = -1;
  if (!read_int (loader, object, prefix, "seed", 0, G_MAXINT64, TRUE, &integer, &is_null))
    return FALSE;
  takes_shot_set_seed (shot, is_null ? -1 : integer);

  str = NULL;
  if (!read_path (loader, object, prefix, "image", TRUE, &str))
    return FALSE;
  takes_shot_set_reference_image (shot, str);

  if (!read_object (loader, object, prefix, "params", TRUE, &section))
    return FALSE;
  if (section != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, section);
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (!JSON_NODE_HOLDS_OBJECT (member))
            {
              g_autofree char *sub = field_path (prefix, "params");
              g_autofree char *path = field_path (sub, name);

              return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                           _("%s must be an object"), path);
            }
        }

      takes_shot_set_backend_params (shot, section);
    }

  if (!read_string (loader, object, prefix, "picked", TRUE, &picked))
    return FALSE;

  number = 0;
  if (!read_number (loader, object, prefix, "trim_in", 0, TAKES_SHOT_MAX_DURATION, FALSE,
                    UNIT_SECONDS, FALSE, &number, NULL))
    return FALSE;
  takes_shot_set_trim_in (shot, number);

  number = 0;
  if (!read_number (loader, object, prefix, "trim_out", 0, TAKES_SHOT_MAX_DURATION, FALSE,
                    UNIT_SECONDS, FALSE, &number, NULL))
    return FALSE;
  takes_shot_set_trim_out (shot, number);

  if (!read_object (loader, object, prefix, "transition", TRUE, &section))
    return FALSE;
  if (section != NULL)
    {
      g_autofree char *sub = field_path (prefix, "transition");

      str = "cut";
      if (!read_string (loader, section, sub, "kind", FALSE, &str))
        return FALSE;

      if (g_str_equal (str, "cut"))
        takes_shot_set_transition (shot, TAKES_TRANSITION_CUT);
      else if (g_str_equal (str, "crossfade"))
        takes_shot_set_transition (shot, TAKES_TRANSITION_CROSSFADE);
      else
        {
          g_autofree char *path = field_path (sub, "kind");

          return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                       _("%s must be “cut” or “crossfade”"), path);
        }

      number = 0;
      if (!read_number (loader, section, sub, "duration", 0, TAKES_SHOT_MAX_DURATION, FALSE,
                        UNIT_SECONDS, FALSE, &number, NULL))
        return FALSE;
      takes_shot_set_transition_duration (shot, number);

      take_extra (section, transition_members, shot, (gpointer) _takes_shot_set_extra, "transition");
    }

  str = "letterbox";
  if (!read_string (loader, object, prefix, "fit", FALSE, &str))
    return FALSE;
  if (g_str_equal (str, "letterbox"))
    takes_shot_set_fit (shot, TAKES_SHOT_FIT_LETTERBOX);
  else if (g_str_equal (str, "fill"))
    takes_shot_set_fit (shot, TAKES_SHOT_FIT_FILL);
  else
    {
      g_autofree char *path = field_path (prefix, "fit");

      return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                   _("%s must be “letterbox” or “fill”"), path);
    }

  str = "";
  if (!read_string (loader, object, prefix, "notes", FALSE, &str))
    return FALSE;
  takes_shot_set_notes (shot, str);

  if (!read_array (loader, object, prefix, "takes", &takes))
    return FALSE;
  if (takes != NULL)
    {
      guint n = json_array_get_length (takes);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s.takes[%u]", prefix, i);
          g_autoptr(TakesTake) take = NULL;

          if (!load_take (loader, json_array_get_element (takes, i), sub, &take))
            return FALSE;

          takes_shot_add_take (shot, take);
        }
    }

  if (picked != NULL)
    {
      if (takes_shot_find_take (shot, picked) == NULL)
        {
          g_autofree char *path = field_path (prefix, "picked");

          return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                       _("%s names a take “%s” that this shot does not have"), path, picked);
        }

      takes_shot_set_picked_take_id (shot, picked);
    }

  take_extra (object, shot_members, shot, (gpointer) _takes_shot_set_extra, NULL);

  g_object_thaw_notify (G_OBJECT (shot));

  *out = g_steal_pointer (&shot);

  return TRUE;
}

static gboolean
load_clip (Loader               *loader,
           JsonNode             *node,
           const char           *prefix,
           TakesSoundtrackClip **out)
{
  g_autoptr(TakesSoundtrackClip) clip = NULL;
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *object;
  const char *str = NULL;
  double number;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID, _("%s must be an object"), prefix);

  object = json_node_get_object (node);
  clip = g_object_new (TAKES_TYPE_SOUNDTRACK_CLIP, NULL);

  if (!read_id (loader, object, prefix, loader->clip_ids, &str))
    return FALSE;
  if (str != NULL)
    takes_soundtrack_clip_set_id (clip, str);

  str = NULL;
  if (!read_path (loader, object, prefix, "media", FALSE, &str))
    return FALSE;
  if (str == NULL)
    {
      g_autofree char *path = field_path (prefix, "media");

      return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                   _("%s must be a relative path inside the project’s folder"), path);
    }
  takes_soundtrack_clip_set_media (clip, str);

  number = 0;
  if (!read_number (loader, object, prefix, "start", 0, MAX_SOUNDTRACK_SECONDS, FALSE,
                    UNIT_SECONDS, FALSE, &number, NULL))
    return FALSE;
  takes_soundtrack_clip_set_start (clip, number);

  number = 0;
  if (!read_number (loader, object, prefix, "in", 0, MAX_SOUNDTRACK_SECONDS, FALSE,
                    UNIT_SECONDS, FALSE, &number, NULL))
    return FALSE;
  takes_soundtrack_clip_set_inpoint (clip, number);

  number = 0;
  if (!read_number (loader, object, prefix, "duration", 0, MAX_SOUNDTRACK_SECONDS, FALSE,
                    UNIT_SECONDS, FALSE, &number, NULL))
    return FALSE;
  takes_soundtrack_clip_set_duration (clip, number);

  number = 1.0;
  if (!read_number (loader, object, prefix, "volume", 0, 2, FALSE,
                    UNIT_NONE, FALSE, &number, NULL))
    return FALSE;
  takes_soundtrack_clip_set_volume (clip, number);

  extra = collect_extra (object, clip_members);
  if (extra != NULL)
    _takes_soundtrack_clip_set_extra (clip, extra);

  *out = g_steal_pointer (&clip);

  return TRUE;
}

static gboolean
load_project (Loader        *loader,
              JsonNode      *root,
              TakesProject **out)
{
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *object;
  JsonArray *array;
  const char *str = NULL;
  gint64 version = 0;
  gint64 width, height;
  double number;
  gboolean is_null;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 "%s", _("not a Takes project (the file does not hold a JSON object)"));

  object = json_node_get_object (root);

  if (!read_string (loader, object, NULL, "format", FALSE, &str))
    return FALSE;
  if (str == NULL || !g_str_equal (str, TAKES_PROJECT_FORMAT))
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("not a Takes project (%s must be “%s”)"), "format", TAKES_PROJECT_FORMAT);

  if (get_member (object, "version") == NULL)
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s is missing"), "version");
  if (!read_int (loader, object, NULL, "version", 1, G_MAXINT64, FALSE, &version, NULL))
    return FALSE;
  if (version > TAKES_PROJECT_VERSION)
    {
      g_set_error (loader->error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_NEW,
                   _("“%s” was saved by a newer version of Takes (file format %lld; "
                     "this version reads up to %d). Update Takes to open it."),
                   loader->name, (long long) version, TAKES_PROJECT_VERSION);
      return FALSE;
    }

  project = takes_project_new ();

  str = "";
  if (!read_string (loader, object, NULL, "title", FALSE, &str))
    return FALSE;
  takes_project_set_title (project, str);

  width = TAKES_PROJECT_DEFAULT_WIDTH;
  height = TAKES_PROJECT_DEFAULT_HEIGHT;
  if (!read_int (loader, object, NULL, "width", 16, 8192, FALSE, &width, NULL) ||
      !read_int (loader, object, NULL, "height", 16, 8192, FALSE, &height, NULL))
    return FALSE;
  if (width % 2 != 0)
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s must be an even number"), "width");
  if (height % 2 != 0)
    return fail (loader, TAKES_PROJECT_ERROR_INVALID,
                 _("%s must be an even number"), "height");
  takes_project_set_size (project, (int) width, (int) height);

  number = TAKES_PROJECT_DEFAULT_FPS;
  if (!read_number (loader, object, NULL, "fps", 1, 240, FALSE, UNIT_NONE, FALSE, &number, NULL))
    return FALSE;
  takes_project_set_fps (project, number);

  number = 0;
  if (!read_number (loader, object, NULL, "budget", 0, MAX_COST, FALSE,
                    UNIT_NONE, TRUE, &number, &is_null))
    return FALSE;
  takes_project_set_budget (project, is_null ? 0 : number);

  if (!read_array (loader, object, NULL, "shots", &array))
    return FALSE;
  if (array != NULL)
    {
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *prefix = g_strdup_printf ("shots[%u]", i);
          g_autoptr(TakesShot) shot = NULL;

          if (!load_shot (loader, json_array_get_element (array, i), prefix, &shot))
            return FALSE;

          takes_project_append_shot (project, shot);
        }
    }

  if (!read_array (loader, object, NULL, "soundtrack", &array))
    return FALSE;
  if (array != NULL)
    {
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *prefix = g_strdup_printf ("soundtrack[%u]", i);
          g_autoptr(TakesSoundtrackClip) clip = NULL;

          if (!load_clip (loader, json_array_get_element (array, i), prefix, &clip))
            return FALSE;

          takes_project_add_soundtrack_clip (project, clip);
        }
    }

  extra = collect_extra (object, project_members);
  if (extra != NULL)
    _takes_project_set_extra (project, extra);

  *out = g_steal_pointer (&project);

  return TRUE;
}

static char *
display_name (GFile *file)
{
  g_autofree char *basename = NULL;

  if (file == NULL)
    return g_strdup (_("project"));

  basename = g_file_get_basename (file);
  if (basename == NULL)
    return g_file_get_parse_name (file);

  return g_filename_display_name (basename);
}

TakesProject *
takes_project_load_from_data (const char  *data,
                              gsize        length,
                              GFile       *file,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TakesProject) project = NULL;
  g_autofree char *name = NULL;
  Loader loader = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = display_name (file);

  root = takes_json_guard_parse (data, length,
                                 TAKES_PROJECT_MAX_DEPTH, TAKES_PROJECT_MAX_FILE_SIZE,
                                 &local_error);
  if (root == NULL)
    {
      if (g_error_matches (local_error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_DEEP))
        g_set_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_LARGE,
                     _("“%s”: the file is nested more than %d levels deep"),
                     name, TAKES_PROJECT_MAX_DEPTH);
      else if (g_error_matches (local_error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_LARGE))
        g_set_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_LARGE,
                     _("“%s”: the file is larger than 256 MiB"), name);
      else if (length == 0)
        g_set_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_INVALID,
                     _("“%s”: the file is empty"), name);
      else
        g_set_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_INVALID,
                     _("“%s”: not a Takes project (%s)"), name, local_error->message);
      return NULL;
    }

  loader.name = name;
  loader.error = error;
  loader.shot_ids = g_hash_table_new (g_str_hash, g_str_equal);
  loader.take_ids = g_hash_table_new (g_str_hash, g_str_equal);
  loader.clip_ids = g_hash_table_new (g_str_hash, g_str_equal);

  if (!load_project (&loader, root, &project))
    g_clear_object (&project);

  g_hash_table_unref (loader.shot_ids);
  g_hash_table_unref (loader.take_ids);
  g_hash_table_unref (loader.clip_ids);

  if (project == NULL)
    return NULL;

  takes_project_set_file (project, file);
  takes_project_set_modified (project, FALSE);

  return g_steal_pointer (&project);
}

/* Reads at most @max_size bytes; a longer file (or an endless one such as
 * a device) is refused without reading it all. */
static GBytes *
read_capped (GFile         *file,
             gsize          max_size,
             GCancellable  *cancellable,
             gboolean      *too_large,
             GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  gsize length = 0;

  *too_large = FALSE;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  buffer = g_byte_array_new ();

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      goffset size = g_file_info_get_size (info);

      if (size > (goffset) max_size)
        {
          *too_large = TRUE;
          return NULL;
        }

      g_byte_array_set_size (buffer, (guint) size + 1);
    }

  if (buffer->len < 65536)
    g_byte_array_set_size (buffer, 65536);

  for (;;)
    {
      gssize n;

      if (length == buffer->len)
        g_byte_array_set_size (buffer, (guint) MIN ((gsize) buffer->len * 2, max_size + 2));

      n = g_input_stream_read (G_INPUT_STREAM (stream),
                               buffer->data + length, buffer->len - length,
                               cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;

      length += (gsize) n;
      if (length > max_size)
        {
          *too_large = TRUE;
          return NULL;
        }
    }

  g_byte_array_set_size (buffer, (guint) length);

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

TakesProject *
takes_project_load (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gboolean too_large = FALSE;
  const char *data;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = read_capped (file, TAKES_PROJECT_MAX_FILE_SIZE, cancellable, &too_large, error);
  if (bytes == NULL)
    {
      if (too_large)
        {
          g_autofree char *name = display_name (file);
          g_autofree char *size = g_format_size_full (TAKES_PROJECT_MAX_FILE_SIZE,
                                                      G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_LARGE,
                       _("“%s”: the file is larger than %s"), name, size);
        }
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);

  return takes_project_load_from_data (data != NULL ? data : "", length, file, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GError) error = NULL;
  TakesProject *project;

  project = takes_project_load (file, cancellable, &error);
  if (project == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, project, g_object_unref);
}

void
takes_project_load_async (GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_project_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

TakesProject *
takes_project_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == takes_project_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Saving
 * ------------------------------------------------------------------------ */

typedef struct
{
  GString *out;
  guint    depth;
  gboolean first[TAKES_PROJECT_MAX_DEPTH + 2];
} Writer;

static void
w_newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->out, "  ");
}

static void
w_begin (Writer *w,
         char    bracket)
{
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->first[w->depth] = TRUE;
}

static void
w_end (Writer *w,
       char    bracket)
{
  gboolean empty = w->first[w->depth];

  w->depth--;
  if (!empty)
    w_newline (w);
  g_string_append_c (w->out, bracket);
}

static void
w_item (Writer *w)
{
  if (!w->first[w->depth])
    g_string_append_c (w->out, ',');
  w->first[w->depth] = FALSE;
  w_newline (w);
}

static void
w_string_raw (Writer     *w,
              const char *str)
{
  g_autofree char *valid = NULL;
  gsize len = strlen (str);

  /* Whatever sits in memory, the file must load again: valid UTF-8 and no
   * string above the loader's cap. */
  if (!g_utf8_validate (str, -1, NULL))
    str = valid = g_utf8_make_valid (str, -1);

  len = strlen (str);
  if (len > TAKES_PROJECT_MAX_STRING)
    {
      const char *end = g_utf8_find_prev_char (str, str + TAKES_PROJECT_MAX_STRING + 1);

      len = end != NULL ? (gsize) (end - str) : 0;
    }

  g_string_append_c (w->out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) str[i];

      switch (c)
        {
        case '"':
          g_string_append (w->out, "\\\"");
          break;
        case '\\':
          g_string_append (w->out, "\\\\");
          break;
        case '\n':
          g_string_append (w->out, "\\n");
          break;
        case '\r':
          g_string_append (w->out, "\\r");
          break;
        case '\t':
          g_string_append (w->out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (w->out, "\\u%04x", c);
          else
            g_string_append_c (w->out, (char) c);
        }
    }
  g_string_append_c (w->out, '"');
}

static void
w_key (Writer     *w,
       const char *name)
{
  w_item (w);
  w_string_raw (w, name);
  g_string_append (w->out, ": ");
}

static void
w_double_raw (Writer *w,
              double  value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0;

  /* The shortest of %.15g and %.17g that reads back as the same double,
   * so 0.1 is written "0.1" and the round trip stays exact. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);

  g_string_append (w->out, buf);
}

static void
m_string (Writer     *w,
          const char *name,
          const char *value)
{
  w_key (w, name);
  if (value == NULL)
    g_string_append (w->out, "null");
  else
    w_string_raw (w, value);
}

static void
m_path (Writer     *w,
        const char *name,
        const char *value)
{
  /* A path the loader would refuse is dropped rather than making the whole
   * file unreadable. */
  if (value != NULL && !_takes_relative_path_is_safe (value))
    value = NULL;

  m_string (w, name, value);
}

static void
m_double (Writer     *w,
          const char *name,
          double      value)
{
  w_key (w, name);
  w_double_raw (w, value);
}

static void
m_int (Writer     *w,
       const char *name,
       gint64      value)
{
  w_key (w, name);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
}

static void
m_bool (Writer     *w,
        const char *name,
        gboolean    value)
{
  w_key (w, name);
  g_string_append (w->out, value ? "true" : "false");
}

static void
m_null (Writer     *w,
        const char *name)
{
  w_key (w, name);
  g_string_append (w->out, "null");
}

static void w_node (Writer   *w,
                    JsonNode *node);

static void
w_object_members (Writer     *w,
                  JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      w_key (w, name);
      w_node (w, node);
    }
}

static void
w_node (Writer   *w,
        JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      /* Deeper than the loader accepts would make the file unreadable. */
      if (w->depth >= TAKES_PROJECT_MAX_DEPTH)
        {
          g_string_append (w->out, "null");
          break;
        }
      w_begin (w, '{');
      w_object_members (w, json_node_get_object (node));
      w_end (w, '}');
      break;

    case JSON_NODE_ARRAY:
      if (w->depth >= TAKES_PROJECT_MAX_DEPTH)
        {
          g_string_append (w->out, "null");
          break;
        }
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        w_begin (w, '[');
        for (guint i = 0; i < n; i++)
          {
            w_item (w);
            w_node (w, json_array_get_element (array, i));
          }
        w_end (w, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          w_string_raw (w, json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          g_string_append_printf (w->out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          w_double_raw (w, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (w->out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          g_string_append (w->out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (w->out, "null");
      break;
    }
}

static void
m_object (Writer     *w,
          const char *name,
          JsonObject *object)
{
  w_key (w, name);

  if (object == NULL || w->depth >= TAKES_PROJECT_MAX_DEPTH)
    {
      g_string_append (w->out, "null");
      return;
    }

  w_begin (w, '{');
  w_object_members (w, object);
  w_end (w, '}');
}

static void
m_cost (Writer     *w,
        const char *name,
        double      cost)
{
  if (cost < 0)
    m_null (w, name);
  else
    m_double (w, name, cost);
}

static void
write_take (Writer     *w,
            TakesTake  *take,
            GHashTable *ids)
{
  const char *id = takes_take_get_id (take);
  g_autofree char *fresh_id = NULL;

  /* Duplicates can only come from a bug; a new id keeps the file loadable. */
  if (!_takes_id_is_valid (id) || !g_hash_table_add (ids, (gpointer) id))
    id = fresh_id = _takes_new_id ('t');

  w_begin (w, '{');
  m_string (w, "id", id);
  m_string (w, "backend", takes_take_get_backend (take));
  m_string (w, "model", takes_take_get_model (take));
  m_object (w, "request", takes_take_get_request (take));
  m_string (w, "remote_id", takes_take_get_remote_id (take));
  m_string (w, "client_request_id", takes_take_get_client_request_id (take));
  m_string (w, "state", takes_take_state_to_string (takes_take_get_state (take)));
  m_double (w, "progress", takes_take_get_progress (take));
  m_string (w, "error", takes_take_get_error (take));
  m_path (w, "media", takes_take_get_media (take));
  m_path (w, "thumbnail", takes_take_get_thumbnail (take));

  w_key (w, "probe");
  w_begin (w, '{');
  m_double (w, "duration", MIN (takes_take_get_duration (take), PROBE_MAX_DURATION));
  m_int (w, "width", MIN (takes_take_get_width (take), PROBE_MAX_SIZE));
  m_int (w, "height", MIN (takes_take_get_height (take), PROBE_MAX_SIZE));
  m_double (w, "fps", MIN (takes_take_get_fps (take), PROBE_MAX_FPS));
  m_string (w, "video_codec", takes_take_get_video_codec (take));
  m_string (w, "audio_codec", takes_take_get_audio_codec (take));
  m_bool (w, "audio", takes_take_get_has_audio (take));
  w_object_members (w, _takes_take_get_extra (take, "probe"));
  w_end (w, '}');

  w_key (w, "cost");
  w_begin (w, '{');
  m_cost (w, "estimate", MIN (takes_take_get_cost_estimate (take), MAX_COST));
  m_cost (w, "actual", MIN (takes_take_get_cost_actual (take), MAX_COST));
  w_object_members (w, _takes_take_get_extra (take, "cost"));
  w_end (w, '}');

  w_key (w, "times");
  w_begin (w, '{');
  m_int (w, "created", takes_take_get_created (take));
  m_int (w, "submitted", takes_take_get_submitted (take));
  m_int (w, "finished", takes_take_get_finished (take));
  w_object_members (w, _takes_take_get_extra (take, "times"));
  w_end (w, '}');

  m_int (w, "rating", takes_take_get_rating (take));
  m_string (w, "notes", takes_take_get_notes (take));
  w_object_members (w, _takes_take_get_extra (take, NULL));
  w_end (w, '}');
}

static void
write_shot (Writer     *w,
            TakesShot  *shot,
            GHashTable *shot_ids,
            GHashTable *take_ids)
{
  const char *id = takes_shot_get_id (shot);
  g_autofree char *fresh_id = NULL;
  GListModel *takes = takes_shot_get_takes (shot);
  guint n_takes = g_list_model_get_n_items (takes);
  const char *picked = takes_shot_get_picked_take_id (shot);
  gint64 seed = takes_shot_get_seed (shot);

  if (!_takes_id_is_valid (id) || !g_hash_table_add (shot_ids, (gpointer) id))
    id = fresh_id = _takes_new_id ('s');

  if (picked != NULL && takes_shot_find_take (shot, picked) == NULL)
    picked = NULL;

  w_begin (w, '{');
  m_string (w, "id", id);
  m_string (w, "title", takes_shot_get_title (shot));
  m_string (w, "prompt", takes_shot_get_prompt (shot));
  m_string (w, "negative", takes_shot_get_negative_prompt (shot));
  m_double (w, "duration", takes_shot_get_duration (shot));
  m_string (w, "aspect", takes_shot_get_aspect (shot));
  if (seed < 0)
    m_null (w, "seed");
  else
    m_int (w, "seed", seed);
  m_path (w, "image", takes_shot_get_reference_image (shot));
  m_object (w, "params", takes_shot_get_backend_params (shot));
  m_string (w, "picked", picked);
  m_double (w, "trim_in", MIN (takes_shot_get_trim_in (shot), TAKES_SHOT_MAX_DURATION));
  m_double (w, "trim_out", MIN (takes_shot_get_trim_out (shot), TAKES_SHOT_MAX_DURATION));

  w_key (w, "transition");
  w_begin (w, '{');
  m_string (w, "kind",
            takes_shot_get_transition (shot) == TAKES_TRANSITION_CROSSFADE ? "crossfade" : "cut");
  m_double (w, "duration", takes_shot_get_transition_duration (shot));
  w_object_members (w, _takes_shot_get_extra (shot, "transition"));
  w_end (w, '}');

  m_string (w, "fit", takes_shot_get_fit (shot) == TAKES_SHOT_FIT_FILL ? "fill" : "letterbox");
  m_string (w, "notes", takes_shot_get_notes (shot));

  w_key (w, "takes");
  w_begin (w, '[');
  for (guint i = 0; i < n_takes; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      w_item (w);
      write_take (w, take, take_ids);
    }
  w_end (w, ']');

  w_object_members (w, _takes_shot_get_extra (shot, NULL));
  w_end (w, '}');
}

static void
write_clip (Writer              *w,
            TakesSoundtrackClip *clip,
            GHashTable          *ids)
{
  const char *id = takes_soundtrack_clip_get_id (clip);
  g_autofree char *fresh_id = NULL;

  if (!_takes_id_is_valid (id) || !g_hash_table_add (ids, (gpointer) id))
    id = fresh_id = _takes_new_id ('a');

  w_begin (w, '{');
  m_string (w, "id", id);
  m_path (w, "media", takes_soundtrack_clip_get_media (clip));
  m_double (w, "start", MIN (takes_soundtrack_clip_get_start (clip), MAX_SOUNDTRACK_SECONDS));
  m_double (w, "in", MIN (takes_soundtrack_clip_get_inpoint (clip), MAX_SOUNDTRACK_SECONDS));
  m_double (w, "duration", MIN (takes_soundtrack_clip_get_duration (clip), MAX_SOUNDTRACK_SECONDS));
  m_double (w, "volume", takes_soundtrack_clip_get_volume (clip));
  w_object_members (w, _takes_soundtrack_clip_get_extra (clip));
  w_end (w, '}');
}

char *
takes_project_to_data (TakesProject *self,
                       gsize        *length)
{
  g_autoptr(GHashTable) shot_ids = NULL;
  g_autoptr(GHashTable) take_ids = NULL;
  g_autoptr(GHashTable) clip_ids = NULL;
  GListModel *shots;
  GListModel *soundtrack;
  guint n_shots;
  guint n_clips;
  double budget;
  Writer w = { 0 };

  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  shots = takes_project_get_shots (self);
  soundtrack = takes_project_get_soundtrack (self);
  n_shots = g_list_model_get_n_items (shots);
  n_clips = g_list_model_get_n_items (soundtrack);

  shot_ids = g_hash_table_new (g_str_hash, g_str_equal);
  take_ids = g_hash_table_new (g_str_hash, g_str_equal);
  clip_ids = g_hash_table_new (g_str_hash, g_str_equal);

  w.out = g_string_sized_new (4096 + n_shots * 4096);

  w_begin (&w, '{');
  m_string (&w, "format", TAKES_PROJECT_FORMAT);
  m_int (&w, "version", TAKES_PROJECT_VERSION);
  m_string (&w, "title", takes_project_get_title (self));
  m_int (&w, "width", takes_project_get_width (self));
  m_int (&w, "height", takes_project_get_height (self));
  m_double (&w, "fps", takes_project_get_fps (self));

  budget = takes_project_get_budget (self);
  if (budget > 0)
    m_double (&w, "budget", MIN (budget, MAX_COST));
  else
    m_null (&w, "budget");

  w_key (&w, "shots");
  w_begin (&w, '[');
  for (guint i = 0; i < n_shots; i++)
    {
      w_item (&w);
      write_shot (&w, takes_project_get_shot (self, i), shot_ids, take_ids);
    }
  w_end (&w, ']');

  w_key (&w, "soundtrack");
  w_begin (&w, '[');
  for (guint i = 0; i < n_clips; i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);

      /* A clip without media (or with a path outside the folder that could
       * not be imported) would make the file refused on load. */
      if (!_takes_relative_path_is_safe (takes_soundtrack_clip_get_media (clip)))
        continue;

      w_item (&w);
      write_clip (&w, clip, clip_ids);
    }
  w_end (&w, ']');

  w_object_members (&w, _takes_project_get_extra (self));
  w_end (&w, '}');
  g_string_append_c (w.out, '\n');

  if (length != NULL)
    *length = w.out->len;

  return g_string_free (w.out, FALSE);
}

/* The version a file on disk claims, from its first few KiB; 0 if unknown.
 * Cheap enough for every save; a full parse would not be. */
static gint64
peek_version (const char *path)
{
  g_autofree char *head = NULL;
  const char *p;
  FILE *f;
  gsize n;

  f = g_fopen (path, "rb");
  if (f == NULL)
    return 0;

  head = g_malloc0 (4097);
  n = fread (head, 1, 4096, f);
  fclose (f);
  head[n] = '\0';

  p = strstr (head, "\"version\"");
  if (p == NULL)
    return 0;

  p += strlen ("\"version\"");
  while (g_ascii_isspace (*p))
    p++;
  if (*p != ':')
    return 0;
  p++;
  while (g_ascii_isspace (*p))
    p++;

  return g_ascii_strtoll (p, NULL, 10);
}

static void
keep_backup (const char *path)
{
  g_autofree char *backup = g_strconcat (path, ".bak", NULL);
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return;

  /* A hard link costs nothing and never leaves the project's own name
   * missing; the save below replaces that name with a new file, so the
   * link keeps the previous version. */
  if (g_unlink (backup) != 0 && errno != ENOENT)
    g_debug ("Could not remove %s: %s", backup, g_strerror (errno));

  if (link (path, backup) != 0)
    {
      g_autoptr(GFile) source = g_file_new_for_path (path);
      g_autoptr(GFile) target = g_file_new_for_path (backup);
      g_autoptr(GError) error = NULL;

      if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        g_warning ("Could not keep a backup of %s: %s", path, error->message);
    }
}

/* The stored form of @path (absolute, outside the project) once saved into
 * @file: relative when it already is in the folder, else a copy in the media
 * folder named "PREFIX-ID-BASENAME". NULL when the copy failed. */
static char *
import_external (GFile      *file,
                 const char *path,
                 const char *prefix,
                 const char *id)
{
  g_autoptr(GFile) base = g_file_get_parent (file);
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autoptr(GFile) media_dir = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *media_name = NULL;
  g_autofree char *target_name = NULL;

  relative = g_file_get_relative_path (base, source);
  if (relative != NULL && _takes_relative_path_is_safe (relative))
    return g_steal_pointer (&relative);

  basename = g_file_get_basename (file);
  if (g_str_has_suffix (basename, TAKES_PROJECT_EXTENSION) &&
      strlen (basename) > strlen (TAKES_PROJECT_EXTENSION))
    basename[strlen (basename) - strlen (TAKES_PROJECT_EXTENSION)] = '\0';
  media_name = g_strconcat (basename, ".media", NULL);
  media_dir = g_file_get_child (base, media_name);

  g_clear_pointer (&basename, g_free);
  basename = g_file_get_basename (source);
  target_name = g_strdup_printf ("%s-%s-%s", prefix, id, basename);
  target = g_file_get_child (media_dir, target_name);

  if ((!g_file_make_directory_with_parents (media_dir, NULL, &error) &&
       !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
    {
      g_warning ("Could not create %s: %s", g_file_peek_path (media_dir), error->message);
      return NULL;
    }
  g_clear_error (&error);

  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_warning ("Could not copy %s into the project: %s", path, error->message);
      return NULL;
    }

  return g_build_filename (media_name, target_name, NULL);
}

/* Files may only name what is inside their folder, so outside files a
 * person picked before saving are brought in now. */
static void
import_external_media (TakesProject *self,
                       GFile        *file)
{
  guint n_shots = takes_project_get_n_shots (self);
  GListModel *soundtrack = takes_project_get_soundtrack (self);
  guint n_clips = g_list_model_get_n_items (soundtrack);

  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (self, i);
      const char *image = takes_shot_get_reference_image (shot);
      g_autofree char *stored = NULL;

      if (image == NULL || !g_path_is_absolute (image))
        continue;

      stored = import_external (file, image, "ref", takes_shot_get_id (shot));
      if (stored != NULL)
        takes_shot_set_reference_image (shot, stored);
    }

  for (guint i = 0; i < n_clips; i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);
      const char *media = takes_soundtrack_clip_get_media (clip);
      g_autofree char *stored = NULL;

      if (media == NULL || !g_path_is_absolute (media))
        continue;

      stored = import_external (file, media, "audio", takes_soundtrack_clip_get_id (clip));
      if (stored != NULL)
        takes_soundtrack_clip_set_media (clip, stored);
    }
}

gboolean
takes_project_save (TakesProject  *self,
                    GFile         *file,
                    GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (TAKES_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Projects can only be saved to local folders, not “%s”"), uri);
      return FALSE;
    }

  if (peek_version (path) > TAKES_PROJECT_VERSION)
    {
      g_autofree char *name = display_name (file);

      g_set_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_NEW,
                   _("“%s” was saved by a newer version of Takes; saving over it would lose "
                     "that version’s work. Save it under another name."), name);
      return FALSE;
    }

  import_external_media (self, file);
  data = takes_project_to_data (self, &length);

  keep_backup (path);

  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, error))
    return FALSE;

  takes_project_set_file (self, file);
  takes_project_set_modified (self, FALSE);

  return TRUE;
}

static gboolean
is_temporary_name (const char *name,
                   const char *extension)
{
  gsize len = strlen (name);
  gsize ext_len = strlen (extension);
  const char *suffix;
  gboolean all_lower = TRUE;

  /* "<something><extension>.XXXXXX", as g_file_set_contents_full() names
   * its temporary file (g_mkstemp() fills in letters and digits). */
  if (len < ext_len + 8)
    return FALSE;

  suffix = name + len - 7;
  if (suffix[0] != '.' || strncmp (suffix - ext_len, extension, ext_len) != 0)
    return FALSE;

  for (guint i = 1; i < 7; i++)
    {
      if (!g_ascii_isalnum (suffix[i]))
        return FALSE;
      if (!g_ascii_islower (suffix[i]))
        all_lower = FALSE;
    }

  /* Spares a person's "Film.takes.backup" and the like; a random name in
   * lowercase only is rare and costs nothing but a leftover file. */
  return !all_lower;
}

guint
_takes_sweep_temporaries (GFile      *dir,
                          const char *extension)
{
  g_autofree char *path = NULL;
  g_autoptr(GDir) gdir = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;
  guint removed = 0;

  g_return_val_if_fail (G_IS_FILE (dir), 0);

  path = g_file_get_path (dir);
  if (path == NULL)
    return 0;

  gdir = g_dir_open (path, 0, NULL);
  if (gdir == NULL)
    return 0;

  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      g_autofree char *child = NULL;
      GStatBuf st;

      if (!is_temporary_name (name, extension))
        continue;

      child = g_build_filename (path, name, NULL);
      if (g_lstat (child, &st) != 0 || !S_ISREG (st.st_mode))
        continue;

      if (now - (gint64) st.st_mtime < ORPHAN_MIN_AGE_SECONDS)
        continue;

      if (g_unlink (child) == 0)
        removed++;
      else
        g_debug ("Could not remove %s: %s", child, g_strerror (errno));
    }

  return removed;
}

guint
takes_project_sweep_orphans (GFile *dir)
{
  g_return_val_if_fail (G_IS_FILE (dir), 0);

  return _takes_sweep_temporaries (dir, TAKES_PROJECT_EXTENSION);
}
