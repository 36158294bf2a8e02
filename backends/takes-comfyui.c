/* takes-comfyui.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-comfyui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "takes-comfyui.h"
#include "takes-json-guard.h"

#define DEFAULT_BASE_URL        "http://127.0.0.1:8188"
#define SOCKET_RETRY_SECONDS    15
#define SOCKET_CONNECT_SECONDS  5
/* While the socket reports on a prompt, still ask the server now and then:
 * someone may have removed it from the queue in ComfyUI's own window. */
#define CONFIRM_EVERY_SECONDS   20
#define MESSAGE_MAX_SIZE        (1024 * 1024)
#define SOCKET_MAX_FRAME_SIZE   (32 * 1024 * 1024)
#define MESSAGE_MAX_DEPTH       32
#define IMAGE_MAX_SIZE          (50 * 1024 * 1024)
#define MAX_TRACKS              256

/* What the socket told us about one prompt. */
typedef struct
{
  TakesBackendState  state;
  double             progress;
  char              *error;
  gboolean           finished;
  gboolean           interrupted;
  gint64             confirmed_at;
} Track;

struct _TakesComfyui
{
  TakesBackend             parent_instance;

  /* owned */
  char                    *client_id;
  SoupSession             *socket_session;
  SoupWebsocketConnection *socket;
  char                    *socket_base_url;
  GCancellable            *socket_cancellable;
  GPtrArray               *socket_waiters;
  GHashTable              *tracks;

  gint64                   socket_failed_at;
  gulong                   message_handler;
  gulong                   closed_handler;
  guint                    connecting : 1;
};

G_DEFINE_FINAL_TYPE (TakesComfyui, takes_comfyui, TAKES_TYPE_BACKEND)

static void
track_free (gpointer data)
{
  Track *track = data;

  g_free (track->error);
  g_free (track);
}

/* ---- JSON from the server: never trust a member's type ---------------------- */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;

  return json_object_get_member (object, name);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
member_number (JsonObject *object,
               const char *name,
               double     *value)
{
  JsonNode *node = member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double)json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

/* A provider's words made fit for a message: UTF-8, not too long. */
static char *
clip_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *stripped = NULL;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  stripped = g_strstrip (g_strdup (valid));
  if (g_utf8_strlen (stripped, -1) > 300)
    {
      g_autofree char *cut = g_utf8_substring (stripped, 0, 299);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&stripped);
}

/* ---- Addresses and errors ------------------------------------------------------- */

static char *
dup_base_url (TakesComfyui *self)
{
  const char *base = takes_backend_get_base_url (TAKES_BACKEND (self));
  char *copy = g_strdup (base != NULL ? base : DEFAULT_BASE_URL);
  gsize length = strlen (copy);

  while (length > 0 && copy[length - 1] == '/')
    copy[--length] = '\0';

  return copy;
}

static char *
build_url (TakesComfyui *self,
           const char   *path)
{
  g_autofree char *base = dup_base_url (self);

  return g_strconcat (base, path, NULL);
}

static TakesHttpRequest *
new_request (TakesComfyui *self,
             const char   *method,
             const char   *path)
{
  g_autofree char *url = build_url (self, path);
  TakesHttpRequest *request = takes_http_request_new (method, url);

  takes_http_request_set_service_name (request, "ComfyUI");

  return request;
}

/* Connection trouble with a local server almost always means it is not
 * started: say so, and where we looked. */
static GError *
rewrite_error (TakesComfyui *self,
               GError       *error)
{
  g_autofree char *base = NULL;
  g_autofree char *message = NULL;
  GError *ours;

  if (!g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NETWORK) ||
      takes_backend_error_get_http_status (error) != 0)
    return error;

  base = dup_base_url (self);
  message = g_strdup_printf (_("ComfyUI is not running at %s — start it or change the address in Preferences."),
                             base);
  ours = takes_backend_error_new_full (TAKES_BACKEND_ERROR_NETWORK, 0, 0,
                                       takes_backend_error_is_outcome_unknown (error),
                                       message);
  g_error_free (error);

  return ours;
}

/* ---- The WebSocket ---------------------------------------------------------------------- */

static Track *
lookup_track (TakesComfyui *self,
              const char   *prompt_id,
              gboolean      create)
{
  Track *track = g_hash_table_lookup (self->tracks, prompt_id);

  if (track == NULL && create)
    {
      if (g_hash_table_size (self->tracks) >= MAX_TRACKS)
        g_hash_table_remove_all (self->tracks);

      track = g_new0 (Track, 1);
      track->state = TAKES_BACKEND_STATE_QUEUED;
      track->progress = -1;
      g_hash_table_insert (self->tracks, g_strdup (prompt_id), track);
    }

  return track;
}

static void
handle_event (TakesComfyui *self,
              const char   *type,
              JsonObject   *data)
{
  const char *prompt_id = member_string (data, "prompt_id");
  Track *track;

  if (prompt_id == NULL)
    return;

  track = lookup_track (self, prompt_id, TRUE);

  if (g_str_equal (type, "execution_start") || g_str_equal (type, "execution_cached"))
    {
      track->state = TAKES_BACKEND_STATE_RUNNING;
      if (track->progress < 0)
        track->progress = 0;
    }
  else if (g_str_equal (type, "executing"))
    {
      JsonNode *node = member (data, "node");

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        track->finished = TRUE;
      else
        track->state = TAKES_BACKEND_STATE_RUNNING;
    }
  else if (g_str_equal (type, "progress"))
    {
      double value = 0, max = 0;

      track->state = TAKES_BACKEND_STATE_RUNNING;
      if (member_number (data, "value", &value) && member_number (data, "max", &max) && max > 0)
        {
          /* Sampling is most of the work; decoding and saving follow. */
          double progress = CLAMP (value / max, 0.0, 1.0) * 0.95;

          track->progress = MAX (track->progress, progress);
        }
    }
  else if (g_str_equal (type, "execution_success"))
    {
      track->finished = TRUE;
    }
  else if (g_str_equal (type, "execution_error"))
    {
      const char *message = member_string (data, "exception_message");
      const char *node_type = member_string (data, "node_type");

      g_free (track->error);
      if (node_type != NULL)
        track->error = g_strdup_printf ("%s: %s", node_type, message != NULL ? message : "");
      else
        track->error = g_strdup (message);
      track->finished = TRUE;
    }
  else if (g_str_equal (type, "execution_interrupted"))
    {
      track->interrupted = TRUE;
      track->finished = TRUE;
    }
}

