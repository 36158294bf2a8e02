/* fake-comfyui.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-comfyui"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fake-comfyui.h"
#include "takes-json-guard.h"

#define DEEP_NESTING 100000
#define TICK_MS      5

/* Node classes the fake knows, with the inputs ComfyUI requires of them. */
typedef struct
{
  const char *class_type;
  const char *required[12];
  gboolean    output;
} NodeClass;

static const NodeClass node_classes[] = {
  { "UNETLoader", { "unet_name", "weight_dtype" }, FALSE },
  { "CLIPLoader", { "clip_name", "type" }, FALSE },
  { "VAELoader", { "vae_name" }, FALSE },
  { "CheckpointLoaderSimple", { "ckpt_name" }, FALSE },
  { "CLIPVisionLoader", { "clip_name" }, FALSE },
  { "CLIPVisionEncode", { "clip_vision", "image", "crop" }, FALSE },
  { "LoadImage", { "image" }, FALSE },
  { "ModelSamplingSD3", { "model", "shift" }, FALSE },
  { "CLIPTextEncode", { "text", "clip" }, FALSE },
  { "EmptyHunyuanLatentVideo", { "width", "height", "length", "batch_size" }, FALSE },
  { "EmptyLTXVLatentVideo", { "width", "height", "length", "batch_size" }, FALSE },
  { "EmptyLatentImage", { "width", "height", "batch_size" }, FALSE },
  { "WanImageToVideo", { "positive", "negative", "vae", "width", "height", "length", "batch_size" }, FALSE },
  { "LTXVConditioning", { "positive", "negative", "frame_rate" }, FALSE },
  { "LTXVScheduler", { "steps", "max_shift", "base_shift", "stretch", "terminal" }, FALSE },
  { "KSamplerSelect", { "sampler_name" }, FALSE },
  { "KSampler", { "model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive", "negative", "latent_image", "denoise" }, FALSE },
  { "SamplerCustom", { "model", "add_noise", "noise_seed", "cfg", "positive", "negative", "sampler", "sigmas", "latent_image" }, FALSE },
  { "VAEDecode", { "samples", "vae" }, FALSE },
  { "CreateVideo", { "images", "fps" }, FALSE },
  { "SaveVideo", { "video", "filename_prefix", "format", "codec" }, TRUE },
  { "SaveWEBM", { "images", "filename_prefix", "codec", "fps", "crf" }, TRUE },
  { "SaveAnimatedWEBP", { "images", "filename_prefix", "fps", "lossless", "quality", "method" }, TRUE },
  { "SaveImage", { "images", "filename_prefix" }, TRUE },
  { "VHS_VideoCombine", { "images", "frame_rate", "loop_count", "filename_prefix", "format", "pingpong", "save_output" }, TRUE },
};

/* INT inputs: ComfyUI converts with int() and checks the minimum. */
static const struct { const char *name; gint64 min; } int_inputs[] = {
  { "seed", 0 }, { "noise_seed", 0 }, { "steps", 1 }, { "width", 16 }, { "height", 16 },
  { "length", 1 }, { "batch_size", 1 },
};

typedef enum
{
  PROMPT_PENDING,
  PROMPT_RUNNING,
  PROMPT_DONE,
} PromptState;

typedef enum
{
  STEP_EVENT,
  STEP_HOLD,
  STEP_FINISH,
} StepKind;

typedef struct
{
  StepKind    kind;
  char       *type;
  JsonObject *data;
} Step;

typedef struct
{
  char        *id;
  gint64       number;
  JsonObject  *graph;
  char        *client_id;
  char        *output_node;
  PromptState  state;
  GQueue      *steps;
  JsonObject  *history;
  gboolean     fail;
} Prompt;

typedef struct
{
  gboolean on;
  guint    remaining;
} Fault;

typedef struct
{
  SoupWebsocketConnection *connection;
  char                    *client_id;
} Socket;

struct _FakeComfyui
{
  GObject                 parent_instance;

  SoupServer             *server;
  char                   *base_url;
  GHashTable             *prompts;      /* id → Prompt */
  GQueue                 *queue;        /* Prompt (borrowed), pending then running */
  GPtrArray              *sockets;
  GHashTable             *files;        /* "type/subfolder/filename" → GBytes */
  GHashTable             *uploads;      /* name → GBytes */
  GHashTable             *requests;     /* "METHOD path" → count */
  GPtrArray              *held_streams;
  GBytes                 *video;
  char                   *output_name;
  JsonObject             *last_graph;
  char                   *last_client_id;
  char                   *last_prompt_id;
  GSource                *ticker;

  Fault                   faults[FAKE_COMFYUI_N_FAULTS];
  FakeComfyuiOutputStyle  output_style;
  guint                   steps;
  gboolean                hold;
  gint64                  next_number;
  guint                   prompt_count;
  guint                   interrupt_count;
  guint                   delete_count;
  guint                   socket_count;
  guint                   file_counter;
};

G_DEFINE_FINAL_TYPE (FakeComfyui, fake_comfyui, G_TYPE_OBJECT)

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->type);
  g_clear_pointer (&step->data, json_object_unref);
  g_free (step);
}

static void
prompt_free (gpointer data)
{
  Prompt *prompt = data;

  g_free (prompt->id);
  g_clear_pointer (&prompt->graph, json_object_unref);
  g_free (prompt->client_id);
  g_free (prompt->output_node);
  if (prompt->steps != NULL)
    g_queue_free_full (prompt->steps, step_free);
  g_clear_pointer (&prompt->history, json_object_unref);
  g_free (prompt);
}

