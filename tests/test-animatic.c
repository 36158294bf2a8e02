/* test-animatic.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-animatic"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "takes-animatic.h"
#include "takes-backend-registry.h"

typedef struct
{
  char          *dir;
  char          *work_dir;
  TakesAnimatic *animatic;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("takes-animatic-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->work_dir = g_build_filename (fixture->dir, "work", NULL);
  fixture->animatic = takes_animatic_new ();
  takes_animatic_set_work_dir (fixture->animatic, fixture->work_dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->animatic);
  /* TAKES_TEST_KEEP=1 leaves the clips for a person to look at. */
  if (g_getenv ("TAKES_TEST_KEEP") == NULL)
    remove_tree (fixture->dir);
  else
    g_test_message ("kept %s", fixture->dir);
  g_free (fixture->work_dir);
  g_free (fixture->dir);
}

static TakesGenerationRequest *
make_request (const char *aspect,
              double      duration,
              gint64      seed)
{
  TakesGenerationRequest *request = takes_generation_request_new ("A lighthouse at dusk, waves against the rocks");

  takes_generation_request_set_aspect_ratio (request, aspect);
  /* The smallest sensible size keeps CI fast. */
  takes_generation_request_set_resolution (request, "180p");
  takes_generation_request_set_duration (request, duration);
  takes_generation_request_set_fps (request, 24);
  takes_generation_request_set_seed (request, seed);
  takes_generation_request_set_extra_string (request, "title", "The Lighthouse");
  takes_generation_request_set_extra_int (request, "shot_number", 3);

  return request;
}

typedef struct
{
  GMainLoop          *loop;
  GAsyncResult       *result;
} Wait;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);

  return wait->result;
}

static gboolean
on_timeout_quit (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

static void
sleep_in_loop (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, on_timeout_quit, loop);
  g_main_loop_run (loop);
}

static char *
submit (TakesAnimatic          *animatic,
        TakesGenerationRequest *request)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(TakesBackendStatus) immediate = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  char *task_id;

  takes_backend_submit_async (TAKES_BACKEND (animatic), request, NULL, on_done, &wait);
  task_id = takes_backend_submit_finish (TAKES_BACKEND (animatic), wait_for (&wait), &immediate, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_nonnull (immediate);
  g_assert_cmpint (immediate->state, ==, TAKES_BACKEND_STATE_QUEUED);
  g_clear_object (&wait.result);

  return task_id;
}

static TakesBackendStatus *
poll_once (TakesAnimatic          *animatic,
           TakesGenerationRequest *request,
           const char             *task_id)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  TakesBackendStatus *status;

  takes_backend_poll_async (TAKES_BACKEND (animatic), request, task_id, NULL, on_done, &wait);
  status = takes_backend_poll_finish (TAKES_BACKEND (animatic), wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_clear_object (&wait.result);

  return status;
}

static TakesBackendStatus *
poll_until_final (TakesAnimatic          *animatic,
                  TakesGenerationRequest *request,
                  const char             *task_id)
{
  double last_progress = -1;

  for (;;)
    {
      g_autoptr(TakesBackendStatus) status = poll_once (animatic, request, task_id);

      if (takes_backend_status_is_final (status))
        return g_steal_pointer (&status);

      g_assert_cmpfloat (status->progress, >=, last_progress);
      last_progress = status->progress;
      sleep_in_loop (50);
    }
}

static void
download (TakesAnimatic          *animatic,
          TakesGenerationRequest *request,
          const char             *task_id,
          const char             *result_url,
          const char             *path)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  gboolean ok;

  takes_backend_download_async (TAKES_BACKEND (animatic), request, task_id, result_url, destination,
                                NULL, NULL, NULL, NULL, on_done, &wait);
  ok = takes_backend_download_finish (TAKES_BACKEND (animatic), wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&wait.result);
}

