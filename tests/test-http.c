/* test-http.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fake-backend.h"
#include "fake-kit.h"
#include "takes-http.h"

#define CANARY "canary-5ecret-7f3a9c1e2b"

typedef struct
{
  TakesFakeKit *kit;
  TakesHttp    *http;
  char         *dir;
  GMainLoop    *loop;
  GAsyncResult *result;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->kit = takes_fake_kit_new ();
  fixture->http = takes_http_new ();
  /* Short waits keep the suite fast; tests that need others set them. */
  takes_http_set_retry_policy (fixture->http, 4, 10, 50);
  takes_http_set_deadlines (fixture->http, 10, 10, 5);
  fixture->dir = g_dir_make_tmp ("takes-http-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);

  g_clear_object (&fixture->result);
  g_clear_object (&fixture->http);
  g_clear_object (&fixture->kit);
  g_clear_pointer (&fixture->loop, g_main_loop_unref);
  g_free (fixture->dir);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_clear_object (&fixture->result);
  fixture->result = g_object_ref (result);
  g_main_loop_quit (fixture->loop);
}

static GAsyncResult *
run (Fixture *fixture)
{
  g_main_loop_run (fixture->loop);

  return fixture->result;
}

static char *
url (Fixture    *fixture,
     const char *path)
{
  return g_strconcat (takes_fake_kit_get_base_url (fixture->kit), path, NULL);
}

static JsonNode *
send_json (Fixture             *fixture,
           TakesHttpRequest    *request,
           TakesHttpResponse  **response,
           GError             **error)
{
  takes_http_send_json_async (fixture->http, request, NULL, on_done, fixture);

  return takes_http_send_json_finish (fixture->http, run (fixture), response, error);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));

  return json_node_copy (json_parser_get_root (parser));
}

static TakesHttpRequest *
create_request (Fixture    *fixture,
                const char *client_request_id)
{
  g_autofree char *uri = url (fixture, "/tasks");
  g_autofree char *body_text = g_strdup_printf ("{\"prompt\":\"a cat\",\"client_request_id\":\"%s\"}",
                                                client_request_id);
  g_autoptr(JsonNode) body = parse (body_text);
  TakesHttpRequest *request = takes_http_request_new ("POST", uri);

  takes_http_request_set_json_body (request, body);

  return request;
}

static char *
create_task (Fixture    *fixture,
             const char *client_request_id)
{
  g_autoptr(TakesHttpRequest) request = create_request (fixture, client_request_id);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = send_json (fixture, request, NULL, &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* ---- JSON requests -------------------------------------------------------- */

static void
test_json_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *uri = url (fixture, "/echo");
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("POST", uri);
  g_autoptr(JsonNode) body = parse ("{\"a\":[1,2,{\"b\":\"c\"}],\"n\":123456789012345678,\"s\":\"é\"}");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TakesHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  takes_http_request_set_json_body (request, body);
  root = send_json (fixture, request, &response, &error);

  g_assert_no_error (error);
  g_assert_true (json_node_equal (root, body));
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (response->attempts, ==, 1);
  /* Ids larger than 2^53 survive: integers are never read as doubles. */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "n"), ==,
                   G_GINT64_CONSTANT (123456789012345678));
}

static void
test_rate_limit_honours_retry_after (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(TakesHttpRequest) request = create_request (fixture, "take-429");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TakesHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* The backoff alone (20 s) would overrun the 8 s deadline: success is
   * only possible by waiting what Retry-After says (1 s). */
  takes_http_set_retry_policy (fixture->http, 5, 20000, 20000);
  takes_http_set_deadlines (fixture->http, 8, 8, 5);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_RATE_LIMIT_CREATE, 2);
  takes_fake_kit_set_retry_after (fixture->kit, 1);

  root = send_json (fixture, request, &response, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpuint (response->attempts, ==, 3);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "POST", "/tasks"), ==, 3);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, "take-429"), ==, 1);
}

