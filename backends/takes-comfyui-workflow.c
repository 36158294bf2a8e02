/* takes-comfyui-workflow.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-comfyui-workflow"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "takes-comfyui-workflow.h"
#include "takes-json-guard.h"

/* Workflows are flat (node → inputs → link), but widget values can hold
 * small lists; anything deeper is not a workflow. */
#define WORKFLOW_MAX_DEPTH  32
#define WORKFLOW_MAX_SIZE   (8 * 1024 * 1024)
#define WORKFLOW_MAX_NODES  5000
#define RESOURCE_PREFIX     "/io/github/takesapp/Takes/workflows/"

/* From the resource compiled into this library (c_name takes_workflows). */
GResource *takes_workflows_get_resource (void);

struct _TakesComfyuiWorkflow
{
  GObject     parent_instance;

  /* owned */
  char       *id;
  char       *name;
  JsonObject *graph;
  /* role name → JsonArray of {"node", "input"} */
  JsonObject *mapping;

  guint       builtin : 1;
  guint       tagged : 1;
};

G_DEFINE_FINAL_TYPE (TakesComfyuiWorkflow, takes_comfyui_workflow, G_TYPE_OBJECT)

static const char * const role_names[TAKES_COMFYUI_N_ROLES] = {
  [TAKES_COMFYUI_ROLE_PROMPT] = "prompt",
  [TAKES_COMFYUI_ROLE_NEGATIVE] = "negative",
  [TAKES_COMFYUI_ROLE_SEED] = "seed",
  [TAKES_COMFYUI_ROLE_WIDTH] = "width",
  [TAKES_COMFYUI_ROLE_HEIGHT] = "height",
  [TAKES_COMFYUI_ROLE_LENGTH] = "length",
  [TAKES_COMFYUI_ROLE_FPS] = "fps",
  [TAKES_COMFYUI_ROLE_IMAGE] = "image",
  [TAKES_COMFYUI_ROLE_OUTPUT] = "output",
};

static const char * const role_labels[TAKES_COMFYUI_N_ROLES] = {
  [TAKES_COMFYUI_ROLE_PROMPT] = N_("Prompt"),
  [TAKES_COMFYUI_ROLE_NEGATIVE] = N_("Negative prompt"),
  [TAKES_COMFYUI_ROLE_SEED] = N_("Seed"),
  [TAKES_COMFYUI_ROLE_WIDTH] = N_("Frame width"),
  [TAKES_COMFYUI_ROLE_HEIGHT] = N_("Frame height"),
  [TAKES_COMFYUI_ROLE_LENGTH] = N_("Length in frames"),
  [TAKES_COMFYUI_ROLE_FPS] = N_("Frame rate"),
  [TAKES_COMFYUI_ROLE_IMAGE] = N_("First frame image"),
  [TAKES_COMFYUI_ROLE_OUTPUT] = N_("Video output"),
};

/* Input names each role may land in, most usual first. */
static const char * const text_inputs[] = { "text", "prompt", "positive_prompt", "text_g", NULL };
static const char * const seed_inputs[] = { "seed", "noise_seed", NULL };
static const char * const width_inputs[] = { "width", NULL };
static const char * const height_inputs[] = { "height", NULL };
static const char * const length_inputs[] = { "length", "num_frames", "frames", "video_length", "frame_count", "frames_number", NULL };
static const char * const fps_inputs[] = { "fps", "frame_rate", "frame_rate_float", NULL };
static const char * const image_inputs[] = { "image", NULL };

static const char * const *role_inputs[TAKES_COMFYUI_N_ROLES] = {
  [TAKES_COMFYUI_ROLE_PROMPT] = text_inputs,
  [TAKES_COMFYUI_ROLE_NEGATIVE] = text_inputs,
  [TAKES_COMFYUI_ROLE_SEED] = seed_inputs,
  [TAKES_COMFYUI_ROLE_WIDTH] = width_inputs,
  [TAKES_COMFYUI_ROLE_HEIGHT] = height_inputs,
  [TAKES_COMFYUI_ROLE_LENGTH] = length_inputs,
  [TAKES_COMFYUI_ROLE_FPS] = fps_inputs,
  [TAKES_COMFYUI_ROLE_IMAGE] = image_inputs,
  [TAKES_COMFYUI_ROLE_OUTPUT] = NULL,
};

static const TakesBackendModel builtin_workflows[] = {
  { "wan-t2v", N_("Wan 2.1 text to video") },
  { "wan-i2v", N_("Wan 2.1 image to video") },
  { "ltxv-t2v", N_("LTX-Video text to video") },
  { NULL, NULL },
};

const char *
takes_comfyui_role_to_string (TakesComfyuiRole role)
{
  g_return_val_if_fail (role < TAKES_COMFYUI_N_ROLES, NULL);

  return role_names[role];
}

