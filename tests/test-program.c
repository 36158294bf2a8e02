/* test-program.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-program"

#include "config.h"

#include "export-kit.h"
#include "takes-history.h"
#include "takes-program.h"
#include "takes-video-sink.h"

#define FPS 24

static char *media_dir;

typedef gboolean (*Condition) (TakesProgram *program,
                               gpointer      data);

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (TakesProgram *program,
            Condition     condition,
            gpointer      data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, on_timeout, &timed_out);

  while (!condition (program, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return !timed_out;
}

static gboolean
is_idle (TakesProgram *program,
         gpointer      data)
{
  return takes_program_get_prerolled (program) && !takes_program_get_busy (program);
}

static gboolean
sink_shows (TakesProgram *program,
            gpointer      data)
{
  GstClockTime target = *(GstClockTime *) data;
  TakesVideoSink *sink = TAKES_VIDEO_SINK (takes_program_get_video_sink (program));

  return is_idle (program, NULL) && takes_video_sink_get_last_pts (sink) == target;
}

static TakesProject *
two_shot_project (void)
{
  TakesProject *project = export_kit_project (media_dir, 320, 180, FPS);

  export_kit_add_shot (project, "Harbour", 1.0, "take-a.mp4");
  export_kit_add_shot (project, "Gull", 1.5, "take-b.mp4");

  return project;
}

static void
test_seek_shows_frame (void)
{
  g_autoptr(TakesProject) project = two_shot_project ();
  g_autoptr(TakesTimeline) timeline = takes_timeline_new (project);
  g_autoptr(TakesProgram) program = NULL;
  GstClockTime targets[] = {
    gst_util_uint64_scale (30, GST_SECOND, FPS),  /* inside the second clip */
    gst_util_uint64_scale (5, GST_SECOND, FPS),   /* back into the first */
    gst_util_uint64_scale (24, GST_SECOND, FPS),  /* the first frame of the second */
  };
  TakesVideoSink *sink;

  export_kit_update (timeline);
  program = takes_program_new (timeline, "takesvideosink");
  sink = TAKES_VIDEO_SINK (takes_program_get_video_sink (program));
  g_assert_true (TAKES_IS_VIDEO_SINK (sink));

  g_assert_true (wait_until (program, is_idle, NULL));
  g_assert_cmpint (takes_program_get_duration (program), ==,
                   (gint64) gst_util_uint64_scale (72, GST_SECOND, FPS));
  g_assert_cmpuint (takes_video_sink_get_last_pts (sink), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      takes_program_seek (program, (gint64) targets[i]);
      g_assert_cmpint (takes_program_get_position (program), ==, (gint64) targets[i]);
      g_assert_true (wait_until (program, sink_shows, &targets[i]));
      g_assert_cmpuint (takes_video_sink_get_last_pts (sink), ==, targets[i]);
    }

  /* A frame step lands on the next frame exactly */
  takes_program_step (program, 1);
  targets[0] = gst_util_uint64_scale (25, GST_SECOND, FPS);
  g_assert_true (wait_until (program, sink_shows, &targets[0]));

  /* Past the end: the last frame */
  takes_program_seek (program, G_MAXINT64 / 2);
  targets[0] = gst_util_uint64_scale (71, GST_SECOND, FPS);
  g_assert_true (wait_until (program, sink_shows, &targets[0]));
}

static void
test_seeks_coalesce (void)
{
  g_autoptr(TakesProject) project = two_shot_project ();
  g_autoptr(TakesTimeline) timeline = takes_timeline_new (project);
  g_autoptr(TakesProgram) program = NULL;
  GstClockTime last = gst_util_uint64_scale (40, GST_SECOND, FPS);

  export_kit_update (timeline);
  program = takes_program_new (timeline, "takesvideosink");
  g_assert_true (wait_until (program, is_idle, NULL));

  /* Scrubbing: many seeks while one is in flight; the last one wins */
  for (int frame = 1; frame <= 40; frame++)
    takes_program_seek (program, (gint64) gst_util_uint64_scale (frame, GST_SECOND, FPS));
  g_assert_true (takes_program_get_busy (program));
  g_assert_cmpint (takes_program_get_position (program), ==, (gint64) last);

  g_assert_true (wait_until (program, sink_shows, &last));
}