static void
on_socket_message (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  TakesComfyui *self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *data;
  const char *event;
  gsize length = 0;
  const char *bytes;

  /* Binary frames are previews. */
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  bytes = g_bytes_get_data (message, &length);
  root = takes_json_guard_parse (bytes, length, MESSAGE_MAX_DEPTH, MESSAGE_MAX_SIZE, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Ignoring an unreadable ComfyUI event: %s", error != NULL ? error->message : "not an object");
      return;
    }

  object = json_node_get_object (root);
  event = member_string (object, "type");
  data = member_object (object, "data");
  if (event == NULL || data == NULL)
    return;

  handle_event (self, event, data);
}

static void
drop_socket (TakesComfyui *self)
{
  if (self->socket == NULL)
    return;

  g_clear_signal_handler (&self->message_handler, self->socket);
  g_clear_signal_handler (&self->closed_handler, self->socket);
  if (soup_websocket_connection_get_state (self->socket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->socket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->socket_base_url, g_free);
}

static void
on_socket_closed (SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  TakesComfyui *self = user_data;

  g_debug ("ComfyUI progress socket closed; polling until it is back");
  drop_socket (self);
  self->socket_failed_at = g_get_monotonic_time ();
}

static gboolean
socket_is_open (TakesComfyui *self)
{
  g_autofree char *base = dup_base_url (self);

  return self->socket != NULL &&
         soup_websocket_connection_get_state (self->socket) == SOUP_WEBSOCKET_STATE_OPEN &&
         g_strcmp0 (self->socket_base_url, base) == 0;
}

static void
wake_socket_waiters (TakesComfyui *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->socket_waiters);

  self->socket_waiters = g_ptr_array_new ();

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      GSourceFunc resume = g_object_get_data (G_OBJECT (task), "takes-comfyui-resume");

      resume (task);
    }
}

typedef struct
{
  TakesComfyui *self;
  char         *base_url;
  GSource      *timeout;
} ConnectData;

static void
on_socket_connected (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ConnectData *connect = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  TakesComfyui *self = connect->self;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  if (connect->timeout != NULL)
    {
      g_source_destroy (connect->timeout);
      g_source_unref (connect->timeout);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self == NULL)
    goto out;

  if (self == NULL)
    goto out;

  self->connecting = FALSE;

  if (connection == NULL)
    {
      g_debug ("No ComfyUI progress socket (%s); polling /history instead", error->message);
      self->socket_failed_at = g_get_monotonic_time ();
    }
  else
    {
      drop_socket (self);
      /* Preview frames (binary, ignored) easily pass libsoup's 128 KiB
       * default, which would close the socket on the first big one. */
      soup_websocket_connection_set_max_incoming_payload_size (connection, SOCKET_MAX_FRAME_SIZE);
      self->socket = g_steal_pointer (&connection);
      self->socket_base_url = g_strdup (connect->base_url);
      self->socket_failed_at = 0;
      self->message_handler = g_signal_connect (self->socket, "message",
                                                G_CALLBACK (on_socket_message), self);
      self->closed_handler = g_signal_connect (self->socket, "closed",
                                               G_CALLBACK (on_socket_closed), self);
    }

  wake_socket_waiters (self);

out:
  if (connect->self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (connect->self), (gpointer *)&connect->self);
  g_free (connect->base_url);
  g_free (connect);
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);

  return G_SOURCE_REMOVE;
}

/* Opens the progress socket unless it is open, opening, or failed a
 * moment ago. Returns TRUE when an attempt is in flight (wait for it). */
static gboolean
ensure_socket (TakesComfyui *self)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *base_ws = NULL;
  ConnectData *connect;

  if (self->connecting)
    return TRUE;

  if (socket_is_open (self))
    return FALSE;

  if (self->socket_failed_at != 0 &&
      g_get_monotonic_time () - self->socket_failed_at < SOCKET_RETRY_SECONDS * G_USEC_PER_SEC)
    return FALSE;

  drop_socket (self);

  escaped = g_uri_escape_string (self->client_id, NULL, FALSE);
  base_ws = build_url (self, "/ws");
  url = g_strdup_printf ("%s?clientId=%s", base_ws, escaped);

  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      self->socket_failed_at = g_get_monotonic_time ();
      return FALSE;
    }

  if (self->socket_cancellable == NULL)
    self->socket_cancellable = g_cancellable_new ();

  connect = g_new0 (ConnectData, 1);
  connect->self = self;
  connect->base_url = dup_base_url (self);
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&connect->self);

  /* libsoup's own timeout only limits silence; a server that accepts the
   * connection and never answers must not hold submissions back. */
  connect->timeout = g_timeout_source_new_seconds (SOCKET_CONNECT_SECONDS);
  g_source_set_callback (connect->timeout, on_connect_timeout,
                         g_object_ref (self->socket_cancellable), g_object_unref);
  g_source_attach (connect->timeout, g_main_context_get_thread_default ());

  self->connecting = TRUE;
  soup_session_websocket_connect_async (self->socket_session, message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->socket_cancellable,
                                        on_socket_connected, connect);

  return TRUE;
}

/* Runs @resume (with @task) once the socket is open or known to be down. */
static void
with_socket (TakesComfyui *self,
             GTask        *task,
             GSourceFunc   resume)
{
  if (!ensure_socket (self))
    {
      resume (task);
      return;
    }

  g_object_set_data (G_OBJECT (task), "takes-comfyui-resume", resume);
  g_ptr_array_add (self->socket_waiters, task);
}

/* ---- Which workflow ---------------------------------------------------------------------- */

TakesComfyuiWorkflow *
takes_comfyui_resolve_workflow (TakesComfyui            *self,
                                TakesGenerationRequest  *request,
                                GError                 **error)
{
  JsonObject *extra;
  JsonObject *mapping;
  const char *spec;
  const char *model;

  g_return_val_if_fail (TAKES_IS_COMFYUI (self), NULL);
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (request), NULL);

  extra = takes_generation_request_get_extra (request);
  mapping = member_object (extra, "mapping");
  spec = member_string (extra, "workflow");
  model = takes_generation_request_get_model (request);

  if (spec == NULL || spec[0] == '\0')
    spec = model;
  if (spec == NULL || spec[0] == '\0' || g_str_equal (spec, "default"))
    spec = takes_generation_request_get_image (request) != NULL ? "wan-i2v" : "wan-t2v";

  return takes_comfyui_workflow_resolve (spec, mapping, error);
}

