/* test-sync.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gtk/gtk.h>

#include "takes-player.h"
#include "takes-video-sink.h"

#define N_CLIPS 3
#define FPS 24
#define CLIP_FRAMES 48

static char *clip_dir;
static char *clip_uris[N_CLIPS + 1];

/* Three different clips, as three providers would make them: different
 * pictures, one with sound, one with B-frames off. 160x90, 2 s, 24 fps. */
static void
make_clips (void)
{
  static const char *recipes[N_CLIPS] = {
    "videotestsrc pattern=smpte num-buffers=48 "
    "! video/x-raw,width=160,height=90,framerate=24/1 ! timeoverlay "
    "! x264enc speed-preset=ultrafast ! h264parse ! mp4mux name=mux ! filesink location=\"@PATH@\" "
    "audiotestsrc wave=sine samplesperbuffer=2000 num-buffers=48 "
    "! audio/x-raw,rate=48000,channels=2 ! audioconvert ! avenc_aac ! aacparse ! mux.",
    "videotestsrc pattern=ball num-buffers=48 "
    "! video/x-raw,width=160,height=90,framerate=24/1 "
    "! x264enc speed-preset=ultrafast bframes=0 ! h264parse ! mp4mux ! filesink location=\"@PATH@\"",
    "videotestsrc pattern=zone-plate kx2=20 ky2=20 kt=1 num-buffers=48 "
    "! video/x-raw,width=160,height=90,framerate=24/1 "
    "! x264enc speed-preset=ultrafast ! h264parse ! mp4mux ! filesink location=\"@PATH@\"",
  };
  g_autoptr(GError) error = NULL;

  clip_dir = g_dir_make_tmp ("takes-sync-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_autofree char *name = g_strdup_printf ("take-%u.mp4", i);
      g_autofree char *path = g_build_filename (clip_dir, name, NULL);
      g_autoptr(GString) description = g_string_new (recipes[i]);
      g_autoptr(GstElement) pipeline = NULL;
      g_autoptr(GstBus) bus = NULL;
      g_autoptr(GstMessage) message = NULL;

      g_string_replace (description, "@PATH@", path, 0);
      pipeline = gst_parse_launch (description->str, &error);
      g_assert_no_error (error);
      gst_element_set_state (pipeline, GST_STATE_PLAYING);
      bus = gst_element_get_bus (pipeline);
      message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                                            GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      g_assert_nonnull (message);
      g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
      gst_element_set_state (pipeline, GST_STATE_NULL);

      clip_uris[i] = g_filename_to_uri (path, NULL, &error);
      g_assert_no_error (error);
    }
}

static void
remove_clips (void)
{
  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_autofree char *path = g_filename_from_uri (clip_uris[i], NULL, NULL);

      g_unlink (path);
      g_clear_pointer (&clip_uris[i], g_free);
    }
  g_rmdir (clip_dir);
  g_clear_pointer (&clip_dir, g_free);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (TakesPlayer *player,
                               gpointer     data);

