/* takes-generate-panel.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-history.h"
#include "takes-job-engine.h"

G_BEGIN_DECLS

#define TAKES_TYPE_GENERATE_PANEL (takes_generate_panel_get_type ())
G_DECLARE_FINAL_TYPE (TakesGeneratePanel, takes_generate_panel, TAKES, GENERATE_PANEL, AdwBin)

/* Which backends make takes of a shot, how many each, with which model,
 * what that is estimated to cost, and the Generate button. Every backend
 * of the engine's registry is listed; those without an account are shown
 * but cannot be ticked. The choice is kept in the settings and applies to
 * every shot. Problems are shown in the panel, in words.
 *
 * Property "can-generate" (boolean): an engine and a shot are set, and at
 * least one configured backend is ticked.
 * Signal "generated": takes were started (after any confirmation). */
GtkWidget *takes_generate_panel_new               (void);
void       takes_generate_panel_set_engine        (TakesGeneratePanel *self,
                                                   TakesJobEngine     *engine);
TakesJobEngine *takes_generate_panel_get_engine   (TakesGeneratePanel *self);
void       takes_generate_panel_set_shot          (TakesGeneratePanel *self,
                                                   TakesShot          *shot);
TakesShot *takes_generate_panel_get_shot          (TakesGeneratePanel *self);
/* What Import Workflow… does with the chosen file: loads the ComfyUI
 * workflow, and uses it for the shot at once when it carries [takes:…]
 * tags; otherwise opens the mapping dialog (returned, not owned) and uses
 * it when the person accepts a mapping. Problems are shown in the
 * ComfyUI options. Returns NULL when no dialog was needed. */
GtkWidget *takes_generate_panel_import_workflow   (TakesGeneratePanel *self,
                                                   const char         *path);
/* The history the per-backend options of the shot are edited through
 * (its "backend-params"). Without one, the panel uses its window's
 * history when it is in a TakesWindow. */
void       takes_generate_panel_set_history       (TakesGeneratePanel *self,
                                                   TakesHistory       *history);
gboolean   takes_generate_panel_get_can_generate  (TakesGeneratePanel *self);

/* The ticked backends (configured ones only), NULL-terminated; free with
 * g_strfreev(). */
char     **takes_generate_panel_dup_backend_ids   (TakesGeneratePanel *self);
void       takes_generate_panel_set_backend_active (TakesGeneratePanel *self,
                                                   const char         *backend_id,
                                                   gboolean            active);
guint      takes_generate_panel_get_n_takes       (TakesGeneratePanel *self,
                                                   const char         *backend_id);
void       takes_generate_panel_set_n_takes       (TakesGeneratePanel *self,
                                                   const char         *backend_id,
                                                   guint               n_takes);
/* The model chosen for @backend_id (NULL: the backend's default) */
const char *takes_generate_panel_get_model        (TakesGeneratePanel *self,
                                                   const char         *backend_id);
/* Estimated USD cost of pressing Generate for the current shot; negative
 * when some ticked backend cannot tell. */
double     takes_generate_panel_estimate          (TakesGeneratePanel *self);
/* Re-reads which backends have an account (after Preferences). */
void       takes_generate_panel_refresh           (TakesGeneratePanel *self);

/* What Generate does for the current shot: starts the ticked backends'
 * takes. A batch above the "confirm-cost-above" setting is first
 * confirmed in a dialog (the function then returns TRUE and the work
 * starts when the person agrees). Failures are also shown in the panel. */
gboolean   takes_generate_panel_generate          (TakesGeneratePanel *self,
                                                   GError            **error);
/* "Generate All": the same for every shot of @project that has no take
 * yet (failed and canceled takes do not count). */
gboolean   takes_generate_panel_generate_all      (TakesGeneratePanel *self,
                                                   TakesProject       *project,
                                                   GError            **error);

G_END_DECLS