static TakesComfyuiWorkflow *
resolve_checked (TakesComfyui            *self,
                 TakesGenerationRequest  *request,
                 GError                 **error)
{
  g_autoptr(TakesComfyuiWorkflow) workflow = NULL;
  gboolean has_image = takes_generation_request_get_image (request) != NULL;

  workflow = takes_comfyui_resolve_workflow (self, request, error);
  if (workflow == NULL || !takes_comfyui_workflow_check_ready (workflow, error))
    return NULL;

  if (has_image && !takes_comfyui_workflow_has_role (workflow, TAKES_COMFYUI_ROLE_IMAGE))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The ComfyUI workflow “%s” takes no first frame image. Choose an image-to-video "
                     "workflow, or remove the image from the shot."),
                   takes_comfyui_workflow_get_name (workflow));
      return NULL;
    }

  if (!has_image && takes_comfyui_workflow_has_role (workflow, TAKES_COMFYUI_ROLE_IMAGE))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The ComfyUI workflow “%s” starts from an image. Add a first frame to the shot, "
                     "or choose a text-to-video workflow."),
                   takes_comfyui_workflow_get_name (workflow));
      return NULL;
    }

  return g_steal_pointer (&workflow);
}

/* Seed -1 means "any", but a take sent again (after a restart) should
 * come out the same: derive it from our request id. */
static gint64
effective_seed (TakesGenerationRequest *request)
{
  gint64 seed = takes_generation_request_get_seed (request);
  const char *id = takes_generation_request_get_client_request_id (request);
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;
  gint64 derived = 0;

  if (seed >= 0)
    return seed;

  if (id == NULL)
    return g_random_int ();

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *)id, -1);
  g_checksum_get_digest (checksum, digest, &length);
  for (guint i = 0; i < 6; i++)
    derived = (derived << 8) | digest[i];

  return derived;
}

/* ---- Self-description ---------------------------------------------------------------------- */

static const char * const aspect_ratios[] = { "16:9", "9:16", "1:1", "4:3", "3:4", "21:9", NULL };
static const char * const resolutions[] = { "480p", "720p", NULL };

static const char *
takes_comfyui_get_id (TakesBackend *backend)
{
  return "comfyui";
}

static const char *
takes_comfyui_get_display_name (TakesBackend *backend)
{
  return _("ComfyUI (local)");
}

static const TakesBackendModel *
takes_comfyui_get_models (TakesBackend *backend)
{
  return takes_comfyui_get_builtin_workflows ();
}

static TakesBackendModes
takes_comfyui_get_modes (TakesBackend *backend)
{
  return TAKES_BACKEND_MODE_TEXT_TO_VIDEO | TAKES_BACKEND_MODE_IMAGE_TO_VIDEO;
}

static void
takes_comfyui_get_duration_range (TakesBackend *backend,
                                  double       *min_seconds,
                                  double       *max_seconds)
{
  *min_seconds = 1;
  *max_seconds = 10;
}

static const char * const *
takes_comfyui_get_aspect_ratios (TakesBackend *backend)
{
  return aspect_ratios;
}

static const char * const *
takes_comfyui_get_resolutions (TakesBackend *backend)
{
  return resolutions;
}

static guint
takes_comfyui_get_concurrency_limit (TakesBackend *backend)
{
  return 1;
}

static const char *
takes_comfyui_get_default_base_url (TakesBackend *backend)
{
  return DEFAULT_BASE_URL;
}

static double
takes_comfyui_estimate_cost (TakesBackend           *backend,
                             TakesGenerationRequest *request)
{
  /* The person's own machine. */
  return 0;
}

static gboolean
takes_comfyui_validate_request (TakesBackend            *backend,
                                TakesGenerationRequest  *request,
                                GError                 **error)
{
  g_autoptr(TakesComfyuiWorkflow) workflow = resolve_checked (TAKES_COMFYUI (backend), request, error);

  return workflow != NULL;
}

/* ---- Submit ------------------------------------------------------------------------------- */

typedef struct
{
  TakesGenerationRequest *request;
  TakesComfyuiWorkflow   *workflow;
  char                   *image_name;
} SubmitData;

static void
submit_data_free (gpointer data)
{
  SubmitData *submit = data;

  g_clear_object (&submit->request);
  g_clear_object (&submit->workflow);
  g_free (submit->image_name);
  g_free (submit);
}

