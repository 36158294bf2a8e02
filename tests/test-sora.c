/* test-sora.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sora"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "backend-test-util.h"
#include "fake-provider-util.h"
#include "fake-sora.h"
#include "takes-sora.h"

/* A key that must never show up in a message, a log or a URL. */
#define CANARY_SECRET "sk-CANARY-sora-4d2b8e6f0a"

/* ---- Log capture -------------------------------------------------------------- */

static GString *captured_logs;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_logs, "%s\n", (const char *)fields[i].value);

  /* Warnings still fail the test as they should. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/* ---- Fixture ------------------------------------------------------------------- */

typedef struct
{
  TakesFakeSora  *fake;
  TakesSora      *sora;
  char           *dir;
  GBytes         *clip;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  TakesHttp *http;

  fixture->fake = takes_fake_sora_new (0, CANARY_SECRET);
  fixture->sora = takes_sora_new ();
  takes_backend_set_base_url (TAKES_BACKEND (fixture->sora), takes_fake_sora_get_base_url (fixture->fake));
  takes_backend_set_credential (TAKES_BACKEND (fixture->sora), "OPENAI_API_KEY", CANARY_SECRET);
  takes_sora_set_min_poll_interval (fixture->sora, 10);

  http = takes_backend_get_http (TAKES_BACKEND (fixture->sora));
  takes_http_set_retry_policy (http, 4, 10, 50);
  takes_http_set_deadlines (http, 10, 10, 1);

  fixture->dir = g_dir_make_tmp ("takes-sora-XXXXXX", NULL);
  fixture->clip = fake_make_test_clip ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->sora);
  g_clear_object (&fixture->fake);
  backend_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_bytes_unref (fixture->clip);
}

/* ---- Tests ---------------------------------------------------------------------- */

static void
test_describe (Fixture       *fixture,
               gconstpointer  data)
{
  TakesBackend *backend = TAKES_BACKEND (fixture->sora);
  const char * const *names = takes_backend_get_credential_names (backend);

  g_assert_cmpstr (takes_backend_get_id (backend), ==, "sora");
  g_assert_cmpstr (takes_backend_get_display_name (backend), ==, "Sora-compatible");
  g_assert_cmpstr (takes_backend_get_default_model (backend), ==, "sora-2");
  g_assert_cmpstr (names[0], ==, "OPENAI_API_KEY");
  g_assert_null (names[1]);

  /* The endpoint: TAKES_SORA_BASE_URL, then Preferences, then
   * OPENAI_BASE_URL, then OpenAI's own */
  takes_backend_set_base_url (backend, NULL);
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "https://api.openai.com/v1");
  g_setenv ("OPENAI_BASE_URL", "http://127.0.0.1:9/openai/v1", TRUE);
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "http://127.0.0.1:9/openai/v1");
  takes_backend_set_base_url (backend, "http://127.0.0.1:9/prefs/v1");
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "http://127.0.0.1:9/prefs/v1");
  g_setenv ("TAKES_SORA_BASE_URL", "http://127.0.0.1:9/takes/v1", TRUE);
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "http://127.0.0.1:9/takes/v1");
  g_unsetenv ("TAKES_SORA_BASE_URL");
  g_unsetenv ("OPENAI_BASE_URL");
}

static void
test_sizes_and_seconds (Fixture       *fixture,
                        gconstpointer  data)
{
  static const struct
  {
    const char *model;
    const char *aspect;
    const char *resolution;
    double      duration;
    const char *size;
    const char *seconds;
  } cases[] = {
    { "sora-2", "16:9", "720p", 4, "1280x720", "4" },
    { "sora-2", "9:16", "720p", 5, "720x1280", "8" },
    { "sora-2", "16:9", "1080p", 8, "1280x720", "8" },      /* no large sizes for sora-2 */
    { "sora-2-pro", "16:9", "1080p", 9, "1792x1024", "12" },
    { "sora-2-pro", "9:16", "1080p", 12, "1024x1792", "12" },
    { "sora-2-pro", "1:1", "480p", 2.5, "1280x720", "4" },
    { "sora-2-pro", "4:5", "720p", 3, "720x1280", "4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A", 5);
      g_autofree char *size = NULL;
      g_autofree char *seconds = NULL;

      takes_generation_request_set_model (request, cases[i].model);
      takes_generation_request_set_aspect_ratio (request, cases[i].aspect);
      takes_generation_request_set_resolution (request, cases[i].resolution);
      takes_generation_request_set_duration (request, cases[i].duration);
      size = takes_sora_dup_size (fixture->sora, request);
      seconds = takes_sora_dup_seconds (fixture->sora, request);
      g_assert_cmpstr (size, ==, cases[i].size);
      g_assert_cmpstr (seconds, ==, cases[i].seconds);
    }

  /* The extras win, as free strings, for servers with other values */
  {
    g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A", 5);
    g_autofree char *size = NULL;
    g_autofree char *seconds = NULL;

    takes_generation_request_set_extra_string (request, "size", "1920x1080");
    takes_generation_request_set_extra_string (request, "seconds", "16");
    size = takes_sora_dup_size (fixture->sora, request);
    seconds = takes_sora_dup_seconds (fixture->sora, request);
    g_assert_cmpstr (size, ==, "1920x1080");
    g_assert_cmpstr (seconds, ==, "16");
  }
}

