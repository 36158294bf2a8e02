/* test-kling.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-kling"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fake-kling.h"
#include "backend-test-util.h"
#include "fake-provider-util.h"
#include "takes-jwt.h"
#include "takes-kling.h"

/* A secret that must never show up in a message, a log or on the wire. */
#define CANARY_SECRET "sk-CANARY-kling-7f3a9c1e5b"

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
  TakesFakeKling *fake;
  TakesKling     *kling;
  char           *dir;
  GBytes         *clip;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  TakesHttp *http;

  fixture->fake = takes_fake_kling_new (0, CANARY_SECRET);
  fixture->kling = takes_kling_new ();
  takes_backend_set_base_url (TAKES_BACKEND (fixture->kling), takes_fake_kling_get_base_url (fixture->fake));
  takes_backend_set_credential (TAKES_BACKEND (fixture->kling), "KLING_ACCESS_KEY", FAKE_KLING_ACCESS_KEY);
  takes_backend_set_credential (TAKES_BACKEND (fixture->kling), "KLING_SECRET_KEY", CANARY_SECRET);

  http = takes_backend_get_http (TAKES_BACKEND (fixture->kling));
  takes_http_set_retry_policy (http, 4, 10, 50);
  takes_http_set_deadlines (http, 10, 10, 1);

  fixture->dir = g_dir_make_tmp ("takes-kling-XXXXXX", NULL);
  fixture->clip = fake_make_test_clip ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->kling);
  g_clear_object (&fixture->fake);
  backend_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_bytes_unref (fixture->clip);
}

/* ---- JWT ------------------------------------------------------------------------ */

