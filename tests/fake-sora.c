/* fake-sora.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-sora"

#include "config.h"

#include <string.h>

#include "fake-provider-util.h"
#include "fake-sora.h"

static const char * const fault_names[] = {
  "rate-limit-create", "quota", "moderation-create", "server-error-poll",
  "malformed-poll", "deep-poll", "auth", "stall-download", "truncate-download", NULL
};

static const char * const known_models[] = {
  "sora-2", "sora-2-pro", "sora-2-2025-10-06", "sora-2-2025-12-08", "sora-2-pro-2025-10-06", NULL
};
static const char * const known_seconds[] = { "4", "8", "12", NULL };
static const char * const small_sizes[] = { "720x1280", "1280x720", NULL };
static const char * const large_sizes[] = { "1024x1792", "1792x1024", NULL };

typedef struct
{
  char   *id;
  char   *model;
  char   *prompt;
  char   *seconds;
  char   *size;
  guint   polls;
  gint64  created_at;
} FakeVideo;

struct _TakesFakeSora
{
  GObject          parent_instance;

  /* owned */
  FakeServer      *server;
  char            *base_url;
  char            *api_key;
  GHashTable      *videos;
  GHashTable      *creates;
  GHashTable      *requests;
  GHashTable      *last_fields;
  char            *last_refusal;
  GString         *transcript;
  GBytes          *clip;

  FakeSoraOutcome  outcome;
  guint            polls_until_done;
  guint            poll_after_ms;
  guint            total_creates;
  guint            next_id;
  FakeFault        faults[FAKE_SORA_N_FAULTS];
};

G_DEFINE_FINAL_TYPE (TakesFakeSora, takes_fake_sora, G_TYPE_OBJECT)

static void
fake_video_free (gpointer data)
{
  FakeVideo *video = data;

  g_free (video->id);
  g_free (video->model);
  g_free (video->prompt);
  g_free (video->seconds);
  g_free (video->size);
  g_free (video);
}

static void
takes_fake_sora_finalize (GObject *object)
{
  TakesFakeSora *self = (TakesFakeSora *)object;

  g_clear_pointer (&self->server, fake_server_free);
  g_free (self->base_url);
  g_free (self->api_key);
  g_free (self->last_refusal);
  g_clear_pointer (&self->videos, g_hash_table_unref);
  g_clear_pointer (&self->creates, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->last_fields, g_hash_table_unref);
  g_clear_pointer (&self->clip, g_bytes_unref);
  g_string_free (self->transcript, TRUE);

  G_OBJECT_CLASS (takes_fake_sora_parent_class)->finalize (object);
}

static void
takes_fake_sora_class_init (TakesFakeSoraClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = takes_fake_sora_finalize;
}

static void
takes_fake_sora_init (TakesFakeSora *self)
{
  self->videos = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_video_free);
  self->creates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->transcript = g_string_new (NULL);
  self->last_refusal = g_strdup ("");
  self->polls_until_done = 2;
  self->poll_after_ms = 50;
}

/* ---- Answers ------------------------------------------------------------------ */

static void
respond_error (TakesFakeSora     *self,
               SoupServerMessage *msg,
               guint              status,
               const char        *type,
               const char        *code,
               const char        *param,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_free (self->last_refusal);
  self->last_refusal = g_strdup_printf ("%s %s", code != NULL ? code : type, message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "param");
  if (param != NULL)
    json_builder_add_string_value (builder, param);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "code");
  if (code != NULL)
    json_builder_add_string_value (builder, code);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  fake_respond_node (msg, status, root);
}

