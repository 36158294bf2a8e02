/* test-engine.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "fake-backend.h"
#include "fake-kit.h"
#include "takes-animatic.h"
#include "takes-job-engine.h"
#include "takes-media-probe.h"
#include "takes-thumbnailer.h"

#define CLIP_WIDTH   320
#define CLIP_HEIGHT  240
#define CLIP_FPS     24
#define CLIP_SECONDS 2
/* Guards against hangs only; nothing here is timed. */
#define WAIT_SECONDS 90

/* ---- Helpers ----------------------------------------------------------------- */

static char *clip_dir;
static GBytes *clip_bytes;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static const char *
find_aac_encoder (void)
{
  static const char * const candidates[] = { "avenc_aac", "voaacenc", "fdkaacenc", NULL };

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (candidates[i]);

      if (factory != NULL)
        return candidates[i];
    }

  return NULL;
}

/* A real H.264 + AAC MP4 (moov first, like the providers send), made
 * once per run: what the fake provider serves as a finished clip. */
static GBytes *
get_test_clip (char **path_out)
{
  g_autofree char *path = NULL;

  if (clip_dir == NULL)
    clip_dir = g_dir_make_tmp ("takes-engine-clip-XXXXXX", NULL);
  path = g_build_filename (clip_dir, "clip.mp4", NULL);

  if (clip_bytes == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GstElement) pipeline = NULL;
      g_autoptr(GstBus) bus = NULL;
      g_autoptr(GstMessage) message = NULL;
      g_autofree char *description = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;
      const char *aac = find_aac_encoder ();

      g_assert_nonnull (aac);
      description = g_strdup_printf (
        "videotestsrc pattern=ball num-buffers=%d"
        " ! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1"
        " ! x264enc speed-preset=ultrafast threads=1 ! h264parse ! queue ! mux."
        " audiotestsrc wave=sine samplesperbuffer=1600 num-buffers=%d"
        " ! audio/x-raw,rate=48000,channels=2 ! audioconvert ! %s ! aacparse ! queue ! mux."
        " mp4mux name=mux faststart=true ! filesink location=\"%s\"",
        CLIP_FPS * CLIP_SECONDS, CLIP_WIDTH, CLIP_HEIGHT, CLIP_FPS,
        30 * CLIP_SECONDS, aac, path);

      pipeline = gst_parse_launch (description, &error);
      g_assert_no_error (error);
      bus = gst_element_get_bus (pipeline);
      gst_element_set_state (pipeline, GST_STATE_PLAYING);
      message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      g_assert_nonnull (message);
      g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
      gst_element_set_state (pipeline, GST_STATE_NULL);

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      clip_bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    }

  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);

  return clip_bytes;
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Predicate) (gpointer data);

static void
wait_until (Predicate  predicate,
            gpointer   data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (20, wake_up, NULL);

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (ticker);
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)ms * 1000;
  guint ticker = g_timeout_add (10, wake_up, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (ticker);
}

static gboolean
png_size (const char *path,
          guint      *width,
          guint      *height)
{
  g_autofree guint8 *data = NULL;
  gsize length = 0;
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (!g_file_get_contents (path, (char **)&data, &length, NULL) || length < 24 ||
      memcmp (data, signature, 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *width = ((guint)data[16] << 24) | ((guint)data[17] << 16) | ((guint)data[18] << 8) | data[19];
  *height = ((guint)data[20] << 24) | ((guint)data[21] << 16) | ((guint)data[22] << 8) | data[23];

  return TRUE;
}

/* ---- Fixture ----------------------------------------------------------------- */

typedef struct
{
  TakesFakeKit         *kit;
  TakesFakeBackend     *fake;
  TakesBackendRegistry *registry;
  TakesProject         *project;
  TakesShot            *shot;
  TakesJobEngine       *engine;
  GFile                *file;
  char                 *dir;

  /* What the project file said whenever a create was about to go out */
  guint                 creates_checked;
  guint                 creates_unsaved;
  /* Remote tasks at once, as the takes' states tell */
  guint                 max_concurrent;
  gulong                changed_id;
} Fixture;

static TakesJobEngine *
fixture_new_engine (Fixture *fixture)
{
  TakesJobEngine *engine = takes_job_engine_new (fixture->project, fixture->registry);

  takes_job_engine_set_poll_intervals (engine, 20, 100);

  return engine;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TakesHttp *http;

  fixture->kit = takes_fake_kit_new ();
  takes_fake_kit_set_file_content (fixture->kit, get_test_clip (NULL));

  fixture->fake = takes_fake_backend_new (takes_fake_kit_get_base_url (fixture->kit));
  http = takes_backend_get_http (TAKES_BACKEND (fixture->fake));
  takes_http_set_retry_policy (http, 4, 10, 50);
  takes_http_set_deadlines (http, 10, 20, 2);

  fixture->registry = takes_backend_registry_new_empty ();
  takes_backend_registry_add (fixture->registry, TAKES_BACKEND (fixture->fake));

  fixture->dir = g_dir_make_tmp ("takes-engine-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Film.takes", NULL);
  fixture->file = g_file_new_for_path (path);

  fixture->project = takes_project_new ();
  takes_project_set_title (fixture->project, "Harbour");
  fixture->shot = takes_shot_new ();
  takes_shot_set_title (fixture->shot, "Harbour at dawn");
  takes_shot_set_prompt (fixture->shot, "Fishing boats leave the harbour at dawn");
  takes_shot_set_duration (fixture->shot, CLIP_SECONDS);
  takes_project_append_shot (fixture->project, fixture->shot);
  takes_project_save (fixture->project, fixture->file, &error);
  g_assert_no_error (error);

  fixture->engine = fixture_new_engine (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->changed_id != 0)
    g_signal_handler_disconnect (fixture->project, fixture->changed_id);
  if (fixture->engine != NULL)
    takes_job_engine_shutdown (fixture->engine);
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->shot);
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->registry);
  g_clear_object (&fixture->fake);
  g_clear_object (&fixture->kit);
  g_clear_object (&fixture->file);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
engine_is_idle (gpointer data)
{
  Fixture *fixture = data;

  return takes_job_engine_get_n_active (fixture->engine) == 0;
}

static void
wait_idle (Fixture *fixture)
{
  wait_until (engine_is_idle, fixture, "the engine to finish");
}

static TakesTake *
generate_one (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) takes = NULL;

  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (takes);
  g_assert_cmpuint (takes->len, ==, 1);

  return g_object_ref (g_ptr_array_index (takes, 0));
}

static TakesProject *
load_from_disk (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  TakesProject *project = takes_project_load (fixture->file, NULL, &error);

  g_assert_no_error (error);

  return project;
}

static TakesTake *
find_take_on_disk (TakesProject *project,
                   const char   *take_id)
{
  for (guint i = 0; i < takes_project_get_n_shots (project); i++)
    {
      TakesTake *take = takes_shot_find_take (takes_project_get_shot (project, i), take_id);

      if (take != NULL)
        return take;
    }

  return NULL;
}

