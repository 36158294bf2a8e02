/* engine-bench.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What waiting on many generations costs, and whether downloads stream.
 *
 * 1. 200 takes in flight against the fake provider (tasks that never
 *    finish, polled every 5 s once the backoff has grown): process CPU
 *    time over a 30 s window as a share of one core (goal < 2 %), and the
 *    main loop's responsiveness, measured by a 10 ms timer's lateness
 *    (goal: no stall over 50 ms).
 * 2. Downloads of a 20 MB and a 200 MB clip through the backend's
 *    streaming download (what the engine uses): peak RSS growth (goal: it
 *    does not grow with the clip's size).
 *
 * The fake provider runs in a child process (this program with --serve),
 * as a real one would be elsewhere, so the figures are the app's own.
 *
 *   bench-engine [--takes N] [--window SECONDS]
 */

#define G_LOG_DOMAIN "bench-engine"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "fake-backend.h"
#include "fake-kit.h"
#include "takes-job-engine.h"

#define GOAL_CPU_PERCENT 2.0
#define GOAL_STALL_MS    50.0
#define POLL_CAP_MS      5000
#define TICK_MS          10

/* ---- The provider, in a child ------------------------------------------------- */

static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[64];

  if ((condition & G_IO_IN) && read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
serve (guint polls,
       guint file_mb)
{
  g_autoptr(TakesFakeKit) kit = takes_fake_kit_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  takes_fake_kit_set_polls_until_done (kit, polls);
  if (file_mb > 0)
    {
      gsize size = (gsize)file_mb * 1024 * 1024;
      guint8 *data = g_malloc (size);

      for (gsize i = 0; i < size; i++)
        data[i] = (guint8)(i * 131 + (i >> 12));
      takes_fake_kit_set_file_content (kit, g_bytes_new_take (data, size));
    }

  printf ("%s\n", takes_fake_kit_get_base_url (kit));
  fflush (stdout);

  /* Until the parent closes our stdin (or dies). */
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  g_main_loop_run (loop);

  return 0;
}

typedef struct
{
  GSubprocess *process;
  char        *base_url;
} Provider;

static Provider *
provider_start (const char *self_path,
                guint       polls,
                guint       file_mb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *polls_arg = g_strdup_printf ("%u", polls);
  g_autofree char *mb_arg = g_strdup_printf ("%u", file_mb);
  Provider *provider = g_new0 (Provider, 1);

  provider->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                        &error, self_path, "--serve", polls_arg, mb_arg, NULL);
  if (provider->process == NULL)
    g_error ("Could not start the fake provider: %s", error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (provider->process));
  provider->base_url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (provider->base_url == NULL)
    g_error ("The fake provider did not start: %s", error != NULL ? error->message : "no address");

  return provider;
}

static void
provider_stop (Provider *provider)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (provider->process), NULL, NULL);
  g_subprocess_wait (provider->process, NULL, NULL);
  g_object_unref (provider->process);
  g_free (provider->base_url);
  g_free (provider);
}

/* ---- Measuring ----------------------------------------------------------------- */

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;

  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

typedef struct
{
  gint64 last;
  gint64 max_late;
  guint  ticks;
  guint  over_goal;
  GArray *lateness;  /* gint64 µs, when collected */
} Ticker;

static gboolean
on_tick (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0)
    {
      gint64 late = now - ticker->last - TICK_MS * 1000;

      ticker->max_late = MAX (ticker->max_late, late);
      if (late >= GOAL_STALL_MS * 1000)
        ticker->over_goal++;
      if (ticker->lateness != NULL)
        g_array_append_val (ticker->lateness, late);
    }
  ticker->last = now;
  ticker->ticks++;

  return G_SOURCE_CONTINUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *values,
               double  fraction)
{
  if (values->len == 0)
    return 0;

  g_array_sort (values, compare_gint64);

  return g_array_index (values, gint64, MIN (values->len - 1, (guint)(values->len * fraction))) / 1000.0;
}

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin_for (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);
  guint wake = g_timeout_add (100, on_wake, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
}