static GError *
prompt_error_func (guint               status,
                   SoupMessageHeaders *headers,
                   JsonNode           *body,
                   const char         *service,
                   gboolean           *retryable,
                   gpointer            user_data)
{
  g_autoptr(GString) message = g_string_new (NULL);
  JsonObject *root, *node_errors, *error_object;
  const char *error_text = NULL;

  if (status != 400 || body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  root = json_node_get_object (body);
  node_errors = member_object (root, "node_errors");
  error_object = member_object (root, "error");
  if (error_object != NULL)
    error_text = member_string (error_object, "message");
  else
    error_text = member_string (root, "error");  /* very old servers */

  if (node_errors != NULL && json_object_get_size (node_errors) > 0)
    {
      g_autoptr(GList) ids = json_object_get_members (node_errors);
      const char *id = ids->data;
      JsonObject *entry = member_object (node_errors, id);
      JsonArray *errors = member_array (entry, "errors");
      const char *class_type = member_string (entry, "class_type");
      JsonObject *first = NULL;
      g_autofree char *what = NULL;

      if (errors != NULL && json_array_get_length (errors) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
        first = json_array_get_object_element (errors, 0);

      if (first != NULL && member_string (first, "details") != NULL && member_string (first, "details")[0] != '\0')
        what = g_strdup_printf ("%s: %s", member_string (first, "message") != NULL ? member_string (first, "message") : "",
                                member_string (first, "details"));
      else if (first != NULL)
        what = g_strdup (member_string (first, "message"));

      /* Translators: "ComfyUI refused the workflow: UNETLoader (node 37): Value not in list: …" */
      g_string_printf (message, _("ComfyUI refused the workflow: %s (node %s): %s"),
                       class_type != NULL ? class_type : "?", id,
                       what != NULL ? what : (error_text != NULL ? error_text : _("invalid input")));
    }
  else
    {
      g_autofree char *details = NULL;

      if (error_object != NULL && member_string (error_object, "details") != NULL &&
          member_string (error_object, "details")[0] != '\0')
        details = g_strdup_printf (" (%s)", member_string (error_object, "details"));

      g_string_printf (message, _("ComfyUI refused the workflow: %s%s"),
                       error_text != NULL ? error_text : _("invalid workflow"),
                       details != NULL ? details : "");
    }

  *retryable = FALSE;

  {
    g_autofree char *clipped = clip_text (message->str);

    return takes_backend_error_new_full (TAKES_BACKEND_ERROR_INVALID_REQUEST, status, 0, FALSE, clipped);
  }
}

static void
on_prompt_sent (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  const char *prompt_id;
  Track *track;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  prompt_id = JSON_NODE_HOLDS_OBJECT (root) ? member_string (json_node_get_object (root), "prompt_id") : NULL;
  if (prompt_id == NULL || prompt_id[0] == '\0')
    {
      /* It answered 200: the prompt may well be queued. */
      g_task_return_error (task,
                           takes_backend_error_new_full (TAKES_BACKEND_ERROR_SERVER, 200, 0, TRUE,
                                                         _("ComfyUI accepted the workflow but sent no prompt id. "
                                                           "Check its queue before trying again.")));
      return;
    }

  track = lookup_track (self, prompt_id, TRUE);
  track->confirmed_at = g_get_monotonic_time ();

  g_task_return_pointer (task, g_strdup (prompt_id), g_free);
}

static void
send_prompt (GTask *task)
{
  TakesComfyui *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  TakesGenerationRequest *request = submit->request;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autoptr(JsonNode) graph = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) body_node = json_node_new (JSON_NODE_OBJECT);
  GError *error = NULL;
  TakesComfyuiValues values = {
    .prompt = takes_generation_request_get_prompt (request),
    .negative = takes_generation_request_get_negative_prompt (request),
    .seed = effective_seed (request),
    .width = takes_generation_request_get_width (request),
    .height = takes_generation_request_get_height (request),
    .duration = takes_generation_request_get_duration (request),
    .fps = takes_generation_request_get_fps (request),
    .image = submit->image_name,
  };

  if (values.negative != NULL && values.negative[0] == '\0')
    values.negative = NULL;

  graph = takes_comfyui_workflow_apply (submit->workflow, &values, &error);
  if (graph == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  json_object_set_member (body, "prompt", g_steal_pointer (&graph));
  json_object_set_string_member (body, "client_id", self->client_id);
  json_node_set_object (body_node, body);

  http_request = new_request (self, "POST", "/prompt");
  takes_http_request_set_json_body (http_request, body_node);
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_NOT_ACCEPTED);
  takes_http_request_set_error_func (http_request, prompt_error_func, NULL, NULL);

  takes_http_send_json_async (takes_backend_get_http (TAKES_BACKEND (self)), http_request,
                              g_task_get_cancellable (task), on_prompt_sent, task);
}

static void
on_image_uploaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  const char *name, *subfolder;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  name = JSON_NODE_HOLDS_OBJECT (root) ? member_string (json_node_get_object (root), "name") : NULL;
  subfolder = JSON_NODE_HOLDS_OBJECT (root) ? member_string (json_node_get_object (root), "subfolder") : NULL;
  if (name == NULL || name[0] == '\0')
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                               _("ComfyUI took the first frame image but did not say where it put it."));
      return;
    }

  /* LoadImage names files relative to the input folder. */
  if (subfolder != NULL && subfolder[0] != '\0')
    submit->image_name = g_strdup_printf ("%s/%s", subfolder, name);
  else
    submit->image_name = g_strdup (name);

  send_prompt (g_steal_pointer (&task));
}

static void
on_image_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *upload_name = NULL;
  const char *path = takes_generation_request_get_image (submit->request);
  const char *extension;
  GCancellable *cancellable;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                                 _("The generation was canceled."));
      else
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                                 _("The first frame image “%s” cannot be read: %s"), path, error->message);
      return;
    }

  if (length == 0 || length > IMAGE_MAX_SIZE)
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("The first frame image “%s” is empty or larger than %d MB."),
                               path, IMAGE_MAX_SIZE / (1024 * 1024));
      return;
    }

  content_type = g_content_type_guess (path, (const guchar *)contents, length, NULL);
  mime = g_content_type_get_mime_type (content_type);
  if (mime == NULL || !g_str_has_prefix (mime, "image/"))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("“%s” is not an image ComfyUI can load. Use a PNG, JPEG or WebP file."),
                               path);
      return;
    }

  /* Named by content, so the same frame is uploaded under one name and
   * a resubmission overwrites it with the same bytes. */
  checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);
  basename = g_path_get_basename (path);
  extension = strrchr (basename, '.');
  upload_name = g_strdup_printf ("takes-%.16s%s", checksum,
                                 extension != NULL && strlen (extension) <= 5 ? extension : ".png");

  image = g_bytes_new_take (g_steal_pointer (&contents), length);
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "image", upload_name, mime, image);
  soup_multipart_append_form_string (multipart, "type", "input");
  soup_multipart_append_form_string (multipart, "overwrite", "true");

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);

  http_request = new_request (self, "POST", "/upload/image");
  takes_http_request_set_body (http_request, soup_message_headers_get_content_type (headers, NULL) != NULL
                                               ? soup_message_headers_get_one (headers, "Content-Type")
                                               : SOUP_FORM_MIME_TYPE_MULTIPART,
                               body);
  /* Same name, same bytes: sending it twice does no harm. */
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_IDEMPOTENT);

  cancellable = g_task_get_cancellable (task);
  takes_http_send_json_async (takes_backend_get_http (TAKES_BACKEND (self)), http_request,
                              cancellable, on_image_uploaded, g_steal_pointer (&task));
}

static gboolean
submit_after_socket (gpointer user_data)
{
  GTask *task = user_data;
  SubmitData *submit = g_task_get_task_data (task);
  const char *image = takes_generation_request_get_image (submit->request);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  if (image != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (image);

      g_file_load_contents_async (file, g_task_get_cancellable (task), on_image_loaded, task);
      return G_SOURCE_REMOVE;
    }

  send_prompt (task);

  return G_SOURCE_REMOVE;
}

static void
takes_comfyui_submit_async (TakesBackend           *backend,
                            TakesGenerationRequest *request,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  TakesComfyui *self = TAKES_COMFYUI (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesComfyuiWorkflow) workflow = NULL;
  GError *error = NULL;
  SubmitData *submit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_comfyui_submit_async);

  workflow = resolve_checked (self, request, &error);
  if (workflow == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  submit = g_new0 (SubmitData, 1);
  submit->request = g_object_ref (request);
  submit->workflow = g_steal_pointer (&workflow);
  g_task_set_task_data (task, submit, submit_data_free);

  /* Open the socket first so no event of the new prompt is missed. */
  with_socket (self, g_steal_pointer (&task), submit_after_socket);
}

static char *
takes_comfyui_submit_finish (TakesBackend        *backend,
                             GAsyncResult        *result,
                             TakesBackendStatus **immediate,
                             GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);

  *immediate = NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Poll ------------------------------------------------------------------------------------- */

typedef struct
{
  TakesGenerationRequest *request;
  char                   *prompt_id;
  guint                   second_look : 1;
} PollData;

static void
poll_data_free (gpointer data)
{
  PollData *poll = data;

  g_clear_object (&poll->request);
  g_free (poll->prompt_id);
  g_free (poll);
}

