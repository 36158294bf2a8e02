/* takes-json-guard.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-json-guard"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-json-guard.h"

G_DEFINE_QUARK (takes-json-guard-error-quark, takes_json_guard_error)

gboolean
takes_json_guard_check (const char  *data,
                        gsize        length,
                        guint        max_depth,
                        gsize        max_length,
                        GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > max_length)
    {
      g_autofree char *size = g_format_size_full (max_length, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_LARGE,
                   _("the data is larger than %s"), size);
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          /* An escaped character can be a quote; skipping it keeps
           * brackets inside strings from counting. */
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_DEEP,
                           _("the data is nested more than %u levels deep"),
                           max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          /* Unbalanced closers are the parser's to report; never wrap. */
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
takes_json_guard_parse (const char  *data,
                        gsize        length,
                        guint        max_depth,
                        gsize        max_length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!takes_json_guard_check (data, length, max_depth, max_length, error))
    return NULL;

  if (length == 0)
    {
      g_set_error_literal (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID,
                           _("the data is empty"));
      return NULL;
    }

  /* Also refuses embedded NUL bytes, which the parser would stop at. */
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID,
                           _("the data is not valid UTF-8 text"));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID,
                   _("the data is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID,
                           _("the data is empty"));
      return NULL;
    }

  return root;
}