static void
socket_free (gpointer data)
{
  Socket *socket = data;

  g_signal_handlers_disconnect_matched (socket->connection, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, socket);
  if (soup_websocket_connection_get_state (socket->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (socket->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (socket->connection);
  g_free (socket->client_id);
  g_free (socket);
}

static void
fake_comfyui_dispose (GObject *object)
{
  FakeComfyui *self = (FakeComfyui *)object;

  if (self->ticker != NULL)
    {
      g_source_destroy (self->ticker);
      g_clear_pointer (&self->ticker, g_source_unref);
    }

  if (self->held_streams != NULL)
    {
      for (guint i = 0; i < self->held_streams->len; i++)
        g_io_stream_close (g_ptr_array_index (self->held_streams, i), NULL, NULL);
      g_clear_pointer (&self->held_streams, g_ptr_array_unref);
    }

  g_clear_pointer (&self->sockets, g_ptr_array_unref);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (fake_comfyui_parent_class)->dispose (object);
}

static void
fake_comfyui_finalize (GObject *object)
{
  FakeComfyui *self = (FakeComfyui *)object;

  g_free (self->base_url);
  g_clear_pointer (&self->queue, g_queue_free);
  g_clear_pointer (&self->prompts, g_hash_table_unref);
  g_clear_pointer (&self->files, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->video, g_bytes_unref);
  g_clear_pointer (&self->last_graph, json_object_unref);
  g_free (self->output_name);
  g_free (self->last_client_id);
  g_free (self->last_prompt_id);

  G_OBJECT_CLASS (fake_comfyui_parent_class)->finalize (object);
}

static void
fake_comfyui_class_init (FakeComfyuiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fake_comfyui_dispose;
  object_class->finalize = fake_comfyui_finalize;
}

static void
fake_comfyui_init (FakeComfyui *self)
{
  static const char not_a_video[] = "not a video";

  self->prompts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, prompt_free);
  self->queue = g_queue_new ();
  self->sockets = g_ptr_array_new_with_free_func (socket_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->held_streams = g_ptr_array_new_with_free_func (g_object_unref);
  self->video = g_bytes_new_static (not_a_video, sizeof not_a_video - 1);
  self->steps = 5;
  self->next_number = 1;
}

/* ---- Helpers ------------------------------------------------------------------ */

static gboolean
fault_hit (FakeComfyui      *self,
           FakeComfyuiFault  fault)
{
  Fault *f = &self->faults[fault];

  if (!f->on)
    return FALSE;

  if (f->remaining > 0 && --f->remaining == 0)
    f->on = FALSE;

  return TRUE;
}

static char *
to_json (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  char *json = to_json (node);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json, strlen (json));
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  respond_node (msg, status, node);
}

/* ComfyUI's validation answer: {"error": {...}, "node_errors": {...}} */
static void
respond_error (SoupServerMessage *msg,
               const char        *type,
               const char        *message,
               const char        *details,
               JsonObject        *node_errors)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "type", type);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (error, "details", details != NULL ? details : "");
  json_object_set_object_member (error, "extra_info", json_object_new ());
  json_object_set_object_member (body, "error", error);
  json_object_set_object_member (body, "node_errors",
                                 node_errors != NULL ? json_object_ref (node_errors) : json_object_new ());
  respond_object (msg, 400, body);
}

static const NodeClass *
find_class (const char *class_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (node_classes); i++)
    if (g_strcmp0 (node_classes[i].class_type, class_type) == 0)
      return &node_classes[i];

  return NULL;
}

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
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const char *id_a = *(const char * const *)a;
  const char *id_b = *(const char * const *)b;
  gint64 num_a = g_ascii_strtoll (id_a, NULL, 10);
  gint64 num_b = g_ascii_strtoll (id_b, NULL, 10);

  if (num_a != num_b)
    return num_a < num_b ? -1 : 1;

  return strcmp (id_a, id_b);
}

static GPtrArray *
sorted_ids (JsonObject *graph)
{
  g_autoptr(GList) members = json_object_get_members (graph);
  GPtrArray *ids = g_ptr_array_new ();

  for (const GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (ids, l->data);
  g_ptr_array_sort (ids, compare_ids);

  return ids;
}

/* ---- WebSocket ------------------------------------------------------------------ */

static void
send_event (FakeComfyui *self,
            const char  *client_id,
            const char  *type,
            JsonObject  *data)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_object_set_string_member (message, "type", type);
  json_object_set_object_member (message, "data", json_object_ref (data));
  json_node_set_object (node, message);
  text = to_json (node);

  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);

      if (soup_websocket_connection_get_state (socket->connection) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;

      /* Execution events go to the prompt's client; the rest to all. */
      if (client_id != NULL && g_strcmp0 (socket->client_id, client_id) != 0)
        continue;

      soup_websocket_connection_send_text (socket->connection, text);
    }
}

/* A binary PREVIEW_IMAGE frame (event 1, format 1 = JPEG) of a size real
 * previews reach. */
static void
send_preview (FakeComfyui *self,
              const char  *client_id)
{
  gsize size = 8 + 200 * 1024;
  g_autofree guint8 *frame = g_malloc0 (size);

  frame[3] = 1;
  frame[7] = 1;
  frame[8] = 0xff;
  frame[9] = 0xd8;

  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);

      if (soup_websocket_connection_get_state (socket->connection) == SOUP_WEBSOCKET_STATE_OPEN &&
          g_strcmp0 (socket->client_id, client_id) == 0)
        soup_websocket_connection_send_binary (socket->connection, frame, size);
    }
}