static const char * const video_extensions[] = { ".mp4", ".m4v", ".mov", ".webm", ".mkv", ".gif", ".webp", NULL };

static int
video_rank (const char *filename)
{
  g_autofree char *lower = g_ascii_strdown (filename, -1);

  for (guint i = 0; video_extensions[i] != NULL; i++)
    if (g_str_has_suffix (lower, video_extensions[i]))
      return (int)i;

  return -1;
}

/* The best clip among one node's output: ComfyUI lists videos under
 * "images" (core SaveVideo, with "animated"), "gifs" (VideoHelperSuite) or,
 * in some versions, "videos". */
static JsonObject *
find_clip_in_output (JsonObject *output,
                     int        *best_rank)
{
  static const char * const keys[] = { "gifs", "videos", "images", NULL };
  JsonObject *best = NULL;

  for (guint k = 0; keys[k] != NULL; k++)
    {
      JsonArray *items = member_array (output, keys[k]);

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          const char *filename;
          int rank;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;

          filename = member_string (json_node_get_object (item), "filename");
          if (filename == NULL || (rank = video_rank (filename)) < 0)
            continue;

          if (best == NULL || rank < *best_rank)
            {
              best = json_node_get_object (item);
              *best_rank = rank;
            }
        }
    }

  return best;
}

static JsonObject *
find_clip (JsonObject *outputs,
           const char *output_node)
{
  JsonObject *best = NULL;
  int best_rank = G_MAXINT;
  g_autoptr(GList) nodes = NULL;

  if (outputs == NULL)
    return NULL;

  if (output_node != NULL && member_object (outputs, output_node) != NULL)
    {
      best = find_clip_in_output (member_object (outputs, output_node), &best_rank);
      if (best != NULL)
        return best;
    }

  /* The marked node saved nothing we know: any node's clip will do. */
  nodes = json_object_get_members (outputs);
  for (const GList *l = nodes; l != NULL; l = l->next)
    {
      int rank = G_MAXINT;
      JsonObject *candidate = find_clip_in_output (member_object (outputs, l->data), &rank);

      if (candidate != NULL && rank < best_rank)
        {
          best = candidate;
          best_rank = rank;
        }
    }

  return best;
}

static char *
view_url (TakesComfyui *self,
          JsonObject   *clip)
{
  g_autofree char *base = dup_base_url (self);
  g_autofree char *filename = g_uri_escape_string (member_string (clip, "filename"), NULL, FALSE);
  g_autofree char *subfolder = g_uri_escape_string (member_string (clip, "subfolder") != NULL
                                                    ? member_string (clip, "subfolder") : "", NULL, FALSE);
  g_autofree char *type = g_uri_escape_string (member_string (clip, "type") != NULL
                                               ? member_string (clip, "type") : "output", NULL, FALSE);

  return g_strdup_printf ("%s/view?filename=%s&subfolder=%s&type=%s", base, filename, subfolder, type);
}

static char *
history_failure (JsonObject *status,
                 gboolean   *interrupted)
{
  JsonArray *messages = member_array (status, "messages");

  *interrupted = FALSE;

  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
    {
      JsonNode *item = json_array_get_element (messages, i);
      JsonArray *pair;
      const char *kind;
      JsonObject *data;

      if (!JSON_NODE_HOLDS_ARRAY (item))
        continue;
      pair = json_node_get_array (item);
      if (json_array_get_length (pair) < 2 ||
          !JSON_NODE_HOLDS_VALUE (json_array_get_element (pair, 0)) ||
          json_node_get_value_type (json_array_get_element (pair, 0)) != G_TYPE_STRING ||
          !JSON_NODE_HOLDS_OBJECT (json_array_get_element (pair, 1)))
        continue;

      kind = json_array_get_string_element (pair, 0);
      data = json_array_get_object_element (pair, 1);

      if (g_str_equal (kind, "execution_error"))
        {
          const char *message = member_string (data, "exception_message");
          const char *node_type = member_string (data, "node_type");

          if (node_type != NULL)
            return g_strdup_printf ("%s: %s", node_type, message != NULL ? message : "");
          return g_strdup (message);
        }

      if (g_str_equal (kind, "execution_interrupted"))
        *interrupted = TRUE;
    }

  return NULL;
}

/* A history entry: finished one way or another, or still without status
 * on old servers. */
static TakesBackendStatus *
status_from_history (TakesComfyui           *self,
                     TakesGenerationRequest *request,
                     JsonObject             *entry)
{
  JsonObject *status = member_object (entry, "status");
  JsonObject *outputs = member_object (entry, "outputs");
  const char *status_str = member_string (status, "status_str");
  g_autoptr(TakesComfyuiWorkflow) workflow = NULL;
  g_autofree char *failure = NULL;
  gboolean interrupted = FALSE;
  JsonObject *clip;
  TakesBackendStatus *result;

  failure = history_failure (status, &interrupted);

  if (interrupted && failure == NULL)
    {
      result = takes_backend_status_new (TAKES_BACKEND_STATE_CANCELED);
      result->message = g_strdup (_("The generation was stopped in ComfyUI."));
      return result;
    }

  if (g_strcmp0 (status_str, "error") == 0 || failure != NULL)
    {
      g_autofree char *clipped = clip_text (failure != NULL ? failure : _("the workflow failed without saying why"));

      result = takes_backend_status_new (TAKES_BACKEND_STATE_FAILED);
      result->error_code = TAKES_BACKEND_ERROR_FAILED;
      result->message = g_strdup_printf (_("ComfyUI could not run the workflow: %s"), clipped);
      return result;
    }

  /* The user's workflow file may be gone after a restart; then any
   * node's clip is taken. */
  workflow = takes_comfyui_resolve_workflow (self, request, NULL);
  clip = find_clip (outputs, workflow != NULL ? takes_comfyui_workflow_get_output_node (workflow) : NULL);

  if (clip != NULL)
    {
      result = takes_backend_status_new (TAKES_BACKEND_STATE_SUCCEEDED);
      result->progress = 1;
      result->cost = 0;
      result->result_url = view_url (self, clip);
      return result;
    }

  if (g_strcmp0 (status_str, "success") == 0 || (status != NULL && member (status, "completed") != NULL &&
                                                 JSON_NODE_HOLDS_VALUE (member (status, "completed")) &&
                                                 json_node_get_value_type (member (status, "completed")) == G_TYPE_BOOLEAN &&
                                                 json_node_get_boolean (member (status, "completed"))))
    {
      result = takes_backend_status_new (TAKES_BACKEND_STATE_FAILED);
      result->error_code = TAKES_BACKEND_ERROR_FAILED;
      result->message = g_strdup (_("ComfyUI finished the workflow but it saved no video. "
                                    "Make sure its output node saves a video (SaveVideo or Video Combine)."));
      return result;
    }

  return takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);
}

