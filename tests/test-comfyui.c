/* test-comfyui.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-comfyui"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "backend-test-util.h"
#include "fake-comfyui.h"
#include "takes-backend-registry.h"
#include "takes-comfyui.h"

typedef struct
{
  char         *dir;
  FakeComfyui  *fake;
  TakesComfyui *backend;
} Fixture;

/* ---- A real little MP4 (and the same frames in another container) ------- */

static GBytes *
render_clip (const char *muxer,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("takes-comfyui-clip-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  description = g_strdup_printf ("videotestsrc num-buffers=24 pattern=ball ! "
                                 "video/x-raw,width=160,height=96,framerate=24/1 ! videoconvert ! "
                                 "x264enc ! h264parse ! %s ! filesink location=\"%s\"", muxer, path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static GBytes *
test_mp4 (void)
{
  static GBytes *clip;

  if (clip == NULL)
    clip = render_clip ("mp4mux", "clip.mp4");

  return clip;
}

/* ---- Fixture --------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("takes-comfyui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->fake = fake_comfyui_new ();
  fake_comfyui_set_video (fixture->fake, test_mp4 ());
  fixture->backend = takes_comfyui_new ();
  takes_backend_set_base_url (TAKES_BACKEND (fixture->backend), fake_comfyui_get_base_url (fixture->fake));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->backend);
  g_clear_object (&fixture->fake);
  /* Let closing sockets and connections settle. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backend_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* ---- Driving the backend --------------------------------------------------------- */

static gboolean
on_wake (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static void
pause_ms (guint ms)
{
  gboolean woke = FALSE;

  g_timeout_add (ms, on_wake, &woke);
  while (!woke)
    g_main_context_iteration (NULL, TRUE);
}

static TakesGenerationRequest *
make_request (const char *prompt)
{
  TakesGenerationRequest *request = takes_generation_request_new (prompt);

  takes_generation_request_set_client_request_id (request, "take-0001");
  takes_generation_request_set_duration (request, 5);

  return request;
}

/* Polls until a final status; @max_progress receives the highest sampling
 * progress reported on the way (what the sampler's steps give, below the
 * 0.95 that decoding and saving take up). */
static TakesBackendStatus *
poll_until_final (Fixture                *fixture,
                  TakesGenerationRequest *request,
                  const char             *task_id,
                  double                 *max_progress)
{
  double best = -1;

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      TakesBackendStatus *status = backend_test_poll (TAKES_BACKEND (fixture->backend), request, task_id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (status);

      if (status->state == TAKES_BACKEND_STATE_RUNNING && status->progress <= 0.95)
        best = MAX (best, status->progress);

      if (takes_backend_status_is_final (status))
        {
          if (max_progress != NULL)
            *max_progress = best;
          return status;
        }

      takes_backend_status_free (status);
      pause_ms (10);
    }

  g_assert_not_reached ();
}

static gboolean
download (Fixture                 *fixture,
          TakesGenerationRequest  *request,
          const char              *task_id,
          const char              *url,
          const char              *path,
          GError                 **error)
{
  g_autoptr(GFile) destination = g_file_new_for_path (path);

  return backend_test_download (TAKES_BACKEND (fixture->backend), request, task_id, url, destination, error);
}

static void
assert_same_bytes (const char *path,
                   GBytes     *expected)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static JsonObject *
graph_input (FakeComfyui *fake,
             const char  *node_id)
{
  JsonObject *graph = fake_comfyui_get_last_graph (fake);

  g_assert_nonnull (graph);
  g_assert_true (json_object_has_member (graph, node_id));

  return json_object_get_object_member (json_object_get_object_member (graph, node_id), "inputs");
}

/* Submit, follow, download; returns the final status. */
static TakesBackendStatus *
generate (Fixture                *fixture,
          TakesGenerationRequest *request,
          const char             *path,
          double                 *max_progress)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = backend_test_submit (TAKES_BACKEND (fixture->backend), request, NULL, &error);
  TakesBackendStatus *status;

  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_cmpstr (task_id, ==, fake_comfyui_get_last_prompt_id (fixture->fake));

  status = poll_until_final (fixture, request, task_id, max_progress);
  if (status->state == TAKES_BACKEND_STATE_SUCCEEDED && path != NULL)
    {
      download (fixture, request, task_id, status->result_url, path, &error);
      g_assert_no_error (error);
    }

  return status;
}

/* ---- Templates --------------------------------------------------------------------- */

static void
test_builtin_templates (void)
{
  const TakesBackendModel *builtins = takes_comfyui_get_builtin_workflows ();
  guint n = 0;

  for (guint i = 0; builtins[i].id != NULL; i++, n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TakesComfyuiWorkflow) workflow = takes_comfyui_workflow_load_builtin (builtins[i].id, &error);
      const TakesComfyuiRole required[] = {
        TAKES_COMFYUI_ROLE_PROMPT, TAKES_COMFYUI_ROLE_NEGATIVE, TAKES_COMFYUI_ROLE_SEED,
        TAKES_COMFYUI_ROLE_WIDTH, TAKES_COMFYUI_ROLE_HEIGHT, TAKES_COMFYUI_ROLE_LENGTH,
        TAKES_COMFYUI_ROLE_FPS, TAKES_COMFYUI_ROLE_OUTPUT,
      };
      const char *output;

      g_assert_no_error (error);
      g_assert_nonnull (workflow);
      g_assert_true (takes_comfyui_workflow_is_builtin (workflow));
      g_assert_true (takes_comfyui_workflow_is_tagged (workflow));
      g_assert_true (takes_comfyui_workflow_check_ready (workflow, NULL));

      for (guint r = 0; r < G_N_ELEMENTS (required); r++)
        {
          if (!takes_comfyui_workflow_has_role (workflow, required[r]))
            g_error ("%s has no %s", builtins[i].id, takes_comfyui_role_to_string (required[r]));
        }

      /* Image-to-video templates, and only they, take a first frame. */
      g_assert_cmpint (takes_comfyui_workflow_has_role (workflow, TAKES_COMFYUI_ROLE_IMAGE), ==,
                       strstr (builtins[i].id, "i2v") != NULL);

      /* They save MP4, so no conversion is needed. */
      output = takes_comfyui_workflow_get_output_node (workflow);
      g_assert_cmpstr (takes_comfyui_workflow_get_node_class (workflow, output), ==, "SaveVideo");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                         json_object_get_object_member (takes_comfyui_workflow_get_graph (workflow), output),
                         "inputs"), "format"), ==, "mp4");
    }

  g_assert_cmpuint (n, >=, 3);
}