static void
test_rate_limit_error_keeps_retry_after (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(TakesHttpRequest) request = create_request (fixture, "take-429-final");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  takes_http_set_retry_policy (fixture->http, 1, 10, 10);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_RATE_LIMIT_CREATE, 0);
  takes_fake_kit_set_retry_after (fixture->kit, 7);

  root = send_json (fixture, request, NULL, &error);

  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_RATE_LIMIT);
  g_assert_cmpint (takes_backend_error_get_retry_after (error), ==, 7000);
  g_assert_cmpuint (takes_backend_error_get_http_status (error), ==, 429);
  g_assert_false (takes_backend_error_is_outcome_unknown (error));
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 0);
}

static void
test_server_errors_retried (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-5xx");
  g_autofree char *path = g_strconcat ("/tasks/", id, NULL);
  g_autofree char *uri = url (fixture, path);
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("GET", uri);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TakesHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_SERVER_ERROR_POLL, 2);
  root = send_json (fixture, request, &response, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "queued");
  g_assert_cmpuint (response->attempts, ==, 3);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "GET", "/tasks/"), ==, 3);
}

static void
test_server_errors_give_up (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-5xx-forever");
  g_autofree char *path = g_strconcat ("/tasks/", id, NULL);
  g_autofree char *uri = url (fixture, path);
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("GET", uri);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  takes_http_request_set_service_name (request, "Fake provider");
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_SERVER_ERROR_POLL, 0);
  root = send_json (fixture, request, NULL, &error);

  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_assert_cmpuint (takes_backend_error_get_http_status (error), ==, 500);
  /* For people: who failed, the provider's words, what to do. */
  g_assert_nonnull (strstr (error->message, "Fake provider"));
  g_assert_nonnull (strstr (error->message, "Something went wrong on our side."));
  g_assert_nonnull (strstr (error->message, "Try again"));
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "GET", "/tasks/"), ==, 4);
}

static void
test_create_not_retried_after_timeout (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(TakesHttpRequest) request = create_request (fixture, "take-slow");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  takes_http_set_deadlines (fixture->http, 1, 10, 5);
  takes_fake_kit_set_create_delay (fixture->kit, 3000);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_SLOW_CREATE, 0);

  root = send_json (fixture, request, NULL, &error);

  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_TIMEOUT);
  /* The provider took it: the caller must not send it again on its own. */
  g_assert_true (takes_backend_error_is_outcome_unknown (error));
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "POST", "/tasks"), ==, 1);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, "take-slow"), ==, 1);
}

static void
test_create_retried_when_unavailable (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(TakesHttpRequest) request = create_request (fixture, "take-503");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TakesHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_UNAVAILABLE_CREATE, 1);
  root = send_json (fixture, request, &response, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (response->attempts, ==, 2);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, "take-503"), ==, 1);
}

static void
test_deadline_on_trickle (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *uri = url (fixture, "/tasks/task-1");
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("GET", uri);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* A byte every 100 ms defeats an inactivity timeout, not a deadline. */
  takes_http_request_set_deadline (request, 1);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_TRICKLE_POLL, 0);

  root = send_json (fixture, request, NULL, &error);

  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_TIMEOUT);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "GET", "/tasks/"), ==, 1);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *uri = url (fixture, "/tasks/task-1");
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("GET", uri);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_TRICKLE_POLL, 0);
  g_timeout_add (200, cancel_soon, cancellable);

  takes_http_send_json_async (fixture->http, request, cancellable, on_done, fixture);
  root = takes_http_send_json_finish (fixture->http, run (fixture), NULL, &error);

  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED);
}