/* Runs the main loop until @condition holds; FALSE after 20 s */
static gboolean
wait_until (TakesPlayer *player,
            Condition    condition,
            gpointer     data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, on_timeout, &timed_out);

  while (!condition (player, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return !timed_out;
}

static gint64
frame_of_pts (GstClockTime pts)
{
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return -1;

  /* The decoder clips the first frame after an accurate seek to the
   * seek position, so a PTS may lie anywhere inside its frame: floor, with
   * a little slack for the container's rounding of frame starts. */
  return (gint64) floor ((double) pts * FPS / GST_SECOND + 1e-3);
}

static gint64
sink_frame (TakesPlayer *player,
            guint        index)
{
  GstElement *sink = takes_player_get_video_sink (player, index);

  return frame_of_pts (takes_video_sink_get_last_pts (TAKES_VIDEO_SINK (sink)));
}

static gboolean
settled (TakesPlayer *player,
         gpointer     data)
{
  return takes_player_get_prerolled (player) && !takes_player_get_seeking (player);
}

static gboolean
all_at_frame (TakesPlayer *player,
              gpointer     data)
{
  gint64 frame = GPOINTER_TO_SIZE (data);

  if (!settled (player, NULL))
    return FALSE;

  for (guint i = 0; i < takes_player_get_n_sources (player); i++)
    if (sink_frame (player, i) != frame)
      return FALSE;

  return TRUE;
}

static void
assert_all_at_frame (TakesPlayer *player,
                     gint64       frame)
{
  if (!wait_until (player, all_at_frame, GSIZE_TO_POINTER (frame)))
    {
      for (guint i = 0; i < takes_player_get_n_sources (player); i++)
        g_printerr ("# take %u shows frame %" G_GINT64_FORMAT " (pts %" GST_TIME_FORMAT
                    "), expected %" G_GINT64_FORMAT "\n",
                    i, sink_frame (player, i),
                    GST_TIME_ARGS (takes_video_sink_get_last_pts (
                      TAKES_VIDEO_SINK (takes_player_get_video_sink (player, i)))),
                    frame);
      g_assert_not_reached ();
    }

  /* Nothing else arrives afterwards: the frame stays */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < takes_player_get_n_sources (player); i++)
    g_assert_cmpint (sink_frame (player, i), ==, frame);
}

static TakesPlayer *
new_player (void)
{
  g_autoptr(TakesPlayer) player = takes_player_new ("takesvideosink");
  g_autoptr(GError) error = NULL;

  takes_player_set_uris (player, (const char * const *) clip_uris, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (takes_player_get_n_sources (player), ==, N_CLIPS);
  g_assert_true (wait_until (player, settled, NULL));

  return g_steal_pointer (&player);
}

static gint64
frame_time (gint64 frame)
{
  /* the middle of the frame, as the player's own steps do */
  return (gint64) ((frame + 0.5) * GST_SECOND / FPS);
}

static void
test_preroll (void)
{
  g_autoptr(TakesPlayer) player = new_player ();

  assert_all_at_frame (player, 0);
  g_assert_cmpfloat_with_epsilon (takes_player_get_fps (player, 0), FPS, 1e-6);
  g_assert_cmpint (takes_player_get_duration (player), >=, 2 * GST_SECOND - GST_MSECOND);
  g_assert_false (takes_player_get_playing (player));
}

/* Field 19 of /proc/self/task/TID/stat: the thread's nice value */
static int
thread_niceness (const char *tid)
{
  g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return G_MININT;
  /* the name in parentheses may hold spaces: count from its end */
  after_name = strrchr (contents, ')');
  if (after_name == NULL)
    return G_MININT;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 17)
    return G_MININT;

  return atoi (fields[16]);
}

static void
test_streaming_niceness (void)
{
  g_autoptr(TakesPlayer) player = new_player ();
  g_autofree char *main_tid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GDir) tasks = NULL;
  const char *tid;
  int main_nice = thread_niceness (main_tid);
  guint nicer = 0;

  assert_all_at_frame (player, 0);

  /* The streaming threads (and the decoders' own, which inherit it) give
   * way to the main thread, which has a frame period for each frame */
  tasks = g_dir_open ("/proc/self/task", 0, NULL);
  g_assert_nonnull (tasks);
  while ((tid = g_dir_read_name (tasks)) != NULL)
    if (thread_niceness (tid) > main_nice)
      nicer++;

  g_assert_cmpint (main_nice, !=, G_MININT);
  /* three files: a demuxer and a queue each, at least */
  g_assert_cmpuint (nicer, >=, 6);
}

static void
test_seek (void)
{
  g_autoptr(TakesPlayer) player = new_player ();
  static const gint64 frames[] = { 30, 7, 45, 12, 0, 47, 24 };

  /* Forwards and backwards, across the only keyframe and far from it */
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      takes_player_seek (player, frame_time (frames[i]));
      assert_all_at_frame (player, frames[i]);
    }
}