/* ---- Engine tests -------------------------------------------------------------- */

static void
test_success_to_ready (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TakesTake) take = generate_one (fixture);
  g_autoptr(TakesProject) reloaded = NULL;
  g_autoptr(GFile) media = NULL;
  g_autoptr(GFile) thumbnail = NULL;
  g_autofree char *thumbnail_path = NULL;
  g_autofree char *media_data = NULL;
  gsize media_length = 0;
  guint width = 0, height = 0;
  TakesTake *saved;

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_SUBMITTING);
  g_assert_nonnull (takes_take_get_client_request_id (take));
  g_assert_nonnull (takes_take_get_request (take));
  g_assert_cmpfloat_with_epsilon (takes_take_get_cost_estimate (take), 0.2, 0.0001);

  wait_idle (fixture);

  g_assert_cmpstr (takes_take_get_error (take), ==, NULL);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_nonnull (takes_take_get_remote_id (take));
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, takes_take_get_client_request_id (take)), ==, 1);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);

  /* Probed facts of the clip that was served */
  g_assert_cmpint (takes_take_get_width (take), ==, CLIP_WIDTH);
  g_assert_cmpint (takes_take_get_height (take), ==, CLIP_HEIGHT);
  g_assert_cmpfloat_with_epsilon (takes_take_get_fps (take), CLIP_FPS, 0.01);
  g_assert_cmpfloat_with_epsilon (takes_take_get_duration (take), CLIP_SECONDS, 0.1);
  g_assert_true (takes_take_get_has_audio (take));
  g_assert_nonnull (takes_take_get_video_codec (take));
  g_assert_true (strstr (takes_take_get_video_codec (take), "264") != NULL);

  /* The clip is in the media folder, byte for byte */
  g_assert_nonnull (takes_take_get_media (take));
  g_assert_true (g_str_has_prefix (takes_take_get_media (take), "Film.media/"));
  media = takes_project_resolve (fixture->project, takes_take_get_media (take));
  g_assert_true (g_file_load_contents (media, NULL, &media_data, &media_length, NULL, NULL));
  g_assert_cmpuint (media_length, ==, g_bytes_get_size (get_test_clip (NULL)));
  g_assert_true (memcmp (media_data, g_bytes_get_data (get_test_clip (NULL), NULL), media_length) == 0);

  /* A thumbnail no wider than the clip */
  g_assert_nonnull (takes_take_get_thumbnail (take));
  thumbnail = takes_project_resolve (fixture->project, takes_take_get_thumbnail (take));
  thumbnail_path = g_file_get_path (thumbnail);
  g_assert_true (png_size (thumbnail_path, &width, &height));
  g_assert_cmpuint (width, ==, CLIP_WIDTH);
  g_assert_cmpuint (height, ==, CLIP_HEIGHT);

  /* Cost, timings, the pick */
  g_assert_cmpfloat_with_epsilon (takes_take_get_cost_actual (take), 0.25, 0.0001);
  g_assert_cmpint (takes_take_get_created (take), >, 0);
  g_assert_cmpint (takes_take_get_submitted (take), >=, takes_take_get_created (take));
  g_assert_cmpint (takes_take_get_finished (take), >=, takes_take_get_submitted (take));
  g_assert_cmpfloat (takes_take_get_progress (take), ==, 1.0);
  g_assert_cmpstr (takes_shot_get_picked_take_id (fixture->shot), ==, takes_take_get_id (take));

  /* And all of it is on disk */
  spin (700);
  reloaded = load_from_disk (fixture);
  saved = find_take_on_disk (reloaded, takes_take_get_id (take));
  g_assert_nonnull (saved);
  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_READY);
  g_assert_cmpint (takes_take_get_width (saved), ==, CLIP_WIDTH);
  g_assert_cmpstr (takes_shot_get_picked_take_id (takes_project_get_shot (reloaded, 0)), ==,
                   takes_take_get_id (take));
}

static void
test_second_take_keeps_pick (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TakesTake) first = generate_one (fixture);
  g_autoptr(TakesTake) second = NULL;

  wait_idle (fixture);
  second = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (second), ==, TAKES_TAKE_READY);
  g_assert_cmpstr (takes_shot_get_picked_take_id (fixture->shot), ==, takes_take_get_id (first));
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *message,
                   gpointer     user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(TakesProject) on_disk = NULL;
  GListModel *takes;
  gboolean found = FALSE;

  if (!g_str_equal (soup_message_get_method (message), "POST") ||
      !g_str_equal (g_uri_get_path (soup_message_get_uri (message)), "/tasks"))
    return;

  fixture->creates_checked++;

  /* Every take about to be created is on disk as "submitting", with its
   * client request id and the request it sends. */
  on_disk = takes_project_load (fixture->file, NULL, NULL);
  if (on_disk == NULL)
    {
      fixture->creates_unsaved++;
      return;
    }

  takes = takes_shot_get_takes (takes_project_get_shot (on_disk, 0));
  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      if (takes_take_get_state (take) == TAKES_TAKE_SUBMITTING)
        {
          found = TRUE;
          if (takes_take_get_client_request_id (take) == NULL || takes_take_get_request (take) == NULL)
            fixture->creates_unsaved++;
        }
    }

  if (!found)
    fixture->creates_unsaved++;
}

static void
test_saved_before_create (Fixture       *fixture,
                          gconstpointer  data)
{
  SoupSession *session = takes_http_get_session (takes_backend_get_http (TAKES_BACKEND (fixture->fake)));
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;
  gulong id;

  id = g_signal_connect (session, "request-queued", G_CALLBACK (on_request_queued), fixture);

  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 3, &error);
  g_assert_no_error (error);
  wait_idle (fixture);
  g_signal_handler_disconnect (session, id);

  g_assert_cmpuint (fixture->creates_checked, ==, 3);
  g_assert_cmpuint (fixture->creates_unsaved, ==, 0);
  for (guint i = 0; i < takes->len; i++)
    g_assert_cmpint (takes_take_get_state (g_ptr_array_index (takes, i)), ==, TAKES_TAKE_READY);
}

static void
on_save_failed (TakesJobEngine *engine,
                GError         *error,
                gpointer        user_data)
{
  GError **out = user_data;

  g_clear_error (out);
  *out = g_error_copy (error);
}