static void
test_size_cap (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *big = url (fixture, "/blob/100000");
  g_autofree char *small = url (fixture, "/blob/1000");
  g_autoptr(TakesHttpRequest) big_request = takes_http_request_new ("GET", big);
  g_autoptr(TakesHttpRequest) small_request = takes_http_request_new ("GET", small);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  takes_http_set_limits (fixture->http, 64 * 1024, 64);

  root = send_json (fixture, big_request, NULL, &error);
  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_clear_error (&error);

  root = send_json (fixture, small_request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
}

static void
test_deep_nesting_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-deep");
  g_autofree char *path = g_strconcat ("/tasks/", id, NULL);
  g_autofree char *uri = url (fixture, path);
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("GET", uri);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_DEEP_NESTING_POLL, 0);
  root = send_json (fixture, request, NULL, &error);

  /* Refused before json-glib sees it (which would crash). */
  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
}

/* ---- Redaction -------------------------------------------------------------- */

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; captured_log != NULL && i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }

  if (captured_log != NULL)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_redact_patterns (void)
{
  const struct { const char *in; const char *must_not_contain; } cases[] = {
    { "Authorization: Bearer abc.def-ghi_123", "abc.def-ghi_123" },
    { "authorization=Token 9f8e7d6c5b4a", "9f8e7d6c5b4a" },
    { "token eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhayJ9.c2lnbmF0dXJl here", "eyJpc3MiOiJhayJ9" },
    { "key sk-proj-abcdefghijklmnop was rejected", "abcdefghijklmnop" },
    { "GET https://x.example/v1/models?key=AIzaSyD-secret&alt=json", "AIzaSyD-secret" },
    { "https://bucket.s3.amazonaws.com/v.mp4?X-Amz-Signature=deadbeef01&X-Amz-Expires=3600", "deadbeef01" },
    { "x-api-key: 0123456789abcdef", "0123456789abcdef" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = takes_http_redact (cases[i].in);

      g_assert_null (strstr (out, cases[i].must_not_contain));
      g_assert_nonnull (strstr (out, "****"));
    }

  /* Harmless text is left alone. */
  {
    g_autofree char *out = takes_http_redact ("The task failed: prompt too long");

    g_assert_cmpstr (out, ==, "The task failed: prompt too long");
  }

  takes_http_add_secret ("plain-registered-value");
  {
    g_autofree char *out = takes_http_redact ("echo plain-registered-value twice plain-registered-value");

    g_assert_null (strstr (out, "plain-registered-value"));
  }
  takes_http_remove_secret ("plain-registered-value");
}

static void
test_canary_never_leaks (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = g_strconcat ("/tasks?key=", CANARY, NULL);
  g_autofree char *uri = url (fixture, path);
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("POST", uri);
  g_autoptr(JsonNode) body = parse ("{\"prompt\":\"a cat\"}");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = g_strconcat ("Bearer ", CANARY, NULL);

  captured_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);

  takes_fake_kit_set_api_key (fixture->kit, "the-right-key");
  takes_http_request_add_header (request, "Authorization", header);
  takes_http_request_set_json_body (request, body);

  root = send_json (fixture, request, NULL, &error);

  g_assert_null (root);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 3);
  /* The secret did go over the wire … */
  g_assert_nonnull (strstr (takes_fake_kit_get_transcript (fixture->kit), CANARY));
  /* … and nowhere else. */
  g_assert_null (strstr (error->message, CANARY));
  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_null (strstr (captured_log->str, CANARY));

  g_log_set_debug_enabled (FALSE);
  g_string_free (captured_log, TRUE);
  captured_log = NULL;
}

/* ---- Downloads ---------------------------------------------------------------- */

static void
on_progress (goffset  current,
             goffset  total,
             gpointer user_data)
{
  goffset *last = user_data;

  g_assert_cmpint (current, >=, *last);
  *last = current;
}

static gboolean
download (Fixture     *fixture,
          const char  *task_id,
          GFile       *destination,
          goffset     *last_progress,
          GError     **error)
{
  g_autofree char *path = g_strconcat ("/files/", task_id, NULL);
  g_autofree char *uri = url (fixture, path);
  g_autoptr(TakesHttpRequest) request = takes_http_request_new ("GET", uri);

  takes_http_download_async (fixture->http, request, destination,
                             last_progress != NULL ? on_progress : NULL, last_progress, NULL,
                             NULL, on_done, fixture);

  return takes_http_download_finish (fixture->http, run (fixture), NULL, error);
}