gboolean
takes_comfyui_role_from_string (const char       *name,
                                TakesComfyuiRole *role)
{
  for (guint i = 0; i < TAKES_COMFYUI_N_ROLES; i++)
    if (g_strcmp0 (name, role_names[i]) == 0)
      {
        if (role != NULL)
          *role = i;
        return TRUE;
      }

  return FALSE;
}

const char *
takes_comfyui_role_get_label (TakesComfyuiRole role)
{
  g_return_val_if_fail (role < TAKES_COMFYUI_N_ROLES, NULL);

  return _(role_labels[role]);
}

const TakesBackendModel *
takes_comfyui_get_builtin_workflows (void)
{
  return builtin_workflows;
}

/* ---- GObject ---------------------------------------------------------------- */

static void
takes_comfyui_workflow_finalize (GObject *object)
{
  TakesComfyuiWorkflow *self = (TakesComfyuiWorkflow *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->graph, json_object_unref);
  g_clear_pointer (&self->mapping, json_object_unref);

  G_OBJECT_CLASS (takes_comfyui_workflow_parent_class)->finalize (object);
}

static void
takes_comfyui_workflow_class_init (TakesComfyuiWorkflowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = takes_comfyui_workflow_finalize;
}

static void
takes_comfyui_workflow_init (TakesComfyuiWorkflow *self)
{
  self->mapping = json_object_new ();
}

/* ---- Graph helpers -------------------------------------------------------------- */

/* A string member of something a person or a server wrote: NULL unless
 * it really is a string (json-glib's getters assume the type). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;

  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
get_node (TakesComfyuiWorkflow *self,
          const char           *node_id)
{
  JsonNode *node;

  if (node_id == NULL || !json_object_has_member (self->graph, node_id))
    return NULL;

  node = json_object_get_member (self->graph, node_id);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
get_inputs (JsonObject *node)
{
  JsonNode *inputs;

  if (node == NULL || !json_object_has_member (node, "inputs"))
    return NULL;

  inputs = json_object_get_member (node, "inputs");

  return JSON_NODE_HOLDS_OBJECT (inputs) ? json_node_get_object (inputs) : NULL;
}

static const char *
node_class (JsonObject *node)
{
  JsonNode *member;

  if (node == NULL || !json_object_has_member (node, "class_type"))
    return NULL;

  member = json_object_get_member (node, "class_type");
  if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (member);
}

static const char *
node_title (JsonObject *node)
{
  JsonNode *meta, *title;

  if (node == NULL || !json_object_has_member (node, "_meta"))
    return NULL;

  meta = json_object_get_member (node, "_meta");
  if (!JSON_NODE_HOLDS_OBJECT (meta) ||
      !json_object_has_member (json_node_get_object (meta), "title"))
    return NULL;

  title = json_object_get_member (json_node_get_object (meta), "title");
  if (!JSON_NODE_HOLDS_VALUE (title) || json_node_get_value_type (title) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (title);
}

/* A link is ["source node id", output index]. */
static gboolean
value_is_link (JsonNode    *value,
               const char **source)
{
  JsonArray *array;
  JsonNode *first, *second;

  if (!JSON_NODE_HOLDS_ARRAY (value))
    return FALSE;

  array = json_node_get_array (value);
  if (json_array_get_length (array) != 2)
    return FALSE;

  first = json_array_get_element (array, 0);
  second = json_array_get_element (array, 1);
  if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING ||
      !JSON_NODE_HOLDS_VALUE (second) || json_node_get_value_type (second) != G_TYPE_INT64)
    return FALSE;

  if (source != NULL)
    *source = json_node_get_string (first);

  return TRUE;
}

static gboolean
input_is_literal (JsonObject *inputs,
                  const char *name)
{
  JsonNode *value;

  if (inputs == NULL || !json_object_has_member (inputs, name))
    return FALSE;

  value = json_object_get_member (inputs, name);

  return JSON_NODE_HOLDS_VALUE (value) || JSON_NODE_HOLDS_NULL (value);
}

static const char *
find_role_input (JsonObject       *node,
                 TakesComfyuiRole  role)
{
  JsonObject *inputs = get_inputs (node);
  const char * const *names = role_inputs[role];

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (input_is_literal (inputs, names[i]))
      return names[i];

  return NULL;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const char *id_a = *(const char * const *)a;
  const char *id_b = *(const char * const *)b;
  char *end_a, *end_b;
  gint64 num_a = g_ascii_strtoll (id_a, &end_a, 10);
  gint64 num_b = g_ascii_strtoll (id_b, &end_b, 10);
  gboolean is_num_a = end_a != id_a && *end_a == '\0';
  gboolean is_num_b = end_b != id_b && *end_b == '\0';

  if (is_num_a && is_num_b && num_a != num_b)
    return num_a < num_b ? -1 : 1;
  if (is_num_a != is_num_b)
    return is_num_a ? -1 : 1;

  return strcmp (id_a, id_b);
}