static void
test_builtin_accepted (Fixture       *fixture,
                       gconstpointer  data)
{
  const TakesBackendModel *builtins = takes_comfyui_get_builtin_workflows ();
  g_autofree char *image = g_build_filename (fixture->dir, "frame.png", NULL);
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

  g_file_set_contents (image, (const char *)png, sizeof png, NULL);

  /* Every template passes the server's validation (class names and
   * required inputs) and runs to a clip. */
  for (guint i = 0; builtins[i].id != NULL; i++)
    {
      g_autoptr(TakesGenerationRequest) request = make_request ("A lighthouse at dusk");
      g_autoptr(TakesBackendStatus) status = NULL;

      takes_generation_request_set_model (request, builtins[i].id);
      if (strstr (builtins[i].id, "i2v") != NULL)
        takes_generation_request_set_image (request, image);

      status = generate (fixture, request, NULL, NULL);
      g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
    }
}

/* ---- Generation ----------------------------------------------------------------------- */

static void
test_success_images (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);
  double progress = -1;

  fake_comfyui_set_output_style (fixture->fake, FAKE_COMFYUI_OUTPUT_IMAGES);
  fake_comfyui_set_steps (fixture->fake, 20);

  status = generate (fixture, request, path, &progress);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_nonnull (strstr (status->result_url, "/view?filename="));
  g_assert_nonnull (strstr (status->result_url, "subfolder=video"));
  g_assert_nonnull (strstr (status->result_url, "type=output"));
  g_assert_cmpfloat (status->cost, ==, 0);
  assert_same_bytes (path, test_mp4 ());

  /* Followed over the socket, with the sampler's steps as progress. */
  g_assert_cmpuint (fake_comfyui_get_socket_count (fixture->fake), ==, 1);
  /* Large binary preview frames did not break it. */
  g_assert_true (takes_comfyui_is_socket_connected (fixture->backend));
  g_assert_cmpstr (fake_comfyui_get_last_client_id (fixture->fake), ==,
                   takes_comfyui_get_client_id (fixture->backend));
  g_assert_cmpfloat (progress, >, 0);
  g_assert_cmpfloat (progress, <=, 1);
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 1);
  /* And confirmed with the history. */
  g_assert_cmpuint (fake_comfyui_get_request_count (fixture->fake, "GET", "/history/"), >=, 1);
}

static void
test_success_gifs (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);

  fake_comfyui_set_output_style (fixture->fake, FAKE_COMFYUI_OUTPUT_GIFS);

  status = generate (fixture, request, path, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  assert_same_bytes (path, test_mp4 ());
}

static void
test_url_encoding (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);

  fake_comfyui_set_output_name (fixture->fake, "gull & harbour #2 100%.mp4");

  status = generate (fixture, request, path, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_nonnull (strstr (status->result_url, "gull%20%26%20harbour%20%232%20100%25.mp4"));
  assert_same_bytes (path, test_mp4 ());
}