static void
send_status (FakeComfyui *self,
             Socket      *only)
{
  g_autoptr(JsonObject) data = json_object_new ();
  JsonObject *status = json_object_new ();
  JsonObject *exec_info = json_object_new ();

  json_object_set_int_member (exec_info, "queue_remaining", g_queue_get_length (self->queue));
  json_object_set_object_member (status, "exec_info", exec_info);
  json_object_set_object_member (data, "status", status);

  if (only != NULL)
    {
      g_autoptr(JsonObject) message = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_object_set_string_member (data, "sid", only->client_id);
      json_object_set_string_member (message, "type", "status");
      json_object_set_object_member (message, "data", json_object_ref (data));
      json_node_set_object (node, message);
      text = to_json (node);
      soup_websocket_connection_send_text (only->connection, text);
      return;
    }

  send_event (self, NULL, "status", data);
}

static void
on_socket_closed (SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  FakeComfyui *self = g_object_get_data (G_OBJECT (connection), "fake-comfyui");

  if (self != NULL)
    g_ptr_array_remove (self->sockets, user_data);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  FakeComfyui *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) params = NULL;
  Socket *socket = g_new0 (Socket, 1);

  if (g_uri_get_query (uri) != NULL)
    params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);

  socket->connection = g_object_ref (connection);
  socket->client_id = g_strdup (params != NULL ? g_hash_table_lookup (params, "clientId") : NULL);
  if (socket->client_id == NULL)
    socket->client_id = g_uuid_string_random ();

  g_object_set_data (G_OBJECT (connection), "fake-comfyui", self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_socket_closed), socket);
  g_ptr_array_add (self->sockets, socket);
  self->socket_count++;

  send_status (self, socket);
}

/* ---- Running prompts -------------------------------------------------------------- */

static void
add_step (Prompt     *prompt,
          StepKind    kind,
          const char *type,
          JsonObject *data)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->type = g_strdup (type);
  step->data = data;
  g_queue_push_tail (prompt->steps, step);
}

static JsonObject *
event_data (Prompt     *prompt,
            const char *node)
{
  JsonObject *data = json_object_new ();

  if (node != NULL)
    {
      json_object_set_string_member (data, "node", node);
      json_object_set_string_member (data, "display_node", node);
    }
  json_object_set_string_member (data, "prompt_id", prompt->id);

  return data;
}

static gboolean
is_sampler (JsonObject *node)
{
  const char *class_type = string_member (node, "class_type");

  return g_strcmp0 (class_type, "KSampler") == 0 || g_strcmp0 (class_type, "SamplerCustom") == 0;
}

/* What the output node lists in the history, and the file it made. */
static JsonObject *
make_output (FakeComfyui *self,
             Prompt      *prompt)
{
  JsonObject *node = object_member (prompt->graph, prompt->output_node);
  JsonObject *inputs = object_member (node, "inputs");
  const char *class_type = string_member (node, "class_type");
  const char *prefix = string_member (inputs, "filename_prefix");
  const char *format = string_member (inputs, "format");
  gboolean vhs = g_strcmp0 (class_type, "VHS_VideoCombine") == 0;
  g_autofree char *subfolder = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *key = NULL;
  const char *slash, *extension = "mp4";
  JsonObject *output = json_object_new ();
  JsonObject *item = json_object_new ();
  JsonArray *items = json_array_new ();
  gboolean gifs;

  if (prefix == NULL)
    prefix = "ComfyUI";
  slash = strrchr (prefix, '/');
  subfolder = slash != NULL ? g_strndup (prefix, slash - prefix) : g_strdup ("");
  stem = g_strdup (slash != NULL ? slash + 1 : prefix);

  if (g_strcmp0 (class_type, "SaveAnimatedWEBP") == 0)
    extension = "webp";
  else if (g_strcmp0 (class_type, "SaveWEBM") == 0 || g_strcmp0 (format, "video/webm") == 0 || g_strcmp0 (format, "webm") == 0)
    extension = "webm";
  else if (g_strcmp0 (format, "image/gif") == 0)
    extension = "gif";

  self->file_counter++;
  if (self->output_name != NULL)
    filename = g_strdup (self->output_name);
  else if (vhs)
    filename = g_strdup_printf ("%s_%05u.%s", stem, self->file_counter, extension);
  else
    filename = g_strdup_printf ("%s_%05u_.%s", stem, self->file_counter, extension);

  key = g_strdup_printf ("output/%s/%s", subfolder, filename);
  g_hash_table_replace (self->files, g_strdup (key), g_bytes_ref (self->video));

  json_object_set_string_member (item, "filename", filename);
  json_object_set_string_member (item, "subfolder", subfolder);
  json_object_set_string_member (item, "type", "output");

  gifs = self->output_style == FAKE_COMFYUI_OUTPUT_GIFS ||
         (self->output_style == FAKE_COMFYUI_OUTPUT_AUTO && vhs);
  if (gifs)
    {
      g_autofree char *workflow = g_strdup_printf ("%s_%05u.png", stem, self->file_counter);
      g_autofree char *fullpath = g_strdup_printf ("/srv/comfyui/output/%s/%s", subfolder, filename);

      json_object_set_string_member (item, "format", format != NULL ? format : "video/h264-mp4");
      json_object_set_double_member (item, "frame_rate", 16.0);
      json_object_set_string_member (item, "workflow", workflow);
      json_object_set_string_member (item, "fullpath", fullpath);
      json_array_add_object_element (items, item);
      json_object_set_array_member (output, "gifs", items);
    }
  else
    {
      JsonArray *animated = json_array_new ();

      json_array_add_object_element (items, item);
      json_object_set_array_member (output, "images", items);
      json_array_add_boolean_element (animated, TRUE);
      json_object_set_array_member (output, "animated", animated);
    }

  return output;
}