static void
test_save_failure_sends_nothing (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GFile) nowhere = g_file_new_build_filename (fixture->dir, "gone", "Film.takes", NULL);
  g_autoptr(GError) save_error = NULL;
  g_autoptr(TakesTake) take = NULL;

  /* The project's folder vanished (an unplugged disk): saving fails. */
  takes_project_set_file (fixture->project, nowhere);
  g_signal_connect (fixture->engine, "save-failed", G_CALLBACK (on_save_failed), &save_error);

  take = generate_one (fixture);
  wait_idle (fixture);
  spin (200);

  g_assert_nonnull (save_error);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  g_assert_true (strstr (takes_take_get_error (take), "could not be saved") != NULL);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "POST", "/tasks"), ==, 0);

  /* The disk is back */
  takes_project_set_file (fixture->project, fixture->file);
}

static void
test_no_file_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;

  takes_shot_set_prompt (shot, "A gull");
  takes_project_append_shot (project, shot);
  engine = takes_job_engine_new (project, fixture->registry);

  takes = takes_job_engine_generate (engine, shot, "fake", NULL, 1, &error);
  g_assert_null (takes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_assert_true (strstr (error->message, "Save the project") != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 0);
}

static void
test_unknown_backend_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;

  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "nonesuch", NULL, 1, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND);

  /* The fake refuses 30 s clips: the request is checked before anything
   * is added. */
  g_clear_error (&error);
  takes_shot_set_duration (fixture->shot, 30);
  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 1, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (fixture->shot)), ==, 0);
}

static void
test_rate_limited_create (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_RATE_LIMIT_CREATE, 2);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "POST", "/tasks"), ==, 3);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, takes_take_get_client_request_id (take)), ==, 1);
}

static void
test_rate_limited_create_gives_up (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_http_set_retry_policy (takes_backend_get_http (TAKES_BACKEND (fixture->fake)), 2, 10, 20);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_RATE_LIMIT_CREATE, 0);
  take = generate_one (fixture);
  wait_idle (fixture);

  /* The provider said no: nothing to pay for, nothing in doubt. */
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  g_assert_nonnull (takes_take_get_error (take));
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 0);
}

static void
test_server_errors_on_polls (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  /* One attempt per poll: the engine itself must ride out the errors. */
  takes_http_set_retry_policy (takes_backend_get_http (TAKES_BACKEND (fixture->fake)), 1, 10, 10);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_SERVER_ERROR_POLL, 4);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "GET", "/tasks/"), >=, 4 + 2);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);
}

static void
test_rate_limited_polls (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_http_set_retry_policy (takes_backend_get_http (TAKES_BACKEND (fixture->fake)), 1, 10, 10);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_RATE_LIMIT_POLL, 2);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);
}

static void
test_stalled_download (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_http_set_deadlines (takes_backend_get_http (TAKES_BACKEND (fixture->fake)), 10, 20, 1);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_STALL_DOWNLOAD, 1);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpint (takes_take_get_width (take), ==, CLIP_WIDTH);
  /* The second attempt went on from what the first had */
  g_assert_nonnull (takes_fake_kit_get_last_range (fixture->kit));
}

static void
test_truncated_download_resumed (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_TRUNCATE_DOWNLOAD, 1);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_nonnull (takes_fake_kit_get_last_range (fixture->kit));
  g_assert_true (g_str_has_prefix (takes_fake_kit_get_last_range (fixture->kit), "bytes="));
}

static void
test_truncated_download_fails (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  g_autofree char *media_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  takes_http_set_retry_policy (takes_backend_get_http (TAKES_BACKEND (fixture->fake)), 2, 10, 10);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_TRUNCATE_DOWNLOAD, 0);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  g_assert_true (strstr (takes_take_get_error (take), "downloaded") != NULL);
  g_assert_null (takes_take_get_media (take));
  g_assert_cmpint (takes_take_get_width (take), ==, 0);

  /* Nothing half-made is left behind */
  media_path = g_build_filename (fixture->dir, "Film.media", NULL);
  dir = g_dir_open (media_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, takes_take_get_id (take)));
}

static void
test_server_lies_about_clip (Fixture       *fixture,
                             gconstpointer  data)
{
  GBytes *clip = get_test_clip (NULL);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (clip, 0, g_bytes_get_size (clip) / 2);
  g_autoptr(TakesTake) take = NULL;

  /* A clip that was cut short before it was served: the transfer itself
   * is complete, GstDiscoverer is happy, only the box walk objects. */
  takes_fake_kit_set_file_content (fixture->kit, half);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  g_assert_true (strstr (takes_take_get_error (take), "damaged") != NULL);
  g_assert_true (strstr (takes_take_get_error (take), "cut short") != NULL);
  /* One fresh try, not an endless loop of downloads */
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "GET", "/files/"), ==, 2);
  g_assert_null (takes_take_get_media (take));
}

static void
test_provider_failure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_fake_kit_set_outcome (fixture->kit, TAKES_FAKE_OUTCOME_MODERATE);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  g_assert_cmpstr (takes_take_get_error (take), ==, "The prompt was flagged by the safety system.");
  g_assert_cmpint (takes_take_get_finished (take), >, 0);
  g_assert_null (takes_shot_get_picked_take_id (fixture->shot));
}

static void
on_take_finished (TakesJobEngine *engine,
                  TakesShot      *shot,
                  TakesTake      *take,
                  gpointer        user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_rejected_credentials (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  guint finished = 0;

  g_signal_connect (fixture->engine, "take-finished", G_CALLBACK (on_take_finished), &finished);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_AUTH, 0);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  g_assert_true (strstr (takes_take_get_error (take), "API key") != NULL);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 0);
}

static void
test_missing_credentials_refused (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("TAKES_FAKE_API_KEY");
  takes_fake_backend_set_requires_key (fixture->fake, TRUE);
  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 1, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_true (strstr (error->message, "TAKES_FAKE_API_KEY") != NULL);
}

typedef struct
{
  TakesTake      *take;
  TakesTakeState  state;
} StateWait;

static gboolean
take_in_state (gpointer data)
{
  StateWait *wait = data;

  return takes_take_get_state (wait->take) == wait->state;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  StateWait wait;
  guint polls;
  guint finished = 0;

  g_signal_connect (fixture->engine, "take-finished", G_CALLBACK (on_take_finished), &finished);
  takes_fake_kit_set_polls_until_done (fixture->kit, 1000);
  take = generate_one (fixture);

  wait = (StateWait) { take, TAKES_TAKE_RUNNING };
  wait_until (take_in_state, &wait, "the take to run");

  takes_job_engine_cancel (fixture->engine, take);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_CANCELED);
  g_assert_cmpuint (takes_job_engine_get_n_active (fixture->engine), ==, 0);
  g_assert_cmpuint (finished, ==, 1);

  spin (500);
  /* The provider was asked to stop, and nobody asks after it any more */
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "POST", "/tasks/"), ==, 1);
  polls = takes_fake_kit_get_poll_count (fixture->kit, takes_take_get_remote_id (take));
  spin (400);
  g_assert_cmpuint (takes_fake_kit_get_poll_count (fixture->kit, takes_take_get_remote_id (take)), ==, polls);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_CANCELED);
}