static void
test_socket_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_REFUSE_SOCKET, 0);

  status = generate (fixture, request, path, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  assert_same_bytes (path, test_mp4 ());

  g_assert_false (takes_comfyui_is_socket_connected (fixture->backend));
  g_assert_cmpuint (fake_comfyui_get_socket_count (fixture->fake), ==, 0);
  /* Polling: the history, and the queue while it was not there yet. */
  g_assert_cmpuint (fake_comfyui_get_request_count (fixture->fake, "GET", "/history/"), >=, 2);
  g_assert_cmpuint (fake_comfyui_get_request_count (fixture->fake, "GET", "/queue"), >=, 1);
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 1);
}

static void
test_history_server_error (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_REFUSE_SOCKET, 0);
  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_SERVER_ERROR_HISTORY, 2);

  /* Two 500s on the history are retried away. */
  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 1);
}

static void
test_execution_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_EXECUTION_ERROR, 1);

  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_cmpint (status->error_code, ==, TAKES_BACKEND_ERROR_FAILED);
  g_assert_nonnull (strstr (status->message, "out of memory"));
  g_assert_nonnull (strstr (status->message, "KSampler"));
}

static void
test_execution_error_polling (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_REFUSE_SOCKET, 0);
  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_EXECUTION_ERROR, 1);

  /* Without the socket, the reason comes from the history's messages. */
  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_nonnull (strstr (status->message, "out of memory"));
}

static void
test_node_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_NODE_ERROR, 1);

  task_id = backend_test_submit (TAKES_BACKEND (fixture->backend), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "UNETLoader"));
  g_assert_nonnull (strstr (error->message, "wan2.1_t2v_1.3B_fp16.safetensors"));
  g_assert_false (takes_backend_error_is_outcome_unknown (error));
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 2);
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 0);
  /* Refused once, not sent again. */
  g_assert_cmpuint (fake_comfyui_get_request_count (fixture->fake, "POST", "/prompt"), ==, 1);
}

static void
test_cancel_running (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *task_id = NULL;

  fake_comfyui_set_hold (fixture->fake, TRUE);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->backend), request, NULL, &error);
  g_assert_no_error (error);

  while (!fake_comfyui_is_running (fixture->fake, task_id))
    pause_ms (5);

  takes_backend_cancel_async (TAKES_BACKEND (fixture->backend), request, task_id, NULL, backend_test_on_result, &result);
  g_assert_true (takes_backend_cancel_finish (TAKES_BACKEND (fixture->backend), backend_test_await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_comfyui_get_interrupt_count (fixture->fake), ==, 1);
  g_assert_cmpuint (fake_comfyui_get_delete_count (fixture->fake), ==, 0);

  status = poll_until_final (fixture, request, task_id, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_CANCELED);
}

static void
test_cancel_queued (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) first = make_request ("First");
  g_autoptr(TakesGenerationRequest) second = make_request ("Second");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;

  fake_comfyui_set_hold (fixture->fake, TRUE);
  first_id = backend_test_submit (TAKES_BACKEND (fixture->backend), first, NULL, &error);
  g_assert_no_error (error);
  second_id = backend_test_submit (TAKES_BACKEND (fixture->backend), second, NULL, &error);
  g_assert_no_error (error);

  while (!fake_comfyui_is_running (fixture->fake, first_id))
    pause_ms (5);

  status = backend_test_poll (TAKES_BACKEND (fixture->backend), second, second_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_QUEUED);

  /* Waiting in the queue: removed from it, the running one untouched. */
  takes_backend_cancel_async (TAKES_BACKEND (fixture->backend), second, second_id, NULL, backend_test_on_result, &result);
  g_assert_true (takes_backend_cancel_finish (TAKES_BACKEND (fixture->backend), backend_test_await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_comfyui_get_delete_count (fixture->fake), ==, 1);
  g_assert_cmpuint (fake_comfyui_get_interrupt_count (fixture->fake), ==, 0);
  g_assert_true (fake_comfyui_is_running (fixture->fake, first_id));

  fake_comfyui_set_hold (fixture->fake, FALSE);
  g_clear_pointer (&status, takes_backend_status_free);
  status = poll_until_final (fixture, first, first_id, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
}

static void
test_truncated_download (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);
  g_autofree char *task_id = backend_test_submit (TAKES_BACKEND (fixture->backend), request, NULL, &error);

  g_assert_no_error (error);
  status = poll_until_final (fixture, request, task_id, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_TRUNCATE_VIEW, 0);
  g_assert_false (download (fixture, request, task_id, status->result_url, path, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NETWORK);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Once the server behaves, the download resumes and completes. */
  g_clear_error (&error);
  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_TRUNCATE_VIEW, 1);
  g_assert_true (download (fixture, request, task_id, status->result_url, path, &error));
  g_assert_no_error (error);
  assert_same_bytes (path, test_mp4 ());
}