static void
test_text_to_video (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A paper boat drifting down a rainy street", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected_url = NULL;
  GHashTable *fields;

  takes_generation_request_set_model (request, "sora-2-pro");
  takes_generation_request_set_duration (request, 8);
  g_assert_true (takes_backend_validate_request (TAKES_BACKEND (fixture->sora), request, &error));

  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (task_id, "video_"));

  fields = takes_fake_sora_get_last_fields (fixture->fake);
  g_assert_cmpstr (g_hash_table_lookup (fields, "prompt"), ==, "A paper boat drifting down a rainy street");
  g_assert_cmpstr (g_hash_table_lookup (fields, "model"), ==, "sora-2-pro");
  g_assert_cmpstr (g_hash_table_lookup (fields, "seconds"), ==, "8");
  g_assert_cmpstr (g_hash_table_lookup (fields, "size"), ==, "1280x720");
  g_assert_false (g_hash_table_contains (fields, "input_reference"));

  /* While it runs: progress, and the server's poll hint */
  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_RUNNING);
  g_assert_cmpfloat_with_epsilon (status->progress, 0.5, 1e-9);
  g_assert_cmpint (status->retry_after_ms, ==, 50);
  g_clear_pointer (&status, takes_backend_status_free);

  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  expected_url = g_strdup_printf ("%s/videos/%s/content", takes_fake_sora_get_base_url (fixture->fake), task_id);
  g_assert_cmpstr (status->result_url, ==, expected_url);

  /* /content needs the key: the download sends it there, and only there */
  path = g_build_filename (fixture->dir, "take.mp4", NULL);
  destination = g_file_new_for_path (path);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, status->result_url, destination, &error));
  g_assert_no_error (error);
  backend_test_assert_file_bytes (destination, fixture->clip);
}

static void
test_poll_hint_has_a_floor (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Trains passing", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_sora_set_polls_until_done (fixture->fake, 5);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);

  takes_sora_set_min_poll_interval (fixture->sora, 2000);
  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error);
  g_assert_cmpint (status->retry_after_ms, ==, 2000);
  g_clear_pointer (&status, takes_backend_status_free);

  takes_fake_sora_set_poll_after_ms (fixture->fake, 7000);
  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error);
  g_assert_cmpint (status->retry_after_ms, ==, 7000);
}

static void
test_reference_image (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("The portrait comes alive", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *image = g_build_filename (fixture->dir, "My Portrait (final).png", NULL);
  g_autoptr(GBytes) png = fake_make_test_png (300, 400);
  g_autofree char *task_id = NULL;
  const char *part;

  g_file_set_contents (image, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);

  takes_generation_request_set_image (request, image);
  g_assert_true (takes_backend_validate_request (TAKES_BACKEND (fixture->sora), request, &error));
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);

  part = g_hash_table_lookup (takes_fake_sora_get_last_fields (fixture->fake), "input_reference");
  g_assert_nonnull (part);
  /* Cropped and scaled to the video's size, as the API wants it */
  g_assert_cmpstr (part, ==, "My_Portrait__final_.png image/png 1280x720");
}