static void
add_video_object (TakesFakeSora *self,
                  JsonBuilder   *builder,
                  FakeVideo     *video,
                  const char    *status,
                  int            progress)
{
  gboolean done = g_str_equal (status, "completed") || g_str_equal (status, "failed");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, video->id);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "video");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, video->model);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_int_value (builder, progress);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, video->created_at);
  json_builder_set_member_name (builder, "completed_at");
  if (done)
    json_builder_add_int_value (builder, video->created_at + 120);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "expires_at");
  if (g_str_equal (status, "completed"))
    json_builder_add_int_value (builder, video->created_at + 86400);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "error");
  if (g_str_equal (status, "failed"))
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, self->outcome == FAKE_SORA_OUTCOME_MODERATE
                                              ? "moderation_blocked" : "internal_error");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, self->outcome == FAKE_SORA_OUTCOME_MODERATE
                                              ? FAKE_SORA_MODERATION_REASON : FAKE_SORA_FAIL_REASON);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, video->prompt);
  json_builder_set_member_name (builder, "remixed_from_video_id");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_string_value (builder, video->seconds);
  json_builder_set_member_name (builder, "size");
  json_builder_add_string_value (builder, video->size);
  json_builder_end_object (builder);
}

static void
respond_video (TakesFakeSora     *self,
               SoupServerMessage *msg,
               FakeVideo         *video,
               const char        *status,
               int                progress)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *after = g_strdup_printf ("%u", self->poll_after_ms);

  add_video_object (self, builder, video, status, progress);
  root = json_builder_get_root (builder);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "openai-poll-after-ms", after);
  fake_respond_node (msg, 200, root);
}

/* ---- Checks ------------------------------------------------------------------- */

static gboolean
check_key (TakesFakeSora     *self,
           SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree char *expected = g_strconcat ("Bearer ", self->api_key, NULL);

  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_AUTH]) || g_strcmp0 (header, expected) != 0)
    {
      respond_error (self, msg, 401, "invalid_request_error", "invalid_api_key", NULL,
                     header == NULL ? "You didn't provide an API key."
                                    : "Incorrect API key provided.");
      return FALSE;
    }

  return TRUE;
}

static const char *
sniff (GBytes *bytes)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  if (length >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";

  return NULL;
}

/* Reads the create's fields into @fields; NULL or why they are wrong. */
static const char *
read_fields (SoupServerMessage *msg,
             GHashTable        *fields,
             const char       **param)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  if (g_strcmp0 (type, "application/json") == 0)
    {
      g_autoptr(JsonObject) object = fake_request_json (msg);
      g_autoptr(GList) members = NULL;

      if (object == NULL)
        return "We could not parse the JSON body of your request.";

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              *param = l->data;
              return "Invalid type: expected a string.";
            }
          g_hash_table_replace (fields, g_strdup (l->data), g_strdup (json_node_get_string (node)));
        }
      return NULL;
    }

  if (g_strcmp0 (type, "multipart/form-data") == 0)
    {
      g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (headers, body);

      if (multipart == NULL)
        return "Could not parse multipart form.";

      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers = NULL;
          GBytes *part_body = NULL;
          g_autofree char *disposition = NULL;
          g_autoptr(GHashTable) params = NULL;
          const char *name, *file_name;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body) ||
              !soup_message_headers_get_content_disposition (part_headers, &disposition, &params) ||
              g_strcmp0 (disposition, "form-data") != 0 ||
              (name = g_hash_table_lookup (params, "name")) == NULL)
            return "Could not parse multipart form.";

          file_name = g_hash_table_lookup (params, "filename");
          if (g_str_equal (name, "input_reference"))
            {
              const char *part_type = soup_message_headers_get_content_type (part_headers, NULL);
              const char *actual = sniff (part_body);
              guint width = 0, height = 0;

              *param = "input_reference";
              if (file_name == NULL)
                return "input_reference must be a file.";
              if (actual == NULL || g_strcmp0 (part_type, actual) != 0)
                return "Invalid file format for input_reference. Supported formats are image/jpeg, image/png and image/webp.";
              if (g_str_equal (actual, "image/png"))
                {
                  const guint8 *data = g_bytes_get_data (part_body, NULL);

                  if (g_bytes_get_size (part_body) < 24)
                    return "input_reference is not a valid image.";
                  width = (guint)data[16] << 24 | (guint)data[17] << 16 | (guint)data[18] << 8 | data[19];
                  height = (guint)data[20] << 24 | (guint)data[21] << 16 | (guint)data[22] << 8 | data[23];
                }
              g_hash_table_replace (fields, g_strdup (name),
                                    g_strdup_printf ("%s %s %ux%u", file_name, part_type, width, height));
              *param = NULL;
              continue;
            }

          if (file_name != NULL)
            {
              *param = name;
              return "Expected a text field, got a file.";
            }

          g_hash_table_replace (fields, g_strdup (name),
                                g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body)));
        }
      return NULL;
    }

  return "Unsupported content type: use multipart/form-data or application/json.";
}