static void
plan_prompt (FakeComfyui *self,
             Prompt      *prompt)
{
  g_autoptr(GPtrArray) ids = sorted_ids (prompt->graph);
  JsonObject *data;

  prompt->steps = g_queue_new ();

  data = event_data (prompt, NULL);
  json_object_set_int_member (data, "timestamp", now_ms ());
  add_step (prompt, STEP_EVENT, "execution_start", data);

  data = event_data (prompt, NULL);
  json_object_set_array_member (data, "nodes", json_array_new ());
  json_object_set_int_member (data, "timestamp", now_ms ());
  add_step (prompt, STEP_EVENT, "execution_cached", data);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      JsonObject *node = object_member (prompt->graph, id);

      add_step (prompt, STEP_EVENT, "executing", event_data (prompt, id));

      if (is_sampler (node))
        {
          for (guint step = 1; step <= self->steps; step++)
            {
              data = event_data (prompt, id);
              json_object_set_int_member (data, "value", step);
              json_object_set_int_member (data, "max", self->steps);
              add_step (prompt, STEP_EVENT, "progress", data);

              if (step == self->steps / 2 + 1)
                add_step (prompt, STEP_HOLD, NULL, NULL);
            }

          if (prompt->fail)
            {
              JsonArray *executed = json_array_new ();

              data = json_object_new ();
              json_object_set_string_member (data, "prompt_id", prompt->id);
              json_object_set_string_member (data, "node_id", id);
              json_object_set_string_member (data, "node_type", string_member (node, "class_type"));
              json_object_set_array_member (data, "executed", executed);
              json_object_set_string_member (data, "exception_message",
                                             "Allocation on device 0 would exceed allowed memory. (out of memory)");
              json_object_set_string_member (data, "exception_type", "torch.OutOfMemoryError");
              json_object_set_array_member (data, "traceback", json_array_new ());
              json_object_set_object_member (data, "current_inputs", json_object_new ());
              json_object_set_object_member (data, "current_outputs", json_object_new ());
              json_object_set_int_member (data, "timestamp", now_ms ());
              add_step (prompt, STEP_EVENT, "execution_error", data);
              add_step (prompt, STEP_FINISH, NULL, NULL);
              return;
            }
        }

      if (g_strcmp0 (id, prompt->output_node) == 0)
        {
          data = event_data (prompt, id);
          json_object_set_object_member (data, "output", make_output (self, prompt));
          add_step (prompt, STEP_EVENT, "executed", data);
        }
    }

  data = json_object_new ();
  json_object_set_null_member (data, "node");
  json_object_set_string_member (data, "prompt_id", prompt->id);
  add_step (prompt, STEP_EVENT, "executing", data);

  data = event_data (prompt, NULL);
  json_object_set_int_member (data, "timestamp", now_ms ());
  add_step (prompt, STEP_EVENT, "execution_success", data);
  add_step (prompt, STEP_FINISH, NULL, NULL);
}

static JsonArray *
queue_tuple (Prompt *prompt)
{
  JsonArray *tuple = json_array_new ();
  JsonObject *extra = json_object_new ();
  JsonArray *outputs = json_array_new ();

  json_array_add_int_element (tuple, prompt->number);
  json_array_add_string_element (tuple, prompt->id);
  json_array_add_object_element (tuple, json_object_ref (prompt->graph));
  if (prompt->client_id != NULL)
    json_object_set_string_member (extra, "client_id", prompt->client_id);
  json_array_add_object_element (tuple, extra);
  json_array_add_string_element (outputs, prompt->output_node);
  json_array_add_array_element (tuple, outputs);

  return tuple;
}

/* The history entry, from the events the prompt sent. */
static void
finish_prompt (FakeComfyui *self,
               Prompt      *prompt,
               GPtrArray   *sent,
               gboolean     interrupted)
{
  JsonObject *entry = json_object_new ();
  JsonObject *status = json_object_new ();
  JsonObject *outputs = json_object_new ();
  JsonArray *messages = json_array_new ();
  gboolean failed = interrupted;

  for (guint i = 0; i < sent->len; i++)
    {
      Step *step = g_ptr_array_index (sent, i);

      if (g_str_equal (step->type, "executed"))
        json_object_set_object_member (outputs, string_member (step->data, "node"),
                                       json_object_ref (object_member (step->data, "output")));

      if (g_str_equal (step->type, "execution_start") || g_str_equal (step->type, "execution_cached") ||
          g_str_equal (step->type, "execution_success") || g_str_equal (step->type, "execution_error") ||
          g_str_equal (step->type, "execution_interrupted"))
        {
          JsonArray *pair = json_array_new ();

          json_array_add_string_element (pair, step->type);
          json_array_add_object_element (pair, json_object_ref (step->data));
          json_array_add_array_element (messages, pair);
        }

      if (g_str_equal (step->type, "execution_error"))
        failed = TRUE;
    }

  json_object_set_string_member (status, "status_str", failed ? "error" : "success");
  json_object_set_boolean_member (status, "completed", !failed);
  json_object_set_array_member (status, "messages", messages);

  json_object_set_array_member (entry, "prompt", queue_tuple (prompt));
  json_object_set_object_member (entry, "outputs", outputs);
  json_object_set_object_member (entry, "status", status);
  json_object_set_object_member (entry, "meta", json_object_new ());

  prompt->history = entry;
  prompt->state = PROMPT_DONE;
  g_queue_remove (self->queue, prompt);
  send_status (self, NULL);
}

static void start_ticker (FakeComfyui *self);

