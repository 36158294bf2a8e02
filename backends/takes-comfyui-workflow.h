/* takes-comfyui-workflow.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "takes-backend.h"

G_BEGIN_DECLS

/* Where Takes writes a shot's values into a ComfyUI workflow. */
typedef enum
{
  TAKES_COMFYUI_ROLE_PROMPT,   /* text of the positive CLIPTextEncode */
  TAKES_COMFYUI_ROLE_NEGATIVE, /* text of the negative CLIPTextEncode */
  TAKES_COMFYUI_ROLE_SEED,     /* seed / noise_seed */
  TAKES_COMFYUI_ROLE_WIDTH,
  TAKES_COMFYUI_ROLE_HEIGHT,
  TAKES_COMFYUI_ROLE_LENGTH,   /* frames: duration × fps rounded to 4n+1 (8n+1 for LTX) */
  TAKES_COMFYUI_ROLE_FPS,      /* fps / frame_rate */
  TAKES_COMFYUI_ROLE_IMAGE,    /* LoadImage "image": the uploaded first frame */
  TAKES_COMFYUI_ROLE_OUTPUT,   /* the node whose output is the clip (no input) */
  TAKES_COMFYUI_N_ROLES
} TakesComfyuiRole;

/* "prompt", "negative", "seed", "width", "height", "length", "fps",
 * "image", "output": the keys of a mapping object. */
const char *takes_comfyui_role_to_string   (TakesComfyuiRole  role);
gboolean    takes_comfyui_role_from_string (const char       *name,
                                            TakesComfyuiRole *role);
/* For people (translated): "Prompt", "Frame width" … */
const char *takes_comfyui_role_get_label   (TakesComfyuiRole  role);

/* The workflows Takes ships, as { id, label } ending with { NULL, NULL }:
 * "wan-t2v", "wan-i2v", "ltxv-t2v". Labels are marked with N_(). */
const TakesBackendModel *takes_comfyui_get_builtin_workflows (void);

/* A ComfyUI workflow in API format ("Export (API)"): an object of nodes,
 * each with "class_type" and "inputs" (literals, or links
 * ["node id", output index]), plus where the shot's values go.
 *
 * Where the values go is found from node titles (`_meta.title`) carrying
 * tags: [takes:prompt], [takes:negative], [takes:seed], [takes:size]
 * (width and height), [takes:width], [takes:height], [takes:length],
 * [takes:fps], [takes:image], [takes:output]. Several nodes may carry the
 * same tag (e.g. fps on both LTXVConditioning and CreateVideo): each gets
 * the value. A workflow without tags gets its mapping from the person
 * (takes_comfyui_workflow_set_mapping(), usually seeded with
 * takes_comfyui_workflow_guess_mapping()).
 *
 * A mapping is a JsonObject: role name → {"node": "id", "input": "name"}
 * or an array of such objects. The output role needs only "node". */
#define TAKES_TYPE_COMFYUI_WORKFLOW (takes_comfyui_workflow_get_type ())
G_DECLARE_FINAL_TYPE (TakesComfyuiWorkflow, takes_comfyui_workflow, TAKES, COMFYUI_WORKFLOW, GObject)

/* Reads and checks an API-format workflow file (size and depth capped,
 * every node and link checked). Tags are applied when present.
 * G_IO_ERROR / TAKES_BACKEND_ERROR_INVALID_REQUEST with a message naming
 * the problem (editor-format files are recognised and explained). */
TakesComfyuiWorkflow *takes_comfyui_workflow_load             (const char            *path,
                                                               GError               **error);
/* The same, from bytes; @name is what people see (a file name). */
TakesComfyuiWorkflow *takes_comfyui_workflow_new_from_data    (const char            *data,
                                                               gsize                  length,
                                                               const char            *name,
                                                               GError               **error);
/* One of takes_comfyui_get_builtin_workflows(). */
TakesComfyuiWorkflow *takes_comfyui_workflow_load_builtin     (const char            *id,
                                                               GError               **error);
/* What a request names: a builtin id or an absolute path to a .json
 * file; @mapping (nullable) overrides the tags when given. */
