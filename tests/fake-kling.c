/* fake-kling.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-kling"

#include "config.h"

#include <string.h>

#include "fake-kling.h"
#include "fake-provider-util.h"
#include "takes-jwt.h"

static const char * const fault_names[] = {
  "rate-limit-create", "concurrency-create", "balance", "moderation-create",
  "server-error-poll", "malformed-poll", "deep-poll", "malformed-create",
  "auth", "expired-token", "stall-download", "truncate-download", NULL
};

static const char * const known_models[] = {
  "kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master", "kling-v2-1",
  "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3", NULL
};

static const char * const camera_types[] = {
  "simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward", NULL
};
static const char * const camera_axes[] = { "horizontal", "vertical", "pan", "tilt", "roll", "zoom", NULL };

typedef struct
{
  char   *id;
  char   *family;
  char   *external_task_id;
  guint   polls;
  gint64  created_at;
  gint64  updated_at;
} FakeTask;

struct _TakesFakeKling
{
  GObject           parent_instance;

  /* owned */
  FakeServer       *server;
  char             *secret_key;
  char             *units;
  GHashTable       *tasks;
  GHashTable       *creates;
  GHashTable       *duplicates;
  GHashTable       *requests;
  JsonObject       *last_body;
  char             *last_refusal;
  GString          *transcript;
  GBytes           *clip;

  FakeKlingOutcome  outcome;
  guint             polls_until_done;
  gint64            clock_offset;
  gint64            last_token_exp;
  guint             total_creates;
  guint64           next_id;
  FakeFault         faults[FAKE_KLING_N_FAULTS];
};

G_DEFINE_FINAL_TYPE (TakesFakeKling, takes_fake_kling, G_TYPE_OBJECT)

static void
fake_task_free (gpointer data)
{
  FakeTask *task = data;

  g_free (task->id);
  g_free (task->family);
  g_free (task->external_task_id);
  g_free (task);
}

static void
takes_fake_kling_finalize (GObject *object)
{
  TakesFakeKling *self = (TakesFakeKling *)object;

  g_clear_pointer (&self->server, fake_server_free);
  g_free (self->secret_key);
  g_free (self->units);
  g_free (self->last_refusal);
  g_clear_pointer (&self->tasks, g_hash_table_unref);
  g_clear_pointer (&self->creates, g_hash_table_unref);
  g_clear_pointer (&self->duplicates, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->last_body, json_object_unref);
  g_clear_pointer (&self->clip, g_bytes_unref);
  g_string_free (self->transcript, TRUE);

  G_OBJECT_CLASS (takes_fake_kling_parent_class)->finalize (object);
}

static void
takes_fake_kling_class_init (TakesFakeKlingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = takes_fake_kling_finalize;
}

static void
takes_fake_kling_init (TakesFakeKling *self)
{
  self->tasks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_task_free);
  self->creates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->duplicates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->transcript = g_string_new (NULL);
  self->units = g_strdup ("2");
  self->last_refusal = g_strdup ("");
  self->polls_until_done = 2;
  self->next_id = 866889456698785000;
}

/* ---- Answers ------------------------------------------------------------------ */

static gint64
now_ms (TakesFakeKling *self)
{
  return g_get_real_time () / 1000 + self->clock_offset * 1000;
}