static void
test_cancel_while_submitting (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;

  takes_fake_kit_set_create_delay (fixture->kit, 300);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_SLOW_CREATE, 1);
  take = generate_one (fixture);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_SUBMITTING);

  takes_job_engine_cancel (fixture->engine, take);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_CANCELED);
  wait_idle (fixture);
  spin (300);

  /* The create went through; its task was stopped once the id came */
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);
  g_assert_nonnull (takes_take_get_remote_id (take));
  g_assert_cmpuint (takes_fake_kit_get_request_count (fixture->kit, "POST", "/tasks/"), ==, 1);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_CANCELED);
}

static guint
count_remote_active (TakesShot *shot)
{
  GListModel *takes = takes_shot_get_takes (shot);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);
      TakesTakeState state = takes_take_get_state (take);

      if (state == TAKES_TAKE_SUBMITTING || state == TAKES_TAKE_RUNNING ||
          (state == TAKES_TAKE_QUEUED && takes_take_get_remote_id (take) != NULL))
        n++;
    }

  return n;
}

static void
on_project_changed (TakesProject *project,
                    gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->max_concurrent = MAX (fixture->max_concurrent, count_remote_active (fixture->shot));
}

static void
test_concurrency_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;
  guint locally_queued = 0;

  takes_fake_backend_set_concurrency_limit (fixture->fake, 2);
  takes_fake_kit_set_polls_until_done (fixture->kit, 4);
  fixture->changed_id = g_signal_connect (fixture->project, "changed", G_CALLBACK (on_project_changed), fixture);

  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (takes->len, ==, 5);

  /* Two went out; three wait here, unsent (no remote id) */
  for (guint i = 0; i < takes->len; i++)
    {
      TakesTake *take = g_ptr_array_index (takes, i);

      if (takes_take_get_state (take) == TAKES_TAKE_QUEUED && takes_take_get_remote_id (take) == NULL)
        locally_queued++;
    }
  g_assert_cmpuint (locally_queued, ==, 3);
  g_assert_cmpuint (takes_job_engine_get_n_active (fixture->engine), ==, 5);

  /* One of those waiting is canceled: it is never sent */
  takes_job_engine_cancel (fixture->engine, g_ptr_array_index (takes, 4));
  g_assert_cmpint (takes_take_get_state (g_ptr_array_index (takes, 4)), ==, TAKES_TAKE_CANCELED);

  wait_idle (fixture);

  g_assert_cmpuint (fixture->max_concurrent, ==, 2);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 4);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit,
                      takes_take_get_client_request_id (g_ptr_array_index (takes, 4))), ==, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (takes_take_get_state (g_ptr_array_index (takes, i)), ==, TAKES_TAKE_READY);
}

static gboolean
partial_download_started (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GFile) partial = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GListModel *takes = takes_shot_get_takes (fixture->shot);
  g_autoptr(TakesTake) take = g_list_model_get_item (takes, 0);
  g_autofree char *name = g_strconcat (takes_take_get_id (take), ".mp4.part", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "Film.media", name, NULL);

  partial = g_file_new_for_path (path);
  info = g_file_query_info (partial, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);

  return takes_take_get_state (take) == TAKES_TAKE_DOWNLOADING && info != NULL &&
         g_file_info_get_size (info) > 0;
}

static void
test_resume_download_after_restart (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  g_autoptr(TakesProject) reloaded = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  TakesTake *saved;

  /* Quit while the clip is half downloaded */
  takes_http_set_deadlines (takes_backend_get_http (TAKES_BACKEND (fixture->fake)), 10, 60, 30);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_STALL_DOWNLOAD, 1);
  take = generate_one (fixture);
  wait_until (partial_download_started, fixture, "half a download");
  spin (600);
  takes_job_engine_shutdown (fixture->engine);

  reloaded = load_from_disk (fixture);
  saved = find_take_on_disk (reloaded, takes_take_get_id (take));
  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_DOWNLOADING);

  engine = takes_job_engine_new (reloaded, fixture->registry);
  takes_job_engine_set_poll_intervals (engine, 20, 100);
  takes_job_engine_resume (engine);
  while (takes_job_engine_get_n_active (engine) > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_READY);
  g_assert_cmpint (takes_take_get_width (saved), ==, CLIP_WIDTH);
  /* Picked up where it stopped, and never created again */
  g_assert_nonnull (takes_fake_kit_get_last_range (fixture->kit));
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);
  takes_job_engine_shutdown (engine);
}

static void
test_unknown_after_create_timeout (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  g_autoptr(TakesProject) reloaded = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  TakesTake *saved;
  TakesHttp *http = takes_backend_get_http (TAKES_BACKEND (fixture->fake));

  /* The provider takes the create but answers after our deadline */
  takes_http_set_deadlines (http, 1, 20, 2);
  takes_fake_kit_set_create_delay (fixture->kit, 2500);
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_SLOW_CREATE, 1);
  take = generate_one (fixture);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_UNKNOWN);
  g_assert_null (takes_take_get_remote_id (take));
  g_assert_nonnull (takes_take_get_error (take));
  first_id = g_strdup (takes_take_get_client_request_id (take));
  spin (2500);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, first_id), ==, 1);

  /* Never resubmitted on its own: not by waiting, not by a restart */
  spin (600);
  takes_job_engine_shutdown (fixture->engine);
  reloaded = load_from_disk (fixture);
  saved = find_take_on_disk (reloaded, takes_take_get_id (take));
  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_UNKNOWN);
  engine = takes_job_engine_new (reloaded, fixture->registry);
  takes_job_engine_set_poll_intervals (engine, 20, 100);
  takes_job_engine_resume (engine);
  g_assert_cmpuint (takes_job_engine_get_n_active (engine), ==, 0);
  spin (300);
  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_UNKNOWN);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);

  /* Check again: without a task id there is nobody to ask */
  takes_job_engine_check_again (engine, saved);
  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_UNKNOWN);
  g_assert_true (strstr (takes_take_get_error (saved), "no task id") != NULL);
  g_assert_cmpuint (takes_job_engine_get_n_active (engine), ==, 0);

  /* Submit anyway: a new paid create, under a new request id */
  takes_http_set_deadlines (http, 10, 20, 2);
  g_assert_true (takes_job_engine_submit_anyway (engine, saved, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (takes_take_get_client_request_id (saved), !=, first_id);
  while (takes_job_engine_get_n_active (engine) > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (takes_take_get_state (saved), ==, TAKES_TAKE_READY);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, first_id), ==, 1);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, takes_take_get_client_request_id (saved)), ==, 1);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 2);
  takes_job_engine_shutdown (engine);
}

