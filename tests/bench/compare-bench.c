/* compare-bench.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Plays four 1280x720 takes in the real compare window for a while and
 * prints, per take, counted from the first frame shown once playing to
 * the last: the frames expected from their timestamps, the frames
 * GStreamer rendered, the frames handed to GTK and the frames GTK drew;
 * then the process CPU while playing and peak memory. Each frame rate
 * runs in a process of its own. As the baseline, in the same run,
 * a bare gst-launch-1.0 decode of the same four files to clock-synced
 * fakesinks. Run under Xvfb with GSK_RENDERER=cairo (meson does).
 *
 *   bench-compare [--seconds 20] [--fps 24,30] [--keep DIR]
 *
 * Goals (issue "watching takes"): no dropped frame at 24 and 30 fps on
 * two cores, peak memory under 400 MB. Prints figures; never fails on
 * speed. */

#define G_LOG_DOMAIN "bench-compare"

#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "takes-compare-view.h"
#include "takes-ui.h"
#include "takes-video-sink.h"

#define N_TAKES 4

static const char *patterns[N_TAKES] = {
  "pattern=ball",
  "pattern=smpte horizontal-speed=4",
  "pattern=zone-plate kx2=20 ky2=20 kt=1",
  "pattern=snow",
};

static double
timeval_seconds (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

static char *
make_clip (const char *dir,
           guint       index,
           int         fps,
           int         seconds)
{
  g_autofree char *name = g_strdup_printf ("take-%dfps-%u.mp4", fps, index);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;

  /* In a child process: the encoder's memory is not the player's */
  description = g_strdup_printf ("gst-launch-1.0 -q videotestsrc %s num-buffers=%d "
                                 "! video/x-raw,width=1280,height=720,framerate=%d/1 "
                                 "! timeoverlay ! videoconvert "
                                 "! x264enc speed-preset=superfast ! video/x-h264,profile=high "
                                 "! h264parse ! queue ! mp4mux name=mux ! filesink location='%s' "
                                 "audiotestsrc wave=sine freq=%u samplesperbuffer=%d num-buffers=%d "
                                 "! audio/x-raw,rate=48000,channels=2 ! audioconvert ! avenc_aac "
                                 "! aacparse ! queue ! mux.",
                                 patterns[index], fps * seconds, fps, path,
                                 440 + 110 * index, 48000 / fps, fps * seconds);
  if (!g_spawn_command_line_sync (description, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("Making %s failed: %s", path, error->message);

  return path;
}

typedef struct
{
  TakesVideoSink *sink;
  TakesVideoPaintable *paintable;
  gboolean counting;
  GstClockTime first_pts;       /* first frame handed while playing */
  /* counts when that frame came, less that frame */
  guint64 painted_before;
  guint64 handed_before;
  guint64 received_before;
} Track;

static guint64
sink_stat (TakesVideoSink *sink,
           const char     *name)
{
  g_autoptr(GstStructure) stats = NULL;
  guint64 value = 0;

  g_object_get (sink, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, name, &value);

  return value;
}

typedef struct
{
  GMainLoop *loop;
  TakesPlayer *player;
  Track tracks[N_TAKES];
  gboolean started;
  gboolean counting;
  guint64 paints;
  guint64 paints_out_of_step;   /* takes on different frames at a paint */
  guint64 max_skew;             /* in frames */
  int fps;
  gint64 start_time;
  struct rusage start_usage;
  int seconds;
} RunState;

static gboolean
on_stop (gpointer user_data)
{
  RunState *state = user_data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_REMOVE;
}

static void
on_frame_shown (TakesVideoSink *sink,
                guint64         pts,
                Track          *track)
{
  if (!track->counting)
    return;

  if (GST_CLOCK_TIME_IS_VALID (track->first_pts))
    return;

  track->first_pts = pts;
  /* this frame is handed over and rendered, not painted yet */
  track->painted_before = takes_video_paintable_get_n_painted (track->paintable);
  track->handed_before = takes_video_sink_get_frames_shown (sink) - 1;
  track->received_before = takes_video_sink_get_frames_received (sink) - 1;
}

static void
on_playing (TakesPlayer *player,
            GParamSpec  *pspec,
            RunState    *state)
{
  /* The view starts playing once every cell shows its first frame: the
   * measurement starts there, as a person watching would. */
  if (state->started || !takes_player_get_playing (player))
    return;

  state->started = TRUE;
  state->start_time = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &state->start_usage);
  for (guint i = 0; i < N_TAKES; i++)
    state->tracks[i].counting = TRUE;
  state->counting = TRUE;
  g_timeout_add_seconds (state->seconds, on_stop, state);
}

/* After each paint while playing: do the pictures show the same frame? */
static void
on_after_paint (GdkFrameClock *frame_clock,
                RunState      *state)
{
  GstClockTime low = GST_CLOCK_TIME_NONE, high = 0;
  guint64 skew;

  if (!state->counting)
    return;

  for (guint i = 0; i < N_TAKES; i++)
    {
      GdkTexture *texture = takes_video_paintable_get_texture (state->tracks[i].paintable);
      GstClockTime pts = texture != NULL ? takes_video_sink_get_texture_pts (texture) : GST_CLOCK_TIME_NONE;

      if (!GST_CLOCK_TIME_IS_VALID (pts))
        return;
      low = MIN (low, pts);
      high = MAX (high, pts);
    }

  skew = gst_util_uint64_scale_round (high - low, state->fps, GST_SECOND);
  state->paints++;
  if (skew > 0)
    state->paints_out_of_step++;
  state->max_skew = MAX (state->max_skew, skew);
}

static void
on_window_map (GtkWidget *window,
               RunState  *state)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), state);
}