static void
test_jwt_known_vector (void)
{
  /* PROVIDERS.md Appendix A.1 */
  static const char *expected =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJha190ZXN0IiwiZXhwIjoxNzAwMDAxODAwLCJuYmYiOjE2OTk5OTk5OTV9."
    "eDa_F6Qhv7yHoYstKBIL6uubYWDLHLekl_49ClsUCf4";
  /* Appendix A.2: another header, payload and key through the same signer */
  static const char *expected_zhipu =
    "eyJhbGciOiJIUzI1NiIsInNpZ25fdHlwZSI6IlNJR04ifQ."
    "eyJhcGlfa2V5IjoiaWQxMjMiLCJleHAiOjE3MDAwMDAyMTAwMDAsInRpbWVzdGFtcCI6MTcwMDAwMDAwMDAwMH0."
    "duMxELh3DpAzlQP1SQ7pqNXsRztrSefLoAEh1y9N4e8";
  g_autofree char *token = takes_jwt_kling_token ("ak_test", "sk_test", 1700000000);
  g_autofree char *zhipu = takes_jwt_hs256 ("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}",
                                            "{\"api_key\":\"id123\",\"exp\":1700000210000,\"timestamp\":1700000000000}",
                                            "secret456");
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *tampered = NULL;

  g_assert_cmpstr (token, ==, expected);
  g_assert_cmpstr (zhipu, ==, expected_zhipu);

  g_assert_true (takes_jwt_hs256_verify (token, "sk_test", &header, &payload));
  g_assert_cmpstr (header, ==, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
  g_assert_cmpstr (payload, ==, "{\"iss\":\"ak_test\",\"exp\":1700001800,\"nbf\":1699999995}");
  g_assert_false (takes_jwt_hs256_verify (token, "sk_wrong", NULL, NULL));

  tampered = g_strdup (token);
  tampered[strlen (tampered) - 2] = tampered[strlen (tampered) - 2] == 'A' ? 'B' : 'A';
  g_assert_false (takes_jwt_hs256_verify (tampered, "sk_test", NULL, NULL));
  g_assert_false (takes_jwt_hs256_verify ("not.a.token!", "sk_test", NULL, NULL));
  g_assert_false (takes_jwt_hs256_verify ("onlyonepart", "sk_test", NULL, NULL));
}

static void
test_jwt_base64url (void)
{
  /* Bytes that standard base64 spells with '+', '/' and padding */
  static const guint8 data[] = { 0xfb, 0xff, 0xbf, 0x3e };
  g_autofree char *encoded = takes_jwt_base64url_encode (data, sizeof data);
  g_autofree guint8 *decoded = NULL;
  gsize length = 0;

  g_assert_cmpstr (encoded, ==, "-_-_Pg");
  decoded = takes_jwt_base64url_decode (encoded, &length);
  g_assert_cmpmem (decoded, length, data, sizeof data);
  g_assert_null (takes_jwt_base64url_decode ("ab+c", &length));
}

static void
test_jwt_cache_refresh (void)
{
  g_autoptr(TakesJwtCache) cache = takes_jwt_cache_new ();
  g_autofree char *first = takes_jwt_cache_get_kling (cache, "ak", "sk-cache-secret", 1000);
  g_autofree char *later = takes_jwt_cache_get_kling (cache, "ak", "sk-cache-secret", 1000 + 1800 - 301);
  g_autofree char *near_end = takes_jwt_cache_get_kling (cache, "ak", "sk-cache-secret", 1000 + 1800 - 299);
  g_autofree char *new_key = NULL;
  g_autofree char *expected = takes_jwt_kling_token ("ak", "sk-cache-secret", 1000 + 1800 - 299);

  /* Kept while more than five minutes are left, made again after. */
  g_assert_cmpstr (first, ==, later);
  g_assert_cmpstr (near_end, !=, first);
  g_assert_cmpstr (near_end, ==, expected);

  /* Another secret key: another token at once. */
  new_key = takes_jwt_cache_get_kling (cache, "ak", "sk-other-secret", 1000 + 1800 - 299);
  g_assert_cmpstr (new_key, !=, near_end);
  g_assert_true (takes_jwt_hs256_verify (new_key, "sk-other-secret", NULL, NULL));
}

/* ---- Through the backend ---------------------------------------------------------- */

static void
test_describe (Fixture       *fixture,
               gconstpointer  data)
{
  TakesBackend *backend = TAKES_BACKEND (fixture->kling);
  const char * const *names = takes_backend_get_credential_names (backend);
  guint n = 0;
  const double *durations = takes_backend_get_durations (backend, &n);

  g_assert_cmpstr (takes_backend_get_id (backend), ==, "kling");
  g_assert_cmpstr (takes_backend_get_display_name (backend), ==, "Kling");
  g_assert_cmpstr (names[0], ==, "KLING_ACCESS_KEY");
  g_assert_cmpstr (names[1], ==, "KLING_SECRET_KEY");
  g_assert_null (names[2]);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (durations[0], ==, 5);
  g_assert_cmpfloat (durations[1], ==, 10);
  g_assert_true (takes_backend_is_configured (backend));
  g_assert_true (takes_backend_get_modes (backend) & TAKES_BACKEND_MODE_FIRST_LAST_FRAME);

  /* The default endpoint, overridden by the environment */
  takes_backend_set_base_url (backend, NULL);
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "https://api-singapore.klingai.com");
  g_setenv ("TAKES_KLING_BASE_URL", "http://127.0.0.1:9/kling", TRUE);
  g_assert_cmpstr (takes_backend_get_base_url (backend), ==, "http://127.0.0.1:9/kling");
  g_unsetenv ("TAKES_KLING_BASE_URL");
}

static void
test_text_to_video (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A lighthouse keeper climbs the stairs at dusk", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = NULL;
  JsonObject *body;

  takes_generation_request_set_negative_prompt (request, "blurry");
  takes_generation_request_set_aspect_ratio (request, "9:16");
  takes_generation_request_set_extra_int (request, "unused", 1);
  g_assert_true (takes_backend_validate_request (TAKES_BACKEND (fixture->kling), request, &error));
  g_assert_no_error (error);

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_cmpuint (strlen (task_id), ==, 18);
  g_assert_cmpuint (takes_fake_kling_get_create_count (fixture->fake, takes_generation_request_get_client_request_id (request)), ==, 1);

  /* What was sent, field by field, in the types Kling wants */
  body = takes_fake_kling_get_last_body (fixture->fake);
  g_assert_cmpstr (json_object_get_string_member (body, "model_name"), ==, "kling-v1-6");
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, "A lighthouse keeper climbs the stairs at dusk");
  g_assert_cmpstr (json_object_get_string_member (body, "negative_prompt"), ==, "blurry");
  g_assert_cmpstr (json_object_get_string_member (body, "duration"), ==, "5");
  g_assert_cmpstr (json_object_get_string_member (body, "mode"), ==, "std");
  g_assert_cmpstr (json_object_get_string_member (body, "aspect_ratio"), ==, "9:16");
  g_assert_cmpstr (json_object_get_string_member (body, "external_task_id"), ==,
                   takes_generation_request_get_client_request_id (request));
  g_assert_false (json_object_has_member (body, "image"));
  g_assert_false (json_object_has_member (body, "callback_url"));
  g_assert_false (json_object_has_member (body, "unused"));

  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_true (g_str_has_prefix (status->result_url, takes_fake_kling_get_base_url (fixture->fake)));
  /* final_unit_deduction "2" at the default 0.14 USD a unit */
  g_assert_cmpfloat_with_epsilon (status->cost, 0.28, 1e-9);

  path = g_build_filename (fixture->dir, "take.mp4", NULL);
  destination = g_file_new_for_path (path);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->kling), request, task_id, status->result_url, destination, &error));
  g_assert_no_error (error);
  backend_test_assert_file_bytes (destination, fixture->clip);

  /* The pre-signed URL was fetched without the token (the fake refuses
   * one), and the secret key itself never travelled. */
  g_assert_null (strstr (takes_fake_kling_get_transcript (fixture->fake), CANARY_SECRET));
}