static char *
generate (Fixture                *fixture,
          TakesGenerationRequest *request,
          const char             *name)
{
  g_autofree char *task_id = submit (fixture->animatic, request);
  g_autoptr(TakesBackendStatus) status = poll_until_final (fixture->animatic, request, task_id);
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  g_assert_nonnull (status->result_url);
  g_assert_cmpfloat (status->cost, ==, 0);
  download (fixture->animatic, request, task_id, status->result_url, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  return path;
}

typedef struct
{
  GstClockTime duration;
  int          width;
  int          height;
  int          fps_n;
  int          fps_d;
  char        *video_caps;
  char        *audio_caps;
  guint        audio_rate;
} Facts;

static void
facts_clear (Facts *facts)
{
  g_free (facts->video_caps);
  g_free (facts->audio_caps);
}

static void
probe (const char *path,
       Facts      *facts)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  GList *streams;

  memset (facts, 0, sizeof *facts);

  discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);

  facts->duration = gst_discoverer_info_get_duration (info);

  streams = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (streams), ==, 1);
  {
    GstDiscovererVideoInfo *video = streams->data;
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (video));

    facts->width = gst_discoverer_video_info_get_width (video);
    facts->height = gst_discoverer_video_info_get_height (video);
    facts->fps_n = gst_discoverer_video_info_get_framerate_num (video);
    facts->fps_d = gst_discoverer_video_info_get_framerate_denom (video);
    facts->video_caps = g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
  }
  gst_discoverer_stream_info_list_free (streams);

  streams = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (streams), ==, 1);
  {
    GstDiscovererAudioInfo *audio = streams->data;
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (audio));
    GstStructure *structure = gst_caps_get_structure (caps, 0);
    int mpegversion = 0;

    gst_structure_get_int (structure, "mpegversion", &mpegversion);
    facts->audio_caps = g_strdup_printf ("%s/%d", gst_structure_get_name (structure), mpegversion);
    facts->audio_rate = gst_discoverer_audio_info_get_sample_rate (audio);
  }
  gst_discoverer_stream_info_list_free (streams);
}

static void
test_clip_facts (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("16:9", 2.0, 42);
  g_autofree char *path = generate (fixture, request, "clip.mp4");
  GstClockTime frame = GST_SECOND / 24;
  Facts facts;

  probe (path, &facts);

  g_assert_cmpuint (facts.duration, >=, 2 * GST_SECOND - frame);
  g_assert_cmpuint (facts.duration, <=, 2 * GST_SECOND + frame);
  g_assert_cmpint (facts.width, ==, 320);
  g_assert_cmpint (facts.height, ==, 180);
  g_assert_cmpint (facts.fps_n, ==, 24);
  g_assert_cmpint (facts.fps_d, ==, 1);
  g_assert_cmpstr (facts.video_caps, ==, "video/x-h264");
  g_assert_cmpstr (facts.audio_caps, ==, "audio/mpeg/4");
  g_assert_cmpuint (facts.audio_rate, ==, 48000);
  facts_clear (&facts);

  /* Delivered clips leave nothing behind in the work folder. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->work_dir, 0, NULL);

    sleep_in_loop (50);
    g_assert_nonnull (dir);
    g_assert_null (g_dir_read_name (dir));
  }
}

static void
test_aspect_sizes (Fixture       *fixture,
                   gconstpointer  data)
{
  const struct { const char *aspect; int width; int height; } cases[] = {
    { "9:16", 180, 320 },
    { "1:1", 180, 180 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TakesGenerationRequest) request = make_request (cases[i].aspect, 0.5, 7);
      g_autofree char *name = g_strdup_printf ("aspect-%u.mp4", i);
      g_autofree char *path = generate (fixture, request, name);
      Facts facts;

      probe (path, &facts);
      g_assert_cmpint (facts.width, ==, cases[i].width);
      g_assert_cmpint (facts.height, ==, cases[i].height);
      g_assert_cmpuint (facts.duration, <=, GST_SECOND / 2 + GST_SECOND / 24);
      g_assert_cmpuint (facts.duration, >=, GST_SECOND / 2 - GST_SECOND / 24);
      facts_clear (&facts);
    }
}

static void
test_frame_size_resolution (void)
{
  int width = 0, height = 0;

  g_assert_true (takes_resolve_frame_size ("16:9", "720p", &width, &height));
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpint (height, ==, 720);
  g_assert_true (takes_resolve_frame_size ("9:16", "720p", &width, &height));
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 1280);
  g_assert_true (takes_resolve_frame_size ("1:1", "720p", &width, &height));
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 720);
  g_assert_true (takes_resolve_frame_size ("16:9", "1080p", &width, &height));
  g_assert_cmpint (width, ==, 1920);
  g_assert_cmpint (height, ==, 1080);
  g_assert_true (takes_resolve_frame_size ("4:3", "640x480", &width, &height));
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 480);
  g_assert_false (takes_resolve_frame_size ("16-9", "720p", NULL, NULL));
  g_assert_false (takes_resolve_frame_size ("16:9", "huge", NULL, NULL));
}

static gboolean
files_equal (const char *a,
             const char *b)
{
  g_autofree char *data_a = NULL;
  g_autofree char *data_b = NULL;
  gsize length_a = 0, length_b = 0;

  g_assert_true (g_file_get_contents (a, &data_a, &length_a, NULL));
  g_assert_true (g_file_get_contents (b, &data_b, &length_b, NULL));

  return length_a == length_b && memcmp (data_a, data_b, length_a) == 0;
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("16:9", 1.0, 1234);
  g_autoptr(TakesGenerationRequest) other = make_request ("16:9", 1.0, 1235);
  g_autofree char *first = generate (fixture, request, "first.mp4");
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  /* mp4mux stamps the wall clock in seconds: make sure one passes. */
  sleep_in_loop (1100);
  second = generate (fixture, request, "second.mp4");
  third = generate (fixture, other, "third.mp4");

  g_assert_true (files_equal (first, second));
  g_assert_false (files_equal (first, third));
}