static void
assert_file_is_kit_content (Fixture *fixture,
                            GFile   *file)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GBytes *expected = takes_fake_kit_get_file_content (fixture->kit);

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
test_download_streams (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-dl");
  g_autofree char *path = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GFile) partial = takes_http_get_partial_file (destination);
  g_autoptr(GError) error = NULL;
  goffset last = 0;

  g_assert_true (download (fixture, id, destination, &last, &error));
  g_assert_no_error (error);
  assert_file_is_kit_content (fixture, destination);
  g_assert_cmpint (last, ==, g_bytes_get_size (takes_fake_kit_get_file_content (fixture->kit)));
  g_assert_false (g_file_query_exists (partial, NULL));
  g_assert_null (takes_fake_kit_get_last_range (fixture->kit));
}

static void
test_download_resumes_partial (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-resume");
  g_autofree char *path = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GFile) partial = takes_http_get_partial_file (destination);
  g_autofree char *partial_path = g_file_get_path (partial);
  GBytes *content = takes_fake_kit_get_file_content (fixture->kit);
  g_autoptr(GError) error = NULL;

  /* As left by an earlier run that was killed. */
  g_assert_true (g_file_set_contents (partial_path, g_bytes_get_data (content, NULL), 1000, NULL));

  g_assert_true (download (fixture, id, destination, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (takes_fake_kit_get_last_range (fixture->kit), ==, "bytes=1000-");
  assert_file_is_kit_content (fixture, destination);
  g_assert_false (g_file_query_exists (partial, NULL));
}

static void
test_download_ignored_range_restarts (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-norange");
  g_autofree char *path = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GFile) partial = takes_http_get_partial_file (destination);
  g_autofree char *partial_path = g_file_get_path (partial);
  GBytes *content = takes_fake_kit_get_file_content (fixture->kit);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (partial_path, g_bytes_get_data (content, NULL), 1000, NULL));
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_IGNORE_RANGE, 0);

  g_assert_true (download (fixture, id, destination, NULL, &error));
  g_assert_no_error (error);
  /* A 200 to a Range request is the whole file: no doubled bytes. */
  assert_file_is_kit_content (fixture, destination);
}

static void
test_download_truncated_detected (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-cut");
  g_autofree char *path = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GFile) partial = takes_http_get_partial_file (destination);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gsize total = g_bytes_get_size (takes_fake_kit_get_file_content (fixture->kit));

  takes_http_set_retry_policy (fixture->http, 1, 10, 10);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_TRUNCATE_DOWNLOAD, 1);

  g_assert_false (download (fixture, id, destination, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "cut short"));
  g_clear_error (&error);

  /* Nothing passes for the finished clip; the part is kept … */
  g_assert_false (g_file_query_exists (destination, NULL));
  info = g_file_query_info (partial, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_assert_nonnull (info);
  g_assert_cmpint (g_file_info_get_size (info), ==, total / 2);

  /* … and the next attempt resumes from it. */
  g_assert_true (download (fixture, id, destination, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (takes_fake_kit_get_last_range (fixture->kit), !=, NULL);
  assert_file_is_kit_content (fixture, destination);
}

static void
test_download_truncated_retried (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-cut-retry");
  g_autofree char *path = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_TRUNCATE_DOWNLOAD, 2);

  g_assert_true (download (fixture, id, destination, NULL, &error));
  g_assert_no_error (error);
  assert_file_is_kit_content (fixture, destination);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "GET", "/files/"), ==, 3);
}

