/* takes-backend-registry.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-backend.h"

G_BEGIN_DECLS

/* The backends Takes knows, in the order they are offered (the animatic
 * first: it is the default and works offline). */
#define TAKES_TYPE_BACKEND_REGISTRY (takes_backend_registry_get_type ())
G_DECLARE_FINAL_TYPE (TakesBackendRegistry, takes_backend_registry, TAKES, BACKEND_REGISTRY, GObject)

/* A registry holding every built-in backend. */
TakesBackendRegistry *takes_backend_registry_new          (void);
/* A registry with nothing in it (tests add fakes). */
TakesBackendRegistry *takes_backend_registry_new_empty    (void);
/* The process-wide registry (created with the built-ins on first use). */
TakesBackendRegistry *takes_backend_registry_get_default  (void);

/* Adds @backend; one with the same id is replaced in place. */
void                  takes_backend_registry_add          (TakesBackendRegistry *self,
                                                           TakesBackend         *backend);
/* A GListModel of TakesBackend (borrowed) */
GListModel           *takes_backend_registry_get_backends (TakesBackendRegistry *self);
/* Borrowed; NULL when no backend has @id */
TakesBackend         *takes_backend_registry_lookup       (TakesBackendRegistry *self,
                                                           const char           *id);
/* The ids, NULL-terminated (free with g_strfreev) */
char                **takes_backend_registry_dup_ids      (TakesBackendRegistry *self);
/* The id a new shot uses: "animatic". */
const char           *takes_backend_registry_get_default_id (TakesBackendRegistry *self);

G_END_DECLS