static double
price_from_table (TakesBackend   *backend,
                  const char     *model,
                  const char     *mode,
                  TakesPriceUnit  unit,
                  double          quantity,
                  gpointer        user_data)
{
  return unit == TAKES_PRICE_CREDITS ? quantity * 0.5 : -1;
}

static void
test_cost_from_price_func (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Waves against the pier", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_kling_set_units (fixture->fake, "3.5");
  takes_backend_set_price_func (TAKES_BACKEND (fixture->kling), price_from_table, NULL, NULL);

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_cmpfloat_with_epsilon (status->cost, 1.75, 1e-9);
}

static void
test_image_to_video (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("The door swings open", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = backend_test_write_png (fixture->dir, "first.png");
  g_autofree char *last = backend_test_write_png (fixture->dir, "last.png");
  g_autofree char *task_id = NULL;
  g_autofree char *file_contents = NULL;
  g_autofree char *expected = NULL;
  gsize length = 0;
  JsonObject *body;

  takes_generation_request_set_image (request, first);
  takes_generation_request_set_end_image (request, last);
  takes_generation_request_set_duration (request, 10);
  takes_generation_request_set_resolution (request, "1080p");
  takes_generation_request_set_model (request, "kling-v2-1");
  g_assert_true (takes_backend_validate_request (TAKES_BACKEND (fixture->kling), request, &error));

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (takes_fake_kling_get_request_count (fixture->fake, "POST", "/v1/videos/image2video"), ==, 1);

  body = takes_fake_kling_get_last_body (fixture->fake);
  g_file_get_contents (first, &file_contents, &length, NULL);
  expected = g_base64_encode ((const guchar *)file_contents, length);
  /* Raw base64, no data: prefix */
  g_assert_cmpstr (json_object_get_string_member (body, "image"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (body, "image_tail"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (body, "duration"), ==, "10");
  g_assert_cmpstr (json_object_get_string_member (body, "mode"), ==, "pro");
  g_assert_cmpstr (json_object_get_string_member (body, "model_name"), ==, "kling-v2-1");
  g_assert_false (json_object_has_member (body, "aspect_ratio"));

  /* The poll goes to the image2video family too */
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_cmpuint (takes_fake_kling_get_request_count (fixture->fake, "GET", "/v1/videos/image2video/"), >=, 2);
}

static void
test_image_url_passed_on (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_generation_request_set_image (request, "https://images.example.com/frame.jpg");
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (takes_fake_kling_get_last_body (fixture->fake), "image"), ==,
                   "https://images.example.com/frame.jpg");
  g_assert_false (json_object_has_member (takes_fake_kling_get_last_body (fixture->fake), "prompt"));
}

static void
test_options (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Dolly in on the violinist", 5);
  g_autoptr(JsonObject) camera = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  JsonObject *body, *sent_camera, *sent_config;

  camera = json_object_new ();
  json_object_set_string_member (camera, "type", "simple");
  json_object_set_int_member (config, "zoom", 5);
  json_object_set_object_member (camera, "config", json_object_ref (config));
  json_object_set_object_member (takes_generation_request_get_extra (request), "camera_control",
                                 json_object_ref (camera));
  json_object_set_double_member (takes_generation_request_get_extra (request), "cfg_scale", 0.7);
  takes_generation_request_set_extra_string (request, "mode", "pro");
  takes_generation_request_set_model (request, "kling-v1");

  g_assert_true (takes_backend_validate_request (TAKES_BACKEND (fixture->kling), request, &error));
  g_assert_no_error (error);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);

  body = takes_fake_kling_get_last_body (fixture->fake);
  g_assert_cmpstr (json_object_get_string_member (body, "mode"), ==, "pro");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "cfg_scale"), 0.7, 1e-9);
  sent_camera = json_object_get_object_member (body, "camera_control");
  g_assert_cmpstr (json_object_get_string_member (sent_camera, "type"), ==, "simple");
  sent_config = json_object_get_object_member (sent_camera, "config");
  g_assert_cmpfloat (json_object_get_double_member (sent_config, "zoom"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (sent_config, "pan"), ==, 0);

  /* Two axes at once is what Kling refuses: caught before sending. */
  json_object_set_int_member (config, "pan", 2);
  g_assert_false (takes_backend_validate_request (TAKES_BACKEND (fixture->kling), request, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  /* So is a length Kling does not make */
  json_object_remove_member (takes_generation_request_get_extra (request), "camera_control");
  takes_generation_request_set_duration (request, 7);
  g_assert_false (takes_backend_validate_request (TAKES_BACKEND (fixture->kling), request, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  /* and a mode it does not know */
  takes_generation_request_set_duration (request, 5);
  takes_generation_request_set_extra_string (request, "mode", "professional");
  g_assert_false (takes_backend_validate_request (TAKES_BACKEND (fixture->kling), request, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
}

static void
test_fake_is_strict (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  /* A model Kling does not have: 404/1203, passed through as the
   * provider's refusal. */
  takes_generation_request_set_model (request, "kling-v99");
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "1203"));
  g_assert_cmpuint (takes_fake_kling_get_total_creates (fixture->fake), ==, 0);
}

static void
test_rate_limit_on_create (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Crowd at the station", 5);
  g_autoptr(TakesGenerationRequest) second = backend_test_new_request ("Empty platform", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *second_id = NULL;

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_RATE_LIMIT_CREATE, 2);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_cmpuint (takes_fake_kling_get_request_count (fixture->fake, "POST", "/v1/videos/text2video"), ==, 3);
  g_assert_cmpuint (takes_fake_kling_get_create_count (fixture->fake, takes_generation_request_get_client_request_id (request)), ==, 1);

  /* Concurrency (1303) waits the same way */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_CONCURRENCY_CREATE, 1);
  second_id = backend_test_submit (TAKES_BACKEND (fixture->kling), second, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second_id);
  g_assert_cmpuint (takes_fake_kling_get_total_creates (fixture->fake), ==, 2);
}

static void
test_server_error_on_poll (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Rain on the window", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_SERVER_ERROR_POLL, 2);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);

  /* Polls keep failing: a SERVER error the engine retries later */
  g_clear_pointer (&status, takes_backend_status_free);
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_SERVER_ERROR_POLL, 0);
  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error);
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

  takes_fake_kling_set_outcome (fixture->fake, FAKE_KLING_OUTCOME_FAIL);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);

  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_cmpint (status->error_code, ==, TAKES_BACKEND_ERROR_FAILED);
  g_assert_cmpstr (status->message, ==, FAKE_KLING_FAIL_REASON);
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

  /* Refused at once (1301): not retried, the reason shown */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_MODERATION_CREATE, 1);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "refused by moderation: The prompt contains sensitive content"));
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 1);
  g_assert_cmpuint (takes_fake_kling_get_request_count (fixture->fake, "POST", "/v1/videos/text2video"), ==, 1);
  g_clear_error (&error);

  /* Refused later by the task's risk control */
  takes_fake_kling_set_outcome (fixture->fake, FAKE_KLING_OUTCOME_MODERATE);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), second, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), second, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_FAILED);
  g_assert_cmpint (status->error_code, ==, TAKES_BACKEND_ERROR_REJECTED);
  g_assert_cmpstr (status->message, ==, "the prompt was refused by moderation: " FAKE_KLING_MODERATION_REASON);
}