static void
test_deep_nesting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_REFUSE_SOCKET, 0);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->backend), request, NULL, &error);
  g_assert_no_error (error);

  fake_comfyui_set_fault (fixture->fake, FAKE_COMFYUI_FAULT_DEEP_NESTING_HISTORY, 1);
  status = backend_test_poll (TAKES_BACKEND (fixture->backend), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);

  /* The next poll is fine again. */
  g_clear_error (&error);
  status = poll_until_final (fixture, request, task_id, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
}

static void
test_unknown_prompt (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = backend_test_poll (TAKES_BACKEND (fixture->backend), request, "0b5a3c5e-0000-4000-8000-000000000000", &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND);
}

static void
test_not_running (void)
{
  g_autoptr(TakesComfyui) backend = takes_comfyui_new ();
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *task_id = NULL;

  /* A port nobody listens on: bind one, note it, close it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base_url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  takes_backend_set_base_url (TAKES_BACKEND (backend), base_url);

  task_id = backend_test_submit (TAKES_BACKEND (backend), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "ComfyUI is not running at"));
  g_assert_nonnull (strstr (error->message, base_url));
  g_assert_false (takes_backend_error_is_outcome_unknown (error));
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 4);

  g_clear_error (&error);
  g_assert_false (backend_test_test (TAKES_BACKEND (backend), &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "not running"));
}

static void
test_reachable (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (backend_test_test (TAKES_BACKEND (fixture->backend), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_comfyui_get_request_count (fixture->fake, "GET", "/system_stats"), ==, 1);
  /* Testing starts nothing. */
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 0);
}

/* ---- Values ----------------------------------------------------------------------------- */

static void
test_values_land (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("Harbour at dawn, slow dolly");
  g_autoptr(TakesBackendStatus) status = NULL;
  JsonObject *inputs;

  takes_generation_request_set_negative_prompt (request, "people, text");
  takes_generation_request_set_seed (request, 1234567);
  takes_generation_request_set_aspect_ratio (request, "16:9");
  takes_generation_request_set_resolution (request, "480p");
  takes_generation_request_set_fps (request, 16);
  takes_generation_request_set_duration (request, 5);
  takes_generation_request_set_model (request, "wan-t2v");

  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);

  g_assert_cmpstr (json_object_get_string_member (graph_input (fixture->fake, "6"), "text"), ==,
                   "Harbour at dawn, slow dolly");
  g_assert_cmpstr (json_object_get_string_member (graph_input (fixture->fake, "7"), "text"), ==, "people, text");
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "3"), "seed"), ==, 1234567);

  inputs = graph_input (fixture->fake, "40");
  /* 854×480 rounded to Wan's multiple of 16 */
  g_assert_cmpint (json_object_get_int_member (inputs, "width"), ==, 848);
  g_assert_cmpint (json_object_get_int_member (inputs, "height"), ==, 480);
  /* 5 s × 16 fps = 80 frames → 4n+1 = 81 */
  g_assert_cmpint (json_object_get_int_member (inputs, "length"), ==, 81);
  g_assert_cmpfloat (json_object_get_double_member (graph_input (fixture->fake, "49"), "fps"), ==, 16.0);
}

static void
test_values_ltxv (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("Harbour at dawn");
  g_autoptr(TakesBackendStatus) status = NULL;
  JsonObject *inputs;

  takes_generation_request_set_model (request, "ltxv-t2v");
  takes_generation_request_set_fps (request, 24);
  takes_generation_request_set_duration (request, 4);
  takes_generation_request_set_seed (request, 77);
  takes_generation_request_set_resolution (request, "720p");

  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);

  inputs = graph_input (fixture->fake, "70");
  /* 4 s × 24 = 96 → 8n+1 = 97; sizes in multiples of 32 */
  g_assert_cmpint (json_object_get_int_member (inputs, "length"), ==, 97);
  g_assert_cmpint (json_object_get_int_member (inputs, "width") % 32, ==, 0);
  g_assert_cmpint (json_object_get_int_member (inputs, "height") % 32, ==, 0);
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "72"), "noise_seed"), ==, 77);
  /* The frame rate goes to both nodes that need it. */
  g_assert_cmpfloat (json_object_get_double_member (graph_input (fixture->fake, "69"), "frame_rate"), ==, 24.0);
  g_assert_cmpfloat (json_object_get_double_member (graph_input (fixture->fake, "79"), "fps"), ==, 24.0);
}