static void
run_compare (const char *dir,
             char      **paths,
             int         fps,
             int         seconds)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(GPtrArray) takes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *project_path = g_build_filename (dir, "bench.takes", NULL);
  g_autoptr(GFile) project_file = g_file_new_for_path (project_path);
  struct rusage after;
  RunState state = { 0 };
  GtkWindow *window;
  TakesCompareView *view;
  double wall, cpu;
  gint64 settle;

  takes_project_set_file (project, project_file);
  takes_project_append_shot (project, shot);

  for (guint i = 0; i < N_TAKES; i++)
    {
      g_autoptr(TakesTake) take = takes_take_new ("animatic", "bench");
      g_autofree char *base = g_path_get_basename (paths[i]);

      takes_take_set_media (take, base);
      takes_take_set_state (take, TAKES_TAKE_READY);
      takes_take_set_probe (take, seconds + 1, 1280, 720, fps, "H.264", "AAC", TRUE);
      takes_shot_add_take (shot, take);
      g_ptr_array_add (takes, g_object_ref (take));
    }

  window = takes_compare_window_present (NULL, project, shot, takes, NULL);
  gtk_window_set_default_size (window, 1280, 860);
  view = TAKES_COMPARE_VIEW (gtk_widget_get_last_child (adw_window_get_content (ADW_WINDOW (window))));
  state.loop = g_main_loop_new (NULL, FALSE);
  state.player = takes_compare_view_get_player (view);
  state.seconds = seconds;
  state.fps = fps;
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_window_map (GTK_WIDGET (window), &state);
  else
    g_signal_connect (window, "map", G_CALLBACK (on_window_map), &state);
  for (guint i = 0; i < N_TAKES; i++)
    {
      Track *track = &state.tracks[i];

      track->sink = TAKES_VIDEO_SINK (takes_player_get_video_sink (state.player, i));
      track->paintable = takes_video_sink_get_paintable (track->sink);
      track->first_pts = GST_CLOCK_TIME_NONE;
      g_signal_connect (track->sink, "frame-shown", G_CALLBACK (on_frame_shown), track);
    }
  g_signal_connect (state.player, "notify::playing", G_CALLBACK (on_playing), &state);

  g_main_loop_run (state.loop);
  wall = (g_get_monotonic_time () - state.start_time) / 1e6;
  getrusage (RUSAGE_SELF, &after);
  cpu = timeval_seconds (&after.ru_utime) + timeval_seconds (&after.ru_stime)
        - timeval_seconds (&state.start_usage.ru_utime) - timeval_seconds (&state.start_usage.ru_stime);

  /* Stop, then let the last frame handed over be painted, so that frames
   * handed and frames painted end on the same one */
  takes_player_pause (state.player);
  state.counting = FALSE;
  for (guint i = 0; i < N_TAKES; i++)
    state.tracks[i].counting = FALSE;
  settle = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < settle)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);

  g_print ("compare view, 4 x 1280x720 @ %d fps, %.1f s played (window 1280x860, GSK_RENDERER=%s)\n",
           fps, wall, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  g_print ("  %-6s %9s %9s %9s %9s %9s %9s\n",
           "take", "expected", "rendered", "handed", "painted", "qos-drop", "dropped");

  for (guint i = 0; i < N_TAKES; i++)
    {
      Track *track = &state.tracks[i];
      guint64 expected = 0, rendered = 0, handed = 0, painted = 0;
      GstClockTime last_pts = takes_video_sink_get_last_pts (track->sink);
      int width = 0, height = 0;

      /* Every frame from the first handed while playing to the last one
       * should have reached the screen */
      if (GST_CLOCK_TIME_IS_VALID (track->first_pts) && last_pts >= track->first_pts)
        {
          expected = gst_util_uint64_scale_round (last_pts - track->first_pts, fps, GST_SECOND) + 1;
          painted = takes_video_paintable_get_n_painted (track->paintable) - track->painted_before;
          handed = takes_video_sink_get_frames_shown (track->sink) - track->handed_before;
          rendered = takes_video_sink_get_frames_received (track->sink) - track->received_before;
        }

      g_object_get (track->sink, "width", &width, "height", &height, NULL);

      g_print ("  %-6c %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT
               " %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT "   (frames %dx%d)\n",
               'A' + i, expected, rendered, handed, painted, sink_stat (track->sink, "dropped"),
               expected > painted ? expected - painted : 0,
               width, height);
    }

  g_print ("  %" G_GUINT64_FORMAT " paints, %" G_GUINT64_FORMAT " with the takes on different frames "
           "(at most %" G_GUINT64_FORMAT " apart)\n",
           state.paints, state.paints_out_of_step, state.max_skew);
  g_print ("  process CPU %.2f s while playing (%.0f%% of one core), peak RSS %.0f MB\n",
           cpu, 100.0 * cpu / wall, after.ru_maxrss / 1024.0);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_main_loop_unref (state.loop);
}