static void
test_balance (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("A long tracking shot", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_BALANCE, 0);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA);
  g_assert_true (g_str_has_prefix (error->message, "Kling: account balance used up"));
  g_assert_false (takes_backend_error_is_outcome_unknown (error));
  /* A 429 that no wait will cure: asked once, not again */
  g_assert_cmpuint (takes_fake_kling_get_request_count (fixture->fake, "POST", "/v1/videos/text2video"), ==, 1);
}

static void
test_rejected_credentials (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Night bus", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  takes_backend_set_credential (TAKES_BACKEND (fixture->kling), "KLING_SECRET_KEY", "sk-a-wrong-secret-key");
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 3);
  g_assert_nonnull (strstr (error->message, "1002"));
  g_assert_null (strstr (error->message, "sk-a-wrong-secret-key"));
  g_clear_error (&error);

  /* No keys at all: said before anything is sent */
  takes_backend_set_credential (TAKES_BACKEND (fixture->kling), "KLING_SECRET_KEY", NULL);
  g_unsetenv ("KLING_SECRET_KEY");
  g_assert_false (takes_backend_is_configured (TAKES_BACKEND (fixture->kling)));
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 3);
  g_assert_cmpuint (takes_fake_kling_get_total_creates (fixture->fake), ==, 0);
}