static gboolean
on_tick (gpointer user_data)
{
  FakeComfyui *self = user_data;
  Prompt *prompt = g_queue_peek_head (self->queue);
  GPtrArray *sent;
  Step *step;

  if (prompt == NULL)
    {
      g_clear_pointer (&self->ticker, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  if (prompt->state == PROMPT_PENDING)
    {
      prompt->state = PROMPT_RUNNING;
      plan_prompt (self, prompt);
      g_object_set_data_full (G_OBJECT (self), prompt->id, g_ptr_array_new_with_free_func (step_free),
                              (GDestroyNotify)g_ptr_array_unref);
    }

  sent = g_object_get_data (G_OBJECT (self), prompt->id);
  step = g_queue_peek_head (prompt->steps);

  if (step->kind == STEP_HOLD)
    {
      if (self->hold)
        return G_SOURCE_CONTINUE;
      step_free (g_queue_pop_head (prompt->steps));
      return G_SOURCE_CONTINUE;
    }

  g_queue_pop_head (prompt->steps);

  if (step->kind == STEP_FINISH)
    {
      step_free (step);
      finish_prompt (self, prompt, sent, FALSE);
      g_object_set_data (G_OBJECT (self), prompt->id, NULL);
      return G_SOURCE_CONTINUE;
    }

  send_event (self, prompt->client_id, step->type, step->data);
  if (g_str_equal (step->type, "progress") && json_object_get_int_member (step->data, "value") == 1)
    send_preview (self, prompt->client_id);
  g_ptr_array_add (sent, step);

  return G_SOURCE_CONTINUE;
}

static void
start_ticker (FakeComfyui *self)
{
  if (self->ticker != NULL)
    return;

  self->ticker = g_timeout_source_new (TICK_MS);
  g_source_set_callback (self->ticker, on_tick, self, NULL);
  g_source_attach (self->ticker, g_main_context_get_thread_default ());
}

static void
interrupt_prompt (FakeComfyui *self,
                  Prompt      *prompt)
{
  GPtrArray *sent = g_object_get_data (G_OBJECT (self), prompt->id);
  Step *step = g_new0 (Step, 1);
  JsonObject *data = event_data (prompt, NULL);

  json_object_set_string_member (data, "node_id", "3");
  json_object_set_string_member (data, "node_type", "KSampler");
  json_object_set_array_member (data, "executed", json_array_new ());
  json_object_set_int_member (data, "timestamp", now_ms ());

  step->kind = STEP_EVENT;
  step->type = g_strdup ("execution_interrupted");
  step->data = data;
  send_event (self, prompt->client_id, step->type, step->data);

  if (sent == NULL)
    {
      sent = g_ptr_array_new_with_free_func (step_free);
      g_object_set_data_full (G_OBJECT (self), prompt->id, sent, (GDestroyNotify)g_ptr_array_unref);
    }
  g_ptr_array_add (sent, step);

  finish_prompt (self, prompt, sent, TRUE);
  g_object_set_data (G_OBJECT (self), prompt->id, NULL);
}

/* ---- Routes ------------------------------------------------------------------------ */

static JsonObject *
node_error (const char *class_type,
            const char *type,
            const char *message,
            const char *details,
            const char *input_name)
{
  JsonObject *entry = json_object_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *error = json_object_new ();
  JsonObject *extra = json_object_new ();

  json_object_set_string_member (error, "type", type);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (error, "details", details);
  if (input_name != NULL)
    json_object_set_string_member (extra, "input_name", input_name);
  json_object_set_object_member (error, "extra_info", extra);
  json_array_add_object_element (errors, error);
  json_object_set_array_member (entry, "errors", errors);
  json_object_set_array_member (entry, "dependent_outputs", json_array_new ());
  json_object_set_string_member (entry, "class_type", class_type);

  return entry;
}

static void
handle_post_prompt (FakeComfyui       *self,
                    SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) node_errors = json_object_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonObject *graph;
  const char *output_node = NULL;
  Prompt *prompt;

  root = takes_json_guard_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 64, 16 * 1024 * 1024, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      object_member (json_node_get_object (root), "prompt") == NULL)
    {
      respond_error (msg, "no_prompt", "No prompt provided", "No prompt provided", NULL);
      return;
    }

  graph = object_member (json_node_get_object (root), "prompt");
  ids = sorted_ids (graph);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      JsonObject *node = object_member (graph, id);
      const char *class_type = string_member (node, "class_type");
      JsonObject *inputs = object_member (node, "inputs");
      const NodeClass *known;
      g_autoptr(GList) names = NULL;

      if (node == NULL || class_type == NULL || inputs == NULL)
        {
          g_autofree char *details = g_strdup_printf ("Node ID '#%s'", id);

          respond_error (msg, "invalid_prompt", "Cannot execute because a node is missing the class_type property.",
                         details, NULL);
          return;
        }

      known = find_class (class_type);
      if (known == NULL)
        {
          g_autofree char *message = g_strdup_printf ("Cannot execute because node %s does not exist.", class_type);
          g_autofree char *details = g_strdup_printf ("Node ID '#%s'", id);

          respond_error (msg, "invalid_prompt", message, details, NULL);
          return;
        }

      if (known->output && output_node == NULL)
        output_node = id;

      for (guint r = 0; r < G_N_ELEMENTS (known->required) && known->required[r] != NULL; r++)
        if (!json_object_has_member (inputs, known->required[r]))
          json_object_set_object_member (node_errors, id,
                                         node_error (class_type, "required_input_missing",
                                                     "Required input is missing", known->required[r],
                                                     known->required[r]));

      names = json_object_get_members (inputs);
      for (const GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (inputs, l->data);

          if (JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *link = json_node_get_array (value);
              JsonNode *source = json_array_get_length (link) == 2 ? json_array_get_element (link, 0) : NULL;

              if (source == NULL || !JSON_NODE_HOLDS_VALUE (source) ||
                  json_node_get_value_type (source) != G_TYPE_STRING ||
                  object_member (graph, json_node_get_string (source)) == NULL)
                {
                  g_autofree char *details = g_strdup_printf ("%s: link to a node that does not exist",
                                                              (const char *)l->data);

                  json_object_set_object_member (node_errors, id,
                                                 node_error (class_type, "bad_linked_input",
                                                             "Bad linked input, must be a length-2 list of [node_id, slot_index]",
                                                             details, l->data));
                }
              continue;
            }

          for (guint k = 0; k < G_N_ELEMENTS (int_inputs); k++)
            {
              if (!g_str_equal (int_inputs[k].name, l->data))
                continue;

              if (!JSON_NODE_HOLDS_VALUE (value) ||
                  (json_node_get_value_type (value) != G_TYPE_INT64 && json_node_get_value_type (value) != G_TYPE_DOUBLE))
                {
                  g_autofree char *details = g_strdup_printf ("%s, could not convert to INT", (const char *)l->data);

                  json_object_set_object_member (node_errors, id,
                                                 node_error (class_type, "invalid_input_type",
                                                             "Failed to convert an input value to a INT value",
                                                             details, l->data));
                }
              else if (json_node_get_double (value) < (double)int_inputs[k].min)
                {
                  g_autofree char *details = g_strdup_printf ("%s, %" G_GINT64_FORMAT " smaller than min of %" G_GINT64_FORMAT,
                                                              (const char *)l->data, json_node_get_int (value),
                                                              int_inputs[k].min);

                  json_object_set_object_member (node_errors, id,
                                                 node_error (class_type, "value_smaller_than_min",
                                                             "Value smaller than min", details, l->data));
                }
            }
        }

      if (g_str_equal (class_type, "LoadImage"))
        {
          const char *image = string_member (inputs, "image");

          if (image == NULL || (g_hash_table_lookup (self->uploads, image) == NULL &&
                                g_strcmp0 (image, "example.png") != 0))
            {
              g_autofree char *details = g_strdup_printf ("Invalid image file: %s", image != NULL ? image : "(none)");

              json_object_set_object_member (node_errors, id,
                                             node_error (class_type, "custom_validation_failed",
                                                         "Custom validation failed for node", details, "image"));
            }
        }

      if ((g_str_equal (class_type, "UNETLoader") || g_str_equal (class_type, "CheckpointLoaderSimple")) &&
          fault_hit (self, FAKE_COMFYUI_FAULT_NODE_ERROR))
        {
          const char *input = g_str_equal (class_type, "UNETLoader") ? "unet_name" : "ckpt_name";
          g_autofree char *details = g_strdup_printf ("%s: '%s' not in []", input,
                                                      string_member (inputs, input) != NULL ? string_member (inputs, input) : "");

          json_object_set_object_member (node_errors, id,
                                         node_error (class_type, "value_not_in_list", "Value not in list",
                                                     details, input));
        }
    }

  if (output_node == NULL)
    {
      respond_error (msg, "prompt_no_outputs", "Prompt has no outputs", "", NULL);
      return;
    }

  if (json_object_get_size (node_errors) > 0)
    {
      respond_error (msg, "prompt_outputs_failed_validation", "Prompt outputs failed validation", "", node_errors);
      return;
    }

  prompt = g_new0 (Prompt, 1);
  prompt->id = g_uuid_string_random ();
  prompt->number = self->next_number++;
  prompt->graph = json_object_ref (graph);
  prompt->client_id = g_strdup (string_member (json_node_get_object (root), "client_id"));
  prompt->output_node = g_strdup (output_node);
  prompt->fail = fault_hit (self, FAKE_COMFYUI_FAULT_EXECUTION_ERROR);
  g_hash_table_insert (self->prompts, prompt->id, prompt);
  g_queue_push_tail (self->queue, prompt);

  self->prompt_count++;
  g_clear_pointer (&self->last_graph, json_object_unref);
  self->last_graph = json_object_ref (graph);
  g_free (self->last_client_id);
  self->last_client_id = g_strdup (prompt->client_id);
  g_free (self->last_prompt_id);
  self->last_prompt_id = g_strdup (prompt->id);

  send_status (self, NULL);
  start_ticker (self);

  json_object_set_string_member (answer, "prompt_id", prompt->id);
  json_object_set_int_member (answer, "number", prompt->number);
  json_object_set_object_member (answer, "node_errors", json_object_new ());
  respond_object (msg, 200, answer);
}

