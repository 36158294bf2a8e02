/* test-export.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "export-kit.h"
#include "takes-export.h"

#define FPS 24

/* Media shared by every case, made once in main() */
static char *media_dir;

typedef struct
{
  gboolean      done;
  gboolean      ok;
  GError       *error;
  GCancellable *cancel_on_progress;
  guint         n_progress;
  double        last_progress;
} Run;

static TakesProject *
new_project (void)
{
  return export_kit_project (media_dir, 320, 180, FPS);
}

static char *
out_path (const char *name)
{
  return g_build_filename (media_dir, name, NULL);
}

static void
on_progress (TakesExport *export,
             double       fraction,
             gint64       remaining,
             Run         *run)
{
  g_assert_cmpfloat (fraction, >=, run->last_progress);
  g_assert_cmpfloat (fraction, <=, 1.0);
  run->last_progress = fraction;
  run->n_progress++;

  if (run->cancel_on_progress != NULL)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->ok = takes_export_run_finish (TAKES_EXPORT (source), result, &run->error);
  run->done = TRUE;
}

static void
run_export (TakesExport  *export,
            GCancellable *cancellable,
            Run          *run)
{
  gulong id = g_signal_connect (export, "progress", G_CALLBACK (on_progress), run);

  takes_export_run_async (export, cancellable, on_done, run);
  export_kit_wait (&run->done);
  g_signal_handler_disconnect (export, id);

  g_assert_false (takes_export_get_running (export));
}

static void
assert_no_file (const char *path)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
assert_output (const char        *path,
               GstClockTime       expected,
               int                width,
               int                height,
               int                fps_n,
               const char        *container,
               const char        *video,
               const char        *audio)
{
  ExportKitInfo info = { 0, };
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  GstClockTime frame = gst_util_uint64_scale (GST_SECOND, 1, fps_n);
  GstClockTimeDiff delta;

  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (export_kit_discover (path, &info));

  g_test_message ("%s: %" GST_TIME_FORMAT " (cut %" GST_TIME_FORMAT "), %dx%d, %s / %s / %s",
                  path, GST_TIME_ARGS (info.duration), GST_TIME_ARGS (expected),
                  info.width, info.height, info.container, info.video_caps, info.audio_caps);

  /* Within one frame of the cut */
  delta = GST_CLOCK_DIFF (expected, info.duration);
  g_assert_cmpint (ABS (delta), <=, (gint64) frame);
  g_assert_cmpint (info.width, ==, width);
  g_assert_cmpint (info.height, ==, height);
  g_assert_cmpint (info.fps_n / MAX (info.fps_d, 1), ==, fps_n);
  g_assert_true (g_str_has_prefix (info.container, container));
  g_assert_nonnull (info.video_caps);
  g_assert_true (g_str_has_prefix (info.video_caps, video));
  /* Sound is present even where takes have none */
  g_assert_nonnull (info.audio_caps);
  g_assert_true (g_str_has_prefix (info.audio_caps, audio));
  g_assert_cmpint (info.audio_rate, ==, 48000);

  export_kit_info_clear (&info);
}