char **
takes_comfyui_workflow_dup_node_ids (TakesComfyuiWorkflow *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  members = json_object_get_members (self->graph);
  for (const GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (ids, g_strdup (l->data));
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);

  return (char **)g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

/* ---- Mapping ---------------------------------------------------------------------- */

static void
mapping_add (JsonObject       *mapping,
             TakesComfyuiRole  role,
             const char       *node_id,
             const char       *input)
{
  const char *name = role_names[role];
  JsonObject *target;
  JsonArray *targets;

  if (!json_object_has_member (mapping, name))
    json_object_set_array_member (mapping, name, json_array_new ());
  targets = json_object_get_array_member (mapping, name);

  /* The same target twice would only be written twice. */
  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      JsonObject *existing = json_array_get_object_element (targets, i);

      if (g_strcmp0 (json_object_get_string_member (existing, "node"), node_id) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (existing, "input", NULL), input) == 0)
        return;
    }

  target = json_object_new ();
  json_object_set_string_member (target, "node", node_id);
  if (input != NULL)
    json_object_set_string_member (target, "input", input);
  json_array_add_object_element (targets, target);
}

static gboolean
apply_tag (TakesComfyuiWorkflow  *self,
           JsonObject            *mapping,
           const char            *node_id,
           JsonObject            *node,
           const char            *tag,
           GError               **error)
{
  TakesComfyuiRole roles[2];
  guint n_roles = 0;

  if (g_str_equal (tag, "size"))
    {
      roles[n_roles++] = TAKES_COMFYUI_ROLE_WIDTH;
      roles[n_roles++] = TAKES_COMFYUI_ROLE_HEIGHT;
    }
  else if (takes_comfyui_role_from_string (tag, &roles[0]))
    n_roles = 1;
  else
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Node %s of the workflow “%s” is marked with an unknown tag “[takes:%s]”. "
                     "Known tags: prompt, negative, seed, size, width, height, length, fps, image, output."),
                   node_id, self->name, tag);
      return FALSE;
    }

  for (guint i = 0; i < n_roles; i++)
    {
      const char *input = NULL;

      if (roles[i] != TAKES_COMFYUI_ROLE_OUTPUT)
        {
          input = find_role_input (node, roles[i]);
          if (input == NULL)
            {
              g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                           _("Node %s (%s) of the workflow “%s” is marked [takes:%s] but has no "
                             "unconnected input that could take it (looked for “%s”)."),
                           node_id, node_class (node), self->name, tag, role_inputs[roles[i]][0]);
              return FALSE;
            }
        }

      mapping_add (mapping, roles[i], node_id, input);
    }

  return TRUE;
}

static gboolean
read_tags (TakesComfyuiWorkflow  *self,
           GError               **error)
{
  g_autoptr(JsonObject) mapping = json_object_new ();
  g_auto(GStrv) ids = takes_comfyui_workflow_dup_node_ids (self);
  gboolean tagged = FALSE;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      JsonObject *node = get_node (self, ids[i]);
      const char *title = node_title (node);
      const char *p = title;

      while (p != NULL && (p = strstr (p, "[takes:")) != NULL)
        {
          const char *start = p + strlen ("[takes:");
          const char *end = strchr (start, ']');
          g_autofree char *tag = NULL;

          if (end == NULL)
            break;

          tag = g_strstrip (g_ascii_strdown (start, end - start));
          if (!apply_tag (self, mapping, ids[i], node, tag, error))
            return FALSE;

          tagged = TRUE;
          p = end + 1;
        }
    }

  self->tagged = tagged;
  g_clear_pointer (&self->mapping, json_object_unref);
  self->mapping = g_steal_pointer (&mapping);

  return TRUE;
}

/* ---- Loading ------------------------------------------------------------------------- */