static void
respond_error (TakesFakeKling    *self,
               SoupServerMessage *msg,
               guint              status,
               int                code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *request_id = g_uuid_string_random ();

  g_free (self->last_refusal);
  self->last_refusal = g_strdup_printf ("%d %s", code, message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, request_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  fake_respond_node (msg, status, root);
}

static void
add_task_object (TakesFakeKling *self,
                 JsonBuilder    *builder,
                 FakeTask       *task,
                 const char     *status)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "task_id");
  json_builder_add_string_value (builder, task->id);
  json_builder_set_member_name (builder, "task_status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "task_info");
  json_builder_begin_object (builder);
  if (task->external_task_id != NULL)
    {
      json_builder_set_member_name (builder, "external_task_id");
      json_builder_add_string_value (builder, task->external_task_id);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, task->created_at);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_int_value (builder, task->updated_at);

  if (!g_str_equal (status, "submitted"))
    {
      json_builder_set_member_name (builder, "task_status_msg");
      if (g_str_equal (status, "failed"))
        json_builder_add_string_value (builder, self->outcome == FAKE_KLING_OUTCOME_MODERATE
                                                ? FAKE_KLING_MODERATION_REASON
                                                : FAKE_KLING_FAIL_REASON);
      else
        json_builder_add_string_value (builder, "");
    }

  if (g_str_equal (status, "succeed"))
    {
      g_autofree char *url = g_strdup_printf ("%s/cdn/%s.mp4",
                                              fake_server_get_base_url (self->server), task->id);
      g_autofree char *video_id = g_uuid_string_random ();

      json_builder_set_member_name (builder, "final_unit_deduction");
      json_builder_add_string_value (builder, self->units);
      json_builder_set_member_name (builder, "task_result");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "videos");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, video_id);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, url);
      json_builder_set_member_name (builder, "duration");
      json_builder_add_string_value (builder, "5.1");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
}

static void
respond_task (TakesFakeKling    *self,
              SoupServerMessage *msg,
              FakeTask          *task,
              const char        *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *request_id = g_uuid_string_random ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "SUCCEED");
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, request_id);
  json_builder_set_member_name (builder, "data");
  add_task_object (self, builder, task, status);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  fake_respond_node (msg, 200, root);
}

/* ---- Checks ------------------------------------------------------------------- */

static gboolean
check_token (TakesFakeKling    *self,
             SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree char *header_json = NULL;
  g_autofree char *payload_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *header_object, *payload;
  gint64 now = now_ms (self) / 1000;
  gint64 exp, nbf;

  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_AUTH]))
    {
      respond_error (self, msg, 401, 1000, "Authentication failed");
      return FALSE;
    }

  if (header == NULL || header[0] == '\0')
    {
      respond_error (self, msg, 401, 1001, "Authorization is empty");
      return FALSE;
    }

  /* Exactly one space after Bearer, as the docs insist. */
  if (!g_str_has_prefix (header, "Bearer ") || header[7] == ' ' ||
      !takes_jwt_hs256_verify (header + 7, self->secret_key, &header_json, &payload_json))
    {
      respond_error (self, msg, 401, 1002, "Authorization is invalid");
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, header_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (self, msg, 401, 1002, "Authorization is invalid");
      return FALSE;
    }
  header_object = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (header_object, "alg", ""), "HS256") != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (header_object, "typ", ""), "JWT") != 0)
    {
      respond_error (self, msg, 401, 1002, "Authorization is invalid");
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, payload_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (self, msg, 401, 1002, "Authorization is invalid");
      return FALSE;
    }
  payload = json_node_get_object (json_parser_get_root (parser));

  if (g_strcmp0 (json_object_get_string_member_with_default (payload, "iss", ""), FAKE_KLING_ACCESS_KEY) != 0)
    {
      respond_error (self, msg, 401, 1002, "Authorization is invalid");
      return FALSE;
    }

  if (!json_object_has_member (payload, "exp") || !json_object_has_member (payload, "nbf") ||
      json_node_get_value_type (json_object_get_member (payload, "exp")) != G_TYPE_INT64 ||
      json_node_get_value_type (json_object_get_member (payload, "nbf")) != G_TYPE_INT64)
    {
      respond_error (self, msg, 401, 1002, "Authorization is invalid");
      return FALSE;
    }

  exp = json_object_get_int_member (payload, "exp");
  nbf = json_object_get_int_member (payload, "nbf");
  self->last_token_exp = exp;

  if (nbf > now)
    {
      respond_error (self, msg, 401, 1003, "Authorization is not active");
      return FALSE;
    }

  if (exp < now || fake_fault_hit (&self->faults[FAKE_KLING_FAULT_EXPIRED_TOKEN]))
    {
      respond_error (self, msg, 401, 1004, "Authorization has expired");
      return FALSE;
    }

  return TRUE;
}

