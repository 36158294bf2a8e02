/* fake-backend.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-backend"

#include "config.h"

#include "fake-backend.h"

#define CREDENTIAL "TAKES_FAKE_API_KEY"

struct _TakesFakeBackend
{
  TakesBackend parent_instance;

  guint        concurrency_limit;
  gboolean     requires_key;
};

G_DEFINE_FINAL_TYPE (TakesFakeBackend, takes_fake_backend, TAKES_TYPE_BACKEND)

static const char * const key_names[] = { CREDENTIAL, NULL };
static const char * const no_names[] = { NULL };
static const char * const fake_aspects[] = { "16:9", "9:16", "1:1", NULL };
static const char * const fake_resolutions[] = { "720p", "1080p", "180p", NULL };
static const TakesBackendModel fake_models[] = {
  { "fake-1", "Fake 1" },
  { "fake-2", "Fake 2" },
  { NULL, NULL },
};

static const char *
takes_fake_backend_get_id (TakesBackend *backend)
{
  return "fake";
}

static const char *
takes_fake_backend_get_display_name (TakesBackend *backend)
{
  return "Fake provider";
}

static const TakesBackendModel *
takes_fake_backend_get_models (TakesBackend *backend)
{
  return fake_models;
}

static const char * const *
takes_fake_backend_get_aspect_ratios (TakesBackend *backend)
{
  return fake_aspects;
}

static const char * const *
takes_fake_backend_get_resolutions (TakesBackend *backend)
{
  return fake_resolutions;
}

static guint
takes_fake_backend_get_concurrency_limit (TakesBackend *backend)
{
  return TAKES_FAKE_BACKEND (backend)->concurrency_limit;
}

static const char * const *
takes_fake_backend_get_credential_names (TakesBackend *backend)
{
  return TAKES_FAKE_BACKEND (backend)->requires_key ? key_names : no_names;
}

static double
takes_fake_backend_estimate_cost (TakesBackend           *backend,
                                  TakesGenerationRequest *request)
{
  return 0.10 * takes_generation_request_get_duration (request);
}

static TakesHttpRequest *
new_request (TakesBackend *backend,
             const char   *method,
             const char   *path)
{
  g_autofree char *uri = g_strconcat (takes_backend_get_base_url (backend), path, NULL);
  g_autofree char *key = takes_backend_dup_credential (backend, CREDENTIAL);
  TakesHttpRequest *request = takes_http_request_new (method, uri);

  takes_http_request_set_service_name (request, "Fake provider");
  if (key != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", key, NULL);

      takes_http_request_add_header (request, "Authorization", header);
    }

  return request;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static double
member_double (JsonObject *object,
               const char *name,
               double      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);

  return fallback;
}

static TakesBackendStatus *
status_from_json (JsonNode  *root,
                  GError   **error)
{
  JsonObject *object;
  const char *state;
  TakesBackendStatus *status;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (state = member_string (json_node_get_object (root), "status")) == NULL)
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                           "Fake provider sent a status Takes cannot read. Try again later.");
      return NULL;
    }

  object = json_node_get_object (root);

  if (g_str_equal (state, "queued"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_QUEUED);
  else if (g_str_equal (state, "running"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);
  else if (g_str_equal (state, "succeeded"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_SUCCEEDED);
  else if (g_str_equal (state, "failed"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_FAILED);
  else if (g_str_equal (state, "canceled"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_CANCELED);
  else
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                   "Fake provider reported an unknown state “%s”.", state);
      return NULL;
    }

  status->progress = member_double (object, "progress", -1);
  status->cost = member_double (object, "cost", -1);
  status->result_url = g_strdup (member_string (object, "result_url"));

  if (json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    {
      JsonObject *failure = json_object_get_object_member (object, "error");

      status->message = g_strdup (member_string (failure, "message"));
      if (g_strcmp0 (member_string (failure, "code"), "moderation") == 0)
        status->error_code = TAKES_BACKEND_ERROR_REJECTED;
    }

  return status;
}

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  const char *id;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (id = member_string (json_node_get_object (root), "id")) == NULL)
    {
      /* Accepted, but we cannot tell which task it made. */
      g_task_return_error (task,
                           takes_backend_error_new_full (TAKES_BACKEND_ERROR_SERVER, 200, 0, TRUE,
                                                         "Fake provider answered without a task id."));
      return;
    }

  g_task_set_task_data (task, status_from_json (root, NULL), (GDestroyNotify)takes_backend_status_free);
  g_task_return_pointer (task, g_strdup (id), g_free);
}