static gboolean
check_graph (JsonNode    *root,
             const char  *name,
             GError     **error)
{
  JsonObject *graph;
  g_autoptr(GList) members = NULL;
  guint n = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("“%s” is not a ComfyUI workflow: it should be a JSON object of nodes."),
                   name);
      return FALSE;
    }

  graph = json_node_get_object (root);

  if (json_object_has_member (graph, "nodes") && json_object_has_member (graph, "links"))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("“%s” is a workflow saved from the ComfyUI editor, which the server cannot run. "
                     "In ComfyUI use Workflow → Export (API) and import that file."),
                   name);
      return FALSE;
    }

  members = json_object_get_members (graph);
  if (members == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The workflow “%s” has no nodes."), name);
      return FALSE;
    }

  for (const GList *l = members; l != NULL; l = l->next, n++)
    {
      const char *id = l->data;
      JsonNode *member = json_object_get_member (graph, id);
      JsonObject *node, *inputs;
      g_autoptr(GList) input_names = NULL;

      if (n >= WORKFLOW_MAX_NODES)
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("The workflow “%s” has more than %u nodes."), name, WORKFLOW_MAX_NODES);
          return FALSE;
        }

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("Node “%s” of the workflow “%s” is not an object."), id, name);
          return FALSE;
        }

      node = json_node_get_object (member);
      if (node_class (node) == NULL || node_class (node)[0] == '\0')
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("Node “%s” of the workflow “%s” has no “class_type”. "
                         "Export the workflow with Export (API)."),
                       id, name);
          return FALSE;
        }

      inputs = get_inputs (node);
      if (inputs == NULL)
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("Node “%s” (%s) of the workflow “%s” has no “inputs” object."),
                       id, node_class (node), name);
          return FALSE;
        }

      input_names = json_object_get_members (inputs);
      for (const GList *i = input_names; i != NULL; i = i->next)
        {
          const char *source = NULL;

          if (value_is_link (json_object_get_member (inputs, i->data), &source) &&
              !json_object_has_member (graph, source))
            {
              g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                           _("Input “%s” of node “%s” (%s) in the workflow “%s” is connected to node “%s”, "
                             "which is not in the workflow."),
                           (const char *)i->data, id, node_class (node), name, source);
              return FALSE;
            }
        }
    }

  return TRUE;
}

TakesComfyuiWorkflow *
takes_comfyui_workflow_new_from_data (const char  *data,
                                      gsize        length,
                                      const char  *name,
                                      GError     **error)
{
  g_autoptr(TakesComfyuiWorkflow) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  root = takes_json_guard_parse (data, length, WORKFLOW_MAX_DEPTH, WORKFLOW_MAX_SIZE, &local_error);
  if (root == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The workflow “%s” cannot be read: %s"), name, local_error->message);
      return NULL;
    }

  if (!check_graph (root, name, error))
    return NULL;

  self = g_object_new (TAKES_TYPE_COMFYUI_WORKFLOW, NULL);
  self->name = g_strdup (name);
  self->id = g_strdup (name);
  self->graph = json_object_ref (json_node_get_object (root));

  if (!read_tags (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

TakesComfyuiWorkflow *
takes_comfyui_workflow_load (const char  *path,
                             GError     **error)
{
  g_autoptr(TakesComfyuiWorkflow) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  gsize length = 0;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  /* Refuse huge files before reading them into memory. */
  if (g_stat (path, &st) == 0 && st.st_size > WORKFLOW_MAX_SIZE)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The workflow “%s” is too large to be a ComfyUI workflow."), path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The workflow file cannot be opened: %s"), local_error->message);
      return NULL;
    }

  basename = g_path_get_basename (path);
  self = takes_comfyui_workflow_new_from_data (contents, length, basename, error);
  if (self == NULL)
    return NULL;

  g_free (self->id);
  self->id = g_strdup (path);

  return g_steal_pointer (&self);
}

static void
ensure_resources (void)
{
  static gsize registered;

  /* Registered on first use rather than by a constructor, which the
   * linker would drop from the static library. */
  if (g_once_init_enter (&registered))
    {
      g_resources_register (takes_workflows_get_resource ());
      g_once_init_leave (&registered, 1);
    }
}

TakesComfyuiWorkflow *
takes_comfyui_workflow_load_builtin (const char  *id,
                                     GError     **error)
{
  g_autoptr(TakesComfyuiWorkflow) self = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  const char *label = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; builtin_workflows[i].id != NULL; i++)
    if (g_str_equal (builtin_workflows[i].id, id))
      label = builtin_workflows[i].label;

  if (label == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("“%s” is not a workflow Takes knows. Choose one of the list or import a workflow file."),
                   id);
      return NULL;
    }

  ensure_resources ();

  path = g_strconcat (RESOURCE_PREFIX, id, ".json", NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  self = takes_comfyui_workflow_new_from_data (data, length, _(label), error);
  if (self == NULL)
    return NULL;

  g_free (self->id);
  self->id = g_strdup (id);
  self->builtin = TRUE;

  return g_steal_pointer (&self);
}

TakesComfyuiWorkflow *
takes_comfyui_workflow_resolve (const char  *spec,
                                JsonObject  *mapping,
                                GError     **error)
{
  g_autoptr(TakesComfyuiWorkflow) self = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  if (g_path_is_absolute (spec))
    self = takes_comfyui_workflow_load (spec, error);
  else
    self = takes_comfyui_workflow_load_builtin (spec, error);

  if (self == NULL)
    return NULL;

  if (mapping != NULL && json_object_get_size (mapping) > 0 &&
      !takes_comfyui_workflow_set_mapping (self, mapping, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* ---- Accessors ----------------------------------------------------------------------- */

const char *
takes_comfyui_workflow_get_id (TakesComfyuiWorkflow *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  return self->id;
}

const char *
takes_comfyui_workflow_get_name (TakesComfyuiWorkflow *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  return self->name;
}

gboolean
takes_comfyui_workflow_is_builtin (TakesComfyuiWorkflow *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), FALSE);

  return self->builtin;
}

JsonObject *
takes_comfyui_workflow_get_graph (TakesComfyuiWorkflow *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  return self->graph;
}

const char *
takes_comfyui_workflow_get_node_class (TakesComfyuiWorkflow *self,
                                       const char           *node_id)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  return node_class (get_node (self, node_id));
}