static gboolean
member_is_string (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
member_is_number (JsonObject *object,
                  const char *name,
                  double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *value = (double)json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

/* NULL when @name is fine (or absent), else why not. */
static const char *
check_image (JsonObject *body,
             const char *name)
{
  const char *value;
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  if (!json_object_has_member (body, name))
    return NULL;
  if (!member_is_string (body, name))
    return "image must be a string";

  value = json_object_get_string_member (body, name);
  if (g_str_has_prefix (value, "https://") || g_str_has_prefix (value, "http://"))
    return NULL;
  if (g_str_has_prefix (value, "data:"))
    return "image must be raw Base64 without a data: prefix";

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return "image is not valid Base64";
  if (strlen (value) % 4 != 0)
    return "image is not valid Base64";

  data = g_base64_decode (value, &length);
  if (!((length >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) ||
        (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)))
    return "image must be a JPG or PNG picture";

  return NULL;
}

static const char *
check_camera (JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "camera_control");
  JsonObject *camera, *config;
  const char *type;
  guint non_zero = 0;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return "camera_control must be an object";

  camera = json_node_get_object (node);
  if (!member_is_string (camera, "type") ||
      !g_strv_contains (camera_types, (type = json_object_get_string_member (camera, "type"))))
    return "camera_control.type is invalid";

  if (!g_str_equal (type, "simple"))
    return json_object_has_member (camera, "config") ? "camera_control.config is only for type simple" : NULL;

  if (!json_object_has_member (camera, "config") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (camera, "config")))
    return "camera_control.config is required for type simple";

  config = json_object_get_object_member (camera, "config");
  for (guint i = 0; camera_axes[i] != NULL; i++)
    {
      double value = 0;

      if (json_object_has_member (config, camera_axes[i]) &&
          !member_is_number (config, camera_axes[i], &value))
        return "camera_control.config values must be numbers";
      if (value < -10 || value > 10)
        return "camera_control.config values must be within [-10, 10]";
      if (value != 0)
        non_zero++;
    }

  return non_zero == 1 ? NULL : "exactly one camera_control.config value must be non-zero";
}

/* ---- Handlers ----------------------------------------------------------------- */