/* ---- Handlers ----------------------------------------------------------------- */

static void
handle_create (TakesFakeSora     *self,
               SoupServerMessage *msg)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *param = NULL;
  const char *problem;
  const char *prompt, *model, *seconds, *size;
  FakeVideo *video;
  guint count;

  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_RATE_LIMIT_CREATE]))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      respond_error (self, msg, 429, "requests", "rate_limit_exceeded", NULL,
                     "Rate limit reached for requests. Please try again in 1s.");
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_QUOTA]))
    {
      respond_error (self, msg, 429, "insufficient_quota", "insufficient_quota", NULL,
                     "You exceeded your current quota, please check your plan and billing details.");
      return;
    }

  problem = read_fields (msg, fields, &param);
  if (problem != NULL)
    {
      respond_error (self, msg, 400, "invalid_request_error", "invalid_value", param, problem);
      return;
    }

  g_clear_pointer (&self->last_fields, g_hash_table_unref);
  self->last_fields = g_hash_table_ref (fields);

  prompt = g_hash_table_lookup (fields, "prompt");
  model = g_hash_table_lookup (fields, "model");
  seconds = g_hash_table_lookup (fields, "seconds");
  size = g_hash_table_lookup (fields, "size");

  if (prompt == NULL || prompt[0] == '\0')
    {
      respond_error (self, msg, 400, "invalid_request_error", "missing_required_parameter", "prompt",
                     "Missing required parameter: 'prompt'.");
      return;
    }
  if (model == NULL)
    model = "sora-2";
  if (!g_strv_contains (known_models, model))
    {
      respond_error (self, msg, 400, "invalid_request_error", "invalid_value", "model",
                     "Invalid value for 'model'.");
      return;
    }
  if (seconds == NULL)
    seconds = "4";
  if (!g_strv_contains (known_seconds, seconds))
    {
      respond_error (self, msg, 400, "invalid_request_error", "invalid_value", "seconds",
                     "Invalid value for 'seconds'. Supported values are: '4', '8', and '12'.");
      return;
    }
  if (size == NULL)
    size = "720x1280";
  if (!g_strv_contains (small_sizes, size) &&
      !(g_strv_contains (large_sizes, size) && strstr (model, "pro") != NULL))
    {
      respond_error (self, msg, 400, "invalid_request_error", "invalid_value", "size",
                     "Invalid value for 'size'.");
      return;
    }

  if (g_hash_table_contains (fields, "input_reference"))
    {
      g_auto(GStrv) part = g_strsplit (g_hash_table_lookup (fields, "input_reference"), " ", -1);

      /* The reference must have the video's size (checked for PNG). */
      if (g_strv_length (part) >= 3 && g_str_equal (part[1], "image/png") &&
          !g_str_equal (part[g_strv_length (part) - 1], size))
        {
          respond_error (self, msg, 400, "invalid_request_error", "invalid_value", "input_reference",
                         "Inpaint image must match the requested width and height.");
          return;
        }
    }

  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_MODERATION_CREATE]))
    {
      respond_error (self, msg, 400, "invalid_request_error", "moderation_blocked", NULL,
                     "Your request was rejected by the safety system. The prompt may contain disallowed content.");
      return;
    }

  video = g_new0 (FakeVideo, 1);
  video->id = g_strdup_printf ("video_68f1c2a4b9e08190a6d1c3f0e2b4%04u", ++self->next_id);
  video->model = g_strdup (model);
  video->prompt = g_strdup (prompt);
  video->seconds = g_strdup (seconds);
  video->size = g_strdup (size);
  video->created_at = g_get_real_time () / G_USEC_PER_SEC;
  g_hash_table_replace (self->videos, video->id, video);

  self->total_creates++;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->creates, prompt));
  g_hash_table_replace (self->creates, g_strdup (prompt), GUINT_TO_POINTER (count + 1));

  respond_video (self, msg, video, "queued", 0);
}