static void
test_expired_token_refreshed (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Sunrise over the dunes", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  gint64 first_exp;
  guint polls;

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  first_exp = takes_fake_kling_get_last_token_exp (fixture->fake);

  /* 35 minutes later on both clocks: the cached token has expired and
   * must not be sent; a new one is made. */
  takes_kling_set_clock_offset (fixture->kling, 2100);
  takes_fake_kling_set_clock_offset (fixture->fake, 2100);
  polls = takes_fake_kling_get_request_count (fixture->fake, "GET", "/v1/videos/text2video/");
  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  /* made before sending, not after a refusal */
  g_assert_cmpuint (takes_fake_kling_get_request_count (fixture->fake, "GET", "/v1/videos/text2video/"), ==, polls + 1);
  g_assert_cmpint (takes_fake_kling_get_last_token_exp (fixture->fake), >=, first_exp + 2100);
  g_clear_pointer (&status, takes_backend_status_free);

  /* The server calls a token expired anyway (its clock is ahead): the
   * request is made again once with a fresh token. */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_EXPIRED_TOKEN, 1);
  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_clear_pointer (&status, takes_backend_status_free);

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_EXPIRED_TOKEN, 1);
  g_clear_pointer (&task_id, g_free);
  {
    g_autoptr(TakesGenerationRequest) again = backend_test_new_request ("Dusk over the dunes", 5);

    task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), again, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (task_id);
    g_assert_cmpuint (takes_fake_kling_get_create_count (fixture->fake, takes_generation_request_get_client_request_id (again)), ==, 1);
  }

  /* Always expired: AUTH, after one fresh try */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_EXPIRED_TOKEN, 0);
  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "1004"));
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

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);

  /* Stalls once: noticed, resumed where it stopped */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_STALL_DOWNLOAD, 1);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->kling), request, task_id, status->result_url, destination, &error));
  g_assert_no_error (error);
  backend_test_assert_file_bytes (destination, fixture->clip);
  g_file_delete (destination, NULL, NULL);

  /* Stalls every time: a TIMEOUT error, not a hang */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_STALL_DOWNLOAD, 0);
  g_assert_false (backend_test_download (TAKES_BACKEND (fixture->kling), request, task_id, status->result_url, destination, &error));
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

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_TRUNCATE_DOWNLOAD, 1);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->kling), request, task_id, status->result_url, destination, &error));
  g_assert_no_error (error);
  backend_test_assert_file_bytes (destination, fixture->clip);
  g_assert_nonnull (strstr (takes_fake_kling_get_transcript (fixture->fake), "Range: bytes="));
}

static void
test_hostile_answers (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Fog rolls in", 5);
  g_autoptr(TakesGenerationRequest) second = backend_test_new_request ("Fog rolls out", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *second_id = NULL;

  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_MALFORMED_POLL, 1);
  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_clear_error (&error);

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_DEEP_POLL, 1);
  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_clear_error (&error);

  /* The create was taken but the answer is unreadable: the outcome is
   * unknown, so nothing may send it again on its own. */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_MALFORMED_CREATE, 1);
  second_id = backend_test_submit (TAKES_BACKEND (fixture->kling), second, NULL, &error);
  g_assert_null (second_id);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER);
  g_assert_true (takes_backend_error_is_outcome_unknown (error));
  g_assert_cmpuint (takes_fake_kling_get_create_count (fixture->fake, takes_generation_request_get_client_request_id (second)), ==, 1);
  g_clear_error (&error);

  /* And the backend is fine afterwards */
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
}

static void
test_unknown_task (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = backend_test_new_request ("Lost", 5);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = backend_test_poll (TAKES_BACKEND (fixture->kling), request, "123456789012345678", &error);
  g_assert_null (status);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND);
}