const char *
takes_comfyui_workflow_get_node_title (TakesComfyuiWorkflow *self,
                                       const char           *node_id)
{
  JsonObject *node;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  node = get_node (self, node_id);
  if (node_title (node) != NULL)
    return node_title (node);

  return node_class (node);
}

char **
takes_comfyui_workflow_dup_literal_inputs (TakesComfyuiWorkflow *self,
                                           const char           *node_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *inputs;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  inputs = get_inputs (get_node (self, node_id));
  if (inputs != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (inputs);

      for (const GList *l = names; l != NULL; l = l->next)
        if (input_is_literal (inputs, l->data))
          g_strv_builder_add (builder, l->data);
    }

  return g_strv_builder_end (builder);
}

gboolean
takes_comfyui_workflow_is_tagged (TakesComfyuiWorkflow *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), FALSE);

  return self->tagged;
}

static JsonArray *
get_targets (TakesComfyuiWorkflow *self,
             TakesComfyuiRole      role)
{
  if (!json_object_has_member (self->mapping, role_names[role]))
    return NULL;

  return json_object_get_array_member (self->mapping, role_names[role]);
}

gboolean
takes_comfyui_workflow_has_role (TakesComfyuiWorkflow *self,
                                 TakesComfyuiRole      role)
{
  JsonArray *targets;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), FALSE);
  g_return_val_if_fail (role < TAKES_COMFYUI_N_ROLES, FALSE);

  targets = get_targets (self, role);

  return targets != NULL && json_array_get_length (targets) > 0;
}

const char *
takes_comfyui_workflow_get_output_node (TakesComfyuiWorkflow *self)
{
  JsonArray *targets;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  targets = get_targets (self, TAKES_COMFYUI_ROLE_OUTPUT);
  if (targets == NULL || json_array_get_length (targets) == 0)
    return NULL;

  return json_object_get_string_member (json_array_get_object_element (targets, 0), "node");
}

JsonObject *
takes_comfyui_workflow_dup_mapping (TakesComfyuiWorkflow *self)
{
  JsonObject *copy = json_object_new ();

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), copy);

  for (guint role = 0; role < TAKES_COMFYUI_N_ROLES; role++)
    {
      JsonArray *targets = get_targets (self, role);
      guint n = targets != NULL ? json_array_get_length (targets) : 0;

      if (n == 1)
        {
          JsonObject *target = json_array_get_object_element (targets, 0);
          JsonObject *out = json_object_new ();

          json_object_set_string_member (out, "node", json_object_get_string_member (target, "node"));
          if (json_object_has_member (target, "input"))
            json_object_set_string_member (out, "input", json_object_get_string_member (target, "input"));
          json_object_set_object_member (copy, role_names[role], out);
        }
      else if (n > 1)
        {
          JsonArray *out = json_array_new ();

          for (guint i = 0; i < n; i++)
            {
              JsonObject *target = json_array_get_object_element (targets, i);
              JsonObject *item = json_object_new ();

              json_object_set_string_member (item, "node", json_object_get_string_member (target, "node"));
              if (json_object_has_member (target, "input"))
                json_object_set_string_member (item, "input", json_object_get_string_member (target, "input"));
              json_array_add_object_element (out, item);
            }
          json_object_set_array_member (copy, role_names[role], out);
        }
    }

  return copy;
}

static gboolean
read_target (TakesComfyuiWorkflow  *self,
             JsonObject            *mapping,
             TakesComfyuiRole       role,
             JsonNode              *value,
             GError               **error)
{
  JsonObject *target, *node;
  const char *node_id, *input = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    goto bad;

  target = json_node_get_object (value);
  node_id = string_member (target, "node");
  if (node_id == NULL)
    goto bad;

  node = get_node (self, node_id);
  if (node == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("“%s” is set to node “%s”, which is not in the workflow “%s”."),
                   _(role_labels[role]), node_id, self->name);
      return FALSE;
    }

  if (role != TAKES_COMFYUI_ROLE_OUTPUT)
    {
      input = string_member (target, "input");
      if (input == NULL)
        input = find_role_input (node, role);

      if (input == NULL || !input_is_literal (get_inputs (node), input))
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("“%s” is set to input “%s” of node “%s” (%s), which it does not have as an unconnected value."),
                       _(role_labels[role]), input != NULL ? input : "?", node_id, node_class (node));
          return FALSE;
        }
    }

  mapping_add (mapping, role, node_id, input);

  return TRUE;

