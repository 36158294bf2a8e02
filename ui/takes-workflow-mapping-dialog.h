/* takes-workflow-mapping-dialog.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-comfyui-workflow.h"

G_BEGIN_DECLS

#define TAKES_TYPE_WORKFLOW_MAPPING_DIALOG (takes_workflow_mapping_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TakesWorkflowMappingDialog, takes_workflow_mapping_dialog,
                      TAKES, WORKFLOW_MAPPING_DIALOG, AdwWindow)

/* Asks which node input of an imported ComfyUI workflow without
 * [takes:…] tags receives each of the shot's values (prompt, negative
 * prompt, seed, width, height, length, fps, image) and which node is the
 * output. Starts from takes_comfyui_workflow_guess_mapping().
 *
 * Signal "mapping-chosen" (JsonObject *mapping): the person pressed Use
 * and the mapping was accepted by the workflow; the window then closes. */
GtkWidget  *takes_workflow_mapping_dialog_new      (GtkWindow                  *parent,
                                                    TakesComfyuiWorkflow       *workflow);
TakesComfyuiWorkflow *takes_workflow_mapping_dialog_get_workflow (TakesWorkflowMappingDialog *self);
/* The mapping the controls show now (role name → {"node", "input"}) */
JsonObject *takes_workflow_mapping_dialog_dup_mapping (TakesWorkflowMappingDialog *self);
/* Checks the mapping shown with the workflow: every target exists, and
 * prompt and output are mapped. */
gboolean    takes_workflow_mapping_dialog_validate (TakesWorkflowMappingDialog *self,
                                                    GError                    **error);
/* What Use does: validates, emits "mapping-chosen" and closes; on a
 * problem shows it in the window and returns FALSE. */
gboolean    takes_workflow_mapping_dialog_accept   (TakesWorkflowMappingDialog *self);

G_END_DECLS