static TakesBackendStatus *
status_from_track (Track *track)
{
  TakesBackendStatus *status = takes_backend_status_new (track->state);

  status->progress = track->progress;
  status->retry_after_ms = 1000;

  return status;
}

static void ask_history (GTask *task);

static void
on_queue_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  PollData *poll = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  static const char * const lists[] = { "queue_running", "queue_pending", NULL };

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  for (guint l = 0; lists[l] != NULL; l++)
    {
      JsonArray *items = JSON_NODE_HOLDS_OBJECT (root) ? member_array (json_node_get_object (root), lists[l]) : NULL;

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonArray *tuple;
          JsonNode *id;

          /* [number, prompt_id, prompt, extra_data, outputs_to_execute] */
          if (!JSON_NODE_HOLDS_ARRAY (item))
            continue;
          tuple = json_node_get_array (item);
          if (json_array_get_length (tuple) < 2)
            continue;
          id = json_array_get_element (tuple, 1);
          if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
              g_strcmp0 (json_node_get_string (id), poll->prompt_id) != 0)
            continue;

          {
            Track *track = lookup_track (self, poll->prompt_id, TRUE);
            TakesBackendStatus *status;

            track->confirmed_at = g_get_monotonic_time ();
            if (l == 0)
              track->state = TAKES_BACKEND_STATE_RUNNING;
            else
              track->state = TAKES_BACKEND_STATE_QUEUED;

            status = takes_backend_status_new (track->state);
            status->progress = l == 0 ? track->progress : -1;
            status->retry_after_ms = socket_is_open (self) ? 1000 : 2000;
            g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
            return;
          }
        }
    }

  if (!poll->second_look)
    {
      /* It may have moved from the queue to the history in between. */
      poll->second_look = TRUE;
      ask_history (g_steal_pointer (&task));
      return;
    }

  g_hash_table_remove (self->tracks, poll->prompt_id);
  g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                           _("ComfyUI has no record of this generation (it may have been restarted or "
                             "the prompt removed from its queue)."));
}

static void
on_history_read (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  PollData *poll = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  GError *error = NULL;
  JsonObject *entry = NULL;
  GCancellable *cancellable;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                               _("ComfyUI sent a history Takes cannot read. Is the address that of a ComfyUI server?"));
      return;
    }

  entry = member_object (json_node_get_object (root), poll->prompt_id);
  if (entry != NULL)
    {
      TakesBackendStatus *status = status_from_history (self, poll->request, entry);

      if (takes_backend_status_is_final (status))
        g_hash_table_remove (self->tracks, poll->prompt_id);
      else
        status->retry_after_ms = 2000;

      g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
      return;
    }

  if (poll->second_look)
    {
      Track *track = lookup_track (self, poll->prompt_id, FALSE);

      /* The socket said it finished, the history does not have it yet. */
      if (track != NULL && track->finished)
        {
          TakesBackendStatus *status = takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);

          status->progress = 0.99;
          status->retry_after_ms = 500;
          g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
          return;
        }
    }

  http_request = new_request (self, "GET", "/queue");
  cancellable = g_task_get_cancellable (task);
  takes_http_send_json_async (TAKES_HTTP (object), http_request, cancellable,
                              on_queue_read, g_steal_pointer (&task));
}

static void
ask_history (GTask *task)
{
  TakesComfyui *self = g_task_get_source_object (task);
  PollData *poll = g_task_get_task_data (task);
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *escaped = g_uri_escape_string (poll->prompt_id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/history/", escaped, NULL);

  http_request = new_request (self, "GET", path);
  takes_http_send_json_async (takes_backend_get_http (TAKES_BACKEND (self)), http_request,
                              g_task_get_cancellable (task), on_history_read, task);
}

static void
takes_comfyui_poll_async (TakesBackend           *backend,
                          TakesGenerationRequest *request,
                          const char             *task_id,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  TakesComfyui *self = TAKES_COMFYUI (backend);
  g_autoptr(GTask) task = NULL;
  PollData *poll;
  Track *track;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_comfyui_poll_async);

  /* Bring the socket back for the next poll; this one does not wait. */
  ensure_socket (self);

  track = lookup_track (self, task_id, FALSE);
  if (track != NULL && !track->finished && socket_is_open (self) &&
      g_get_monotonic_time () - track->confirmed_at < CONFIRM_EVERY_SECONDS * G_USEC_PER_SEC)
    {
      g_task_return_pointer (task, status_from_track (track), (GDestroyNotify)takes_backend_status_free);
      return;
    }

  poll = g_new0 (PollData, 1);
  poll->request = g_object_ref (request);
  poll->prompt_id = g_strdup (task_id);
  g_task_set_task_data (task, poll, poll_data_free);

  ask_history (g_steal_pointer (&task));
}

static TakesBackendStatus *
takes_comfyui_poll_finish (TakesBackend  *backend,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Cancel -------------------------------------------------------------------------------- */

static void
on_cancel_sent (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = takes_http_send_finish (TAKES_HTTP (object), result, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_cancel_queue_read (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  const char *prompt_id = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) body_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(TakesHttpRequest) http_request = NULL;
  GError *error = NULL;
  GCancellable *cancellable;
  int where = -1;  /* 0 running, 1 pending */
  static const char * const lists[] = { "queue_running", "queue_pending", NULL };

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  for (guint l = 0; lists[l] != NULL && where < 0; l++)
    {
      JsonArray *items = JSON_NODE_HOLDS_OBJECT (root) ? member_array (json_node_get_object (root), lists[l]) : NULL;

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonNode *id;

          if (!JSON_NODE_HOLDS_ARRAY (item) || json_array_get_length (json_node_get_array (item)) < 2)
            continue;
          id = json_array_get_element (json_node_get_array (item), 1);
          if (JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING &&
              g_strcmp0 (json_node_get_string (id), prompt_id) == 0)
            where = (int)l;
        }
    }

  if (where < 0)
    {
      /* Already finished (or gone): nothing left to stop. */
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (where == 0)
    {
      /* With the prompt id, ComfyUI only interrupts if it is still ours
       * that runs; a bare /interrupt would stop whatever runs now. */
      json_object_set_string_member (body, "prompt_id", prompt_id);
      http_request = new_request (self, "POST", "/interrupt");
    }
  else
    {
      JsonArray *ids = json_array_new ();

      json_array_add_string_element (ids, prompt_id);
      json_object_set_array_member (body, "delete", ids);
      http_request = new_request (self, "POST", "/queue");
    }

  json_node_set_object (body_node, body);
  takes_http_request_set_json_body (http_request, body_node);
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_IDEMPOTENT);
  cancellable = g_task_get_cancellable (task);
  takes_http_send_async (TAKES_HTTP (object), http_request, cancellable,
                         on_cancel_sent, g_steal_pointer (&task));
}

static void
takes_comfyui_cancel_async (TakesBackend           *backend,
                            TakesGenerationRequest *request,
                            const char             *task_id,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  TakesComfyui *self = TAKES_COMFYUI (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_comfyui_cancel_async);
  g_task_set_task_data (task, g_strdup (task_id), g_free);

  http_request = new_request (self, "GET", "/queue");
  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_cancel_queue_read, g_steal_pointer (&task));
}