static void
test_reference_not_a_picture (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("The portrait comes alive", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *image = backend_test_write_png (fixture->dir, "broken.png");
  g_autofree char *task_id = NULL;

  /* A PNG signature with nothing behind it */
  takes_generation_request_set_image (request, image);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (takes_fake_sora_get_total_creates (fixture->fake), ==, 0);
}

static void
test_fake_is_strict (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  /* A large size with sora-2 is what the API refuses */
  takes_generation_request_set_extra_string (request, "size", "1792x1024");
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "“size”"));
  g_assert_cmpuint (takes_fake_sora_get_total_creates (fixture->fake), ==, 0);
}

static void
test_rate_limit_on_create (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Crowd at the station", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_RATE_LIMIT_CREATE, 1);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_cmpuint (takes_fake_sora_get_request_count (fixture->fake, "POST", "/v1/videos"), ==, 2);
  g_assert_cmpuint (takes_fake_sora_get_total_creates (fixture->fake), ==, 1);
}

static void
test_server_error_on_poll (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Rain on the window", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_SERVER_ERROR_POLL, 2);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_clear_pointer (&status, takes_backend_status_free);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_SERVER_ERROR_POLL, 0);
  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 4);
}

static void
test_provider_failure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A storm over the harbour", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_sora_set_outcome (fixture->fake, FAKE_SORA_OUTCOME_FAIL);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);

  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_cmpint (status->error_code, ==, TAKES_BACKEND_ERROR_FAILED);
  g_assert_cmpstr (status->message, ==, FAKE_SORA_FAIL_REASON);
}

static void
test_moderation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Something the filter dislikes", 5);
  g_autoptr(TakesGenerationRequest) second = backend_test_new_request ("Something else it dislikes", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_MODERATION_CREATE, 1);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "refused by moderation: Your request was rejected by the safety system"));
  g_assert_cmpuint (takes_fake_sora_get_request_count (fixture->fake, "POST", "/v1/videos"), ==, 1);
  g_clear_error (&error);

  takes_fake_sora_set_outcome (fixture->fake, FAKE_SORA_OUTCOME_MODERATE);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), second, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), second, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_cmpint (status->error_code, ==, TAKES_BACKEND_ERROR_REJECTED);
  g_assert_cmpstr (status->message, ==, "the prompt was refused by moderation: " FAKE_SORA_MODERATION_REASON);
}

static void
test_quota (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A long tracking shot", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_QUOTA, 0);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA);
  g_assert_nonnull (strstr (error->message, "insufficient_quota"));
  /* Same HTTP status as a rate limit, but no wait helps: asked once */
  g_assert_cmpuint (takes_fake_sora_get_request_count (fixture->fake, "POST", "/v1/videos"), ==, 1);
}

static void
test_rejected_credentials (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Night bus", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_backend_set_credential (TAKES_BACKEND (fixture->sora), "OPENAI_API_KEY", "sk-a-wrong-api-key-123");
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 3);
  g_assert_null (strstr (error->message, "sk-a-wrong-api-key-123"));
  g_clear_error (&error);

  takes_backend_set_credential (TAKES_BACKEND (fixture->sora), "OPENAI_API_KEY", NULL);
  g_assert_false (takes_backend_is_configured (TAKES_BACKEND (fixture->sora)));
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 3);
  g_assert_cmpuint (takes_fake_sora_get_total_creates (fixture->fake), ==, 0);
}

static void
test_download_needs_the_key (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A lantern in the fog", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "elsewhere.mp4", NULL);
  g_autofree char *elsewhere = NULL;
  g_autoptr(GFile) destination = g_file_new_for_path (path);

  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);

  /* An address outside the endpoint (here the same server under another
   * path) never gets the key: the fake then refuses it. */
  elsewhere = g_strdup_printf ("%s/../v1/videos/%s/content",
                               takes_fake_sora_get_base_url (fixture->fake), task_id);
  g_assert_false (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, elsewhere, destination, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
}

static void
test_stalled_download (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A slow pan across the valley", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "stalled.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);

  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_STALL_DOWNLOAD, 1);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, status->result_url, destination, &error));
  g_assert_no_error (error);
  backend_test_assert_file_bytes (destination, fixture->clip);
  g_file_delete (destination, NULL, NULL);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_STALL_DOWNLOAD, 0);
  g_assert_false (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, status->result_url, destination, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_TIMEOUT);
  g_assert_false (g_file_query_exists (destination, NULL));
}

static void
test_truncated_download (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Children run along the beach", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "truncated.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);

  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_TRUNCATE_DOWNLOAD, 1);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, status->result_url, destination, &error));
  g_assert_no_error (error);
  backend_test_assert_file_bytes (destination, fixture->clip);
  g_assert_nonnull (strstr (takes_fake_sora_get_transcript (fixture->fake), "Range: bytes="));
}