static void
test_step (void)
{
  g_autoptr(TakesPlayer) player = new_player ();
  gint64 frame = 10;

  takes_player_seek (player, frame_time (frame));
  assert_all_at_frame (player, frame);

  for (guint i = 0; i < 5; i++)
    {
      takes_player_step (player, 1);
      assert_all_at_frame (player, ++frame);
    }
  for (guint i = 0; i < 3; i++)
    {
      takes_player_step (player, -1);
      assert_all_at_frame (player, --frame);
    }

  /* At the ends a step stays put */
  takes_player_seek (player, frame_time (0));
  assert_all_at_frame (player, 0);
  takes_player_step (player, -1);
  assert_all_at_frame (player, 0);
  takes_player_seek (player, frame_time (CLIP_FRAMES - 1));
  assert_all_at_frame (player, CLIP_FRAMES - 1);
  takes_player_step (player, 1);
  assert_all_at_frame (player, CLIP_FRAMES - 1);
}

static void
test_coalesced_seeks (void)
{
  g_autoptr(TakesPlayer) player = new_player ();
  /* A scrub sends many positions; only the last one matters, and the
   * pipeline never has more than one seek to chew on. */
  for (gint64 f = 1; f <= 40; f++)
    takes_player_seek (player, frame_time (f));

  g_assert_true (takes_player_get_seeking (player));
  g_assert_cmpint (takes_player_get_position (player), ==, frame_time (40));
  assert_all_at_frame (player, 40);

  takes_player_seek (player, frame_time (5));
  assert_all_at_frame (player, 5);
}

typedef struct
{
  gint64 min_position;
} PlayData;

static gboolean
played_past (TakesPlayer *player,
             gpointer     data)
{
  PlayData *d = data;

  return takes_player_get_position (player) >= d->min_position;
}

static void
test_play_pause (void)
{
  g_autoptr(TakesPlayer) player = new_player ();
  PlayData d = { 12 * GST_SECOND / FPS };
  gint64 first;

  takes_player_play (player);
  g_assert_true (takes_player_get_playing (player));
  g_assert_true (wait_until (player, played_past, &d));
  takes_player_pause (player);
  g_assert_false (takes_player_get_playing (player));
  g_assert_true (wait_until (player, settled, NULL));

  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* Played in lock step: paused, every take shows the same frame, give or
   * take the one that was on its way. */
  first = sink_frame (player, 0);
  g_assert_cmpint (first, >=, 6);
  for (guint i = 1; i < N_CLIPS; i++)
    g_assert_cmpint (ABS (sink_frame (player, i) - first), <=, 1);

  /* And a step from there lines them up exactly */
  takes_player_step (player, 1);
  g_assert_true (wait_until (player, settled, NULL));
  first = sink_frame (player, 0);
  assert_all_at_frame (player, first);
}

static gboolean
wrapped (TakesPlayer *player,
         gpointer     data)
{
  gboolean *saw_wrap = data;

  return *saw_wrap;
}

static void
on_position (TakesPlayer *player,
             GParamSpec  *pspec,
             gpointer     user_data)
{
  gint64 *last = user_data;
  gint64 position = takes_player_get_position (player);

  if (position + GST_SECOND / 2 < last[0])
    last[1] = TRUE;
  last[0] = position;
}

static void
test_loop (void)
{
  g_autoptr(TakesPlayer) player = new_player ();
  gint64 state[2] = { 0, FALSE };

  takes_player_set_loop (player, TRUE);
  takes_player_seek (player, frame_time (CLIP_FRAMES - 6));
  assert_all_at_frame (player, CLIP_FRAMES - 6);

  state[0] = takes_player_get_position (player);
  g_signal_connect (player, "notify::position", G_CALLBACK (on_position), state);

  takes_player_play (player);
  g_assert_true (wait_until (player, (Condition) wrapped, &state[1]));
  g_assert_true (takes_player_get_playing (player));
  takes_player_pause (player);
  g_assert_true (wait_until (player, settled, NULL));
}

static void
on_error (TakesPlayer *player,
          guint        index,
          const char  *message,
          gpointer     user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strdup (message);
}