static void
test_cancel_leaves_no_file (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("16:9", 20.0, 5);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *task_id = submit (fixture->animatic, request);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  Wait wait = { loop, NULL };

  sleep_in_loop (100);
  takes_backend_cancel_async (TAKES_BACKEND (fixture->animatic), request, task_id, NULL, on_done, &wait);
  g_assert_true (takes_backend_cancel_finish (TAKES_BACKEND (fixture->animatic), wait_for (&wait), &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  status = poll_once (fixture->animatic, request, task_id);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_CANCELED);

  dir = g_dir_open (fixture->work_dir, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_resume_unknown_task (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("1:1", 0.5, 9);
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "resumed.mp4", NULL);
  const char *task_id = "animatic-0b5c3c7e-0000-4000-8000-000000000001";

  /* As after a restart: the task id is known to the project, not to us. */
  status = poll_until_final (fixture->animatic, request, task_id);
  g_assert_cmpint (status->state, ==, TAKES_BACKEND_STATE_SUCCEEDED);
  download (fixture->animatic, request, task_id, status->result_url, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_refuses_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("16:9", -1.0, 1);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  Wait wait = { loop, NULL };

  takes_backend_submit_async (TAKES_BACKEND (fixture->animatic), request, NULL, on_done, &wait);
  task_id = takes_backend_submit_finish (TAKES_BACKEND (fixture->animatic), wait_for (&wait), NULL, &error);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_null (task_id);
  g_assert_cmpint (takes_backend_error_exit_code (error), ==, 2);
  g_clear_object (&wait.result);
}

static void
test_request_json_round_trip (void)
{
  g_autoptr(TakesGenerationRequest) request = make_request ("9:16", 4.0, G_GINT64_CONSTANT (9007199254740993));
  g_autoptr(TakesGenerationRequest) back = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) b = json_node_new (JSON_NODE_OBJECT);

  takes_generation_request_set_negative_prompt (request, "blur");
  takes_generation_request_set_model (request, "animatic");
  takes_generation_request_set_image (request, "/tmp/first.png");
  takes_generation_request_set_client_request_id (request, "take-1");

  object = takes_generation_request_to_json (request);
  back = takes_generation_request_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpint (takes_generation_request_get_seed (back), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (takes_generation_request_get_extra_string (back, "title"), ==, "The Lighthouse");
  g_assert_cmpint (takes_generation_request_get_extra_int (back, "shot_number", 0), ==, 3);
  g_assert_cmpint (takes_generation_request_get_width (back), ==, 180);
  g_assert_cmpint (takes_generation_request_get_height (back), ==, 320);

  again = takes_generation_request_to_json (back);
  json_node_set_object (a, object);
  json_node_set_object (b, again);
  g_assert_true (json_node_equal (a, b));

  /* The recorded request does not follow later edits. */
  takes_generation_request_set_extra_string (request, "title", "Changed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "extra"), "title"),
                   ==, "The Lighthouse");

  json_object_set_string_member (object, "seed", "twelve");
  g_clear_object (&back);
  back = takes_generation_request_from_json (object, &error);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_null (back);
}

static void
test_registry (void)
{
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new ();
  g_auto(GStrv) ids = takes_backend_registry_dup_ids (registry);
  TakesBackend *animatic = takes_backend_registry_lookup (registry, "animatic");
  g_autoptr(JsonObject) description = NULL;

  g_assert_nonnull (animatic);
  g_assert_true (TAKES_IS_ANIMATIC (animatic));
  g_assert_null (takes_backend_registry_lookup (registry, "nope"));
  g_assert_cmpstr (ids[0], ==, "animatic");
  g_assert_true (takes_backend_is_configured (animatic));
  g_assert_true (takes_backend_get_has_audio (animatic));

  description = takes_backend_describe (animatic);
  g_assert_cmpstr (json_object_get_string_member (description, "id"), ==, "animatic");
  g_assert_true (json_object_get_boolean_member (description, "configured"));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Takes/Animatic/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("clip-facts", test_clip_facts);
  ADD ("aspect-sizes", test_aspect_sizes);
  ADD ("same-seed-same-bytes", test_deterministic);
  ADD ("cancel-leaves-no-file", test_cancel_leaves_no_file);
  ADD ("resume-unknown-task", test_resume_unknown_task);
  ADD ("refuses-invalid-request", test_refuses_invalid);
  g_test_add_func ("/Takes/Animatic/frame-size-resolution", test_frame_size_resolution);
  g_test_add_func ("/Takes/Backend/request-json-round-trip", test_request_json_round_trip);
  g_test_add_func ("/Takes/Backend/registry", test_registry);

#undef ADD

  return g_test_run ();
}