static void
takes_fake_backend_submit_async (TakesBackend           *backend,
                                 TakesGenerationRequest *request,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, takes_fake_backend_submit_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!takes_backend_validate_request (backend, request, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, takes_generation_request_get_prompt (request));
  if (takes_generation_request_get_negative_prompt (request) != NULL)
    {
      json_builder_set_member_name (builder, "negative_prompt");
      json_builder_add_string_value (builder, takes_generation_request_get_negative_prompt (request));
    }
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, takes_generation_request_get_model (request) != NULL
                                          ? takes_generation_request_get_model (request)
                                          : takes_backend_get_default_model (backend));
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, takes_generation_request_get_duration (request));
  json_builder_set_member_name (builder, "aspect_ratio");
  json_builder_add_string_value (builder, takes_generation_request_get_aspect_ratio (request));
  json_builder_set_member_name (builder, "resolution");
  json_builder_add_string_value (builder, takes_generation_request_get_resolution (request));
  if (takes_generation_request_get_seed (request) >= 0)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, takes_generation_request_get_seed (request));
    }
  if (takes_generation_request_get_client_request_id (request) != NULL)
    {
      json_builder_set_member_name (builder, "client_request_id");
      json_builder_add_string_value (builder, takes_generation_request_get_client_request_id (request));
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  http_request = new_request (backend, "POST", "/tasks");
  takes_http_request_set_json_body (http_request, body);
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_NOT_ACCEPTED);

  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_created, g_steal_pointer (&task));
}

static char *
takes_fake_backend_submit_finish (TakesBackend        *backend,
                                  GAsyncResult        *result,
                                  TakesBackendStatus **immediate,
                                  GError             **error)
{
  char *id = g_task_propagate_pointer (G_TASK (result), error);
  TakesBackendStatus *status = g_task_get_task_data (G_TASK (result));

  if (id != NULL && status != NULL)
    *immediate = takes_backend_status_copy (status);

  return id;
}

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TakesHttpResponse) response = NULL;
  TakesBackendStatus *status;
  GError *error = NULL;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, &response, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = status_from_json (root, &error);
  if (status == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status->retry_after_ms = takes_http_parse_retry_after (response->headers);
  g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
}

static void
takes_fake_backend_poll_async (TakesBackend           *backend,
                               TakesGenerationRequest *request,
                               const char             *task_id,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);
  g_autofree char *escaped = g_uri_escape_string (task_id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/tasks/", escaped, NULL);
  g_autoptr(TakesHttpRequest) http_request = new_request (backend, "GET", path);

  g_task_set_source_tag (task, takes_fake_backend_poll_async);
  g_task_set_check_cancellable (task, FALSE);

  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_polled, g_steal_pointer (&task));
}

static TakesBackendStatus *
takes_fake_backend_poll_finish (TakesBackend  *backend,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_canceled (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
takes_fake_backend_cancel_async (TakesBackend           *backend,
                                 TakesGenerationRequest *request,
                                 const char             *task_id,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);
  g_autofree char *escaped = g_uri_escape_string (task_id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/tasks/", escaped, "/cancel", NULL);
  g_autoptr(TakesHttpRequest) http_request = new_request (backend, "POST", path);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  g_task_set_source_tag (task, takes_fake_backend_cancel_async);
  g_task_set_check_cancellable (task, FALSE);
  json_node_take_object (body, json_object_new ());
  takes_http_request_set_json_body (http_request, body);
  /* Asking twice to stop is harmless. */
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_IDEMPOTENT);

  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_canceled, g_steal_pointer (&task));
}

static gboolean
takes_fake_backend_cancel_finish (TakesBackend  *backend,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
takes_fake_backend_class_init (TakesFakeBackendClass *klass)
{
  TakesBackendClass *backend_class = TAKES_BACKEND_CLASS (klass);

  backend_class->get_id = takes_fake_backend_get_id;
  backend_class->get_display_name = takes_fake_backend_get_display_name;
  backend_class->get_models = takes_fake_backend_get_models;
  backend_class->get_aspect_ratios = takes_fake_backend_get_aspect_ratios;
  backend_class->get_resolutions = takes_fake_backend_get_resolutions;
  backend_class->get_concurrency_limit = takes_fake_backend_get_concurrency_limit;
  backend_class->get_credential_names = takes_fake_backend_get_credential_names;
  backend_class->estimate_cost = takes_fake_backend_estimate_cost;
  backend_class->submit_async = takes_fake_backend_submit_async;
  backend_class->submit_finish = takes_fake_backend_submit_finish;
  backend_class->poll_async = takes_fake_backend_poll_async;
  backend_class->poll_finish = takes_fake_backend_poll_finish;
  backend_class->cancel_async = takes_fake_backend_cancel_async;
  backend_class->cancel_finish = takes_fake_backend_cancel_finish;
}

static void
takes_fake_backend_init (TakesFakeBackend *self)
{
  self->concurrency_limit = 4;
}

TakesFakeBackend *
takes_fake_backend_new (const char *base_url)
{
  TakesFakeBackend *self = g_object_new (TAKES_TYPE_FAKE_BACKEND, NULL);

  takes_backend_set_base_url (TAKES_BACKEND (self), base_url);

  return self;
}

void
takes_fake_backend_set_concurrency_limit (TakesFakeBackend *self,
                                          guint             limit)
{
  g_return_if_fail (TAKES_IS_FAKE_BACKEND (self));

  self->concurrency_limit = MAX (limit, 1);
}

void
takes_fake_backend_set_requires_key (TakesFakeBackend *self,
                                     gboolean          requires_key)
{
  g_return_if_fail (TAKES_IS_FAKE_BACKEND (self));

  self->requires_key = requires_key;
}