static void
run_baseline (char **paths,
              int    fps,
              int    seconds)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  struct rusage after;
  GPid pid;
  gint64 start;
  double wall, cpu;
  int status;

  g_ptr_array_add (argv, g_strdup ("gst-launch-1.0"));
  g_ptr_array_add (argv, g_strdup ("-q"));
  for (guint i = 0; i < N_TAKES; i++)
    {
      g_ptr_array_add (argv, g_strdup ("filesrc"));
      g_ptr_array_add (argv, g_strdup_printf ("location=%s", paths[i]));
      g_ptr_array_add (argv, g_strdup ("!"));
      g_ptr_array_add (argv, g_strdup ("qtdemux"));
      g_ptr_array_add (argv, g_strdup ("!"));
      g_ptr_array_add (argv, g_strdup ("h264parse"));
      g_ptr_array_add (argv, g_strdup ("!"));
      g_ptr_array_add (argv, g_strdup ("avdec_h264"));
      g_ptr_array_add (argv, g_strdup ("!"));
      g_ptr_array_add (argv, g_strdup ("fakesink"));
      g_ptr_array_add (argv, g_strdup ("sync=true"));
    }
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, (char **) argv->pdata, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                      NULL, NULL, &pid, &error))
    {
      g_print ("baseline: cannot run gst-launch-1.0: %s\n", error->message);
      return;
    }
  /* This child's own figures, not those of the clip makers before it */
  memset (&after, 0, sizeof after);
  wait4 (pid, &status, 0, &after);
  wall = (g_get_monotonic_time () - start) / 1e6;

  cpu = timeval_seconds (&after.ru_utime) + timeval_seconds (&after.ru_stime);
  g_print ("baseline gst-launch-1.0, 4 x decode to fakesink sync=true @ %d fps: %.1f s, "
           "CPU %.2f s (%.0f%% of one core; %.2f s per %d s played), peak RSS %.0f MB\n",
           fps, wall, cpu, 100.0 * cpu / wall, cpu * seconds / wall, seconds,
           after.ru_maxrss / 1024.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fps_list = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *self_path = NULL;
  g_auto(GStrv) fps_values = NULL;
  int seconds = 20;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "How long to play", "S" },
    { "fps", 0, 0, G_OPTION_ARG_STRING, &fps_list, "Frame rates to try (comma separated)", "LIST" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Make and keep the clips in DIR", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  gst_init (&argc, &argv);
  adw_init ();
  takes_ui_init ();
  takes_video_sink_register ();

  if (keep != NULL)
    {
      g_mkdir_with_parents (keep, 0755);
      dir = g_strdup (keep);
    }
  else
    dir = g_dir_make_tmp ("takes-bench-XXXXXX", NULL);

  fps_values = g_strsplit (fps_list ? fps_list : "24,30", ",", -1);

  /* Each frame rate in a process of its own: peak memory is a high-water
   * mark, and the second run would otherwise inherit the first one's. */
  if (g_strv_length (fps_values) > 1)
    {
      for (guint f = 0; fps_values[f] != NULL; f++)
        {
          g_autofree char *seconds_arg = g_strdup_printf ("%d", seconds);
          const char *child_argv[] = {
            self_path, "--fps", fps_values[f], "--seconds", seconds_arg, "--keep", dir, NULL
          };
          g_autoptr(GError) spawn_error = NULL;
          int status;

          if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                             NULL, NULL, NULL, NULL, &status, &spawn_error) ||
              !g_spawn_check_wait_status (status, &spawn_error))
            g_print ("run at %s fps failed: %s\n", fps_values[f], spawn_error->message);
        }
    }
  else if (atoi (fps_values[0]) > 0)
    {
      int fps = atoi (fps_values[0]);
      char *paths[N_TAKES + 1] = { NULL };

      g_print ("making 4 clips of %d s at %d fps in %s…\n", seconds + 1, fps, dir);
      for (guint i = 0; i < N_TAKES; i++)
        paths[i] = make_clip (dir, i, fps, seconds + 1);

      run_baseline (paths, fps, seconds);
      run_compare (dir, paths, fps, seconds);

      for (guint i = 0; i < N_TAKES; i++)
        {
          if (keep == NULL)
            g_unlink (paths[i]);
          g_free (paths[i]);
        }
    }

  if (keep == NULL)
    {
      /* the children were told to keep their clips in this folder */
      g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
      const char *name;

      while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (dir);
    }

  return 0;
}