static void
test_frames_rule (void)
{
  g_assert_cmpint (takes_comfyui_frames_for ("EmptyHunyuanLatentVideo", 5, 16), ==, 81);
  g_assert_cmpint (takes_comfyui_frames_for ("WanImageToVideo", 5, 24), ==, 121);
  g_assert_cmpint (takes_comfyui_frames_for ("WanImageToVideo", 2.1, 16), ==, 33);
  g_assert_cmpint (takes_comfyui_frames_for ("EmptyLTXVLatentVideo", 4, 24), ==, 97);
  g_assert_cmpint (takes_comfyui_frames_for ("EmptyLTXVLatentVideo", 0.1, 24), ==, 9);
}

static void
test_image_upload (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("The gull takes off");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *image = g_build_filename (fixture->dir, "first frame.png", NULL);
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3 };
  const char *uploaded;
  GBytes *bytes;

  g_file_set_contents (image, (const char *)png, sizeof png, NULL);
  takes_generation_request_set_image (request, image);

  /* No model named: an image picks the image-to-video template. */
  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_cmpuint (fake_comfyui_get_request_count (fixture->fake, "POST", "/upload/image"), ==, 1);

  uploaded = json_object_get_string_member (graph_input (fixture->fake, "52"), "image");
  g_assert_true (g_str_has_prefix (uploaded, "takes-"));
  g_assert_true (g_str_has_suffix (uploaded, ".png"));
  bytes = fake_comfyui_get_upload (fixture->fake, uploaded);
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), png, sizeof png);
  g_assert_cmpstr (json_object_get_string_member (graph_input (fixture->fake, "6"), "text"), ==, "The gull takes off");
}

static void
test_mode_mismatch (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("The gull takes off");
  g_autoptr(GError) error = NULL;

  takes_generation_request_set_model (request, "wan-i2v");
  g_assert_false (takes_backend_validate_request (TAKES_BACKEND (fixture->backend), request, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "first frame"));

  g_clear_error (&error);
  takes_generation_request_set_model (request, "no-such-workflow");
  g_assert_false (takes_backend_validate_request (TAKES_BACKEND (fixture->backend), request, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 0);
}

/* ---- The person's own workflows ------------------------------------------------------------ */

/* A VideoHelperSuite workflow, as ComfyUI's "Export (API)" writes it. */
static const char user_workflow_tagged[] =
  "{"
  "\"1\":{\"class_type\":\"CheckpointLoaderSimple\",\"inputs\":{\"ckpt_name\":\"ltx-video-2b-v0.9.5.safetensors\"},"
  "      \"_meta\":{\"title\":\"Load Checkpoint\"}},"
  "\"2\":{\"class_type\":\"CLIPLoader\",\"inputs\":{\"clip_name\":\"t5xxl_fp16.safetensors\",\"type\":\"ltxv\"}},"
  "\"3\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"old\",\"clip\":[\"2\",0]},"
  "      \"_meta\":{\"title\":\"My prompt [takes:prompt]\"}},"
  "\"4\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"bad\",\"clip\":[\"2\",0]},"
  "      \"_meta\":{\"title\":\"[takes:negative] avoid\"}},"
  "\"5\":{\"class_type\":\"EmptyLTXVLatentVideo\",\"inputs\":{\"width\":768,\"height\":512,\"length\":97,\"batch_size\":1},"
  "      \"_meta\":{\"title\":\"Latent [takes:size][takes:length]\"}},"
  "\"6\":{\"class_type\":\"LTXVConditioning\",\"inputs\":{\"positive\":[\"3\",0],\"negative\":[\"4\",0],\"frame_rate\":25},"
  "      \"_meta\":{\"title\":\"[takes:fps]\"}},"
  "\"7\":{\"class_type\":\"LTXVScheduler\",\"inputs\":{\"steps\":30,\"max_shift\":2.05,\"base_shift\":0.95,\"stretch\":true,\"terminal\":0.1,\"latent\":[\"5\",0]}},"
  "\"8\":{\"class_type\":\"KSamplerSelect\",\"inputs\":{\"sampler_name\":\"euler\"}},"
  "\"9\":{\"class_type\":\"SamplerCustom\",\"inputs\":{\"model\":[\"1\",0],\"add_noise\":true,\"noise_seed\":1,\"cfg\":3,"
  "      \"positive\":[\"6\",0],\"negative\":[\"6\",1],\"sampler\":[\"8\",0],\"sigmas\":[\"7\",0],\"latent_image\":[\"5\",0]},"
  "      \"_meta\":{\"title\":\"[takes:seed]\"}},"
  "\"10\":{\"class_type\":\"VAEDecode\",\"inputs\":{\"samples\":[\"9\",0],\"vae\":[\"1\",2]}},"
  "\"11\":{\"class_type\":\"VHS_VideoCombine\",\"inputs\":{\"images\":[\"10\",0],\"frame_rate\":25,\"loop_count\":0,"
  "      \"filename_prefix\":\"LTXVideo\",\"format\":\"video/h264-mp4\",\"pingpong\":false,\"save_output\":true},"
  "      \"_meta\":{\"title\":\"Video Combine [takes:output] [takes:fps]\"}}"
  "}";

static char *
write_workflow (Fixture    *fixture,
                const char *name,
                const char *text)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_user_tagged (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = write_workflow (fixture, "my ltx.json", user_workflow_tagged);
  g_autoptr(TakesComfyuiWorkflow) workflow = NULL;
  g_autoptr(TakesGenerationRequest) request = make_request ("Waves on the pier");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *clip = g_build_filename (fixture->dir, "take.mp4", NULL);
  g_autoptr(JsonObject) mapping = NULL;
  g_autoptr(GError) error = NULL;

  workflow = takes_comfyui_workflow_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (takes_comfyui_workflow_is_tagged (workflow));
  g_assert_false (takes_comfyui_workflow_is_builtin (workflow));
  g_assert_cmpstr (takes_comfyui_workflow_get_name (workflow), ==, "my ltx.json");
  g_assert_cmpstr (takes_comfyui_workflow_get_id (workflow), ==, path);
  g_assert_cmpstr (takes_comfyui_workflow_get_output_node (workflow), ==, "11");

  mapping = takes_comfyui_workflow_dup_mapping (workflow);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "prompt"), "node"), ==, "3");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "seed"), "input"), ==, "noise_seed");
  /* Two nodes want the frame rate. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mapping, "fps")), ==, 2);

  /* Run it: the video comes back under "gifs". */
  takes_generation_request_set_extra_string (request, "workflow", path);
  takes_generation_request_set_fps (request, 25);
  takes_generation_request_set_duration (request, 2);
  status = generate (fixture, request, clip, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  assert_same_bytes (clip, test_mp4 ());

  g_assert_cmpstr (json_object_get_string_member (graph_input (fixture->fake, "3"), "text"), ==, "Waves on the pier");
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "5"), "length"), ==, 49);
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "11"), "frame_rate"), ==, 25);
}