static void
handle_history (FakeComfyui       *self,
                SoupServerMessage *msg,
                const char        *id)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  Prompt *prompt = g_hash_table_lookup (self->prompts, id);

  if (fault_hit (self, FAKE_COMFYUI_FAULT_SERVER_ERROR_HISTORY))
    {
      static const char text[] = "500 Internal Server Error\n\nServer got itself in trouble";

      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, text, strlen (text));
      return;
    }

  if (fault_hit (self, FAKE_COMFYUI_FAULT_DEEP_NESTING_HISTORY))
    {
      GString *deep = g_string_sized_new (2 * DEEP_NESTING + 16);

      g_string_append (deep, "{\"x\":");
      for (guint i = 0; i < DEEP_NESTING; i++)
        g_string_append_c (deep, '[');
      for (guint i = 0; i < DEEP_NESTING; i++)
        g_string_append_c (deep, ']');
      g_string_append_c (deep, '}');

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, deep->str, deep->len);
      g_string_free (deep, FALSE);
      return;
    }

  if (prompt != NULL && prompt->history != NULL)
    json_object_set_object_member (answer, id, json_object_ref (prompt->history));

  respond_object (msg, 200, answer);
}

static void
handle_get_queue (FakeComfyui       *self,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *running = json_array_new ();
  JsonArray *pending = json_array_new ();

  for (GList *l = self->queue->head; l != NULL; l = l->next)
    {
      Prompt *prompt = l->data;

      json_array_add_array_element (prompt->state == PROMPT_RUNNING ? running : pending, queue_tuple (prompt));
    }

  json_object_set_array_member (answer, "queue_running", running);
  json_object_set_array_member (answer, "queue_pending", pending);
  respond_object (msg, 200, answer);
}

