/* fake-kit.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-kit"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "fake-kit.h"

#define DEFAULT_FILE_SIZE (256 * 1024)
#define DEEP_NESTING      100000

typedef struct
{
  char  *id;
  char  *client_request_id;
  guint  polls;
  gboolean canceled;
} FakeTask;

typedef struct
{
  gboolean on;
  guint    remaining; /* 0: unlimited */
} Fault;

struct _TakesFakeKit
{
  GObject           parent_instance;

  /* owned */
  SoupServer       *server;
  char             *base_url;
  char             *api_key;
  GBytes           *file;
  GHashTable       *tasks;
  GHashTable       *creates;
  GHashTable       *requests;
  char             *last_range;
  GString          *transcript;
  GPtrArray        *held_streams;
  GPtrArray        *timers;

  TakesFakeOutcome  outcome;
  guint             polls_until_done;
  double            cost;
  guint             retry_after;
  guint             create_delay;
  guint             total_creates;
  guint             next_id;
  Fault             faults[TAKES_FAKE_N_FAULTS];
};

G_DEFINE_FINAL_TYPE (TakesFakeKit, takes_fake_kit, G_TYPE_OBJECT)

static void
fake_task_free (gpointer data)
{
  FakeTask *task = data;

  g_free (task->id);
  g_free (task->client_request_id);
  g_free (task);
}

static void
takes_fake_kit_dispose (GObject *object)
{
  TakesFakeKit *self = (TakesFakeKit *)object;

  if (self->timers != NULL)
    {
      for (guint i = 0; i < self->timers->len; i++)
        g_source_destroy (g_ptr_array_index (self->timers, i));
      g_clear_pointer (&self->timers, g_ptr_array_unref);
    }

  if (self->held_streams != NULL)
    {
      for (guint i = 0; i < self->held_streams->len; i++)
        g_io_stream_close (g_ptr_array_index (self->held_streams, i), NULL, NULL);
      g_clear_pointer (&self->held_streams, g_ptr_array_unref);
    }

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (takes_fake_kit_parent_class)->dispose (object);
}

static void
takes_fake_kit_finalize (GObject *object)
{
  TakesFakeKit *self = (TakesFakeKit *)object;

  g_free (self->base_url);
  g_free (self->api_key);
  g_free (self->last_range);
  g_clear_pointer (&self->file, g_bytes_unref);
  g_clear_pointer (&self->tasks, g_hash_table_unref);
  g_clear_pointer (&self->creates, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  if (self->transcript != NULL)
    g_string_free (self->transcript, TRUE);

  G_OBJECT_CLASS (takes_fake_kit_parent_class)->finalize (object);
}

static void
takes_fake_kit_class_init (TakesFakeKitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_fake_kit_dispose;
  object_class->finalize = takes_fake_kit_finalize;
}

static void
takes_fake_kit_init (TakesFakeKit *self)
{
  guint8 *pattern = g_malloc (DEFAULT_FILE_SIZE);

  for (gsize i = 0; i < DEFAULT_FILE_SIZE; i++)
    pattern[i] = (guint8)((i * 131 + (i >> 8)) & 0xff);

  self->file = g_bytes_new_take (pattern, DEFAULT_FILE_SIZE);
  self->tasks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_task_free);
  self->creates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->transcript = g_string_new (NULL);
  self->held_streams = g_ptr_array_new_with_free_func (g_object_unref);
  self->timers = g_ptr_array_new_with_free_func ((GDestroyNotify)g_source_unref);
  self->polls_until_done = 2;
  self->cost = 0.25;
  self->retry_after = 1;
  self->create_delay = 3000;
}

/* ---- Helpers -------------------------------------------------------------- */

static gboolean
fault_hit (TakesFakeKit   *self,
           TakesFakeFault  fault)
{
  Fault *f = &self->faults[fault];

  if (!f->on)
    return FALSE;

  if (f->remaining > 0 && --f->remaining == 0)
    f->on = FALSE;

  return TRUE;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autofree char *json = g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, message);

  respond_json (msg, status, json);
}

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  respond_json (msg, status, json);
}

static void
add_header_to_transcript (const char *name,
                          const char *value,
                          gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\n", name, value);
}

static void
count_request (TakesFakeKit      *self,
               SoupServerMessage *msg,
               const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, key));

  g_hash_table_replace (self->requests, g_steal_pointer (&key), GUINT_TO_POINTER (count + 1));

  g_string_append_printf (self->transcript, "%s %s\n", method, path);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                add_header_to_transcript, self->transcript);
}