static void
test_user_guessed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *untagged = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TakesComfyuiWorkflow) workflow = NULL;
  g_autoptr(JsonObject) guess = NULL;
  g_autoptr(TakesGenerationRequest) request = make_request ("Waves on the pier");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) literal = NULL;
  GRegex *regex;

  /* The same workflow with its tags taken out; the negative prompt's
   * node comes first so order alone would guess wrong. */
  regex = g_regex_new ("\\[takes:[a-z]+\\]", 0, 0, NULL);
  untagged = g_regex_replace_literal (regex, user_workflow_tagged, -1, 0, "", 0, NULL);
  g_regex_unref (regex);
  {
    g_autofree char *swapped = NULL;
    GRegex *swap = g_regex_new ("\"positive\":\\[\"3\",0\\],\"negative\":\\[\"4\",0\\]", 0, 0, NULL);

    swapped = g_regex_replace_literal (swap, untagged, -1, 0, "\"positive\":[\"4\",0],\"negative\":[\"3\",0]", 0, NULL);
    g_regex_unref (swap);
    g_free (untagged);
    untagged = g_steal_pointer (&swapped);
  }
  path = write_workflow (fixture, "untagged.json", untagged);

  workflow = takes_comfyui_workflow_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (takes_comfyui_workflow_is_tagged (workflow));
  g_assert_false (takes_comfyui_workflow_check_ready (workflow, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  literal = takes_comfyui_workflow_dup_literal_inputs (workflow, "9");
  g_assert_true (g_strv_contains ((const char * const *)literal, "noise_seed"));
  g_assert_false (g_strv_contains ((const char * const *)literal, "model"));

  guess = takes_comfyui_workflow_guess_mapping (workflow);
  /* Followed from the sampler through LTXVConditioning. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (guess, "prompt"), "node"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (guess, "negative"), "node"), ==, "3");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (guess, "seed"), "node"), ==, "9");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (guess, "width"), "node"), ==, "5");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (guess, "length"), "input"), ==, "length");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (guess, "output"), "node"), ==, "11");
  g_assert_false (json_object_has_member (guess, "image"));

  g_assert_true (takes_comfyui_workflow_set_mapping (workflow, guess, &error));
  g_assert_no_error (error);
  g_assert_true (takes_comfyui_workflow_check_ready (workflow, NULL));

  /* The mapping travels in the request. */
  takes_generation_request_set_extra_string (request, "workflow", path);
  json_object_set_object_member (takes_generation_request_get_extra (request), "mapping", json_object_ref (guess));
  takes_generation_request_set_seed (request, 4242);
  status = generate (fixture, request, NULL, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_cmpstr (json_object_get_string_member (graph_input (fixture->fake, "4"), "text"), ==, "Waves on the pier");
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "9"), "noise_seed"), ==, 4242);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);

  return json_node_dup_object (node);
}