static gboolean
takes_comfyui_cancel_finish (TakesBackend  *backend,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Download (and MP4 for clips saved otherwise) ------------------------------------------------ */

typedef struct
{
  GFile *source;       /* the clip as ComfyUI saved it */
  GFile *destination;
} ConvertData;

static void
convert_data_free (gpointer data)
{
  ConvertData *convert = data;

  g_clear_object (&convert->source);
  g_clear_object (&convert->destination);
  g_free (convert);
}

static char *
result_filename (const char *result_url)
{
  g_autoptr(GUri) uri = g_uri_parse (result_url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;

  if (query == NULL)
    return NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;

  return g_strdup (g_hash_table_lookup (params, "filename"));
}

static gboolean
is_mp4_name (const char *filename)
{
  g_autofree char *lower = filename != NULL ? g_ascii_strdown (filename, -1) : NULL;

  return lower == NULL ||
         g_str_has_suffix (lower, ".mp4") ||
         g_str_has_suffix (lower, ".m4v") ||
         g_str_has_suffix (lower, ".mov");
}

static GstElement *
make_encoder (void)
{
  GstElement *encoder = gst_element_factory_make ("x264enc", NULL);

  if (encoder != NULL)
    {
      gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset", "faster");
      return encoder;
    }

  return gst_element_factory_make ("openh264enc", NULL);
}

static void
on_decoded_pad (GstElement *decode,
                GstPad     *pad,
                gpointer    user_data)
{
  GstElement *videoconvert = user_data;
  g_autoptr(GstPad) sink = gst_element_get_static_pad (videoconvert, "sink");
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const GstStructure *structure;

  if (gst_pad_is_linked (sink))
    return;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  structure = caps != NULL && gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0) : NULL;
  if (structure == NULL || !g_str_has_prefix (gst_structure_get_name (structure), "video/"))
    return;

  gst_pad_link (pad, sink);
}

/* filesrc ! decodebin ! videoconvert ! I420 ! H.264 ! mp4mux ! filesink,
 * run to the end on a worker thread. */
static void
convert_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ConvertData *convert = task_data;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) partial = takes_http_get_partial_file (convert->destination);
  g_autofree char *source_path = g_file_get_path (convert->source);
  g_autofree char *partial_path = g_file_get_path (partial);
  GstElement *src, *decode, *videoconvert, *filter, *encoder, *parse, *mux, *sink;
  g_autoptr(GstCaps) caps = NULL;
  gboolean done = FALSE, ok = FALSE;
  g_autofree char *failure = NULL;

  gst_init (NULL, NULL);

  pipeline = gst_pipeline_new ("takes-comfyui-convert");
  src = gst_element_factory_make ("filesrc", NULL);
  decode = gst_element_factory_make ("decodebin", NULL);
  videoconvert = gst_element_factory_make ("videoconvert", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  encoder = make_encoder ();
  parse = gst_element_factory_make ("h264parse", NULL);
  mux = gst_element_factory_make ("mp4mux", NULL);
  sink = gst_element_factory_make ("filesink", NULL);

  if (src == NULL || decode == NULL || videoconvert == NULL || filter == NULL ||
      encoder == NULL || parse == NULL || mux == NULL || sink == NULL)
    {
      g_clear_object (&src); g_clear_object (&decode); g_clear_object (&videoconvert);
      g_clear_object (&filter); g_clear_object (&encoder); g_clear_object (&parse);
      g_clear_object (&mux); g_clear_object (&sink);
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                               _("ComfyUI saved the clip in a format other than MP4, and the GStreamer "
                                 "plugins to convert it (x264 or OpenH264, mp4mux) are not installed. "
                                 "Install them, or make the workflow save MP4."));
      return;
    }

  g_object_set (src, "location", source_path, NULL);
  g_object_set (sink, "location", partial_path, NULL);
  caps = gst_caps_from_string ("video/x-raw,format=I420");
  g_object_set (filter, "caps", caps, NULL);

  gst_bin_add_many (GST_BIN (pipeline), src, decode, videoconvert, filter, encoder, parse, mux, sink, NULL);
  if (!gst_element_link (src, decode) ||
      !gst_element_link_many (videoconvert, filter, encoder, parse, mux, sink, NULL))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                               _("The clip from ComfyUI could not be converted to MP4."));
      return;
    }


  /* decodebin's pads appear once it knows the stream. */
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_decoded_pad), videoconvert);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      failure = g_strdup (_("the pipeline did not start"));
      done = TRUE;
    }

  while (!done)
    {
      g_autoptr(GstMessage) message = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          failure = NULL;
          break;
        }

      message = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND, GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
      if (message == NULL)
        continue;

      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
        {
          ok = TRUE;
          done = TRUE;
        }
      else
        {
          g_autoptr(GError) gst_error = NULL;

          gst_message_parse_error (message, &gst_error, NULL);
          failure = g_strdup (gst_error != NULL ? gst_error->message : "?");
          done = TRUE;
        }
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (!ok)
    {
      g_unlink (partial_path);

      if (g_cancellable_is_cancelled (cancellable))
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                                 _("The download was canceled."));
      else
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                                 _("ComfyUI saved the clip in a format Takes could not convert to MP4 (%s). "
                                   "Make the workflow save MP4: SaveVideo with format “mp4”, or Video Combine "
                                   "with “video/h264-mp4”."),
                                 failure != NULL ? failure : "?");
      return;
    }

  if (!g_file_move (partial, convert->destination, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                               _("The clip could not be saved (%s). Check that the folder is writable."),
                               error->message);
      return;
    }

  g_file_delete (convert->source, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
on_source_downloaded (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!takes_http_download_finish (TAKES_HTTP (object), result, NULL, &error))
    {
      g_task_return_error (task, rewrite_error (g_task_get_source_object (task), error));
      return;
    }

  g_task_run_in_thread (task, convert_in_thread);
}