/* Raw writes on a stolen connection, for answers libsoup would not send
 * (a body shorter than its Content-Length, a stall, a trickle). */

typedef struct
{
  TakesFakeKit *self;
  GIOStream    *stream;
  GBytes       *bytes;
  gboolean      close_after;
} RawWrite;

static void
on_raw_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawWrite *write = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);

  if (write->close_after)
    g_io_stream_close_async (write->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  g_object_unref (write->stream);
  g_bytes_unref (write->bytes);
  g_object_unref (write->self);
  g_free (write);
}

static void
raw_write (TakesFakeKit *self,
           GIOStream    *stream,
           GBytes       *bytes,
           gboolean      close_after)
{
  RawWrite *write = g_new0 (RawWrite, 1);

  write->self = g_object_ref (self);
  write->stream = g_object_ref (stream);
  write->bytes = g_bytes_ref (bytes);
  write->close_after = close_after;

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, NULL, on_raw_written, write);
}

typedef struct
{
  TakesFakeKit *self;
  GIOStream    *stream;
} Trickle;

static gboolean
on_trickle (gpointer user_data)
{
  Trickle *trickle = user_data;
  g_autoptr(GBytes) space = g_bytes_new_static (" ", 1);

  if (g_io_stream_is_closed (trickle->stream))
    return G_SOURCE_REMOVE;

  raw_write (trickle->self, trickle->stream, space, FALSE);

  return G_SOURCE_CONTINUE;
}

static void
trickle_free (gpointer data)
{
  Trickle *trickle = data;

  g_object_unref (trickle->stream);
  g_free (trickle);
}

/* ---- Handlers ------------------------------------------------------------- */

static gboolean
check_auth (TakesFakeKit      *self,
            SoupServerMessage *msg)
{
  const char *header;
  g_autofree char *expected = NULL;

  if (fault_hit (self, TAKES_FAKE_FAULT_AUTH))
    {
      respond_error (msg, 401, "invalid_api_key", "Incorrect API key provided.");
      return FALSE;
    }

  if (self->api_key == NULL)
    return TRUE;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  expected = g_strconcat ("Bearer ", self->api_key, NULL);
  if (g_strcmp0 (header, expected) != 0)
    {
      respond_error (msg, 401, "invalid_api_key", "Incorrect API key provided.");
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  SoupServerMessage *msg;
  char              *json;
  gboolean           finished;
} Delayed;

static void
on_delayed_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Delayed *delayed = user_data;

  delayed->finished = TRUE;
}

static gboolean
on_delay_over (gpointer user_data)
{
  Delayed *delayed = user_data;

  if (!delayed->finished)
    {
      respond_json (delayed->msg, 200, delayed->json);
      soup_server_message_unpause (delayed->msg);
    }

  return G_SOURCE_REMOVE;
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_object_unref (delayed->msg);
  g_free (delayed->json);
  g_free (delayed);
}

static void
handle_create (TakesFakeKit      *self,
               SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *retry_after = NULL;
  JsonObject *object;
  const char *prompt = NULL, *client_request_id = "";
  FakeTask *task;
  guint count;

  if (fault_hit (self, TAKES_FAKE_FAULT_RATE_LIMIT_CREATE))
    {
      retry_after = g_strdup_printf ("%u", self->retry_after);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry_after);
      respond_error (msg, 429, "rate_limit_exceeded", "Too many concurrent tasks.");
      return;
    }

  if (fault_hit (self, TAKES_FAKE_FAULT_UNAVAILABLE_CREATE))
    {
      respond_error (msg, 503, "unavailable", "The service is overloaded, try again later.");
      return;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (msg, 400, "invalid_json", "The body must be a JSON object.");
      return;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "prompt") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "prompt")) &&
      json_node_get_value_type (json_object_get_member (object, "prompt")) == G_TYPE_STRING)
    prompt = json_object_get_string_member (object, "prompt");
  if (prompt == NULL || prompt[0] == '\0')
    {
      respond_error (msg, 400, "invalid_request", "prompt is required.");
      return;
    }
  if (json_object_has_member (object, "client_request_id") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "client_request_id")))
    client_request_id = json_object_get_string_member (object, "client_request_id");
  if (client_request_id == NULL)
    client_request_id = "";

  task = g_new0 (FakeTask, 1);
  task->id = g_strdup_printf ("task-%u", ++self->next_id);
  task->client_request_id = g_strdup (client_request_id);
  g_hash_table_replace (self->tasks, task->id, task);

  self->total_creates++;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->creates, client_request_id));
  g_hash_table_replace (self->creates, g_strdup (client_request_id), GUINT_TO_POINTER (count + 1));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, task->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "queued");
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);

  if (fault_hit (self, TAKES_FAKE_FAULT_SLOW_CREATE))
    {
      /* Accepted (and counted), but the answer comes too late. */
      Delayed *delayed = g_new0 (Delayed, 1);
      GSource *timer;

      delayed->msg = g_object_ref (msg);
      delayed->json = json_to_string (answer, FALSE);
      g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), delayed);
      soup_server_message_pause (msg);

      timer = g_timeout_source_new (self->create_delay);
      g_source_set_callback (timer, on_delay_over, delayed, delayed_free);
      g_source_attach (timer, g_main_context_get_thread_default ());
      g_ptr_array_add (self->timers, timer);
      return;
    }

  respond_node (msg, 200, answer);
}