static void
test_download_stall_detected (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = create_task (fixture, "take-stall");
  g_autofree char *path = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  takes_http_set_retry_policy (fixture->http, 1, 10, 10);
  takes_http_set_deadlines (fixture->http, 10, 30, 1);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_STALL_DOWNLOAD, 0);

  g_assert_false (download (fixture, id, destination, NULL, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_TIMEOUT);
  g_assert_false (g_file_query_exists (destination, NULL));
}

static void
test_retry_after_parsing (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (g_date_time_new_now_utc (), 120);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  gint64 ms;

  g_assert_cmpint (takes_http_parse_retry_after (headers), ==, 0);
  soup_message_headers_replace (headers, "Retry-After", " 30 ");
  g_assert_cmpint (takes_http_parse_retry_after (headers), ==, 30000);
  soup_message_headers_replace (headers, "Retry-After", date);
  ms = takes_http_parse_retry_after (headers);
  g_assert_cmpint (ms, >, 100000);
  g_assert_cmpint (ms, <=, 121000);
  soup_message_headers_replace (headers, "Retry-After", "soon");
  g_assert_cmpint (takes_http_parse_retry_after (headers), ==, 0);
  soup_message_headers_replace (headers, "retry-after-ms", "1500");
  g_assert_cmpint (takes_http_parse_retry_after (headers), ==, 1500);
}

static void
test_status_mapping (void)
{
  const struct { guint status; TakesBackendErrorCode code; } cases[] = {
    { 400, TAKES_BACKEND_ERROR_INVALID_REQUEST },
    { 401, TAKES_BACKEND_ERROR_AUTH },
    { 402, TAKES_BACKEND_ERROR_QUOTA },
    { 403, TAKES_BACKEND_ERROR_AUTH },
    { 404, TAKES_BACKEND_ERROR_INVALID_REQUEST },
    { 422, TAKES_BACKEND_ERROR_INVALID_REQUEST },
    { 429, TAKES_BACKEND_ERROR_RATE_LIMIT },
    { 500, TAKES_BACKEND_ERROR_SERVER },
    { 503, TAKES_BACKEND_ERROR_SERVER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = takes_http_error_for_status (cases[i].status, "Kling", "nope", 2000);

      g_assert_error (error, TAKES_BACKEND_ERROR, (int)cases[i].code);
      g_assert_cmpuint (takes_backend_error_get_http_status (error), ==, cases[i].status);
      g_assert_nonnull (strstr (error->message, "Kling"));
      g_assert_nonnull (strstr (error->message, "nope"));
    }
}

/* ---- The fake backend through the kit ------------------------------------------- */

static void
test_fake_backend_generates (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TakesFakeBackend) backend = takes_fake_backend_new (takes_fake_kit_get_base_url (fixture->kit));
  g_autoptr(TakesGenerationRequest) request = takes_generation_request_new ("a cat on a roof");
  g_autoptr(TakesBackendStatus) immediate = NULL;
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TakesBackend *b = TAKES_BACKEND (backend);

  takes_generation_request_set_client_request_id (request, "take-fake-1");
  takes_generation_request_set_resolution (request, "180p");
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (b, request), 0.5, 1e-9);

  takes_backend_submit_async (b, request, NULL, on_done, fixture);
  task_id = takes_backend_submit_finish (b, run (fixture), &immediate, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_cmpint (immediate->state, ==, TAKES_BACKEND_STATE_QUEUED);

  for (guint i = 0; i < 10; i++)
    {
      g_clear_pointer (&status, takes_backend_status_free);
      takes_backend_poll_async (b, request, task_id, NULL, on_done, fixture);
      status = takes_backend_poll_finish (b, run (fixture), &error);
      g_assert_no_error (error);
      if (takes_backend_status_is_final (status))
        break;
    }

  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_cmpfloat (status->cost, ==, 0.25);

  takes_backend_download_async (b, request, task_id, status->result_url, destination,
                                NULL, NULL, NULL, NULL, on_done, fixture);
  g_assert_true (takes_backend_download_finish (b, run (fixture), &error));
  g_assert_no_error (error);
  assert_file_is_kit_content (fixture, destination);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, "take-fake-1"), ==, 1);
}

