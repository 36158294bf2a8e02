/* test-cli-export.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-export"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "export-kit.h"

#define FPS 24

/* `takes export` run as a script would run it: the built executable, in
 * a folder with a saved project and tiny clips. */

static char *dir;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static int
run_takes (const char * const *args,
           char              **err_out)
{
  const char *bin = g_getenv ("TAKES_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "export");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);

  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
save_project (const char *name,
              gboolean    all_ready)
{
  g_autoptr(TakesProject) project = export_kit_project (dir, 320, 180, FPS);
  g_autofree char *path = path_in (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TakesShot *shot;

  shot = export_kit_add_shot (project, "One", 5, "a.mp4");
  takes_shot_set_transition (shot, TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (shot, 0.25);
  export_kit_add_shot (project, "Two", 5, all_ready ? "b.mp4" : NULL);
  export_kit_add_shot (project, "Three", 5, all_ready ? "a.mp4" : NULL);

  g_assert_true (takes_project_save (project, file, &error));
  g_assert_no_error (error);
}

static void
assert_absent (const char *name)
{
  g_autofree char *path = path_in (name);
  g_autofree char *part = g_strconcat (path, ".part", NULL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_writes_video_otio_xges (void)
{
  const char *args[] = { "Film.takes", "--output", "cut.mp4", "--otio", "cut.otio",
                         "--xges", "cut.xges", NULL };
  g_autofree char *err = NULL;
  g_autofree char *video = path_in ("cut.mp4");
  g_autofree char *otio = path_in ("cut.otio");
  g_autofree char *xges = path_in ("cut.xges");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  ExportKitInfo info = { 0, };

  save_project ("Film.takes", TRUE);

  g_assert_cmpint (run_takes (args, &err), ==, 0);
  /* Not a terminal: plain progress lines */
  g_assert_nonnull (strstr (err, "exporting"));
  g_assert_nonnull (strstr (err, "cut.mp4"));
  g_assert_null (strstr (err, "\r"));

  g_assert_true (export_kit_discover (video, &info));
  /* 24 + 36 + 24 frames less a 6-frame crossfade */
  g_assert_cmpuint (info.duration, ==, gst_util_uint64_scale (78, GST_SECOND, FPS));
  g_assert_cmpint (info.width, ==, 320);
  g_assert_true (g_str_has_prefix (info.video_caps, "video/x-h264"));
  g_assert_nonnull (info.audio_caps);
  export_kit_info_clear (&info);

  g_assert_true (json_parser_load_from_file (parser, otio, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "OTIO_SCHEMA"),
                   ==, "Timeline.1");
  g_assert_true (g_file_test (xges, G_FILE_TEST_IS_REGULAR));

  g_unlink (video);
  g_unlink (otio);
  g_unlink (xges);
}

static void
test_preset_size_fps (void)
{
  const char *args[] = { "Film.takes", "-o", "small.webm", "--size", "256x144", "--fps", "25", NULL };
  g_autofree char *video = path_in ("small.webm");
  ExportKitInfo info = { 0, };

  save_project ("Film.takes", TRUE);

  /* The preset follows the extension */
  g_assert_cmpint (run_takes (args, NULL), ==, 0);
  g_assert_true (export_kit_discover (video, &info));
  g_assert_true (g_str_has_prefix (info.container, "video/webm"));
  g_assert_cmpint (info.width, ==, 256);
  g_assert_cmpint (info.height, ==, 144);
  g_assert_cmpint (info.fps_n, ==, 25);
  g_assert_cmpint (info.fps_d, ==, 1);
  export_kit_info_clear (&info);
  g_unlink (video);
}

static void
test_not_ready_exit_1 (void)
{
  const char *args[] = { "Draft.takes", "--output", "draft.mp4", NULL };
  g_autofree char *err = NULL;

  save_project ("Draft.takes", FALSE);

  g_assert_cmpint (run_takes (args, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Shots 2 and 3 have no ready take"));
  assert_absent ("draft.mp4");
}

static void
test_bad_options_exit_2 (void)
{
  const char *no_output[] = { "Film.takes", NULL };
  const char *bad_preset[] = { "Film.takes", "-o", "x.mp4", "--preset", "avi", NULL };
  const char *bad_size[] = { "Film.takes", "-o", "x.mp4", "--size", "33x20", NULL };
  const char *bad_fps[] = { "Film.takes", "-o", "x.mp4", "--fps", "1e3", NULL };
  const char *no_project[] = { "-o", "x.mp4", NULL };
  const char *missing_project[] = { "Nowhere.takes", "-o", "x.mp4", NULL };
  const char *unknown[] = { "Film.takes", "-o", "x.mp4", "--colour", NULL };
  g_autofree char *err = NULL;

  save_project ("Film.takes", TRUE);

  g_assert_cmpint (run_takes (no_output, NULL), ==, 2);
  g_assert_cmpint (run_takes (bad_preset, &err), ==, 2);
  g_assert_nonnull (strstr (err, "avi"));
  g_assert_cmpint (run_takes (bad_size, NULL), ==, 2);
  g_assert_cmpint (run_takes (bad_fps, NULL), ==, 2);
  g_assert_cmpint (run_takes (no_project, NULL), ==, 2);
  g_assert_cmpint (run_takes (missing_project, NULL), ==, 2);
  g_assert_cmpint (run_takes (unknown, NULL), ==, 2);
  assert_absent ("x.mp4");
}

static void
test_sigint_removes_part (void)
{
  const char *bin = g_getenv ("TAKES_BIN");
  const char *argv[] = { bin, "export", "Film.takes", "-o", "big.mov", "--size", "1920x1080", NULL };
  g_autofree char *part = path_in ("big.mov.part");
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status = 0;
  gint64 deadline;

  save_project ("Film.takes", TRUE);

  g_spawn_async (dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);

  /* Interrupt once rendering has begun writing */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_file_test (part, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_true (g_file_test (part, G_FILE_TEST_EXISTS));

  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  assert_absent ("big.mov");
}

int
main (int    argc,
      char **argv)
{
  int status;
  ExportKitClip wide = { 320, 180, FPS, 24, TRUE, NULL };
  ExportKitClip longer = { 320, 180, FPS, 36, FALSE, "smpte" };

  g_test_init (&argc, &argv, NULL);

  dir = export_kit_make_dir ();
  g_free (export_kit_make_clip (dir, "a.mp4", &wide));
  g_free (export_kit_make_clip (dir, "b.mp4", &longer));

  g_test_add_func ("/Takes/CliExport/writes-video-otio-xges", test_writes_video_otio_xges);
  g_test_add_func ("/Takes/CliExport/preset-size-fps", test_preset_size_fps);
  g_test_add_func ("/Takes/CliExport/not-ready-exit-1", test_not_ready_exit_1);
  g_test_add_func ("/Takes/CliExport/bad-options-exit-2", test_bad_options_exit_2);
  g_test_add_func ("/Takes/CliExport/sigint-removes-part", test_sigint_removes_part);

  status = g_test_run ();

  export_kit_remove_tree (dir);
  g_free (dir);

  return status;
}
