/* takes-model-util.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-model"

#include "config.h"

#include <string.h>

#include "takes-model-private.h"

char *
_takes_new_id (char prefix)
{
  /* 48 random bits: collisions are not a practical concern at the size of
   * a film, and loading refuses duplicates anyway. */
  return g_strdup_printf ("%c-%04x%08x", prefix,
                          g_random_int () & 0xffff, g_random_int ());
}

gboolean
_takes_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL || id[0] == '\0')
    return FALSE;

  len = strlen (id);
  if (len > TAKES_ID_MAX_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_positive_int (const char  *str,
                    const char **end)
{
  guint64 value = 0;
  const char *p = str;

  while (g_ascii_isdigit (*p))
    {
      value = value * 10 + (guint64) (*p - '0');
      if (value > 100000)
        return FALSE;
      p++;
    }

  *end = p;

  return p != str && value > 0;
}

gboolean
_takes_aspect_is_valid (const char *aspect)
{
  const char *p;

  if (aspect == NULL)
    return FALSE;

  if (!parse_positive_int (aspect, &p) || *p != ':')
    return FALSE;

  if (!parse_positive_int (p + 1, &p) || *p != '\0')
    return FALSE;

  return TRUE;
}

gboolean
_takes_relative_path_is_safe (const char *path)
{
  g_auto(GStrv) parts = NULL;
  int depth = 0;

  if (path == NULL || path[0] == '\0')
    return FALSE;

  if (g_path_is_absolute (path) || path[0] == '~')
    return FALSE;

  if (!g_utf8_validate (path, -1, NULL) || strlen (path) > 4096)
    return FALSE;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        {
          if (--depth < 0)
            return FALSE;
        }
      else if (parts[i][0] != '\0' && !g_str_equal (parts[i], "."))
        {
          depth++;
        }
    }

  /* "Film.media/.." names the folder itself, not a file in it. */
  return depth > 0;
}

gboolean
_takes_set_text (char       **field,
                 const char  *value)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

gboolean
_takes_set_optional (char       **field,
                     const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static JsonNode *
json_node_copy_deep (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) object = _takes_json_object_copy (json_node_get_object (node));

        return json_node_init_object (json_node_alloc (), object);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (copy, json_node_copy_deep (json_array_get_element (array, i)));

        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

JsonObject *
_takes_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return copy;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy_deep (node));

  return copy;
}