/* Three shots: one with sound, one silent (crossfaded), one 9:16 */
static TakesProject *
mixed_project (void)
{
  TakesProject *project = new_project ();
  TakesShot *first;

  first = export_kit_add_shot (project, "One", 5, "a.mp4");
  export_kit_add_shot (project, "Silent", 5, "silent.mp4");
  export_kit_add_shot (project, "Portrait", 5, "portrait.mp4");
  takes_shot_set_transition (first, TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (first, 0.25);

  return project;
}

static void
test_mp4 (void)
{
  g_autoptr(TakesProject) project = mixed_project ();
  g_autofree char *path = out_path ("cut.mp4");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  Run run = { 0, };

  run_export (export, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_false (takes_export_get_smart (export));
  g_assert_cmpfloat (takes_export_get_progress (export), ==, 1.0);

  /* 24 + 24 + 24 frames less the 6-frame crossfade */
  g_assert_cmpuint (takes_export_get_duration (export), ==, gst_util_uint64_scale (66, GST_SECOND, FPS));
  assert_output (path, takes_export_get_duration (export), 320, 180, FPS,
                 "video/quicktime", "video/x-h264", "audio/mpeg");
  g_unlink (path);
}

static void
test_webm (void)
{
  g_autoptr(TakesProject) project = mixed_project ();
  g_autofree char *path = out_path ("cut.webm");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  Run run = { 0, };

  takes_export_set_preset (export, TAKES_EXPORT_PRESET_WEBM);
  takes_export_set_size (export, 256, 144);
  run_export (export, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  assert_output (path, takes_export_get_duration (export), 256, 144, FPS,
                 "video/webm", "video/x-vp9", "audio/x-opus");
  g_unlink (path);
}

static void
test_mov (void)
{
  g_autoptr(TakesProject) project = mixed_project ();
  g_autofree char *path = out_path ("cut.mov");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  Run run = { 0, };

  takes_export_set_preset (export, TAKES_EXPORT_PRESET_MOV);
  takes_export_set_fps (export, 25);
  run_export (export, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  /* 25 + 25 + 25 frames less 6 (0.25 s rounds to 6 frames at 25 fps) */
  g_assert_cmpuint (takes_export_get_duration (export), ==, gst_util_uint64_scale (69, GST_SECOND, 25));
  assert_output (path, takes_export_get_duration (export), 320, 180, 25,
                 "video/quicktime", "video/x-prores", "audio/x-raw");
  g_unlink (path);
}

static void
test_mixed_rates (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autofree char *path = out_path ("mixed.mp4");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  Run run = { 0, };

  /* 30 fps and 1:1 takes in a 24 fps 16:9 film */
  export_kit_add_shot (project, "Thirty", 5, "thirty.mp4");
  export_kit_add_shot (project, "Square", 5, "square.mp4");

  run_export (export, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  /* 1 s each whatever the take's rate */
  assert_output (path, 2 * GST_SECOND, 320, 180, FPS,
                 "video/quicktime", "video/x-h264", "audio/mpeg");
  g_unlink (path);
}

static void
test_cancel (void)
{
  g_autoptr(TakesProject) project = mixed_project ();
  g_autofree char *path = out_path ("canceled.mov");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { 0, };

  /* Large ProRes frames: slow enough to be caught in the middle */
  takes_export_set_preset (export, TAKES_EXPORT_PRESET_MOV);
  takes_export_set_size (export, 1920, 1080);
  run.cancel_on_progress = cancellable;
  run_export (export, cancellable, &run);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (run.ok);
  g_assert_cmpuint (run.n_progress, >=, 1);
  assert_no_file (path);
  g_clear_error (&run.error);

  /* Canceled before it started */
  memset (&run, 0, sizeof run);
  g_cancellable_cancel (cancellable);
  run_export (export, cancellable, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_no_file (path);
  g_clear_error (&run.error);
}

static void
test_missing_media (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autofree char *path = out_path ("missing.mp4");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  g_autoptr(TakesSoundtrackClip) music = NULL;
  TakesShot *shot;
  Run run = { 0, };

  export_kit_add_shot (project, "One", 5, "a.mp4");
  shot = export_kit_add_shot (project, "Two", 5, "a.mp4");
  takes_take_set_media (takes_shot_get_picked_take (shot), "Film.media/gone.mp4");

  run_export (export, NULL, &run);
  g_assert_error (run.error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_MEDIA_MISSING);
  g_assert_nonnull (strstr (run.error->message, "Shot 2"));
  g_assert_nonnull (strstr (run.error->message, "gone.mp4"));
  g_test_message ("%s", run.error->message);
  assert_no_file (path);
  g_clear_error (&run.error);

  /* A soundtrack file counts too */
  takes_take_set_media (takes_shot_get_picked_take (shot), "a.mp4");
  music = takes_soundtrack_clip_new ("score-gone.ogg");
  takes_project_add_soundtrack_clip (project, music);
  memset (&run, 0, sizeof run);
  run_export (export, NULL, &run);
  g_assert_error (run.error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_MEDIA_MISSING);
  g_assert_nonnull (strstr (run.error->message, "score-gone.ogg"));
  assert_no_file (path);
  g_clear_error (&run.error);
}

static void
test_not_ready (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(GError) error = NULL;
  TakesShot *failed;
  g_autoptr(TakesTake) take = takes_take_new ("animatic", "animatic-1");

  export_kit_add_shot (project, "One", 5, "a.mp4");
  export_kit_add_shot (project, "Two", 5, NULL);
  export_kit_add_shot (project, "Three", 5, "a.mp4");
  failed = export_kit_add_shot (project, "Four", 5, NULL);
  takes_take_set_state (take, TAKES_TAKE_FAILED);
  takes_shot_add_take (failed, take);
  takes_shot_set_picked_take_id (failed, takes_take_get_id (take));

  g_assert_false (takes_export_validate (project, &error));
  g_assert_error (error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_NOT_READY);
  g_assert_cmpstr (error->message, ==, "Shots 2 and 4 have no ready take");
  g_clear_error (&error);

  export_kit_add_shot (project, "Five", 5, NULL);
  g_assert_false (takes_export_validate (project, &error));
  g_assert_cmpstr (error->message, ==, "Shots 2, 4 and 5 have no ready take");
  g_clear_error (&error);

  takes_project_remove_shot (project, 4);
  takes_project_remove_shot (project, 3);
  g_assert_false (takes_export_validate (project, &error));
  g_assert_cmpstr (error->message, ==, "Shot 2 has no ready take");
}

static void
test_failure_leaves_nothing (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autofree char *path = out_path ("kept.mp4");
  g_autofree char *garbage = out_path ("garbage.mp4");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = NULL;
  g_autoptr(GFile) nowhere = NULL;
  g_autofree char *nowhere_path = NULL;
  g_autofree char *contents = NULL;
  TakesShot *shot;
  Run run = { 0, };

  /* A previous export stays untouched when the new one fails */
  g_assert_true (g_file_set_contents (path, "previous", -1, NULL));
  g_assert_true (g_file_set_contents (garbage, "this is not a video at all", -1, NULL));

  export_kit_add_shot (project, "One", 5, "a.mp4");
  shot = export_kit_add_shot (project, "Broken", 5, "a.mp4");
  takes_take_set_media (takes_shot_get_picked_take (shot), "garbage.mp4");

  export = takes_export_new (project, output);
  run_export (export, NULL, &run);
  g_assert_error (run.error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_MEDIA_MISSING);
  g_assert_nonnull (strstr (run.error->message, "garbage.mp4"));
  g_test_message ("%s", run.error->message);
  g_clear_error (&run.error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous");
  g_assert_false (g_file_test (garbage, G_FILE_TEST_IS_DIR));
  g_unlink (path);
  g_unlink (garbage);

  /* A folder that does not exist */
  takes_take_set_media (takes_shot_get_picked_take (shot), "a.mp4");
  nowhere_path = out_path ("no/such/folder/cut.mp4");
  nowhere = g_file_new_for_path (nowhere_path);
  g_clear_object (&export);
  export = takes_export_new (project, nowhere);
  memset (&run, 0, sizeof run);
  run_export (export, NULL, &run);
  g_assert_error (run.error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_WRITE);
  g_clear_error (&run.error);
}

static void
test_smart (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autofree char *path = out_path ("smart.mp4");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(TakesExport) export = takes_export_new (project, output);
  Run run = { 0, };

  export_kit_add_shot (project, "One", 5, "a.mp4");
  export_kit_add_shot (project, "Two", 5, "b.mp4");
  export_kit_add_shot (project, "Three", 5, "a.mp4");

  takes_export_set_allow_smart (export, TRUE);
  run_export (export, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_true (takes_export_get_takes_match (export));
  g_assert_true (takes_export_get_smart (export));
  assert_output (path, gst_util_uint64_scale (84, GST_SECOND, FPS), 320, 180, FPS,
                 "video/quicktime", "video/x-h264", "audio/mpeg");
  g_unlink (path);

  /* A crossfade needs mixing: back to a full render */
  takes_shot_set_transition (takes_project_get_shot (project, 0), TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (takes_project_get_shot (project, 0), 0.25);
  memset (&run, 0, sizeof run);
  run_export (export, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_false (takes_export_get_takes_match (export));
  g_assert_false (takes_export_get_smart (export));
  g_unlink (path);
}

static void
test_presets (void)
{
  TakesExportPreset preset;

  g_assert_true (takes_export_preset_from_string ("webm", &preset));
  g_assert_cmpint (preset, ==, TAKES_EXPORT_PRESET_WEBM);
  g_assert_false (takes_export_preset_from_string ("avi", &preset));
  g_assert_cmpstr (takes_export_preset_get_extension (TAKES_EXPORT_PRESET_MOV), ==, ".mov");
  for (preset = TAKES_EXPORT_PRESET_MP4; preset <= TAKES_EXPORT_PRESET_MOV; preset++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (takes_export_check_plugins (preset, &error));
      g_assert_no_error (error);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;
  ExportKitClip wide = { 320, 180, FPS, 24, TRUE, NULL };
  ExportKitClip longer = { 320, 180, FPS, 36, TRUE, "smpte" };
  ExportKitClip silent = { 320, 180, FPS, 24, FALSE, "snow" };
  ExportKitClip portrait = { 180, 320, FPS, 24, TRUE, "pinwheel" };
  ExportKitClip square = { 240, 240, FPS, 24, TRUE, NULL };
  ExportKitClip thirty = { 640, 360, 30, 30, TRUE, "smpte" };

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  ges_init ();

  media_dir = export_kit_make_dir ();
  g_free (export_kit_make_clip (media_dir, "a.mp4", &wide));
  g_free (export_kit_make_clip (media_dir, "b.mp4", &longer));
  g_free (export_kit_make_clip (media_dir, "silent.mp4", &silent));
  g_free (export_kit_make_clip (media_dir, "portrait.mp4", &portrait));
  g_free (export_kit_make_clip (media_dir, "square.mp4", &square));
  g_free (export_kit_make_clip (media_dir, "thirty.mp4", &thirty));

  g_test_add_func ("/Takes/Export/presets", test_presets);
  g_test_add_func ("/Takes/Export/mp4", test_mp4);
  g_test_add_func ("/Takes/Export/webm", test_webm);
  g_test_add_func ("/Takes/Export/mov", test_mov);
  g_test_add_func ("/Takes/Export/mixed-rates-and-sizes", test_mixed_rates);
  g_test_add_func ("/Takes/Export/cancel-leaves-nothing", test_cancel);
  g_test_add_func ("/Takes/Export/missing-media-named", test_missing_media);
  g_test_add_func ("/Takes/Export/not-ready-shots-named", test_not_ready);
  g_test_add_func ("/Takes/Export/failure-leaves-nothing", test_failure_leaves_nothing);
  g_test_add_func ("/Takes/Export/smart-render", test_smart);

  status = g_test_run ();

  export_kit_remove_tree (media_dir);
  g_free (media_dir);

  return status;
}