static void
on_plain_downloaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!takes_http_download_finish (TAKES_HTTP (object), result, NULL, &error))
    {
      g_task_return_error (task, rewrite_error (g_task_get_source_object (task), error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
takes_comfyui_download_async (TakesBackend           *backend,
                              TakesGenerationRequest *request,
                              const char             *task_id,
                              const char             *result_url,
                              GFile                  *destination,
                              TakesProgressFunc       progress,
                              gpointer                progress_data,
                              GDestroyNotify          progress_data_destroy,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  TakesComfyui *self = TAKES_COMFYUI (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *scheme = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_comfyui_download_async);
  g_task_set_check_cancellable (task, FALSE);

  scheme = result_url != NULL ? g_uri_parse_scheme (result_url) : NULL;
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      if (progress_data_destroy != NULL)
        progress_data_destroy (progress_data);
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                               _("ComfyUI gave no address to download the clip from. Try “Check again”."));
      return;
    }

  http_request = takes_http_request_new ("GET", result_url);
  takes_http_request_set_service_name (http_request, "ComfyUI");
  filename = result_filename (result_url);

  if (is_mp4_name (filename))
    {
      takes_http_download_async (takes_backend_get_http (backend), http_request, destination,
                                 progress, progress_data, progress_data_destroy,
                                 cancellable, on_plain_downloaded, g_steal_pointer (&task));
      return;
    }

  {
    /* Beside the destination, with the clip's own extension so decoders
     * recognise it; resumable like any download. */
    g_autofree char *path = g_file_get_path (destination);
    const char *extension = strrchr (filename, '.');
    g_autofree char *source_path = g_strconcat (path, ".source", extension, NULL);
    ConvertData *convert = g_new0 (ConvertData, 1);

    convert->source = g_file_new_for_path (source_path);
    convert->destination = g_object_ref (destination);
    g_task_set_task_data (task, convert, convert_data_free);

    takes_http_download_async (takes_backend_get_http (backend), http_request, convert->source,
                               progress, progress_data, progress_data_destroy,
                               cancellable, on_source_downloaded, g_steal_pointer (&task));
  }
}

static gboolean
takes_comfyui_download_finish (TakesBackend  *backend,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Test ---------------------------------------------------------------------------------- */

static void
on_stats_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesComfyui *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, rewrite_error (self, error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root) || member_object (json_node_get_object (root), "system") == NULL)
    {
      g_autofree char *base = dup_base_url (self);

      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                               _("The server at %s answered, but not as ComfyUI does. Check the address."),
                               base);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
takes_comfyui_test_async (TakesBackend        *backend,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  TakesComfyui *self = TAKES_COMFYUI (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_comfyui_test_async);

  http_request = new_request (self, "GET", "/system_stats");
  takes_http_request_set_deadline (http_request, 15);
  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_stats_read, g_steal_pointer (&task));
}

static gboolean
takes_comfyui_test_finish (TakesBackend  *backend,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
takes_comfyui_dispose (GObject *object)
{
  TakesComfyui *self = (TakesComfyui *)object;

  if (self->socket_cancellable != NULL)
    g_cancellable_cancel (self->socket_cancellable);
  drop_socket (self);

  /* Submissions waiting for the socket go on without it. */
  if (self->socket_waiters != NULL && self->socket_waiters->len > 0)
    {
      self->connecting = FALSE;
      self->socket_failed_at = g_get_monotonic_time ();
      wake_socket_waiters (self);
    }

  g_clear_object (&self->socket_cancellable);
  g_clear_object (&self->socket_session);

  G_OBJECT_CLASS (takes_comfyui_parent_class)->dispose (object);
}

static void
takes_comfyui_finalize (GObject *object)
{
  TakesComfyui *self = (TakesComfyui *)object;

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->tracks, g_hash_table_unref);
  g_clear_pointer (&self->socket_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (takes_comfyui_parent_class)->finalize (object);
}

static void
takes_comfyui_class_init (TakesComfyuiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TakesBackendClass *backend_class = TAKES_BACKEND_CLASS (klass);

  object_class->dispose = takes_comfyui_dispose;
  object_class->finalize = takes_comfyui_finalize;

  backend_class->get_id = takes_comfyui_get_id;
  backend_class->get_display_name = takes_comfyui_get_display_name;
  backend_class->get_models = takes_comfyui_get_models;
  backend_class->get_modes = takes_comfyui_get_modes;
  backend_class->get_duration_range = takes_comfyui_get_duration_range;
  backend_class->get_aspect_ratios = takes_comfyui_get_aspect_ratios;
  backend_class->get_resolutions = takes_comfyui_get_resolutions;
  backend_class->get_concurrency_limit = takes_comfyui_get_concurrency_limit;
  backend_class->get_default_base_url = takes_comfyui_get_default_base_url;
  backend_class->estimate_cost = takes_comfyui_estimate_cost;
  backend_class->validate_request = takes_comfyui_validate_request;
  backend_class->submit_async = takes_comfyui_submit_async;
  backend_class->submit_finish = takes_comfyui_submit_finish;
  backend_class->poll_async = takes_comfyui_poll_async;
  backend_class->poll_finish = takes_comfyui_poll_finish;
  backend_class->cancel_async = takes_comfyui_cancel_async;
  backend_class->cancel_finish = takes_comfyui_cancel_finish;
  backend_class->download_async = takes_comfyui_download_async;
  backend_class->download_finish = takes_comfyui_download_finish;
  backend_class->test_async = takes_comfyui_test_async;
  backend_class->test_finish = takes_comfyui_test_finish;
  /* Open models take any size; the lists are suggestions. */
  backend_class->any_frame_size = TRUE;
}

static void
takes_comfyui_init (TakesComfyui *self)
{
  TakesHttp *http;

  self->client_id = g_uuid_string_random ();
  self->tracks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, track_free);
  self->socket_waiters = g_ptr_array_new ();
  /* Its own session: a WebSocket lives long and must not count against
   * the HTTP session's limits or timeouts. */
  self->socket_session = soup_session_new ();

  /* A local server answers at once or not at all: do not spend a minute
   * retrying a server that is not started. */
  http = takes_backend_get_http (TAKES_BACKEND (self));
  takes_http_set_retry_policy (http, 3, 250, 2000);
  takes_http_set_deadlines (http, 30, 1800, 30);
}

TakesComfyui *
takes_comfyui_new (void)
{
  return g_object_new (TAKES_TYPE_COMFYUI, NULL);
}

const char *
takes_comfyui_get_client_id (TakesComfyui *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI (self), NULL);

  return self->client_id;
}

gboolean
takes_comfyui_is_socket_connected (TakesComfyui *self)
{
  g_return_val_if_fail (TAKES_IS_COMFYUI (self), FALSE);

  return socket_is_open (self);
}