static void
handle_poll (TakesFakeKit      *self,
             SoupServerMessage *msg,
             const char        *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *retry_after = NULL;
  FakeTask *task;
  const char *status;
  double progress;

  if (fault_hit (self, TAKES_FAKE_FAULT_SERVER_ERROR_POLL))
    {
      respond_error (msg, 500, "internal_error", "Something went wrong on our side.");
      return;
    }

  if (fault_hit (self, TAKES_FAKE_FAULT_RATE_LIMIT_POLL))
    {
      retry_after = g_strdup_printf ("%u", self->retry_after);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry_after);
      respond_error (msg, 429, "rate_limit_exceeded", "Slow down.");
      return;
    }

  if (fault_hit (self, TAKES_FAKE_FAULT_DEEP_NESTING_POLL))
    {
      GString *deep = g_string_sized_new (2 * DEEP_NESTING);

      for (guint i = 0; i < DEEP_NESTING; i++)
        g_string_append_c (deep, '[');
      for (guint i = 0; i < DEEP_NESTING; i++)
        g_string_append_c (deep, ']');

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        deep->str, deep->len);
      g_string_free (deep, FALSE);
      return;
    }

  if (fault_hit (self, TAKES_FAKE_FAULT_TRICKLE_POLL))
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
      g_autoptr(GBytes) head = NULL;
      Trickle *trickle = g_new0 (Trickle, 1);
      GSource *timer;
      const char *headers = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";

      head = g_bytes_new_static (headers, strlen (headers));
      raw_write (self, stream, head, FALSE);
      g_ptr_array_add (self->held_streams, g_object_ref (stream));

      trickle->self = self;
      trickle->stream = g_object_ref (stream);
      timer = g_timeout_source_new (100);
      g_source_set_callback (timer, on_trickle, trickle, trickle_free);
      g_source_attach (timer, g_main_context_get_thread_default ());
      g_ptr_array_add (self->timers, timer);
      return;
    }

  task = g_hash_table_lookup (self->tasks, id);
  if (task == NULL)
    {
      respond_error (msg, 404, "not_found", "No such task.");
      return;
    }

  task->polls++;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, task->id);

  if (task->canceled)
    {
      status = "canceled";
      progress = 0;
    }
  else if (task->polls >= self->polls_until_done)
    {
      status = self->outcome == TAKES_FAKE_OUTCOME_SUCCEED ? "succeeded" : "failed";
      progress = 1;
    }
  else if (task->polls == 1)
    {
      status = "queued";
      progress = 0;
    }
  else
    {
      status = "running";
      progress = (double)task->polls / self->polls_until_done;
    }

  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, progress);

  if (g_str_equal (status, "succeeded"))
    {
      g_autofree char *url = g_strdup_printf ("%s/files/%s", self->base_url, task->id);

      json_builder_set_member_name (builder, "result_url");
      json_builder_add_string_value (builder, url);
      json_builder_set_member_name (builder, "cost");
      json_builder_add_double_value (builder, self->cost);
    }
  else if (g_str_equal (status, "failed"))
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, self->outcome == TAKES_FAKE_OUTCOME_MODERATE ? "moderation" : "internal");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, self->outcome == TAKES_FAKE_OUTCOME_MODERATE
                                              ? "The prompt was flagged by the safety system."
                                              : "The generation failed.");
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);
  respond_node (msg, 200, answer);
}

static void
handle_cancel (TakesFakeKit      *self,
               SoupServerMessage *msg,
               const char        *id)
{
  FakeTask *task = g_hash_table_lookup (self->tasks, id);
  g_autofree char *json = NULL;

  if (task == NULL)
    {
      respond_error (msg, 404, "not_found", "No such task.");
      return;
    }

  task->canceled = TRUE;
  json = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"canceled\"}", task->id);
  respond_json (msg, 200, json);
}

