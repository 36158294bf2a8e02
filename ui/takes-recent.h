/* takes-recent.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How many recent projects the welcome page remembers */
#define TAKES_RECENT_MAX 10

/* The recent-projects list lives in GSettings as URIs, newest first.
 * These do nothing when the schema is not installed. */
char **takes_recent_dup_uris  (void);
void   takes_recent_add       (GFile *file);
void   takes_recent_remove    (GFile *file);

G_END_DECLS