static void
test_check_again_with_task_id (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  g_autoptr(GError) error = NULL;
  StateWait wait;

  /* Polls are refused (say a key was revoked) after the create went in */
  takes_fake_kit_set_polls_until_done (fixture->kit, 3);
  take = generate_one (fixture);
  wait = (StateWait) { take, TAKES_TAKE_QUEUED };
  wait_until (take_in_state, &wait, "the create to be answered");
  takes_fake_kit_set_fault (fixture->kit, TAKES_FAKE_FAULT_AUTH, 0);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_UNKNOWN);
  g_assert_nonnull (takes_take_get_remote_id (take));
  g_assert_true (strstr (takes_take_get_error (take), "Check again") != NULL);

  /* Still refused: it stays in doubt */
  takes_job_engine_check_again (fixture->engine, take);
  g_assert_cmpuint (takes_job_engine_get_n_active (fixture->engine), ==, 1);
  wait_idle (fixture);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_UNKNOWN);

  /* Fixed: the take is found and finished, without a second create */
  takes_fake_kit_clear_faults (fixture->kit);
  takes_job_engine_check_again (fixture->engine, take);
  wait_idle (fixture);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpstr (takes_take_get_error (take), ==, NULL);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 1);

  /* submit_anyway is only for takes in doubt */
  g_assert_false (takes_job_engine_submit_anyway (fixture->engine, take, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST);
}

static gboolean
all_takes_submitted (gpointer data)
{
  GPtrArray *takes = data;

  for (guint i = 0; i < takes->len; i++)
    {
      TakesTake *take = g_ptr_array_index (takes, i);

      if (takes_take_get_remote_id (take) == NULL || takes_take_get_state (take) < TAKES_TAKE_QUEUED)
        return FALSE;
    }

  return TRUE;
}

static void
test_resume_after_restart (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesProject) reloaded = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;

  takes_fake_kit_set_polls_until_done (fixture->kit, 6);
  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 2, &error);
  g_assert_no_error (error);
  wait_until (all_takes_submitted, takes, "both creates to be answered");

  /* Quit: nothing changes state, the file says where each take stands */
  takes_job_engine_shutdown (fixture->engine);
  g_assert_cmpuint (takes_job_engine_get_n_active (fixture->engine), ==, 0);
  for (guint i = 0; i < takes->len; i++)
    g_assert_true (takes_take_state_is_in_flight (takes_take_get_state (g_ptr_array_index (takes, i))));

  reloaded = load_from_disk (fixture);
  engine = takes_job_engine_new (reloaded, fixture->registry);
  takes_job_engine_set_poll_intervals (engine, 20, 100);
  takes_job_engine_resume (engine);
  g_assert_cmpuint (takes_job_engine_get_n_active (engine), ==, 2);
  while (takes_job_engine_get_n_active (engine) > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < takes->len; i++)
    {
      TakesTake *before = g_ptr_array_index (takes, i);
      TakesTake *after = find_take_on_disk (reloaded, takes_take_get_id (before));

      g_assert_cmpint (takes_take_get_state (after), ==, TAKES_TAKE_READY);
      g_assert_cmpstr (takes_take_get_remote_id (after), ==, takes_take_get_remote_id (before));
      g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, takes_take_get_client_request_id (after)), ==, 1);
    }
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 2);
  takes_job_engine_shutdown (engine);
}

static void
test_resume_submitting_becomes_unknown (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(TakesTake) in_doubt = takes_take_new ("fake", "fake-1");
  g_autoptr(TakesTake) waiting = takes_take_new ("fake", "fake-1");
  g_autoptr(TakesGenerationRequest) request = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;

  request = takes_job_engine_build_request (fixture->engine, fixture->shot, "fake", NULL);
  takes_generation_request_set_client_request_id (request, "crash-1");
  json = takes_generation_request_to_json (request);

  /* As a crash leaves them: one create perhaps sent, one never sent */
  takes_take_set_request (in_doubt, json);
  takes_take_set_client_request_id (in_doubt, "crash-1");
  takes_take_set_state (in_doubt, TAKES_TAKE_SUBMITTING);
  takes_shot_add_take (fixture->shot, in_doubt);

  takes_generation_request_set_client_request_id (request, "crash-2");
  g_clear_pointer (&json, json_object_unref);
  json = takes_generation_request_to_json (request);
  takes_take_set_request (waiting, json);
  takes_take_set_client_request_id (waiting, "crash-2");
  takes_take_set_state (waiting, TAKES_TAKE_QUEUED);
  takes_shot_add_take (fixture->shot, waiting);

  takes_project_save (fixture->project, fixture->file, &error);
  g_assert_no_error (error);

  takes_job_engine_resume (fixture->engine);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (in_doubt), ==, TAKES_TAKE_UNKNOWN);
  g_assert_nonnull (takes_take_get_error (in_doubt));
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, "crash-1"), ==, 0);
  g_assert_cmpint (takes_take_get_state (waiting), ==, TAKES_TAKE_READY);
  g_assert_cmpuint (takes_fake_kit_get_create_count (fixture->kit, "crash-2"), ==, 1);
}

static void
test_retry_failed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TakesTake) take = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  gint64 seed;

  takes_fake_kit_set_outcome (fixture->kit, TAKES_FAKE_OUTCOME_FAIL);
  take = generate_one (fixture);
  wait_idle (fixture);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  first_id = g_strdup (takes_take_get_client_request_id (take));
  seed = json_object_get_int_member (takes_take_get_request (take), "seed");

  takes_fake_kit_set_outcome (fixture->kit, TAKES_FAKE_OUTCOME_SUCCEED);
  g_assert_true (takes_job_engine_retry (fixture->engine, take, &error));
  g_assert_no_error (error);
  wait_idle (fixture);

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpstr (takes_take_get_client_request_id (take), !=, first_id);
  /* The same request, so the same seed */
  g_assert_cmpint (json_object_get_int_member (takes_take_get_request (take), "seed"), ==, seed);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 2);
}

static void
test_budget_cap (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;

  /* 2 s at 0.10 USD a second: 0.20 a take */
  takes_project_set_budget (fixture->project, 0.50);
  g_assert_cmpfloat_with_epsilon (takes_job_engine_estimate (fixture->engine, fixture->shot, "fake", NULL, 3),
                                  0.60, 0.0001);

  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 3, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA);
  g_assert_true (strstr (error->message, "$0.60") != NULL);
  g_assert_true (strstr (error->message, "$0.50") != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (fixture->shot)), ==, 0);
  g_clear_error (&error);

  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 2, &error);
  g_assert_no_error (error);
  wait_idle (fixture);
  g_clear_pointer (&takes, g_ptr_array_unref);

  /* Now 2 × 0.25 actually spent: even one more is over */
  takes = takes_job_engine_generate (fixture->engine, fixture->shot, "fake", NULL, 1, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA);
  g_assert_true (strstr (error->message, "$0.70") != NULL);
  g_assert_cmpuint (takes_fake_kit_get_total_creates (fixture->kit), ==, 2);
}