static void
handle_create (TakesFakeKling    *self,
               SoupServerMessage *msg,
               const char        *family)
{
  g_autoptr(JsonObject) body = fake_request_json (msg);
  gboolean image = g_str_equal (family, "image2video");
  const char *problem = NULL;
  const char *external = NULL;
  FakeTask *task;
  double number;

  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_RATE_LIMIT_CREATE]))
    {
      respond_error (self, msg, 429, 1302, "The API request is too fast, please reduce the frequency");
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_CONCURRENCY_CREATE]))
    {
      respond_error (self, msg, 429, 1303, "Parallel task over resource pack limit");
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_BALANCE]))
    {
      respond_error (self, msg, 429, 1102, "Account balance not enough");
      return;
    }

  if (body == NULL)
    {
      respond_error (self, msg, 400, 1200, "Request body must be a JSON object");
      return;
    }

  g_clear_pointer (&self->last_body, json_object_unref);
  self->last_body = json_object_ref (body);

  if (json_object_has_member (body, "model_name"))
    {
      if (!member_is_string (body, "model_name"))
        problem = "model_name must be a string";
      else if (!g_strv_contains (known_models, json_object_get_string_member (body, "model_name")))
        {
          respond_error (self, msg, 404, 1203, "model_name is not supported");
          return;
        }
    }

  if (problem == NULL && !image &&
      (!member_is_string (body, "prompt") || json_object_get_string_member (body, "prompt")[0] == '\0'))
    problem = "prompt is required";
  if (problem == NULL && json_object_has_member (body, "prompt") &&
      (!member_is_string (body, "prompt") ||
       g_utf8_strlen (json_object_get_string_member (body, "prompt"), -1) > 2500))
    problem = "prompt must be a string of at most 2500 characters";
  if (problem == NULL && json_object_has_member (body, "negative_prompt") &&
      !member_is_string (body, "negative_prompt"))
    problem = "negative_prompt must be a string";
  if (problem == NULL && json_object_has_member (body, "mode") &&
      (!member_is_string (body, "mode") ||
       (!g_str_equal (json_object_get_string_member (body, "mode"), "std") &&
        !g_str_equal (json_object_get_string_member (body, "mode"), "pro"))))
    problem = "mode must be std or pro";
  if (problem == NULL && json_object_has_member (body, "duration") &&
      (!member_is_string (body, "duration") ||
       (!g_str_equal (json_object_get_string_member (body, "duration"), "5") &&
        !g_str_equal (json_object_get_string_member (body, "duration"), "10"))))
    problem = "duration must be the string 5 or 10";
  if (problem == NULL && !image && json_object_has_member (body, "aspect_ratio") &&
      (!member_is_string (body, "aspect_ratio") ||
       (!g_str_equal (json_object_get_string_member (body, "aspect_ratio"), "16:9") &&
        !g_str_equal (json_object_get_string_member (body, "aspect_ratio"), "9:16") &&
        !g_str_equal (json_object_get_string_member (body, "aspect_ratio"), "1:1"))))
    problem = "aspect_ratio must be 16:9, 9:16 or 1:1";
  if (problem == NULL && json_object_has_member (body, "cfg_scale") &&
      (!member_is_number (body, "cfg_scale", &number) || number < 0 || number > 1))
    problem = "cfg_scale must be a number within [0, 1]";
  if (problem == NULL)
    problem = check_camera (body);
  if (problem == NULL && image)
    {
      if (!json_object_has_member (body, "image") && !json_object_has_member (body, "image_tail"))
        problem = "image or image_tail is required";
      if (problem == NULL)
        problem = check_image (body, "image");
      if (problem == NULL)
        problem = check_image (body, "image_tail");
      if (problem == NULL && json_object_has_member (body, "image_tail") &&
          json_object_has_member (body, "camera_control"))
        problem = "image_tail and camera_control cannot be used together";
    }
  if (problem == NULL && !image &&
      (json_object_has_member (body, "image") || json_object_has_member (body, "image_tail")))
    problem = "text2video takes no image";
  if (problem == NULL && json_object_has_member (body, "external_task_id"))
    {
      if (!member_is_string (body, "external_task_id"))
        problem = "external_task_id must be a string";
      else
        external = json_object_get_string_member (body, "external_task_id");
    }

  if (problem != NULL)
    {
      respond_error (self, msg, 400, 1201, problem);
      return;
    }

  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_MODERATION_CREATE]))
    {
      respond_error (self, msg, 400, 1301, "The prompt contains sensitive content");
      return;
    }

  if (external != NULL && g_hash_table_contains (self->creates, external))
    {
      guint duplicates = GPOINTER_TO_UINT (g_hash_table_lookup (self->duplicates, external));

      g_hash_table_replace (self->duplicates, g_strdup (external), GUINT_TO_POINTER (duplicates + 1));
      respond_error (self, msg, 400, 1201, "external_task_id already exists");
      return;
    }

  task = g_new0 (FakeTask, 1);
  task->id = g_strdup_printf ("%" G_GUINT64_FORMAT, ++self->next_id);
  task->family = g_strdup (family);
  task->external_task_id = g_strdup (external);
  task->created_at = task->updated_at = now_ms (self);
  g_hash_table_replace (self->tasks, task->id, task);

  self->total_creates++;
  if (external != NULL)
    g_hash_table_replace (self->creates, g_strdup (external),
                          GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->creates, external)) + 1));

  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_MALFORMED_CREATE]))
    {
      fake_respond_malformed (msg);
      return;
    }

  respond_task (self, msg, task, "submitted");
}