static gboolean
video_is_done (TakesFakeSora *self,
               FakeVideo     *video)
{
  return video->polls >= self->polls_until_done;
}

static void
handle_retrieve (TakesFakeSora     *self,
                 SoupServerMessage *msg,
                 const char        *id)
{
  FakeVideo *video;

  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_SERVER_ERROR_POLL]))
    {
      respond_error (self, msg, 500, "server_error", NULL, NULL,
                     "The server had an error while processing your request.");
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_MALFORMED_POLL]))
    {
      fake_respond_malformed (msg);
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_SORA_FAULT_DEEP_POLL]))
    {
      fake_respond_deep (msg);
      return;
    }

  video = g_hash_table_lookup (self->videos, id);
  if (video == NULL)
    {
      respond_error (self, msg, 404, "invalid_request_error", "not_found", NULL, "Video not found.");
      return;
    }

  video->polls++;
  if (video_is_done (self, video))
    respond_video (self, msg, video, self->outcome == FAKE_SORA_OUTCOME_SUCCEED ? "completed" : "failed",
                   100);
  else
    respond_video (self, msg, video, "in_progress", (int)(100 * video->polls / self->polls_until_done));
}

static void
handle_content (TakesFakeSora     *self,
                SoupServerMessage *msg,
                const char        *id,
                GHashTable        *query)
{
  FakeVideo *video = g_hash_table_lookup (self->videos, id);
  const char *variant = query != NULL ? g_hash_table_lookup (query, "variant") : NULL;
  gboolean stall, truncate;

  if (video == NULL || !video_is_done (self, video) || self->outcome != FAKE_SORA_OUTCOME_SUCCEED)
    {
      respond_error (self, msg, 404, "invalid_request_error", "not_found", NULL,
                     "Video content is not available.");
      return;
    }
  if (variant != NULL && !g_str_equal (variant, "video"))
    {
      respond_error (self, msg, 400, "invalid_request_error", "invalid_value", "variant",
                     "Only the video variant is served here.");
      return;
    }

  if (self->clip == NULL)
    self->clip = fake_make_test_clip ();

  stall = fake_fault_hit (&self->faults[FAKE_SORA_FAULT_STALL_DOWNLOAD]);
  truncate = !stall && fake_fault_hit (&self->faults[FAKE_SORA_FAULT_TRUNCATE_DOWNLOAD]);
  fake_server_serve_bytes (self->server, msg, self->clip, "video/mp4", stall, truncate);
}

static void
handle_list (TakesFakeSora     *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->videos);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    add_video_object (self, builder, value, "in_progress", 50);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  fake_respond_node (msg, 200, root);
}

static void
handle_stats (TakesFakeSora     *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total_creates");
  json_builder_add_int_value (builder, self->total_creates);
  json_builder_set_member_name (builder, "creates");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->creates);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_int_value (builder, GPOINTER_TO_UINT (value));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  fake_respond_node (msg, 200, root);
}

static void
add_header_to_transcript (const char *name,
                          const char *value,
                          gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\n", name, value);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  TakesFakeSora *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, key));
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);
  guint n_parts = g_strv_length (parts);

  g_hash_table_replace (self->requests, g_steal_pointer (&key), GUINT_TO_POINTER (count + 1));
  g_string_append_printf (self->transcript, "%s %s\n", method, path);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                add_header_to_transcript, self->transcript);

  if (g_str_equal (method, "GET") && g_str_equal (path, "/_fake/stats"))
    {
      handle_stats (self, msg);
      return;
    }

  if (g_str_equal (method, "POST") && g_str_equal (path, "/_fake/fault"))
    {
      const char *name = query != NULL ? g_hash_table_lookup (query, "name") : NULL;
      const char *times = query != NULL ? g_hash_table_lookup (query, "times") : NULL;
      guint64 n = 0;

      if (name == NULL || (times != NULL && !g_ascii_string_to_unsigned (times, 10, 0, 1000, &n, NULL)) ||
          !takes_fake_sora_set_fault_by_name (self, name, (guint)n))
        fake_respond_json (msg, 400, "{\"error\":\"unknown fault\"}");
      else
        fake_respond_json (msg, 200, "{}");
      return;
    }

  if (n_parts >= 2 && g_str_equal (parts[0], "v1") && g_str_equal (parts[1], "videos"))
    {
      if (!check_key (self, msg))
        return;

      if (n_parts == 2 && g_str_equal (method, "POST"))
        {
          handle_create (self, msg);
          return;
        }
      if (n_parts == 2 && g_str_equal (method, "GET"))
        {
          handle_list (self, msg);
          return;
        }
      if (n_parts == 3 && g_str_equal (method, "GET"))
        {
          handle_retrieve (self, msg, parts[2]);
          return;
        }
      if (n_parts == 4 && g_str_equal (method, "GET") && g_str_equal (parts[3], "content"))
        {
          handle_content (self, msg, parts[2], query);
          return;
        }
    }

  respond_error (self, msg, 404, "invalid_request_error", "unknown_url", NULL,
                 "Unknown request URL.");
}