TakesComfyuiWorkflow *takes_comfyui_workflow_resolve          (const char            *spec,
                                                               JsonObject            *mapping,
                                                               GError               **error);

/* The builtin id or the file path it was loaded from */
const char           *takes_comfyui_workflow_get_id           (TakesComfyuiWorkflow  *self);
/* Translated builtin label or the file's base name */
const char           *takes_comfyui_workflow_get_name         (TakesComfyuiWorkflow  *self);
gboolean              takes_comfyui_workflow_is_builtin       (TakesComfyuiWorkflow  *self);
/* The graph as loaded (borrowed; do not change it) */
JsonObject           *takes_comfyui_workflow_get_graph        (TakesComfyuiWorkflow  *self);
/* Node ids, sorted numerically where they are numbers (free with g_strfreev) */
char                **takes_comfyui_workflow_dup_node_ids     (TakesComfyuiWorkflow  *self);
const char           *takes_comfyui_workflow_get_node_class   (TakesComfyuiWorkflow  *self,
                                                               const char            *node_id);
/* `_meta.title`, else the class type */
const char           *takes_comfyui_workflow_get_node_title   (TakesComfyuiWorkflow  *self,
                                                               const char            *node_id);
/* Names of the node's literal (unlinked) inputs (free with g_strfreev):
 * what a mapping dialog offers for a node. */
char                **takes_comfyui_workflow_dup_literal_inputs (TakesComfyuiWorkflow *self,
                                                               const char            *node_id);

/* Whether any node carried a [takes:…] tag */
gboolean              takes_comfyui_workflow_is_tagged        (TakesComfyuiWorkflow  *self);
/* The mapping in use (new reference, never NULL; may be empty) */
JsonObject           *takes_comfyui_workflow_dup_mapping      (TakesComfyuiWorkflow  *self);
/* Replaces the mapping after checking every target exists (a literal
 * input of an existing node; "output" a node). */
gboolean              takes_comfyui_workflow_set_mapping      (TakesComfyuiWorkflow  *self,
                                                               JsonObject            *mapping,
                                                               GError               **error);
/* A proposal from the graph's shape: the CLIPTextEncode feeding the
 * sampler's positive/negative, KSampler seed, Empty*Latent* or
 * *ImageToVideo width/height/length, fps/frame_rate inputs, LoadImage,
 * Save*Video / SaveAnimated* / VHS_VideoCombine. */
JsonObject           *takes_comfyui_workflow_guess_mapping    (TakesComfyuiWorkflow  *self);
gboolean              takes_comfyui_workflow_has_role         (TakesComfyuiWorkflow  *self,
                                                               TakesComfyuiRole       role);
/* Ready to run: prompt and output are mapped. Otherwise an
 * INVALID_REQUEST error saying what to mark. */
gboolean              takes_comfyui_workflow_check_ready      (TakesComfyuiWorkflow  *self,
                                                               GError               **error);
/* The output node id (first one), or NULL */
const char           *takes_comfyui_workflow_get_output_node  (TakesComfyuiWorkflow  *self);

/* The values of one generation. */
typedef struct
{
  const char *prompt;
  const char *negative;     /* NULL: leave the workflow's */
  gint64      seed;         /* < 0: leave the workflow's */
  int         width;        /* 0: leave */
  int         height;
  double      duration;     /* seconds; 0: leave the length */
  int         fps;          /* 0: leave */
  const char *image;        /* ComfyUI input name of the uploaded image; NULL: leave */
} TakesComfyuiValues;

/* A deep copy of the graph with the values written into the mapped
 * inputs: sizes rounded to what the model accepts (multiples of 16, or 32
 * for LTX-Video), the length in frames as duration × fps rounded to 4n+1
 * (8n+1 for LTX-Video). Returns a JSON object node. */
JsonNode             *takes_comfyui_workflow_apply            (TakesComfyuiWorkflow      *self,
                                                               const TakesComfyuiValues  *values,
                                                               GError                   **error);
/* The frame count apply() writes for @duration at @fps into a node of
 * @class_type. */
int                   takes_comfyui_frames_for                (const char                *class_type,
                                                               double                     duration,
                                                               int                        fps);

G_END_DECLS