static void
test_hostile_answers (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Fog rolls in", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_MALFORMED_POLL, 1);
  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_clear_error (&error);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_DEEP_POLL, 1);
  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_clear_error (&error);

  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
}

static void
test_unknown_video (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Lost", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = backend_test_poll (TAKES_BACKEND (fixture->sora), request, "video_doesnotexist", &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND);
}

static void
test_connection_test (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (backend_test_test (TAKES_BACKEND (fixture->sora), &error));
  g_assert_no_error (error);

  takes_backend_set_credential (TAKES_BACKEND (fixture->sora), "OPENAI_API_KEY", "sk-not-the-right-one");
  g_assert_false (backend_test_test (TAKES_BACKEND (fixture->sora), &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
}

static void
test_canary_secret (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Canary in a coal mine", 5);
  g_autoptr(TakesGenerationRequest) second = backend_test_new_request ("Canary flies away", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *task_id = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "canary.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);

  g_string_truncate (captured_logs, 0);

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_RATE_LIMIT_CREATE, 1);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->sora), request, NULL, &error);
  g_assert_no_error (error);
  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_SERVER_ERROR_POLL, 1);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->sora), request, task_id, 20);
  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_TRUNCATE_DOWNLOAD, 1);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, status->result_url, destination, &error));

  takes_fake_sora_set_fault (fixture->fake, FAKE_SORA_FAULT_AUTH, 0);
  g_assert_null (backend_test_submit (TAKES_BACKEND (fixture->sora), second, NULL, &error));
  g_string_append_printf (messages, "%s\n", error->message);
  g_clear_error (&error);
  g_assert_null (backend_test_poll (TAKES_BACKEND (fixture->sora), request, task_id, &error));
  g_string_append_printf (messages, "%s\n", error->message);
  g_clear_error (&error);
  g_file_delete (destination, NULL, NULL);
  g_assert_false (backend_test_download (TAKES_BACKEND (fixture->sora), request, task_id, status->result_url, destination, &error));
  g_string_append_printf (messages, "%s\n", error->message);

  g_assert_cmpuint (captured_logs->len, >, 0);
  g_assert_null (strstr (captured_logs->str, CANARY_SECRET));
  g_assert_null (strstr (messages->str, CANARY_SECRET));
  /* Only ever in the Authorization header, never in a URL */
  g_assert_null (strstr (takes_fake_sora_get_transcript (fixture->fake), "sk-CANARY-sora-4d2b8e6f0a\nGET"));
  {
    g_auto(GStrv) lines = g_strsplit (takes_fake_sora_get_transcript (fixture->fake), "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], CANARY_SECRET) != NULL)
        g_assert_true (g_str_has_prefix (lines[i], "Authorization: Bearer "));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENAI_BASE_URL");
  g_unsetenv ("TAKES_SORA_BASE_URL");

  g_test_init (&argc, &argv, NULL);

  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add ("/Takes/Sora/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("describe", test_describe);
  ADD ("sizes-and-seconds", test_sizes_and_seconds);
  ADD ("text-to-video", test_text_to_video);
  ADD ("poll-hint-has-a-floor", test_poll_hint_has_a_floor);
  ADD ("reference-image-fitted-to-size", test_reference_image);
  ADD ("reference-image-not-a-picture", test_reference_not_a_picture);
  ADD ("invalid-size-refused", test_fake_is_strict);
  ADD ("rate-limit-on-create", test_rate_limit_on_create);
  ADD ("server-error-on-poll", test_server_error_on_poll);
  ADD ("provider-failure-with-reason", test_provider_failure);
  ADD ("moderation", test_moderation);
  ADD ("insufficient-quota", test_quota);
  ADD ("rejected-credentials", test_rejected_credentials);
  ADD ("download-key-stays-at-endpoint", test_download_needs_the_key);
  ADD ("stalled-download", test_stalled_download);
  ADD ("truncated-download", test_truncated_download);
  ADD ("malformed-and-deep-answers", test_hostile_answers);
  ADD ("unknown-video", test_unknown_video);
  ADD ("connection-test", test_connection_test);
  ADD ("canary-secret-never-leaks", test_canary_secret);

#undef ADD

  return g_test_run ();
}