static void
handle_query (TakesFakeKling    *self,
              SoupServerMessage *msg,
              const char        *family,
              const char        *id)
{
  FakeTask *task;
  const char *status;

  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_SERVER_ERROR_POLL]))
    {
      respond_error (self, msg, 500, 5000, "Server internal error");
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_MALFORMED_POLL]))
    {
      fake_respond_malformed (msg);
      return;
    }
  if (fake_fault_hit (&self->faults[FAKE_KLING_FAULT_DEEP_POLL]))
    {
      fake_respond_deep (msg);
      return;
    }

  task = g_hash_table_lookup (self->tasks, id);
  if (task == NULL || !g_str_equal (task->family, family))
    {
      respond_error (self, msg, 404, 1203, "Task does not exist");
      return;
    }

  task->polls++;
  task->updated_at = now_ms (self);

  if (task->polls >= self->polls_until_done)
    status = self->outcome == FAKE_KLING_OUTCOME_SUCCEED ? "succeed" : "failed";
  else if (task->polls == 1)
    status = "submitted";
  else
    status = "processing";

  respond_task (self, msg, task, status);
}

static void
handle_list (TakesFakeKling    *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *page_size = query != NULL ? g_hash_table_lookup (query, "pageSize") : NULL;
  guint64 size = 30;
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  if (page_size != NULL && !g_ascii_string_to_unsigned (page_size, 10, 1, 500, &size, NULL))
    {
      respond_error (self, msg, 400, 1201, "pageSize must be within [1, 500]");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "SUCCEED");
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->tasks);
  while (g_hash_table_iter_next (&iter, NULL, &value) && n++ < size)
    add_task_object (self, builder, value, "processing");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  fake_respond_node (msg, 200, root);
}

static void
handle_stats (TakesFakeKling    *self,
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
  json_builder_set_member_name (builder, "duplicates");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->duplicates);
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
handle_cdn (TakesFakeKling    *self,
            SoupServerMessage *msg,
            const char        *file)
{
  g_autofree char *id = g_strndup (file, strlen (file) - MIN (strlen (file), 4));
  gboolean stall, truncate;

  if (!g_str_has_suffix (file, ".mp4") || !g_hash_table_contains (self->tasks, id))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  /* A pre-signed object-storage URL refuses an Authorization header. */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization") != NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                        "<Error><Code>InvalidArgument</Code></Error>", 42);
      return;
    }

  if (self->clip == NULL)
    self->clip = fake_make_test_clip ();

  stall = fake_fault_hit (&self->faults[FAKE_KLING_FAULT_STALL_DOWNLOAD]);
  truncate = !stall && fake_fault_hit (&self->faults[FAKE_KLING_FAULT_TRUNCATE_DOWNLOAD]);
  fake_server_serve_bytes (self->server, msg, self->clip, "video/mp4", stall, truncate);
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
  TakesFakeKling *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);
  guint n_parts = g_strv_length (parts);

  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, key));

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
          !takes_fake_kling_set_fault_by_name (self, name, (guint)n))
        fake_respond_json (msg, 400, "{\"error\":\"unknown fault\"}");
      else
        fake_respond_json (msg, 200, "{}");
      return;
    }

  if (g_str_equal (method, "GET") && n_parts == 2 && g_str_equal (parts[0], "cdn"))
    {
      handle_cdn (self, msg, parts[1]);
      return;
    }

  if (n_parts >= 3 && g_str_equal (parts[0], "v1") && g_str_equal (parts[1], "videos") &&
      (g_str_equal (parts[2], "text2video") || g_str_equal (parts[2], "image2video")))
    {
      if (!check_token (self, msg))
        return;

      if (n_parts == 3 && g_str_equal (method, "POST"))
        {
          const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

          if (g_strcmp0 (type, "application/json") != 0)
            respond_error (self, msg, 400, 1200, "Content-Type must be application/json");
          else
            handle_create (self, msg, parts[2]);
          return;
        }
      if (n_parts == 3 && g_str_equal (method, "GET"))
        {
          handle_list (self, msg, query);
          return;
        }
      if (n_parts == 4 && g_str_equal (method, "GET") && parts[3][0] != '\0')
        {
          handle_query (self, msg, parts[2], parts[3]);
          return;
        }

      respond_error (self, msg, 404, 1202, "Invalid request method");
      return;
    }

  respond_error (self, msg, 404, 1203, "Resource does not exist");
}