bad:
  g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
               _("The workflow mapping for “%s” should be {\"node\": id, \"input\": name}."),
               role_names[role]);
  return FALSE;
}

gboolean
takes_comfyui_workflow_set_mapping (TakesComfyuiWorkflow  *self,
                                    JsonObject            *mapping,
                                    GError               **error)
{
  g_autoptr(JsonObject) normalized = json_object_new ();
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  members = json_object_get_members (mapping);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (mapping, name);
      TakesComfyuiRole role;

      if (g_str_equal (name, "size"))
        {
          /* {"node": id} for a node with width and height inputs */
          if (!read_target (self, normalized, TAKES_COMFYUI_ROLE_WIDTH, value, error) ||
              !read_target (self, normalized, TAKES_COMFYUI_ROLE_HEIGHT, value, error))
            return FALSE;
          continue;
        }

      if (!takes_comfyui_role_from_string (name, &role))
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("The workflow mapping names “%s”, which is not something Takes can set."),
                       name);
          return FALSE;
        }

      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (array); i++)
            if (!read_target (self, normalized, role, json_array_get_element (array, i), error))
              return FALSE;
        }
      else if (JSON_NODE_HOLDS_NULL (value))
        continue;
      else if (!read_target (self, normalized, role, value, error))
        return FALSE;
    }

  g_clear_pointer (&self->mapping, json_object_unref);
  self->mapping = g_steal_pointer (&normalized);

  return TRUE;
}

gboolean
takes_comfyui_workflow_check_ready (TakesComfyuiWorkflow  *self,
                                    GError               **error)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), FALSE);

  if (!takes_comfyui_workflow_has_role (self, TAKES_COMFYUI_ROLE_PROMPT))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Takes does not know where the prompt goes in the workflow “%s”. "
                     "Add “[takes:prompt]” to the title of its text node, or set the mapping."),
                   self->name);
      return FALSE;
    }

  if (!takes_comfyui_workflow_has_role (self, TAKES_COMFYUI_ROLE_OUTPUT))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Takes does not know which node of the workflow “%s” saves the video. "
                     "Add “[takes:output]” to the title of its Save node, or set the mapping."),
                   self->name);
      return FALSE;
    }

  return TRUE;
}

/* ---- Guessing ------------------------------------------------------------------------------ */

static gboolean
class_matches (const char *class_type,
               const char *pattern)
{
  return class_type != NULL && g_pattern_match_simple (pattern, class_type);
}

static gboolean
is_output_class (const char *class_type)
{
  return class_matches (class_type, "Save*Video*") ||
         class_matches (class_type, "SaveWEBM") ||
         class_matches (class_type, "SaveAnimated*") ||
         class_matches (class_type, "VHS_VideoCombine") ||
         class_matches (class_type, "*VideoCombine*");
}

/* Walks links upstream from @node_id's @input (through conditioning
 * nodes) to the first node with a literal text input. */
static const char *
trace_text_node (TakesComfyuiWorkflow *self,
                 const char           *node_id,
                 const char           *input,
                 guint                 depth)
{
  JsonObject *inputs = get_inputs (get_node (self, node_id));
  const char *source = NULL;
  JsonObject *source_node;
  g_autoptr(GList) names = NULL;

  if (depth > 16 || inputs == NULL || !json_object_has_member (inputs, input) ||
      !value_is_link (json_object_get_member (inputs, input), &source))
    return NULL;

  source_node = get_node (self, source);
  if (find_role_input (source_node, TAKES_COMFYUI_ROLE_PROMPT) != NULL)
    return source;

  /* Conditioning passes through nodes that take "positive"/"negative"
   * (WanImageToVideo, LTXVConditioning) or "conditioning". */
  if (json_object_has_member (get_inputs (source_node), input))
    return trace_text_node (self, source, input, depth + 1);
  if (json_object_has_member (get_inputs (source_node), "conditioning"))
    return trace_text_node (self, source, "conditioning", depth + 1);

  return NULL;
}

