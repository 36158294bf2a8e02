/* takes-comfyui.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend.h"
#include "takes-comfyui-workflow.h"

G_BEGIN_DECLS

/* A local ComfyUI server running open video models (id "comfyui").
 *
 * No credentials; the address defaults to http://127.0.0.1:8188
 * (Preferences or TAKES_COMFYUI_BASE_URL change it). One generation at a
 * time: it is one GPU.
 *
 * The models are workflows: the builtin ids of
 * takes_comfyui_get_builtin_workflows(), or an absolute path to an
 * API-format workflow file. The request extras may name one too, and win:
 *   "workflow": builtin id or absolute path,
 *   "mapping":  role → {"node", "input"} (see takes-comfyui-workflow.h)
 * for workflows without [takes:…] tags. Without either, "wan-t2v" (or
 * "wan-i2v" when the shot has a first frame) is used.
 *
 * Submit opens the /ws WebSocket (once per backend; client id per
 * instance), uploads the first frame with POST /upload/image, and sends
 * POST /prompt; the task id is ComfyUI's prompt_id. Polls answer from the
 * WebSocket's events while it is up and confirm with GET /history/{id}
 * (and GET /queue) otherwise and at the end. The result is a /view
 * address; a clip ComfyUI did not save as MP4 (WebM, GIF) is turned into
 * H.264 MP4 after download. Cancel interrupts the running prompt or
 * removes a queued one. */
#define TAKES_TYPE_COMFYUI (takes_comfyui_get_type ())
G_DECLARE_FINAL_TYPE (TakesComfyui, takes_comfyui, TAKES, COMFYUI, TakesBackend)

TakesComfyui         *takes_comfyui_new                 (void);
/* The client_id sent with every prompt and on the WebSocket */
const char           *takes_comfyui_get_client_id       (TakesComfyui           *self);
/* The workflow a request runs, with its mapping (for the shot editor). */
TakesComfyuiWorkflow *takes_comfyui_resolve_workflow    (TakesComfyui           *self,
                                                         TakesGenerationRequest *request,
                                                         GError                **error);
/* Whether the progress WebSocket is connected right now */
gboolean              takes_comfyui_is_socket_connected (TakesComfyui           *self);

G_END_DECLS
