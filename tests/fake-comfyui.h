/* fake-comfyui.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A fake ComfyUI server (PROVIDERS.md §10) for tests: a SoupServer on
 * 127.0.0.1 at a free port, on the thread-default main context of its
 * creator (iterate it for the fake to answer).
 *
 *   POST /prompt      {"prompt": graph, "client_id"} → {"prompt_id", "number",
 *                     "node_errors": {}}; 400 {"error": {type, message,
 *                     details, extra_info}, "node_errors": {...}} for an
 *                     unknown class_type (invalid_prompt), a missing required
 *                     input (required_input_missing), a link to a node that
 *                     is not there (bad_linked_input), a LoadImage of a file
 *                     never uploaded, a graph without output node
 *                     (prompt_no_outputs), no prompt (no_prompt).
 *   GET  /history/ID  {} until done, then {ID: {prompt, outputs, status, meta}}
 *   GET  /queue, POST /queue {"delete": [...]} / {"clear": true}
 *   POST /interrupt   optional {"prompt_id"}
 *   GET  /view        ?filename&subfolder&type (Range → 206)
 *   POST /upload/image multipart "image" (+ "type", "subfolder", "overwrite")
 *   GET  /system_stats
 *   /ws?clientId=…    WebSocket: status, execution_start, execution_cached,
 *                     executing{node}, progress × steps, executed,
 *                     executing{node: null}, execution_success (or
 *                     execution_error / execution_interrupted)
 * Every route also answers under /api.
 *
 * Prompts run one at a time, one event per tick (default 5 ms). */
typedef enum
{
  FAKE_COMFYUI_FAULT_REFUSE_SOCKET,        /* /ws is not a WebSocket (404) */
  FAKE_COMFYUI_FAULT_EXECUTION_ERROR,      /* the next prompts fail in the sampler */
  FAKE_COMFYUI_FAULT_NODE_ERROR,           /* POST /prompt → 400, model file not found */
  FAKE_COMFYUI_FAULT_SERVER_ERROR_HISTORY, /* GET /history/ID → 500 */
  FAKE_COMFYUI_FAULT_DEEP_NESTING_HISTORY, /* GET /history/ID → 100 000 nested arrays */
  FAKE_COMFYUI_FAULT_STALL_VIEW,           /* GET /view → half, then silence */
  FAKE_COMFYUI_FAULT_TRUNCATE_VIEW,        /* GET /view → half, then the connection closes */
  FAKE_COMFYUI_N_FAULTS
} FakeComfyuiFault;

typedef enum
{
  FAKE_COMFYUI_OUTPUT_AUTO,   /* "gifs" for VHS_VideoCombine, else "images" + "animated" */
  FAKE_COMFYUI_OUTPUT_IMAGES, /* core SaveVideo / SaveAnimatedWEBP */
  FAKE_COMFYUI_OUTPUT_GIFS,   /* VideoHelperSuite */
} FakeComfyuiOutputStyle;

#define FAKE_TYPE_COMFYUI (fake_comfyui_get_type ())
G_DECLARE_FINAL_TYPE (FakeComfyui, fake_comfyui, FAKE, COMFYUI, GObject)

FakeComfyui *fake_comfyui_new                 (void);
/* "http://127.0.0.1:PORT" */
const char  *fake_comfyui_get_base_url        (FakeComfyui            *self);

/* @times: the next that many matching requests (0 = all of them) */
void         fake_comfyui_set_fault           (FakeComfyui            *self,
                                               FakeComfyuiFault        fault,
                                               guint                   times);
void         fake_comfyui_set_output_style    (FakeComfyui            *self,
                                               FakeComfyuiOutputStyle  style);
/* The clip /view serves for every output (default: a few bytes that are
 * not a video) */
void         fake_comfyui_set_video           (FakeComfyui            *self,
                                               GBytes                 *video);
/* Overrides the output file name (default from filename_prefix) */
void         fake_comfyui_set_output_name     (FakeComfyui            *self,
                                               const char             *filename);
/* Sampler steps reported as progress (default 5) */
void         fake_comfyui_set_steps           (FakeComfyui            *self,
                                               guint                   steps);
/* Held prompts stop half-way through sampling until released */
void         fake_comfyui_set_hold            (FakeComfyui            *self,
                                               gboolean                hold);

/* Counts and what was sent */
guint        fake_comfyui_get_prompt_count    (FakeComfyui            *self);
/* The graph of the last accepted prompt (borrowed) and its client_id */
JsonObject  *fake_comfyui_get_last_graph      (FakeComfyui            *self);
const char  *fake_comfyui_get_last_client_id  (FakeComfyui            *self);
const char  *fake_comfyui_get_last_prompt_id  (FakeComfyui            *self);
guint        fake_comfyui_get_request_count   (FakeComfyui            *self,
                                               const char             *method,
                                               const char             *path_prefix);
guint        fake_comfyui_get_interrupt_count (FakeComfyui            *self);
guint        fake_comfyui_get_delete_count    (FakeComfyui            *self);
/* WebSocket connections accepted so far */
guint        fake_comfyui_get_socket_count    (FakeComfyui            *self);
/* Bytes uploaded under @name, or NULL */
GBytes      *fake_comfyui_get_upload          (FakeComfyui            *self,
                                               const char             *name);
/* Whether @prompt_id is running (held or not) */
gboolean     fake_comfyui_is_running          (FakeComfyui            *self,
                                               const char             *prompt_id);

G_END_DECLS