static void
test_user_mapping_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = write_workflow (fixture, "mine.json", user_workflow_tagged);
  g_autoptr(TakesComfyuiWorkflow) workflow = takes_comfyui_workflow_load (path, NULL);
  g_autoptr(JsonObject) mapping = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (workflow);

  /* A node that is not there */
  mapping = parse_object ("{\"prompt\":{\"node\":\"99\",\"input\":\"text\"}}");
  g_assert_false (takes_comfyui_workflow_set_mapping (workflow, mapping, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);
  g_clear_pointer (&mapping, json_object_unref);

  /* A linked input cannot take a value */
  mapping = parse_object ("{\"prompt\":{\"node\":\"3\",\"input\":\"clip\"}}");
  g_assert_false (takes_comfyui_workflow_set_mapping (workflow, mapping, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_clear_pointer (&mapping, json_object_unref);

  /* Wrong types are refused, not trusted */
  mapping = parse_object ("{\"prompt\":{\"node\":{\"x\":1}}}");
  g_assert_false (takes_comfyui_workflow_set_mapping (workflow, mapping, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
}

static void
test_hostile_workflows (Fixture       *fixture,
                        gconstpointer  data)
{
  static const struct { const char *name; const char *text; const char *says; } cases[] = {
    { "editor", "{\"last_node_id\":9,\"nodes\":[],\"links\":[],\"version\":0.4}", "Export (API)" },
    { "array", "[1,2,3]", "object of nodes" },
    { "empty", "{}", "no nodes" },
    { "no-class", "{\"1\":{\"inputs\":{}}}", "class_type" },
    { "no-inputs", "{\"1\":{\"class_type\":\"SaveVideo\"}}", "inputs" },
    { "dangling", "{\"1\":{\"class_type\":\"VAEDecode\",\"inputs\":{\"samples\":[\"7\",0]}}}", "“7”" },
    { "bad-tag", "{\"1\":{\"class_type\":\"SaveVideo\",\"inputs\":{},\"_meta\":{\"title\":\"[takes:promt]\"}}}", "promt" },
    { "tag-no-input", "{\"1\":{\"class_type\":\"SaveVideo\",\"inputs\":{},\"_meta\":{\"title\":\"[takes:seed]\"}}}", "seed" },
    { "not-json", "{\"1\": {", "cannot be read" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strconcat (cases[i].name, ".json", NULL);
      g_autofree char *path = write_workflow (fixture, name, cases[i].text);
      g_autoptr(GError) error = NULL;
      g_autoptr(TakesComfyuiWorkflow) workflow = takes_comfyui_workflow_load (path, &error);

      g_assert_null (workflow);
      g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].name, error->message, cases[i].says);
    }

  /* 100 000 levels deep: refused before the parser sees it. */
  {
    GString *deep = g_string_new ("{\"1\":{\"class_type\":\"X\",\"inputs\":{\"a\":");
    g_autofree char *path = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(TakesComfyuiWorkflow) workflow = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, ']');
    g_string_append (deep, "}}}");
    path = write_workflow (fixture, "deep.json", deep->str);
    g_string_free (deep, TRUE);

    workflow = takes_comfyui_workflow_load (path, &error);
    g_assert_null (workflow);
    g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  }
}

/* ---- Not MP4 ------------------------------------------------------------------------------------ */

static void
test_converts_other_containers (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) other = render_clip ("avimux", "clip.avi");
  g_autoptr(TakesGenerationRequest) request = make_request ("A gull over the harbour");
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "take.mp4", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *source = g_strconcat (path, ".source.mkv", NULL);
  GList *videos;
  GstDiscovererStreamInfo *container;
  g_autoptr(GstCaps) caps = NULL;
  g_autofree char *caps_text = NULL;

  /* Saved as something other than MP4 (a VHS "video/ffv1-mkv" say). */
  fake_comfyui_set_video (fixture->fake, other);
  fake_comfyui_set_output_name (fixture->fake, "Takes_00001.mkv");

  status = generate (fixture, request, path, NULL);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_false (g_file_test (source, G_FILE_TEST_EXISTS));

  uri = g_filename_to_uri (path, NULL, NULL);
  discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  container = gst_discoverer_info_get_stream_info (info);
  caps = gst_discoverer_stream_info_get_caps (container);
  caps_text = gst_caps_to_string (caps);
  g_assert_nonnull (strstr (caps_text, "video/quicktime"));
  gst_discoverer_stream_info_unref (container);
  videos = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (videos), ==, 1);
  gst_discoverer_stream_info_list_free (videos);
}