static JsonObject *
request_object (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonNode) root = NULL;

  if (g_bytes_get_size (body) == 0)
    return NULL;

  root = takes_json_guard_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 64, 1024 * 1024, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static void
handle_post_queue (FakeComfyui       *self,
                   SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = request_object (msg);
  JsonNode *delete = body != NULL && json_object_has_member (body, "delete")
                     ? json_object_get_member (body, "delete") : NULL;

  if (delete != NULL && JSON_NODE_HOLDS_ARRAY (delete))
    {
      JsonArray *ids = json_node_get_array (delete);

      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *id = json_array_get_element (ids, i);
          Prompt *prompt;

          if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
            continue;

          prompt = g_hash_table_lookup (self->prompts, json_node_get_string (id));
          /* Only pending items can be deleted. */
          if (prompt != NULL && prompt->state == PROMPT_PENDING)
            {
              g_queue_remove (self->queue, prompt);
              g_hash_table_remove (self->prompts, json_node_get_string (id));
              self->delete_count++;
            }
        }
      send_status (self, NULL);
    }

  soup_server_message_set_status (msg, 200, NULL);
}

static void
handle_interrupt (FakeComfyui       *self,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = request_object (msg);
  const char *prompt_id = string_member (body, "prompt_id");
  Prompt *running = g_queue_peek_head (self->queue);

  self->interrupt_count++;

  if (running != NULL && running->state == PROMPT_RUNNING &&
      (prompt_id == NULL || g_strcmp0 (prompt_id, running->id) == 0))
    interrupt_prompt (self, running);

  soup_server_message_set_status (msg, 200, NULL);
}

static void
on_raw_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GIOStream *stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  if (g_object_get_data (G_OBJECT (stream), "close-after") != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (stream);
}

static void
handle_view (FakeComfyui       *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *filename = query != NULL ? g_hash_table_lookup (query, "filename") : NULL;
  const char *subfolder = query != NULL ? g_hash_table_lookup (query, "subfolder") : NULL;
  const char *type = query != NULL ? g_hash_table_lookup (query, "type") : NULL;
  const char *range = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Range");
  g_autofree char *key = NULL;
  GBytes *file;
  const char *data;
  gsize total;
  goffset start = 0;
  gboolean stall, truncate;

  if (filename == NULL || filename[0] == '/' || strstr (filename, "..") != NULL ||
      (subfolder != NULL && strstr (subfolder, "..") != NULL))
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }

  key = g_strdup_printf ("%s/%s/%s", type != NULL ? type : "output", subfolder != NULL ? subfolder : "", filename);
  file = g_hash_table_lookup (self->files, key);
  if (file == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  data = g_bytes_get_data (file, &total);

  if (range != NULL)
    {
      long long first = -1;

      if (sscanf (range, "bytes=%lld-", &first) == 1 && first >= 0 && (gsize)first < total)
        start = first;
    }

  stall = fault_hit (self, FAKE_COMFYUI_FAULT_STALL_VIEW);
  truncate = !stall && fault_hit (self, FAKE_COMFYUI_FAULT_TRUNCATE_VIEW);

  if (stall || truncate)
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);
      g_autofree char *headers = NULL;
      gsize remaining = total - start;
      GByteArray *joined;
      GBytes *part;

      if (start > 0)
        headers = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                   "Content-Range: bytes %" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n\r\n",
                                   remaining, start, total - 1, total);
      else
        headers = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", total);

      joined = g_byte_array_sized_new (strlen (headers) + remaining / 2);
      g_byte_array_append (joined, (const guint8 *)headers, strlen (headers));
      g_byte_array_append (joined, (const guint8 *)data + start, remaining / 2);
      part = g_byte_array_free_to_bytes (joined);
      g_object_set_data_full (G_OBJECT (stream), "part", part, (GDestroyNotify)g_bytes_unref);
      if (truncate)
        g_object_set_data (G_OBJECT (stream), "close-after", GINT_TO_POINTER (1));
      else
        g_ptr_array_add (self->held_streams, g_object_ref (stream));

      g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                       g_bytes_get_data (part, NULL), g_bytes_get_size (part),
                                       G_PRIORITY_DEFAULT, NULL, on_raw_written, stream);
      return;
    }

  if (start > 0)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                        start, total - 1, total);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Range", content_range);
      soup_server_message_set_status (msg, 206, NULL);
      soup_server_message_set_response (msg, "video/mp4", SOUP_MEMORY_COPY, data + start, total - start);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, g_str_has_suffix (filename, ".mp4") ? "video/mp4" : "application/octet-stream",
                                    SOUP_MEMORY_COPY, data, total);
}

static void
handle_upload (FakeComfyui       *self,
               SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autofree char *filename = NULL;
  g_autofree char *subfolder = NULL;
  GBytes *image = NULL;

  multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (multipart == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *part = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &headers, &part) ||
          !soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;

      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "image") == 0)
        {
          image = part;
          g_free (filename);
          filename = g_strdup (g_hash_table_lookup (params, "filename"));
        }
      else if (g_strcmp0 (name, "subfolder") == 0)
        {
          g_free (subfolder);
          subfolder = g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part));
        }
    }

  if (image == NULL || filename == NULL || strchr (filename, '/') != NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }

  {
    g_autofree char *stored = subfolder != NULL && subfolder[0] != '\0'
                              ? g_strdup_printf ("%s/%s", subfolder, filename) : g_strdup (filename);

    g_hash_table_replace (self->uploads, g_steal_pointer (&stored), g_bytes_ref (image));
  }

  json_object_set_string_member (answer, "name", filename);
  json_object_set_string_member (answer, "subfolder", subfolder != NULL ? subfolder : "");
  json_object_set_string_member (answer, "type", "input");
  respond_object (msg, 200, answer);
}