JsonObject *
takes_comfyui_workflow_guess_mapping (TakesComfyuiWorkflow *self)
{
  g_autoptr(JsonObject) guess = json_object_new ();
  g_auto(GStrv) ids = NULL;
  const char *prompt_node = NULL, *negative_node = NULL;
  const char *size_node = NULL, *length_node = NULL, *seed_node = NULL;
  const char *image_node = NULL, *output_node = NULL;
  g_autoptr(GPtrArray) text_nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) fps_nodes = g_ptr_array_new ();

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);

  ids = takes_comfyui_workflow_dup_node_ids (self);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      JsonObject *node = get_node (self, ids[i]);
      JsonObject *inputs = get_inputs (node);
      const char *class_type = node_class (node);

      if (class_matches (class_type, "*TextEncode*") &&
          find_role_input (node, TAKES_COMFYUI_ROLE_PROMPT) != NULL)
        g_ptr_array_add (text_nodes, ids[i]);

      /* The sampler that adds noise decides the seed. */
      if (seed_node == NULL && find_role_input (node, TAKES_COMFYUI_ROLE_SEED) != NULL &&
          !(input_is_literal (inputs, "add_noise") &&
            json_node_get_value_type (json_object_get_member (inputs, "add_noise")) == G_TYPE_STRING &&
            g_strcmp0 (json_object_get_string_member (inputs, "add_noise"), "disable") == 0))
        seed_node = ids[i];

      if (json_object_has_member (inputs, "positive") && json_object_has_member (inputs, "negative") &&
          class_matches (class_type, "*Sampler*"))
        {
          if (prompt_node == NULL)
            prompt_node = trace_text_node (self, ids[i], "positive", 0);
          if (negative_node == NULL)
            negative_node = trace_text_node (self, ids[i], "negative", 0);
        }

      if (find_role_input (node, TAKES_COMFYUI_ROLE_WIDTH) != NULL &&
          find_role_input (node, TAKES_COMFYUI_ROLE_HEIGHT) != NULL &&
          (size_node == NULL ||
           class_matches (class_type, "Empty*Latent*") ||
           class_matches (class_type, "*ToVideo*")))
        {
          if (size_node == NULL || !class_matches (node_class (get_node (self, size_node)), "Empty*Latent*"))
            size_node = ids[i];
        }

      if (find_role_input (node, TAKES_COMFYUI_ROLE_LENGTH) != NULL &&
          (length_node == NULL || class_matches (class_type, "Empty*Latent*")))
        length_node = ids[i];

      if (find_role_input (node, TAKES_COMFYUI_ROLE_FPS) != NULL)
        g_ptr_array_add (fps_nodes, ids[i]);

      if (image_node == NULL && class_matches (class_type, "LoadImage*") &&
          find_role_input (node, TAKES_COMFYUI_ROLE_IMAGE) != NULL)
        image_node = ids[i];

      if (is_output_class (class_type) && output_node == NULL)
        output_node = ids[i];
    }

  /* Without a sampler to follow: titles, then order. */
  for (guint i = 0; i < text_nodes->len; i++)
    {
      const char *id = g_ptr_array_index (text_nodes, i);
      g_autofree char *title = g_utf8_strdown (takes_comfyui_workflow_get_node_title (self, id), -1);

      if (negative_node == NULL && strstr (title, "negative") != NULL && g_strcmp0 (id, prompt_node) != 0)
        negative_node = id;
    }
  for (guint i = 0; i < text_nodes->len; i++)
    {
      const char *id = g_ptr_array_index (text_nodes, i);

      if (prompt_node == NULL && g_strcmp0 (id, negative_node) != 0)
        prompt_node = id;
      else if (negative_node == NULL && g_strcmp0 (id, prompt_node) != 0)
        negative_node = id;
    }

#define ADD(role, id)                                                                     \
  G_STMT_START {                                                                          \
    if ((id) != NULL)                                                                     \
      mapping_add (guess, role, id,                                                       \
                   role == TAKES_COMFYUI_ROLE_OUTPUT ? NULL                               \
                                                     : find_role_input (get_node (self, id), role)); \
  } G_STMT_END

  ADD (TAKES_COMFYUI_ROLE_PROMPT, prompt_node);
  ADD (TAKES_COMFYUI_ROLE_NEGATIVE, negative_node);
  ADD (TAKES_COMFYUI_ROLE_SEED, seed_node);
  ADD (TAKES_COMFYUI_ROLE_WIDTH, size_node);
  ADD (TAKES_COMFYUI_ROLE_HEIGHT, size_node);
  ADD (TAKES_COMFYUI_ROLE_LENGTH, length_node);
  for (guint i = 0; i < fps_nodes->len; i++)
    ADD (TAKES_COMFYUI_ROLE_FPS, (const char *)g_ptr_array_index (fps_nodes, i));
  ADD (TAKES_COMFYUI_ROLE_IMAGE, image_node);
  ADD (TAKES_COMFYUI_ROLE_OUTPUT, output_node);

#undef ADD

  /* Hand it out in the same shape dup_mapping() uses. */
  {
    g_autoptr(JsonObject) saved = g_steal_pointer (&self->mapping);
    JsonObject *result;

    self->mapping = g_steal_pointer (&guess);
    result = takes_comfyui_workflow_dup_mapping (self);
    g_clear_pointer (&self->mapping, json_object_unref);
    self->mapping = g_steal_pointer (&saved);

    return result;
  }
}

/* ---- Applying values ---------------------------------------------------------------------- */