static void
handle_file (TakesFakeKit      *self,
             SoupServerMessage *msg,
             const char        *id)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (request_headers, "Range");
  gsize total = g_bytes_get_size (self->file);
  const char *data = g_bytes_get_data (self->file, NULL);
  goffset start = 0;
  gboolean ranged = FALSE;
  gboolean stall, truncate;

  g_free (self->last_range);
  self->last_range = g_strdup (range);

  if (g_hash_table_lookup (self->tasks, id) == NULL)
    {
      respond_error (msg, 404, "not_found", "No such file.");
      return;
    }

  if (range != NULL && !fault_hit (self, TAKES_FAKE_FAULT_IGNORE_RANGE))
    {
      long long first = -1;

      if (sscanf (range, "bytes=%lld-", &first) != 1 || first < 0)
        {
          respond_error (msg, 400, "bad_range", "Only bytes=N- ranges are supported.");
          return;
        }

      if ((gsize)first >= total)
        {
          g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, total);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Range", content_range);
          soup_server_message_set_status (msg, 416, NULL);
          return;
        }

      start = first;
      ranged = TRUE;
    }

  stall = fault_hit (self, TAKES_FAKE_FAULT_STALL_DOWNLOAD);
  truncate = !stall && fault_hit (self, TAKES_FAKE_FAULT_TRUNCATE_DOWNLOAD);

  if (stall || truncate)
    {
      g_autoptr(GIOStream) stream = NULL;
      g_autoptr(GBytes) part = NULL;
      g_autofree char *headers = NULL;
      gsize remaining = total - start;
      gsize half = remaining / 2;

      stream = soup_server_message_steal_connection (msg);
      if (ranged)
        headers = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                   "Content-Range: bytes %" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n\r\n",
                                   remaining, start, total - 1, total);
      else
        headers = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", total);

      /* One write: a stream takes one operation at a time. */
      {
        GByteArray *joined = g_byte_array_sized_new (strlen (headers) + half);

        g_byte_array_append (joined, (const guint8 *)headers, strlen (headers));
        g_byte_array_append (joined, (const guint8 *)data + start, half);
        part = g_byte_array_free_to_bytes (joined);
      }
      /* A truncated answer ends with the connection; a stalled one keeps
       * it open and silent. */
      raw_write (self, stream, part, truncate);
      if (stall)
        g_ptr_array_add (self->held_streams, g_object_ref (stream));
      return;
    }

  if (ranged)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                        start, total - 1, total);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Range", content_range);
      soup_server_message_set_status (msg, 206, NULL);
      soup_server_message_set_response (msg, "video/mp4", SOUP_MEMORY_COPY, data + start, total - start);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "video/mp4", SOUP_MEMORY_COPY, data, total);
}

static void
handle_echo (TakesFakeKit      *self,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
handle_blob (TakesFakeKit      *self,
             SoupServerMessage *msg,
             const char        *size)
{
  guint64 n = 0;
  GString *json;

  if (!g_ascii_string_to_unsigned (size, 10, 0, 64 * 1024 * 1024, &n, NULL))
    {
      respond_error (msg, 400, "bad_size", "Give a size in bytes.");
      return;
    }

  json = g_string_sized_new (n + 16);
  g_string_append (json, "{\"data\":\"");
  for (guint64 i = 0; i < n; i++)
    g_string_append_c (json, 'x');
  g_string_append (json, "\"}");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json->str, json->len);
  g_string_free (json, FALSE);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  TakesFakeKit *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = NULL;
  guint n_parts;

  count_request (self, msg, path);

  parts = g_strsplit (path + 1, "/", -1);
  n_parts = g_strv_length (parts);

  if (g_str_equal (method, "POST") && g_str_equal (path, "/echo"))
    {
      handle_echo (self, msg);
      return;
    }

  if (g_str_equal (method, "GET") && n_parts == 2 && g_str_equal (parts[0], "blob"))
    {
      handle_blob (self, msg, parts[1]);
      return;
    }

  if (!check_auth (self, msg))
    return;

  if (g_str_equal (method, "POST") && g_str_equal (path, "/tasks"))
    handle_create (self, msg);
  else if (g_str_equal (method, "GET") && n_parts == 2 && g_str_equal (parts[0], "tasks"))
    handle_poll (self, msg, parts[1]);
  else if (g_str_equal (method, "POST") && n_parts == 3 && g_str_equal (parts[0], "tasks") &&
           g_str_equal (parts[2], "cancel"))
    handle_cancel (self, msg, parts[1]);
  else if (g_str_equal (method, "GET") && n_parts == 2 && g_str_equal (parts[0], "files"))
    handle_file (self, msg, parts[1]);
  else
    respond_error (msg, 404, "not_found", "Unknown endpoint.");
}