/* ---- Public ------------------------------------------------------------------- */

TakesFakeKling *
takes_fake_kling_new (guint       port,
                      const char *secret_key)
{
  TakesFakeKling *self = g_object_new (TAKES_TYPE_FAKE_KLING, NULL);

  self->secret_key = g_strdup (secret_key);
  self->server = fake_server_new (port, "fake-kling ", on_request, self);

  return self;
}

const char *
takes_fake_kling_get_base_url (TakesFakeKling *self)
{
  return fake_server_get_base_url (self->server);
}

void
takes_fake_kling_set_polls_until_done (TakesFakeKling *self,
                                       guint           polls)
{
  self->polls_until_done = MAX (polls, 1);
}

void
takes_fake_kling_set_outcome (TakesFakeKling   *self,
                              FakeKlingOutcome  outcome)
{
  self->outcome = outcome;
}

void
takes_fake_kling_set_units (TakesFakeKling *self,
                            const char     *units)
{
  g_free (self->units);
  self->units = g_strdup (units);
}

void
takes_fake_kling_set_clock_offset (TakesFakeKling *self,
                                   gint64          seconds)
{
  self->clock_offset = seconds;
}

void
takes_fake_kling_set_fault (TakesFakeKling *self,
                            FakeKlingFault  fault,
                            guint           times)
{
  g_return_if_fail (fault < FAKE_KLING_N_FAULTS);

  fake_fault_set (&self->faults[fault], times);
}

gboolean
takes_fake_kling_set_fault_by_name (TakesFakeKling *self,
                                    const char     *name,
                                    guint           times)
{
  for (guint i = 0; fault_names[i] != NULL; i++)
    if (g_str_equal (fault_names[i], name))
      {
        takes_fake_kling_set_fault (self, i, times);
        return TRUE;
      }

  if (g_str_equal (name, "outcome-fail"))
    self->outcome = FAKE_KLING_OUTCOME_FAIL;
  else if (g_str_equal (name, "outcome-moderate"))
    self->outcome = FAKE_KLING_OUTCOME_MODERATE;
  else if (g_str_equal (name, "outcome-succeed"))
    self->outcome = FAKE_KLING_OUTCOME_SUCCEED;
  else if (g_str_equal (name, "clear"))
    takes_fake_kling_clear_faults (self);
  else
    return FALSE;

  return TRUE;
}

void
takes_fake_kling_clear_faults (TakesFakeKling *self)
{
  memset (self->faults, 0, sizeof self->faults);
}

guint
takes_fake_kling_get_create_count (TakesFakeKling *self,
                                   const char     *external_task_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->creates, external_task_id));
}

guint
takes_fake_kling_get_total_creates (TakesFakeKling *self)
{
  return self->total_creates;
}

guint
takes_fake_kling_get_request_count (TakesFakeKling *self,
                                    const char     *method,
                                    const char     *path_prefix)
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

JsonObject *
takes_fake_kling_get_last_body (TakesFakeKling *self)
{
  return self->last_body;
}

gint64
takes_fake_kling_get_last_token_exp (TakesFakeKling *self)
{
  return self->last_token_exp;
}

const char *
takes_fake_kling_get_last_refusal (TakesFakeKling *self)
{
  return self->last_refusal;
}

const char *
takes_fake_kling_get_transcript (TakesFakeKling *self)
{
  return self->transcript->str;
}