static JsonNode *
deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *source = json_node_get_object (node);
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (source);
      JsonNode *result = json_node_new (JSON_NODE_OBJECT);

      for (const GList *l = members; l != NULL; l = l->next)
        json_object_set_member (copy, l->data, deep_copy (json_object_get_member (source, l->data)));
      json_node_set_object (result, copy);
      return result;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *source = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (source));
      JsonNode *result = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (copy, deep_copy (json_array_get_element (source, i)));
      json_node_set_array (result, copy);
      return result;
    }

  return json_node_copy (node);
}

static gboolean
is_ltxv (const char *class_type)
{
  return class_type != NULL && strstr (class_type, "LTXV") != NULL;
}

int
takes_comfyui_frames_for (const char *class_type,
                          double      duration,
                          int         fps)
{
  int step = is_ltxv (class_type) ? 8 : 4;
  double frames = duration * fps;
  int n = (int)MAX (1.0, round (frames / step));

  /* Video VAEs compress time by 4 (8 for LTX) and keep the first frame:
   * lengths of the form step × n + 1. */
  return step * n + 1;
}

static int
round_size (const char *class_type,
            int         value)
{
  int step = is_ltxv (class_type) ? 32 : 16;

  return MAX (step, (int)round ((double)value / step) * step);
}

static void
set_input (JsonObject *graph,
           JsonObject *target,
           JsonNode   *value)
{
  const char *node_id = json_object_get_string_member (target, "node");
  const char *input = json_object_get_string_member_with_default (target, "input", NULL);
  JsonObject *node = json_object_get_object_member (graph, node_id);

  json_object_set_member (json_object_get_object_member (node, "inputs"), input, value);
}

static JsonNode *
number_like (JsonNode *existing,
             double    value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  /* Keep the type ComfyUI validated the template with: FLOAT inputs
   * reject nothing, but INT inputs refuse 16.0. */
  if (existing != NULL && JSON_NODE_HOLDS_VALUE (existing) &&
      json_node_get_value_type (existing) == G_TYPE_DOUBLE)
    json_node_set_double (node, value);
  else
    json_node_set_int (node, (gint64)round (value));

  return node;
}

JsonNode *
takes_comfyui_workflow_apply (TakesComfyuiWorkflow      *self,
                              const TakesComfyuiValues  *values,
                              GError                   **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *graph;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (self), NULL);
  g_return_val_if_fail (values != NULL, NULL);

  if (!takes_comfyui_workflow_check_ready (self, error))
    return NULL;

  {
    g_autoptr(JsonNode) source = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (source, self->graph);
    root = deep_copy (source);
  }
  graph = json_node_get_object (root);

  for (guint role = 0; role < TAKES_COMFYUI_N_ROLES; role++)
    {
      JsonArray *targets = get_targets (self, role);

      for (guint i = 0; targets != NULL && i < json_array_get_length (targets); i++)
        {
          JsonObject *target = json_array_get_object_element (targets, i);
          JsonObject *node = json_object_get_object_member (graph, json_object_get_string_member (target, "node"));
          const char *class_type = node_class (node);
          const char *input = json_object_get_string_member_with_default (target, "input", NULL);
          JsonNode *existing = input != NULL ? json_object_get_member (get_inputs (node), input) : NULL;

          switch ((TakesComfyuiRole)role)
            {
            case TAKES_COMFYUI_ROLE_PROMPT:
              set_input (graph, target, json_node_init_string (json_node_alloc (), values->prompt != NULL ? values->prompt : ""));
              break;
            case TAKES_COMFYUI_ROLE_NEGATIVE:
              if (values->negative != NULL)
                set_input (graph, target, json_node_init_string (json_node_alloc (), values->negative));
              break;
            case TAKES_COMFYUI_ROLE_SEED:
              if (values->seed >= 0)
                set_input (graph, target, json_node_init_int (json_node_alloc (), values->seed));
              break;
            case TAKES_COMFYUI_ROLE_WIDTH:
              if (values->width > 0)
                set_input (graph, target, number_like (existing, round_size (class_type, values->width)));
              break;
            case TAKES_COMFYUI_ROLE_HEIGHT:
              if (values->height > 0)
                set_input (graph, target, number_like (existing, round_size (class_type, values->height)));
              break;
            case TAKES_COMFYUI_ROLE_LENGTH:
              if (values->duration > 0 && values->fps > 0)
                set_input (graph, target,
                           number_like (existing, takes_comfyui_frames_for (class_type, values->duration, values->fps)));
              break;
            case TAKES_COMFYUI_ROLE_FPS:
              if (values->fps > 0)
                set_input (graph, target, number_like (existing, values->fps));
              break;
            case TAKES_COMFYUI_ROLE_IMAGE:
              if (values->image != NULL)
                set_input (graph, target, json_node_init_string (json_node_alloc (), values->image));
              break;
            case TAKES_COMFYUI_ROLE_OUTPUT:
            case TAKES_COMFYUI_N_ROLES:
            default:
              break;
            }
        }
    }

  return g_steal_pointer (&root);
}