static void
test_connection_test (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (backend_test_test (TAKES_BACKEND (fixture->kling), &error));
  g_assert_no_error (error);

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_AUTH, 0);
  g_assert_false (backend_test_test (TAKES_BACKEND (fixture->kling), &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_cmpuint (takes_fake_kling_get_total_creates (fixture->fake), ==, 0);
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
  g_autofree char *token = takes_jwt_kling_token (FAKE_KLING_ACCESS_KEY, CANARY_SECRET,
                                                  g_get_real_time () / G_USEC_PER_SEC);
  g_auto(GStrv) token_parts = g_strsplit (token, ".", 3);

  g_string_truncate (captured_logs, 0);

  /* Every path that writes logs or messages: retries, failures, success */
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_RATE_LIMIT_CREATE, 1);
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_EXPIRED_TOKEN, 1);
  task_id = backend_test_submit (TAKES_BACKEND (fixture->kling), request, NULL, &error);
  g_assert_no_error (error);
  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_SERVER_ERROR_POLL, 1);
  status = backend_test_poll_to_end (TAKES_BACKEND (fixture->kling), request, task_id, 20);
  g_assert_true (backend_test_download (TAKES_BACKEND (fixture->kling), request, task_id, status->result_url, destination, &error));

  takes_fake_kling_set_fault (fixture->fake, FAKE_KLING_FAULT_AUTH, 0);
  g_assert_null (backend_test_submit (TAKES_BACKEND (fixture->kling), second, NULL, &error));
  g_string_append_printf (messages, "%s\n", error->message);
  g_clear_error (&error);
  g_assert_null (backend_test_poll (TAKES_BACKEND (fixture->kling), request, task_id, &error));
  g_string_append_printf (messages, "%s\n", error->message);
  g_clear_error (&error);

  takes_backend_set_credential (TAKES_BACKEND (fixture->kling), "KLING_SECRET_KEY", NULL);
  g_unsetenv ("KLING_SECRET_KEY");
  g_assert_null (backend_test_submit (TAKES_BACKEND (fixture->kling), second, NULL, &error));
  g_string_append_printf (messages, "%s\n", error->message);

  g_assert_cmpuint (captured_logs->len, >, 0);
  g_assert_null (strstr (captured_logs->str, CANARY_SECRET));
  g_assert_null (strstr (messages->str, CANARY_SECRET));
  /* Nor the signed tokens made from it */
  g_assert_null (strstr (captured_logs->str, token_parts[2]));
  g_assert_null (strstr (captured_logs->str, "Bearer ey"));
  g_assert_null (strstr (takes_fake_kling_get_transcript (fixture->fake), CANARY_SECRET));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_unsetenv ("KLING_ACCESS_KEY");
  g_unsetenv ("KLING_SECRET_KEY");
  g_unsetenv ("TAKES_KLING_BASE_URL");

  g_test_init (&argc, &argv, NULL);

  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add ("/Takes/Kling/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/Takes/Kling/jwt-known-vector", test_jwt_known_vector);
  g_test_add_func ("/Takes/Kling/jwt-base64url", test_jwt_base64url);
  g_test_add_func ("/Takes/Kling/jwt-cache-refreshes-before-expiry", test_jwt_cache_refresh);
  ADD ("describe", test_describe);
  ADD ("text-to-video", test_text_to_video);
  ADD ("cost-from-price-func", test_cost_from_price_func);
  ADD ("image-to-video-first-and-last-frame", test_image_to_video);
  ADD ("image-url-passed-on", test_image_url_passed_on);
  ADD ("options", test_options);
  ADD ("unknown-model-refused", test_fake_is_strict);
  ADD ("rate-limit-on-create", test_rate_limit_on_create);
  ADD ("server-error-on-poll", test_server_error_on_poll);
  ADD ("provider-failure-with-reason", test_provider_failure);
  ADD ("moderation", test_moderation);
  ADD ("balance-used-up", test_balance);
  ADD ("rejected-credentials", test_rejected_credentials);
  ADD ("expired-token-refreshed", test_expired_token_refreshed);
  ADD ("stalled-download", test_stalled_download);
  ADD ("truncated-download", test_truncated_download);
  ADD ("malformed-and-deep-answers", test_hostile_answers);
  ADD ("unknown-task", test_unknown_task);
  ADD ("connection-test", test_connection_test);
  ADD ("canary-secret-never-leaks", test_canary_secret);

#undef ADD

  return g_test_run ();
}