/* ---- Public ------------------------------------------------------------------- */

TakesFakeSora *
takes_fake_sora_new (guint       port,
                     const char *api_key)
{
  TakesFakeSora *self = g_object_new (TAKES_TYPE_FAKE_SORA, NULL);

  self->api_key = g_strdup (api_key);
  self->server = fake_server_new (port, "fake-sora ", on_request, self);
  self->base_url = g_strconcat (fake_server_get_base_url (self->server), "/v1", NULL);

  return self;
}

const char *
takes_fake_sora_get_base_url (TakesFakeSora *self)
{
  return self->base_url;
}

void
takes_fake_sora_set_polls_until_done (TakesFakeSora *self,
                                      guint          polls)
{
  self->polls_until_done = MAX (polls, 1);
}

void
takes_fake_sora_set_outcome (TakesFakeSora   *self,
                             FakeSoraOutcome  outcome)
{
  self->outcome = outcome;
}

void
takes_fake_sora_set_poll_after_ms (TakesFakeSora *self,
                                   guint          ms)
{
  self->poll_after_ms = ms;
}

void
takes_fake_sora_set_fault (TakesFakeSora *self,
                           FakeSoraFault  fault,
                           guint          times)
{
  g_return_if_fail (fault < FAKE_SORA_N_FAULTS);

  fake_fault_set (&self->faults[fault], times);
}

gboolean
takes_fake_sora_set_fault_by_name (TakesFakeSora *self,
                                   const char    *name,
                                   guint          times)
{
  for (guint i = 0; fault_names[i] != NULL; i++)
    if (g_str_equal (fault_names[i], name))
      {
        takes_fake_sora_set_fault (self, i, times);
        return TRUE;
      }

  if (g_str_equal (name, "outcome-fail"))
    self->outcome = FAKE_SORA_OUTCOME_FAIL;
  else if (g_str_equal (name, "outcome-moderate"))
    self->outcome = FAKE_SORA_OUTCOME_MODERATE;
  else if (g_str_equal (name, "outcome-succeed"))
    self->outcome = FAKE_SORA_OUTCOME_SUCCEED;
  else if (g_str_equal (name, "clear"))
    takes_fake_sora_clear_faults (self);
  else
    return FALSE;

  return TRUE;
}

void
takes_fake_sora_clear_faults (TakesFakeSora *self)
{
  memset (self->faults, 0, sizeof self->faults);
}

guint
takes_fake_sora_get_total_creates (TakesFakeSora *self)
{
  return self->total_creates;
}

guint
takes_fake_sora_get_request_count (TakesFakeSora *self,
                                   const char    *method,
                                   const char    *path_prefix)
{
  g_autofree char *prefix = g_strdup_printf ("%s %s", method, path_prefix);
  GHashTableIter iter;
  gpointer key, value;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix))
      count += GPOINTER_TO_UINT (value);

  return count;
}

GHashTable *
takes_fake_sora_get_last_fields (TakesFakeSora *self)
{
  return self->last_fields;
}

const char *
takes_fake_sora_get_last_refusal (TakesFakeSora *self)
{
  return self->last_refusal;
}

const char *
takes_fake_sora_get_transcript (TakesFakeSora *self)
{
  return self->transcript->str;
}