/* ---- Public API -------------------------------------------------------------- */

TakesFakeKit *
takes_fake_kit_new (void)
{
  TakesFakeKit *self = g_object_new (TAKES_TYPE_FAKE_KIT, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  self->server = soup_server_new ("server-header", "takes-fake-kit ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);

  if (!soup_server_listen (self->server, address, 0, &error))
    g_error ("The fake provider could not listen on 127.0.0.1: %s", error->message);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return self;
}

const char *
takes_fake_kit_get_base_url (TakesFakeKit *self)
{
  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), NULL);

  return self->base_url;
}

void
takes_fake_kit_set_api_key (TakesFakeKit *self,
                            const char   *api_key)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
}

void
takes_fake_kit_set_polls_until_done (TakesFakeKit *self,
                                     guint         polls)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  self->polls_until_done = MAX (polls, 1);
}

void
takes_fake_kit_set_outcome (TakesFakeKit     *self,
                            TakesFakeOutcome  outcome)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  self->outcome = outcome;
}

void
takes_fake_kit_set_file_content (TakesFakeKit *self,
                                 GBytes       *content)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));
  g_return_if_fail (content != NULL);

  g_clear_pointer (&self->file, g_bytes_unref);
  self->file = g_bytes_ref (content);
}

GBytes *
takes_fake_kit_get_file_content (TakesFakeKit *self)
{
  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), NULL);

  return self->file;
}

void
takes_fake_kit_set_cost (TakesFakeKit *self,
                         double        cost)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  self->cost = cost;
}

void
takes_fake_kit_set_fault (TakesFakeKit   *self,
                          TakesFakeFault  fault,
                          guint           times)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));
  g_return_if_fail (fault < TAKES_FAKE_N_FAULTS);

  self->faults[fault].on = TRUE;
  self->faults[fault].remaining = times;
}

void
takes_fake_kit_clear_faults (TakesFakeKit *self)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  memset (self->faults, 0, sizeof self->faults);
}

void
takes_fake_kit_set_retry_after (TakesFakeKit *self,
                                guint         seconds)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  self->retry_after = seconds;
}

void
takes_fake_kit_set_create_delay (TakesFakeKit *self,
                                 guint         ms)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  self->create_delay = ms;
}

guint
takes_fake_kit_get_create_count (TakesFakeKit *self,
                                 const char   *client_request_id)
{
  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->creates, client_request_id != NULL ? client_request_id : ""));
}

guint
takes_fake_kit_get_total_creates (TakesFakeKit *self)
{
  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), 0);

  return self->total_creates;
}

guint
takes_fake_kit_get_request_count (TakesFakeKit *self,
                                  const char   *method,
                                  const char   *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  guint total = 0;

  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), 0);

  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *line = key;
      const char *space = strchr (line, ' ');

      if (space == NULL)
        continue;
      if (method != NULL && (strncmp (line, method, space - line) != 0 || strlen (method) != (gsize)(space - line)))
        continue;
      if (path_prefix != NULL && !g_str_has_prefix (space + 1, path_prefix))
        continue;

      total += GPOINTER_TO_UINT (value);
    }

  return total;
}

guint
takes_fake_kit_get_poll_count (TakesFakeKit *self,
                               const char   *task_id)
{
  FakeTask *task;

  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), 0);

  task = g_hash_table_lookup (self->tasks, task_id);

  return task != NULL ? task->polls : 0;
}

const char *
takes_fake_kit_get_last_range (TakesFakeKit *self)
{
  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), NULL);

  return self->last_range;
}

const char *
takes_fake_kit_get_transcript (TakesFakeKit *self)
{
  g_return_val_if_fail (TAKES_IS_FAKE_KIT (self), NULL);

  return self->transcript->str;
}

void
takes_fake_kit_reset_counts (TakesFakeKit *self)
{
  g_return_if_fail (TAKES_IS_FAKE_KIT (self));

  g_hash_table_remove_all (self->creates);
  g_hash_table_remove_all (self->requests);
  g_string_truncate (self->transcript, 0);
  self->total_creates = 0;
  g_clear_pointer (&self->last_range, g_free);
}