static void
handle_system_stats (FakeComfyui       *self,
                     SoupServerMessage *msg)
{
  static const char stats[] =
    "{\"system\":{\"os\":\"posix\",\"ram_total\":68719476736,\"ram_free\":34359738368,"
    "\"comfyui_version\":\"0.3.40\",\"python_version\":\"3.12.3\",\"pytorch_version\":\"2.7.0+cu128\","
    "\"embedded_python\":false,\"argv\":[\"main.py\"]},"
    "\"devices\":[{\"name\":\"cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync\",\"type\":\"cuda\","
    "\"index\":0,\"vram_total\":25757220864,\"vram_free\":24000000000,"
    "\"torch_vram_total\":0,\"torch_vram_free\":0}]}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, stats, strlen (stats));
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FakeComfyui *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = NULL;

  if (g_str_has_prefix (path, "/api/"))
    path += strlen ("/api");

  key = g_strdup_printf ("%s %s", method, path);
  g_hash_table_replace (self->requests, g_strdup (key),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, key)) + 1));

  /* ComfyUI refuses browsers from other origins; a client sends none. */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin") != NULL)
    {
      soup_server_message_set_status (msg, 403, NULL);
      return;
    }

  if (g_str_equal (method, "POST") && g_str_equal (path, "/prompt"))
    handle_post_prompt (self, msg);
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/history/"))
    handle_history (self, msg, path + strlen ("/history/"));
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/queue"))
    handle_get_queue (self, msg);
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/queue"))
    handle_post_queue (self, msg);
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/interrupt"))
    handle_interrupt (self, msg);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/view"))
    handle_view (self, msg, query);
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/upload/image"))
    handle_upload (self, msg);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/system_stats"))
    handle_system_stats (self, msg);
  else
    soup_server_message_set_status (msg, 404, NULL);
}

/* ---- Public -------------------------------------------------------------------------- */

FakeComfyui *
fake_comfyui_new (void)
{
  FakeComfyui *self = g_object_new (FAKE_TYPE_COMFYUI, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->server = soup_server_new ("server-header", "Python/3.12 aiohttp/3.11", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  soup_server_add_websocket_handler (self->server, "/ws", NULL, NULL, on_websocket, self, NULL);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The fake ComfyUI cannot listen: %s", error->message);

  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return self;
}

const char *
fake_comfyui_get_base_url (FakeComfyui *self)
{
  return self->base_url;
}

void
fake_comfyui_set_fault (FakeComfyui      *self,
                        FakeComfyuiFault  fault,
                        guint             times)
{
  g_return_if_fail (fault < FAKE_COMFYUI_N_FAULTS);

  self->faults[fault].on = TRUE;
  self->faults[fault].remaining = times;

  if (fault == FAKE_COMFYUI_FAULT_REFUSE_SOCKET)
    {
      /* Without the handler /ws is a plain 404: no upgrade. */
      soup_server_remove_handler (self->server, "/ws");
    }
}

void
fake_comfyui_set_output_style (FakeComfyui            *self,
                               FakeComfyuiOutputStyle  style)
{
  self->output_style = style;
}

void
fake_comfyui_set_video (FakeComfyui *self,
                        GBytes      *video)
{
  g_clear_pointer (&self->video, g_bytes_unref);
  self->video = g_bytes_ref (video);
}

void
fake_comfyui_set_output_name (FakeComfyui *self,
                              const char  *filename)
{
  g_free (self->output_name);
  self->output_name = g_strdup (filename);
}

void
fake_comfyui_set_steps (FakeComfyui *self,
                        guint        steps)
{
  self->steps = MAX (steps, 1);
}

void
fake_comfyui_set_hold (FakeComfyui *self,
                       gboolean     hold)
{
  self->hold = hold;
}

guint
fake_comfyui_get_prompt_count (FakeComfyui *self)
{
  return self->prompt_count;
}

JsonObject *
fake_comfyui_get_last_graph (FakeComfyui *self)
{
  return self->last_graph;
}

const char *
fake_comfyui_get_last_client_id (FakeComfyui *self)
{
  return self->last_client_id;
}

const char *
fake_comfyui_get_last_prompt_id (FakeComfyui *self)
{
  return self->last_prompt_id;
}

guint
fake_comfyui_get_request_count (FakeComfyui *self,
                                const char  *method,
                                const char  *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autofree char *prefix = g_strdup_printf ("%s %s", method, path_prefix);
  guint count = 0;

  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix))
      count += GPOINTER_TO_UINT (value);

  return count;
}

guint
fake_comfyui_get_interrupt_count (FakeComfyui *self)
{
  return self->interrupt_count;
}

guint
fake_comfyui_get_delete_count (FakeComfyui *self)
{
  return self->delete_count;
}

guint
fake_comfyui_get_socket_count (FakeComfyui *self)
{
  return self->socket_count;
}

GBytes *
fake_comfyui_get_upload (FakeComfyui *self,
                         const char  *name)
{
  return g_hash_table_lookup (self->uploads, name);
}

gboolean
fake_comfyui_is_running (FakeComfyui *self,
                         const char  *prompt_id)
{
  Prompt *prompt = g_hash_table_lookup (self->prompts, prompt_id);

  return prompt != NULL && prompt->state == PROMPT_RUNNING;
}
