/* takes-generate-private.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-job-engine.h"

G_BEGIN_DECLS

/* Shared by the generate panel, the take gallery, its cards and the
 * details dialog (takes-generate-util.c). */

/* The engine's registry, or the process-wide one without an engine */
TakesBackendRegistry *_takes_ui_get_registry        (TakesJobEngine *engine);
TakesBackend         *_takes_ui_lookup_backend      (TakesJobEngine *engine,
                                                     const char     *backend_id);
/* The backend's display name, or @backend_id itself for one Takes no
 * longer knows (a take made by a newer version or a removed backend). */
char                 *_takes_ui_dup_backend_name    (TakesJobEngine *engine,
                                                     const char     *backend_id);
/* The translated label of @model, or @model; NULL for NULL */
char                 *_takes_ui_dup_model_label     (TakesBackend   *backend,
                                                     const char     *model);
/* "5.0 s" */
char                 *_takes_ui_format_seconds      (double          seconds);
/* "$0.25" */
char                 *_takes_ui_format_cost         (double          usd);
/* "2 min 5 s" */
char                 *_takes_ui_format_duration     (gint64          seconds);
void                  _takes_ui_ensure_generate_css (void);

G_END_DECLS