static const char *
load_average (void)
{
  static char text[128];
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return "unknown\n";

  g_strlcpy (text, contents, sizeof text);

  return text;
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *message,
                   gpointer     user_data)
{
  guint *count = user_data;

  if (g_str_equal (soup_message_get_method (message), "GET"))
    (*count)++;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- 1. Waiting on many takes ------------------------------------------------------- */

static gboolean
all_submitted (TakesProject *project)
{
  for (guint i = 0; i < takes_project_get_n_shots (project); i++)
    {
      GListModel *takes = takes_shot_get_takes (takes_project_get_shot (project, i));

      for (guint j = 0; j < g_list_model_get_n_items (takes); j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);

          if (takes_take_get_remote_id (take) == NULL &&
              takes_take_state_is_in_flight (takes_take_get_state (take)))
            return FALSE;
        }
    }

  return TRUE;
}

static void
bench_waiting (const char *self_path,
               const char *dir,
               guint       n_takes,
               double      window)
{
  Provider *provider = provider_start (self_path, 1000000, 0);
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new (provider->base_url);
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "Bench.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SoupSession *session;
  Ticker ticker = { 0 };
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_shots = MAX (1, n_takes / 10);
  guint polls = 0, tick_id;
  gint64 started, start_wall;
  double cpu_start, cpu, wall, percent, stall_ms, ticker_percent;

  takes_fake_backend_set_concurrency_limit (fake, n_takes);
  takes_backend_registry_add (registry, TAKES_BACKEND (fake));

  for (guint i = 0; i < n_shots; i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autofree char *prompt = g_strdup_printf ("Shot %u: waves on the harbour wall", i + 1);

      takes_shot_set_prompt (shot, prompt);
      takes_project_append_shot (project, shot);
    }
  if (!takes_project_save (project, file, &error))
    g_error ("%s", error->message);

  /* What the measuring itself costs: the 10 ms ticker on an idle loop. */
  {
    Ticker idle = { 0 };
    guint idle_id = g_timeout_add (TICK_MS, on_tick, &idle);
    double idle_cpu = cpu_seconds ();
    gint64 idle_start = g_get_monotonic_time ();

    spin_for (5);
    idle_cpu = cpu_seconds () - idle_cpu;
    g_source_remove (idle_id);
    ticker_percent = 100.0 * idle_cpu / ((g_get_monotonic_time () - idle_start) / 1e6);
    printf ("  the 10 ms ticker alone:       %.2f %% of one core, worst stall %.1f ms\n",
            ticker_percent, idle.max_late / 1000.0);
  }

  engine = takes_job_engine_new (project, registry);
  takes_job_engine_set_poll_intervals (engine, 1000, POLL_CAP_MS);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < n_shots; i++)
    {
      guint n = n_takes / n_shots + (i < n_takes % n_shots ? 1 : 0);
      g_autoptr(GPtrArray) takes = takes_job_engine_generate (engine, takes_project_get_shot (project, i),
                                                              "fake", NULL, n, &error);

      if (takes == NULL)
        g_error ("%s", error->message);
    }

  while (!all_submitted (project))
    spin_for (0.1);

  printf ("  %u takes submitted in %.2f s (one save before all creates)\n",
          takes_job_engine_get_n_active (engine),
          (g_get_monotonic_time () - started) / 1e6);

  /* Let the backoff reach its cap, as on an afternoon of waiting. */
  spin_for (12);

  session = takes_http_get_session (takes_backend_get_http (TAKES_BACKEND (fake)));
  g_signal_connect (session, "request-queued", G_CALLBACK (on_request_queued), &polls);
  ticker.lateness = lateness;
  tick_id = g_timeout_add (TICK_MS, on_tick, &ticker);

  cpu_start = cpu_seconds ();
  start_wall = g_get_monotonic_time ();
  spin_for (window);
  cpu = cpu_seconds () - cpu_start;
  wall = (g_get_monotonic_time () - start_wall) / 1e6;

  g_source_remove (tick_id);
  g_signal_handlers_disconnect_by_func (session, on_request_queued, &polls);

  percent = 100.0 * cpu / wall;
  stall_ms = ticker.max_late / 1000.0;

  printf ("  takes still in flight:        %u\n", takes_job_engine_get_n_active (engine));
  printf ("  polls in the %.0f s window:     %u (%.1f per second)\n", wall, polls, polls / wall);
  printf ("  CPU while waiting:            %.2f %% of one core, of which the measuring ticker %.2f %%\n",
          percent, ticker_percent);
  printf ("  CPU while waiting, net:       %.2f %% of one core   (goal < %.0f %%) %s\n",
          percent - ticker_percent, GOAL_CPU_PERCENT,
          percent - ticker_percent < GOAL_CPU_PERCENT ? "OK" : "OVER");
  printf ("  main loop, worst stall:       %.1f ms over %u ticks of %d ms   (goal < %.0f ms) %s\n",
          stall_ms, ticker.ticks, TICK_MS, GOAL_STALL_MS, stall_ms < GOAL_STALL_MS ? "OK" : "OVER");
  printf ("  main loop, lateness:          median %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %u ticks late by %.0f ms or more\n",
          percentile_ms (lateness, 0.5), percentile_ms (lateness, 0.99), percentile_ms (lateness, 0.999),
          ticker.over_goal, GOAL_STALL_MS);
  printf ("  machine load average:         %s", load_average ());

  takes_job_engine_shutdown (engine);
  provider_stop (provider);
}