static gboolean
got_error (TakesPlayer *player,
           gpointer     data)
{
  return *(char **) data != NULL;
}

static void
test_error_names_file (void)
{
  g_autoptr(TakesPlayer) player = takes_player_new ("takesvideosink");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *missing = g_build_filename (clip_dir, "gone-take.mp4", NULL);
  g_autofree char *missing_uri = g_filename_to_uri (missing, NULL, NULL);
  const char *uris[] = { clip_uris[0], missing_uri, NULL };

  g_signal_connect (player, "error", G_CALLBACK (on_error), &message);
  takes_player_set_uris (player, uris, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (player, got_error, &message));
  g_assert_nonnull (strstr (message, "gone-take.mp4"));
}

static void
test_audio_source (void)
{
  g_autoptr(TakesPlayer) player = new_player ();

  /* Only the first clip has sound */
  g_assert_true (takes_player_source_has_audio (player, 0));
  g_assert_false (takes_player_source_has_audio (player, 1));
  g_assert_false (takes_player_source_has_audio (player, 2));

  g_assert_cmpint (takes_player_get_audio_source (player), ==, 0);
  takes_player_set_audio_source (player, 1);
  g_assert_cmpint (takes_player_get_audio_source (player), ==, 1);

  /* Switching sound keeps the pictures where they are, and playing on
   * with a silent take selected works */
  takes_player_seek (player, frame_time (20));
  assert_all_at_frame (player, 20);
  takes_player_set_audio_source (player, -1);
  takes_player_step (player, 1);
  assert_all_at_frame (player, 21);
}

static void
test_timecode (void)
{
  g_autofree char *a = takes_player_format_timecode (0, 24);
  g_autofree char *b = takes_player_format_timecode (GST_SECOND + 5 * GST_SECOND / 24 + 1, 24);
  g_autofree char *c = takes_player_format_timecode (3723 * GST_SECOND + GST_SECOND / 2, 30);
  g_autofree char *d = takes_player_format_timecode (frame_time (23), 24);

  g_assert_cmpstr (a, ==, "00:00:00:00");
  g_assert_cmpstr (b, ==, "00:00:01:05");
  g_assert_cmpstr (c, ==, "01:02:03:15");
  g_assert_cmpstr (d, ==, "00:00:00:23");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* gst-libav pulls in libhwy, whose constructor uses an instruction
   * valgrind 3.19 cannot decode (rdtscp): the decoders cannot load under
   * it. The sink's own memory checks are in test-video-sink. */
  if (g_getenv ("LD_PRELOAD") != NULL &&
      strstr (g_getenv ("LD_PRELOAD"), "vgpreload") != NULL)
    {
      g_print ("1..0 # SKIP H.264 decoding cannot run under valgrind (libhwy)\n");
      return 0;
    }

  gst_init (&argc, &argv);
  /* No sound device is needed; the clock still paces playback */
  g_setenv ("TAKES_AUDIO_SINK", "fakesink", FALSE);

  takes_video_sink_register ();
  make_clips ();

  g_test_add_func ("/Takes/Player/timecode", test_timecode);
  g_test_add_func ("/Takes/Sync/preroll-first-frame", test_preroll);
  g_test_add_func ("/Takes/Sync/streaming-threads-give-way", test_streaming_niceness);
  g_test_add_func ("/Takes/Sync/seek-lands-every-take-on-the-frame", test_seek);
  g_test_add_func ("/Takes/Sync/step-moves-every-take-by-one-frame", test_step);
  g_test_add_func ("/Takes/Sync/scrub-coalesces-seeks", test_coalesced_seeks);
  g_test_add_func ("/Takes/Sync/play-pause-stays-in-step", test_play_pause);
  g_test_add_func ("/Takes/Sync/loop-restarts", test_loop);
  g_test_add_func ("/Takes/Sync/audio-from-one-take", test_audio_source);
  g_test_add_func ("/Takes/Sync/error-names-the-file", test_error_names_file);

  ret = g_test_run ();

  remove_clips ();

  return ret;
}