static void
test_commit_waits_for_idle (void)
{
  g_autoptr(TakesProject) project = two_shot_project ();
  g_autoptr(TakesHistory) history = takes_history_new (project);
  g_autoptr(TakesTimeline) timeline = takes_timeline_new (project);
  g_autoptr(TakesProgram) program = NULL;
  GstClockTime target = gst_util_uint64_scale (12, GST_SECOND, FPS);
  guint commits;

  export_kit_update (timeline);
  program = takes_program_new (timeline, "takesvideosink");
  g_assert_true (wait_until (program, is_idle, NULL));

  /* An edit arrives while a seek is in flight: not committed yet */
  takes_program_seek (program, (gint64) target);
  g_assert_true (takes_program_get_busy (program));
  commits = takes_program_get_n_commits (program);
  takes_history_move_shot (history, 1, 0);
  export_kit_update (timeline);

  /* The update's commit was deferred (the seek may already have settled
   * during the update; then it went straight in) */
  if (takes_program_get_commit_pending (program))
    g_assert_cmpuint (takes_program_get_n_commits (program), ==, commits);

  g_assert_true (wait_until (program, is_idle, NULL));
  g_assert_false (takes_program_get_commit_pending (program));
  g_assert_cmpuint (takes_program_get_n_commits (program), ==, commits + 1);

  /* The cut now starts with the 2 s take */
  g_assert_cmpint (takes_timeline_get_shot_start (timeline, takes_project_get_shot (project, 1)),
                   ==, (gint64) gst_util_uint64_scale (48, GST_SECOND, FPS));

  /* Direct: a commit asked for while busy is remembered */
  takes_program_seek (program, 0);
  g_assert_true (takes_program_get_busy (program));
  g_assert_false (takes_program_commit (program));
  g_assert_true (takes_program_get_commit_pending (program));
  g_assert_true (wait_until (program, is_idle, NULL));
  g_assert_false (takes_program_get_commit_pending (program));
}

static gboolean
reached_end (TakesProgram *program,
             gpointer      data)
{
  return *(gboolean *) data;
}

static void
on_eos (TakesProgram *program,
        gboolean     *done)
{
  *done = TRUE;
}

static void
test_plays_to_the_end (void)
{
  g_autoptr(TakesProject) project = two_shot_project ();
  g_autoptr(TakesTimeline) timeline = takes_timeline_new (project);
  g_autoptr(TakesProgram) program = NULL;
  gboolean done = FALSE;

  export_kit_update (timeline);
  program = takes_program_new (timeline, "takesvideosink");
  g_signal_connect (program, "eos", G_CALLBACK (on_eos), &done);
  g_assert_true (wait_until (program, is_idle, NULL));

  takes_program_seek (program, (gint64) gst_util_uint64_scale (62, GST_SECOND, FPS));
  takes_program_play (program);
  g_assert_true (takes_program_get_playing (program));
  g_assert_true (wait_until (program, reached_end, &done));
  g_assert_false (takes_program_get_playing (program));
  g_assert_cmpint (takes_program_get_position (program), ==, takes_program_get_duration (program));
}

int
main (int    argc,
      char **argv)
{
  ExportKitClip a = { 320, 180, FPS, 24, TRUE, "smpte" };
  ExportKitClip b = { 320, 180, FPS, 48, FALSE, "ball" };
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  ges_init ();
  takes_video_sink_register ();

  media_dir = export_kit_make_dir ();
  g_free (export_kit_make_clip (media_dir, "take-a.mp4", &a));
  g_free (export_kit_make_clip (media_dir, "take-b.mp4", &b));

  g_test_add_func ("/Takes/Program/seek-shows-frame", test_seek_shows_frame);
  g_test_add_func ("/Takes/Program/seeks-coalesce", test_seeks_coalesce);
  g_test_add_func ("/Takes/Program/commit-waits-for-idle", test_commit_waits_for_idle);
  g_test_add_func ("/Takes/Program/plays-to-the-end", test_plays_to_the_end);

  status = g_test_run ();

  export_kit_remove_tree (media_dir);
  g_free (media_dir);

  return status;
}
