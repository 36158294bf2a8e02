/* takes-json-guard.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TAKES_JSON_GUARD_ERROR (takes_json_guard_error_quark ())

typedef enum
{
  TAKES_JSON_GUARD_ERROR_INVALID,   /* empty, not UTF-8, or not JSON */
  TAKES_JSON_GUARD_ERROR_TOO_LARGE, /* longer than the size cap */
  TAKES_JSON_GUARD_ERROR_TOO_DEEP,  /* nested deeper than the depth cap */
} TakesJsonGuardError;

GQuark    takes_json_guard_error_quark (void);

/* Checks @data before any JSON parser sees it: json-glib 1.6 recurses once
 * per nesting level and crashes on deeply nested input, so depth (counting
 * brackets outside strings) and size are measured on the raw bytes. */
gboolean  takes_json_guard_check       (const char  *data,
                                        gsize        length,
                                        guint        max_depth,
                                        gsize        max_length,
                                        GError     **error);
/* takes_json_guard_check(), UTF-8 validation, then parsing. Returns the
 * root node (never NULL on success). */
JsonNode *takes_json_guard_parse       (const char  *data,
                                        gsize        length,
                                        guint        max_depth,
                                        gsize        max_length,
                                        GError     **error);

G_END_DECLS