static void
test_build_request (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesAnimatic) animatic = takes_animatic_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(TakesGenerationRequest) request = NULL;
  g_autoptr(TakesShot) second = takes_shot_new ();
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) animatic_params = json_object_new ();
  g_autoptr(GFile) image = g_file_new_build_filename (fixture->dir, "Film.media", "frame.png", NULL);
  g_autofree char *image_path = g_file_get_path (image);

  takes_backend_registry_add (registry, TAKES_BACKEND (animatic));
  engine = takes_job_engine_new (fixture->project, registry);
  takes_project_set_fps (fixture->project, 25);

  takes_shot_set_title (second, "");
  takes_shot_set_prompt (second, "A gull over the pier");
  takes_shot_set_negative_prompt (second, "text, watermark");
  takes_shot_set_aspect (second, "9:16");
  takes_shot_set_duration (second, 4);
  takes_shot_set_reference_image (second, "Film.media/frame.png");
  json_object_set_string_member (animatic_params, "style", "pencil");
  json_object_set_object_member (params, "animatic", g_steal_pointer (&animatic_params));
  takes_shot_set_backend_params (second, params);
  takes_project_append_shot (fixture->project, second);

  request = takes_job_engine_build_request (engine, second, "animatic", NULL);
  g_assert_nonnull (request);
  g_assert_cmpstr (takes_generation_request_get_prompt (request), ==, "A gull over the pier");
  g_assert_cmpstr (takes_generation_request_get_negative_prompt (request), ==, "text, watermark");
  g_assert_cmpstr (takes_generation_request_get_aspect_ratio (request), ==, "9:16");
  g_assert_cmpstr (takes_generation_request_get_resolution (request), ==, "720p");
  g_assert_cmpint (takes_generation_request_get_width (request), ==, 720);
  g_assert_cmpint (takes_generation_request_get_height (request), ==, 1280);
  g_assert_cmpint (takes_generation_request_get_fps (request), ==, 25);
  g_assert_cmpfloat (takes_generation_request_get_duration (request), ==, 4);
  g_assert_cmpstr (takes_generation_request_get_image (request), ==, image_path);
  /* No seed on the shot: one is chosen and kept */
  g_assert_cmpint (takes_generation_request_get_seed (request), >=, 0);
  g_assert_cmpint (takes_generation_request_get_extra_int (request, "shot_number", 0), ==, 2);
  g_assert_cmpstr (takes_generation_request_get_extra_string (request, "title"), ==, "A gull over the pier");
  g_assert_cmpstr (takes_generation_request_get_extra_string (request, "style"), ==, "pencil");
  g_clear_object (&request);

  takes_shot_set_seed (second, 1234);
  takes_job_engine_set_default_resolution (engine, "480p");
  request = takes_job_engine_build_request (engine, second, "animatic", NULL);
  g_assert_cmpint (takes_generation_request_get_seed (request), ==, 1234);
  g_assert_cmpstr (takes_generation_request_get_resolution (request), ==, "480p");
  g_clear_object (&request);

  /* The fake has no 480p: its own default is used. No animatic extras. */
  request = takes_job_engine_build_request (fixture->engine, fixture->shot, "fake", NULL);
  g_assert_cmpstr (takes_generation_request_get_resolution (request), ==, "720p");
  g_assert_cmpstr (takes_generation_request_get_model (request), ==, "fake-1");
  g_assert_null (takes_generation_request_get_extra_string (request, "title"));
  g_assert_null (takes_job_engine_build_request (engine, second, "nonesuch", NULL));
}

/* The shot editor keeps Kling's last frame in the options, relative to
 * the project; the request carries it absolute, not as an extra. */
static void
test_build_request_end_image (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesAnimatic) animatic = takes_animatic_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(TakesGenerationRequest) request = NULL;
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) animatic_params = json_object_new ();
  g_autoptr(GFile) end = g_file_new_build_filename (fixture->dir, "Film.media", "end-1-last.png", NULL);
  g_autofree char *end_path = g_file_get_path (end);

  takes_backend_registry_add (registry, TAKES_BACKEND (animatic));
  engine = takes_job_engine_new (fixture->project, registry);

  takes_shot_set_prompt (shot, "The gull lands");
  json_object_set_string_member (animatic_params, "end_image", "Film.media/end-1-last.png");
  json_object_set_string_member (animatic_params, "mode", "pro");
  json_object_set_object_member (params, "animatic", g_steal_pointer (&animatic_params));
  takes_shot_set_backend_params (shot, params);
  takes_project_append_shot (fixture->project, shot);

  request = takes_job_engine_build_request (engine, shot, "animatic", NULL);
  g_assert_nonnull (request);
  g_assert_cmpstr (takes_generation_request_get_end_image (request), ==, end_path);
  g_assert_null (takes_generation_request_get_extra_string (request, "end_image"));
  g_assert_cmpstr (takes_generation_request_get_extra_string (request, "mode"), ==, "pro");
  g_clear_object (&request);

  /* An absolute path stays as it is; none leaves the request without */
  json_object_set_string_member (json_object_get_object_member (params, "animatic"),
                                 "end_image", "/tmp/elsewhere/last.png");
  request = takes_job_engine_build_request (engine, shot, "animatic", NULL);
  g_assert_cmpstr (takes_generation_request_get_end_image (request), ==, "/tmp/elsewhere/last.png");
  g_clear_object (&request);

  json_object_remove_member (json_object_get_object_member (params, "animatic"), "end_image");
  request = takes_job_engine_build_request (engine, shot, "animatic", NULL);
  g_assert_null (takes_generation_request_get_end_image (request));
}

static void
test_animatic_to_ready (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesAnimatic) animatic = takes_animatic_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) media = NULL;
  g_autoptr(TakesMediaInfo) info = NULL;
  g_autoptr(GFile) thumbnail = NULL;
  g_autofree char *work_dir = g_build_filename (fixture->dir, "animatic-work", NULL);
  g_autofree char *thumbnail_path = NULL;
  guint width = 0, height = 0;
  TakesTake *take;

  takes_animatic_set_work_dir (animatic, work_dir);
  takes_backend_registry_add (registry, TAKES_BACKEND (animatic));
  engine = takes_job_engine_new (fixture->project, registry);
  takes_job_engine_set_poll_intervals (engine, 50, 200);
  takes_job_engine_set_default_resolution (engine, "360p");

  takes = takes_job_engine_generate (engine, fixture->shot, "animatic", NULL, 1, &error);
  g_assert_no_error (error);
  take = g_ptr_array_index (takes, 0);
  while (takes_job_engine_get_n_active (engine) > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (takes_take_get_error (take), ==, NULL);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpint (takes_take_get_width (take), ==, 640);
  g_assert_cmpint (takes_take_get_height (take), ==, 360);
  g_assert_cmpfloat_with_epsilon (takes_take_get_fps (take), 24, 0.01);
  g_assert_cmpfloat_with_epsilon (takes_take_get_duration (take), CLIP_SECONDS, 0.1);
  g_assert_true (takes_take_get_has_audio (take));
  g_assert_cmpstr (takes_shot_get_picked_take_id (fixture->shot), ==, takes_take_get_id (take));

  /* The probe on its own agrees, synchronously too */
  media = takes_project_resolve (fixture->project, takes_take_get_media (take));
  info = takes_media_probe (media, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->width, ==, 640);
  g_assert_cmpint (info->height, ==, 360);
  g_assert_true (info->has_audio);
  g_assert_nonnull (info->audio_codec);
  g_assert_true (takes_media_check_container (media, &error));
  g_assert_no_error (error);

  thumbnail = takes_project_resolve (fixture->project, takes_take_get_thumbnail (take));
  thumbnail_path = g_file_get_path (thumbnail);
  g_assert_true (png_size (thumbnail_path, &width, &height));
  g_assert_cmpuint (width, ==, 480);
  g_assert_cmpuint (height, ==, 270);
  takes_job_engine_shutdown (engine);
}