/* ---- The command line --------------------------------------------------------------------- */

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
test_cli_generate (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *takes_bin = g_getenv ("TAKES_BIN");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = g_build_filename (fixture->dir, "cli take.mp4", NULL);
  g_autofree char *err = NULL;

  if (takes_bin == NULL)
    {
      g_test_skip ("TAKES_BIN is not set");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "TAKES_COMFYUI_BASE_URL", fake_comfyui_get_base_url (fixture->fake), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, takes_bin, "generate", "--backend", "comfyui",
                                         "--model", "ltxv-t2v", "--prompt", "Harbour at dawn",
                                         "--duration", "2", "--seed", "99", "--output", output, NULL);
  g_assert_no_error (error);

  /* The fake answers from this process's main loop meanwhile. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &result);
  g_subprocess_communicate_utf8_finish (process, backend_test_await (&result), NULL, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("takes generate failed: %s", err);

  assert_same_bytes (output, test_mp4 ());
  g_assert_cmpuint (fake_comfyui_get_prompt_count (fixture->fake), ==, 1);
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "72"), "noise_seed"), ==, 99);
  g_assert_cmpint (json_object_get_int_member (graph_input (fixture->fake, "70"), "length"), ==, 49);
}

/* ---- Self-description ------------------------------------------------------------------------- */

static void
test_describe (void)
{
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new ();
  TakesBackend *backend = takes_backend_registry_lookup (registry, "comfyui");
  g_autoptr(JsonObject) description = NULL;
  g_autoptr(TakesGenerationRequest) request = make_request ("x");

  g_assert_nonnull (backend);
  g_assert_true (TAKES_IS_COMFYUI (backend));
  g_assert_cmpstr (takes_backend_get_display_name (backend), ==, "ComfyUI (local)");
  g_assert_cmpuint (takes_backend_get_concurrency_limit (backend), ==, 1);
  g_assert_true (takes_backend_is_configured (backend));
  g_assert_cmpstr (takes_backend_get_default_model (backend), ==, "wan-t2v");
  g_assert_cmpfloat (takes_backend_estimate_cost (backend, request), ==, 0);

  g_unsetenv ("TAKES_COMFYUI_BASE_URL");
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "http://127.0.0.1:8188");
  g_setenv ("TAKES_COMFYUI_BASE_URL", "http://gpu-box:8188", TRUE);
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "http://gpu-box:8188");
  g_unsetenv ("TAKES_COMFYUI_BASE_URL");

  description = takes_backend_describe (backend);
  g_assert_cmpstr (json_object_get_string_member (description, "id"), ==, "comfyui");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (description, "models")), >=, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (description, "credentials")), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Takes/ComfyUI/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/Takes/ComfyUI/templates/builtin-tags", test_builtin_templates);
  ADD ("templates/accepted-by-server", test_builtin_accepted);
  g_test_add_func ("/Takes/ComfyUI/describe", test_describe);
  g_test_add_func ("/Takes/ComfyUI/values/frames-rule", test_frames_rule);

  ADD ("generate/images-output", test_success_images);
  ADD ("generate/gifs-output", test_success_gifs);
  ADD ("generate/url-encoding", test_url_encoding);
  ADD ("generate/socket-refused-polls", test_socket_refused);
  ADD ("generate/history-server-error", test_history_server_error);
  ADD ("generate/execution-error", test_execution_error);
  ADD ("generate/execution-error-polling", test_execution_error_polling);
  ADD ("generate/converts-other-containers", test_converts_other_containers);
  ADD ("submit/node-errors", test_node_errors);
  ADD ("submit/mode-mismatch", test_mode_mismatch);
  g_test_add_func ("/Takes/ComfyUI/submit/not-running", test_not_running);
  ADD ("test/reachable", test_reachable);
  ADD ("cli/generate", test_cli_generate);
  ADD ("cancel/interrupts-running", test_cancel_running);
  ADD ("cancel/deletes-queued", test_cancel_queued);
  ADD ("download/truncated", test_truncated_download);
  ADD ("poll/deep-nesting", test_deep_nesting);
  ADD ("poll/unknown-prompt", test_unknown_prompt);
  ADD ("values/land-in-inputs", test_values_land);
  ADD ("values/ltxv", test_values_ltxv);
  ADD ("values/image-upload", test_image_upload);
  ADD ("workflow/user-tagged", test_user_tagged);
  ADD ("workflow/user-guessed-mapping", test_user_guessed);
  ADD ("workflow/mapping-refused", test_user_mapping_refused);
  ADD ("workflow/hostile-files", test_hostile_workflows);

#undef ADD

  return g_test_run ();
}