/* ---- 2. Streaming downloads ---------------------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  double        peak_rss;
} DownloadWait;

static void
on_async (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  DownloadWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
on_sample_rss (gpointer user_data)
{
  DownloadWait *wait = user_data;

  wait->peak_rss = MAX (wait->peak_rss, rss_mb ());

  return G_SOURCE_CONTINUE;
}

static void
bench_download (const char *self_path,
                const char *dir,
                guint       file_mb)
{
  Provider *provider = provider_start (self_path, 1, file_mb);
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new (provider->base_url);
  g_autoptr(TakesGenerationRequest) request = takes_generation_request_new ("A long take");
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = g_build_filename (dir, "download.mp4", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  DownloadWait wait = { NULL, 0 };
  double baseline, seconds;
  gint64 start;
  guint sampler;

  takes_generation_request_set_duration (request, 5);
  takes_backend_submit_async (TAKES_BACKEND (fake), request, NULL, on_async, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  task_id = takes_backend_submit_finish (TAKES_BACKEND (fake), wait.result, NULL, &error);
  g_clear_object (&wait.result);
  if (task_id == NULL)
    g_error ("%s", error->message);

  url = g_strdup_printf ("%s/files/%s", provider->base_url, task_id);
  g_unlink (path);

  baseline = rss_mb ();
  wait.peak_rss = baseline;
  sampler = g_timeout_add (20, on_sample_rss, &wait);
  start = g_get_monotonic_time ();

  takes_backend_download_async (TAKES_BACKEND (fake), request, task_id, url, destination,
                                NULL, NULL, NULL, NULL, on_async, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (sampler);
  on_sample_rss (&wait);

  if (!takes_backend_download_finish (TAKES_BACKEND (fake), wait.result, &error))
    g_error ("The download failed: %s", error->message);
  g_clear_object (&wait.result);

  info = g_file_query_info (destination, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  printf ("  download %3u MB:  %6.1f MB/s, file %s, peak RSS growth %.1f MB (RSS %.1f → %.1f MB)\n",
          file_mb, file_mb / seconds,
          info != NULL && g_file_info_get_size (info) == (goffset)file_mb * 1024 * 1024 ? "complete" : "WRONG SIZE",
          wait.peak_rss - baseline, baseline, wait.peak_rss);

  g_unlink (path);
  provider_stop (provider);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *self_path = NULL;
  int n_takes = 200;
  double window = 30;

  if (argc == 4 && g_str_equal (argv[1], "--serve"))
    return serve ((guint)atoi (argv[2]), (guint)atoi (argv[3]));

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--takes"))
        n_takes = MAX (1, atoi (argv[i + 1]));
      else if (g_str_equal (argv[i], "--window"))
        window = MAX (1, g_ascii_strtod (argv[i + 1], NULL));
    }

  gst_init (NULL, NULL);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  dir = g_dir_make_tmp ("takes-bench-engine-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  printf ("engine: %d takes in flight, polled every %d s at most (provider in another process)\n",
          n_takes, POLL_CAP_MS / 1000);
  bench_waiting (self_path, dir, (guint)n_takes, window);

  printf ("engine: streaming downloads (goal: RSS does not grow with the clip's size)\n");
  bench_download (self_path, dir, 20);
  bench_download (self_path, dir, 200);

  remove_tree (dir);

  return 0;
}