/* ---- kill -9 in the middle of generating ----------------------------------------- */

typedef struct
{
  gboolean done;
  int      status;
} ChildWait;

static void
on_child_exited (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ChildWait *wait = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  wait->status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
                 ? g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  wait->done = TRUE;
}

static gboolean
child_done (gpointer data)
{
  return ((ChildWait *)data)->done;
}

static int
run_runner (Fixture *fixture,
            int      kill_after_ms)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (fixture->file);
  ChildWait wait = { FALSE, 0 };

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            ENGINE_RUNNER, path, takes_fake_kit_get_base_url (fixture->kit), "2", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (child, NULL, on_child_exited, &wait);

  if (kill_after_ms > 0)
    {
      gint64 until = g_get_monotonic_time () + (gint64)kill_after_ms * 1000;
      guint ticker = g_timeout_add (5, wake_up, NULL);

      /* The fake provider lives here, so keep serving while we wait. */
      while (!wait.done && g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (ticker);

      if (!wait.done)
        g_subprocess_send_signal (child, SIGKILL);
    }

  wait_until (child_done, &wait, "the runner to end");

  return wait.status;
}

static void
test_kill_during_generation (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TakesProject) final = NULL;
  g_autoptr(GError) error = NULL;
  guint n_takes = 0, n_ready = 0, sum = 0, n_killed = 0;

  /* Three shots, two takes each, two at a time */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autofree char *prompt = g_strdup_printf ("Shot %u of the harbour", i + 2);

      takes_shot_set_prompt (shot, prompt);
      takes_shot_set_duration (shot, CLIP_SECONDS);
      takes_project_append_shot (fixture->project, shot);
    }
  takes_project_save (fixture->project, fixture->file, &error);
  g_assert_no_error (error);
  /* Long enough that kills land in creates, polls and downloads alike */
  takes_fake_kit_set_polls_until_done (fixture->kit, 8);

  for (guint round = 0; round < 20; round++)
    {
      int status = run_runner (fixture, g_test_rand_int_range (150, 1500));

      g_assert_true (status == 0 || status == -1);
      if (status == -1)
        n_killed++;
    }

  /* A last run to the end */
  g_assert_cmpint (run_runner (fixture, 0), ==, 0);

  final = load_from_disk (fixture);
  for (guint i = 0; i < takes_project_get_n_shots (final); i++)
    {
      GListModel *takes = takes_shot_get_takes (takes_project_get_shot (final, i));

      g_assert_cmpuint (g_list_model_get_n_items (takes), ==, 2);
      for (guint j = 0; j < g_list_model_get_n_items (takes); j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);
          TakesTakeState state = takes_take_get_state (take);
          guint creates = takes_fake_kit_get_create_count (fixture->kit, takes_take_get_client_request_id (take));

          n_takes++;
          g_assert_true (state == TAKES_TAKE_READY || state == TAKES_TAKE_UNKNOWN);
          /* Never a paid create twice */
          g_assert_cmpuint (creates, <=, 1);
          if (state == TAKES_TAKE_READY)
            {
              n_ready++;
              g_assert_cmpuint (creates, ==, 1);
              g_assert_nonnull (takes_take_get_media (take));
            }
          sum += creates;
        }
    }

  /* Every create the provider took belongs to a take the project knows */
  g_assert_cmpuint (sum, ==, takes_fake_kit_get_total_creates (fixture->kit));
  g_assert_cmpuint (n_takes, ==, 6);
  g_assert_cmpuint (n_ready, >, 0);
  g_assert_cmpuint (n_killed, >, 0);
  g_test_message ("%u of %u takes ready, %u creates, runner killed %u times of 20",
                  n_ready, n_takes, sum, n_killed);
}

/* ---- Media -------------------------------------------------------------------------- */

static void
write_prefix (const char *path,
              GBytes     *bytes,
              gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize)length, &error);
  g_assert_no_error (error);
}