static void
test_fake_backend_moderation (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesFakeBackend) backend = takes_fake_backend_new (takes_fake_kit_get_base_url (fixture->kit));
  g_autoptr(TakesGenerationRequest) request = takes_generation_request_new ("something flagged");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *task_id = NULL;
  g_autoptr(GError) error = NULL;
  TakesBackend *b = TAKES_BACKEND (backend);

  takes_fake_kit_set_outcome (fixture->kit, TAKES_FAKE_OUTCOME_MODERATE);
  takes_fake_kit_set_polls_until_done (fixture->kit, 1);

  takes_backend_submit_async (b, request, NULL, on_done, fixture);
  task_id = takes_backend_submit_finish (b, run (fixture), NULL, &error);
  g_assert_no_error (error);

  takes_backend_poll_async (b, request, task_id, NULL, on_done, fixture);
  status = takes_backend_poll_finish (b, run (fixture), &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_cmpint (status->error_code, ==, TAKES_BACKEND_ERROR_REJECTED);
  g_assert_nonnull (strstr (status->message, "safety"));
}

static void
test_fake_backend_credentials (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TakesFakeBackend) backend = takes_fake_backend_new (takes_fake_kit_get_base_url (fixture->kit));
  TakesBackend *b = TAKES_BACKEND (backend);

  g_unsetenv ("TAKES_FAKE_API_KEY");
  g_assert_true (takes_backend_is_configured (b));
  takes_fake_backend_set_requires_key (backend, TRUE);
  g_assert_false (takes_backend_is_configured (b));
  takes_backend_set_credential (b, "TAKES_FAKE_API_KEY", CANARY);
  g_assert_true (takes_backend_is_configured (b));

  /* Credentials given to a backend are secrets from then on. */
  {
    g_autofree char *out = takes_http_redact ("value " CANARY);

    g_assert_null (strstr (out, CANARY));
  }
}

int
main (int   argc,
      char *argv[])
{
  /* Installed once, before anything logs; captures only while a test asks. */
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Takes/Http/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("json-round-trip", test_json_round_trip);
  ADD ("rate-limit-honours-retry-after", test_rate_limit_honours_retry_after);
  ADD ("rate-limit-error-keeps-retry-after", test_rate_limit_error_keeps_retry_after);
  ADD ("server-errors-retried", test_server_errors_retried);
  ADD ("server-errors-give-up", test_server_errors_give_up);
  ADD ("create-not-retried-after-timeout", test_create_not_retried_after_timeout);
  ADD ("create-retried-when-unavailable", test_create_retried_when_unavailable);
  ADD ("deadline-on-trickle", test_deadline_on_trickle);
  ADD ("cancel", test_cancel);
  ADD ("size-cap", test_size_cap);
  ADD ("deep-nesting-refused", test_deep_nesting_refused);
  ADD ("canary-never-leaks", test_canary_never_leaks);
  ADD ("download-streams", test_download_streams);
  ADD ("download-resumes-partial", test_download_resumes_partial);
  ADD ("download-ignored-range-restarts", test_download_ignored_range_restarts);
  ADD ("download-truncated-detected", test_download_truncated_detected);
  ADD ("download-truncated-retried", test_download_truncated_retried);
  ADD ("download-stall-detected", test_download_stall_detected);
  g_test_add_func ("/Takes/Http/redact-patterns", test_redact_patterns);
  g_test_add_func ("/Takes/Http/retry-after-parsing", test_retry_after_parsing);
  g_test_add_func ("/Takes/Http/status-mapping", test_status_mapping);

#undef ADD
#define ADD(path, func) \
  g_test_add ("/Takes/FakeBackend/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("generates", test_fake_backend_generates);
  ADD ("moderation", test_fake_backend_moderation);
  ADD ("credentials", test_fake_backend_credentials);

#undef ADD

  return g_test_run ();
}