static void
test_check_container (void)
{
  g_autofree char *clip_path = NULL;
  GBytes *clip = get_test_clip (&clip_path);
  g_autofree char *dir = g_dir_make_tmp ("takes-media-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cut.mp4", NULL);
  g_autoptr(GFile) whole = g_file_new_for_path (clip_path);
  g_autoptr(GFile) cut = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  gsize size = g_bytes_get_size (clip);
  const gsize cuts[] = { size / 2, size * 9 / 10, size - 1, 100, 8, 5 };

  g_assert_true (takes_media_check_container (whole, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      write_prefix (path, clip, cuts[i]);
      g_assert_false (takes_media_check_container (cut, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_true (strstr (error->message, "cut.mp4") != NULL);
      g_clear_error (&error);
    }

  /* Cut at half, the box walk says so plainly */
  write_prefix (path, clip, size / 2);
  g_assert_false (takes_media_check_container (cut, &error));
  g_assert_true (strstr (error->message, "cut short") != NULL);
  g_clear_error (&error);

  write_prefix (path, clip, 0);
  g_assert_false (takes_media_check_container (cut, &error));
  g_assert_true (strstr (error->message, "empty") != NULL);
  g_clear_error (&error);

  g_file_set_contents (path, "<!DOCTYPE html><html><body>403 Forbidden</body></html>\n", -1, NULL);
  g_assert_false (takes_media_check_container (cut, &error));
  g_assert_true (strstr (error->message, "web page") != NULL);
  g_clear_error (&error);

  /* Boxes that fit but make no video */
  {
    static const guint8 only_free[] = { 0, 0, 0, 16, 'f', 'r', 'e', 'e', 1, 2, 3, 4, 5, 6, 7, 8 };
    static const guint8 ftyp_only[] = { 0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0 };

    g_file_set_contents (path, (const char *)only_free, sizeof only_free, NULL);
    g_assert_false (takes_media_check_container (cut, &error));
    g_clear_error (&error);

    g_file_set_contents (path, (const char *)ftyp_only, sizeof ftyp_only, NULL);
    g_assert_false (takes_media_check_container (cut, &error));
    g_assert_true (strstr (error->message, "moov") != NULL);
    g_clear_error (&error);
  }

  /* One byte too many is as wrong as one too few */
  {
    GByteArray *longer = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    g_byte_array_append (longer, g_bytes_get_data (clip, NULL), size);
    g_byte_array_append (longer, (const guint8 *)"x", 1);
    bytes = g_byte_array_free_to_bytes (longer);
    write_prefix (path, bytes, size + 1);
    g_assert_false (takes_media_check_container (cut, &error));
    g_clear_error (&error);
  }

  /* The probe refuses the same files */
  write_prefix (path, clip, 0);
  g_assert_null (takes_media_probe (cut, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_file_set_contents (path, "<!DOCTYPE html><html><body>403 Forbidden</body></html>\n", -1, NULL);
  g_assert_null (takes_media_probe (cut, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  remove_tree (dir);
}

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static void
test_probe_async (void)
{
  g_autofree char *clip_path = NULL;
  g_autoptr(GFile) clip = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TakesMediaInfo) info = NULL;
  g_autoptr(TakesMediaInfo) copy = NULL;
  g_autoptr(GError) error = NULL;

  get_test_clip (&clip_path);
  clip = g_file_new_for_path (clip_path);
  takes_media_probe_async (clip, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, "the probe");

  info = takes_media_probe_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->width, ==, CLIP_WIDTH);
  g_assert_cmpint (info->height, ==, CLIP_HEIGHT);
  g_assert_cmpfloat_with_epsilon (info->fps, CLIP_FPS, 0.01);
  g_assert_cmpfloat_with_epsilon (info->duration, CLIP_SECONDS, 0.1);
  g_assert_true (info->has_audio);

  copy = takes_media_info_copy (info);
  g_assert_cmpstr (copy->video_codec, ==, info->video_codec);
  g_assert_true (copy->video_codec != info->video_codec);
}

static void
test_thumbnail (void)
{
  g_autofree char *clip_path = NULL;
  g_autofree char *dir = g_dir_make_tmp ("takes-thumb-XXXXXX", NULL);
  g_autofree char *png_path = g_build_filename (dir, "thumb.png", NULL);
  g_autofree char *partial_path = g_strconcat (png_path, ".part", NULL);
  g_autoptr(GFile) clip = NULL;
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint width = 0, height = 0;

  get_test_clip (&clip_path);
  clip = g_file_new_for_path (clip_path);

  takes_thumbnail_create_async (clip, png, 160, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, "the thumbnail");
  g_assert_true (takes_thumbnail_create_finish (result, &error));
  g_assert_no_error (error);
  g_assert_true (png_size (png_path, &width, &height));
  g_assert_cmpuint (width, ==, 160);
  g_assert_cmpuint (height, ==, 120);
  g_assert_false (g_file_test (partial_path, G_FILE_TEST_EXISTS));
  g_clear_object (&result);

  /* Not a video: an error, no file */
  g_unlink (png_path);
  {
    g_autofree char *bogus_path = g_build_filename (dir, "bogus.mp4", NULL);
    g_autoptr(GFile) bogus = g_file_new_for_path (bogus_path);

    g_file_set_contents (bogus_path, "<html>nope</html>", -1, NULL);
    takes_thumbnail_create_async (bogus, png, 160, NULL, on_async_done, &result);
    wait_until (result_arrived, &result, "the thumbnail to fail");
    g_assert_false (takes_thumbnail_create_finish (result, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_clear_object (&result);
    g_assert_false (g_file_test (png_path, G_FILE_TEST_EXISTS));
  }

  /* Canceled */
  g_cancellable_cancel (cancellable);
  takes_thumbnail_create_async (clip, png, 160, cancellable, on_async_done, &result);
  wait_until (result_arrived, &result, "the canceled thumbnail");
  g_assert_false (takes_thumbnail_create_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  /* A stray key in the environment must not change what tests see. */
  g_unsetenv ("TAKES_FAKE_API_KEY");
  g_unsetenv ("TAKES_FAKE_BASE_URL");

#define ADD(path, func) \
  g_test_add ("/Takes/Engine/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("success-to-ready", test_success_to_ready);
  ADD ("second-take-keeps-pick", test_second_take_keeps_pick);
  ADD ("saved-before-create", test_saved_before_create);
  ADD ("save-failure-sends-nothing", test_save_failure_sends_nothing);
  ADD ("refuses-project-without-file", test_no_file_refused);
  ADD ("refuses-unknown-backend-and-invalid-request", test_unknown_backend_refused);
  ADD ("refuses-missing-credentials", test_missing_credentials_refused);
  ADD ("rate-limited-create-then-success", test_rate_limited_create);
  ADD ("rate-limited-create-gives-up", test_rate_limited_create_gives_up);
  ADD ("server-errors-on-polls", test_server_errors_on_polls);
  ADD ("rate-limited-polls", test_rate_limited_polls);
  ADD ("stalled-download-resumed", test_stalled_download);
  ADD ("truncated-download-resumed", test_truncated_download_resumed);
  ADD ("truncated-download-fails-never-ready", test_truncated_download_fails);
  ADD ("clip-cut-short-at-source-fails", test_server_lies_about_clip);
  ADD ("provider-failure-with-reason", test_provider_failure);
  ADD ("rejected-credentials", test_rejected_credentials);
  ADD ("cancel", test_cancel);
  ADD ("cancel-while-submitting", test_cancel_while_submitting);
  ADD ("concurrency-limit", test_concurrency_limit);
  ADD ("unknown-after-create-timeout", test_unknown_after_create_timeout);
  ADD ("check-again-with-task-id", test_check_again_with_task_id);
  ADD ("resume-after-restart", test_resume_after_restart);
  ADD ("resume-download-after-restart", test_resume_download_after_restart);
  ADD ("resume-submitting-becomes-unknown", test_resume_submitting_becomes_unknown);
  ADD ("retry-failed", test_retry_failed);
  ADD ("budget-cap", test_budget_cap);
  ADD ("build-request", test_build_request);
  ADD ("build-request-end-image", test_build_request_end_image);
  ADD ("animatic-to-ready", test_animatic_to_ready);
  ADD ("kill-9-no-duplicate-create", test_kill_during_generation);

#undef ADD

  g_test_add_func ("/Takes/Media/check-container", test_check_container);
  g_test_add_func ("/Takes/Media/probe", test_probe_async);
  g_test_add_func ("/Takes/Media/thumbnail", test_thumbnail);

  status = g_test_run ();

  if (clip_dir != NULL)
    remove_tree (clip_dir);
  g_clear_pointer (&clip_bytes, g_bytes_unref);

  return status;
}
