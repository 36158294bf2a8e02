/* scale.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How long a big project takes to save and to open: 500 shots with 4
 * takes each, built through the model API, saved and loaded RUNS times.
 * Prints medians beside the goals and beside the cost of parsing the same
 * JSON alone, the floor that no loader can beat.
 *
 *   bench-scale [--shots N] [--takes N] [--runs N] [--keep DIR]
 */

#define G_LOG_DOMAIN "bench-scale"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "takes-project.h"

#define GOAL_LOAD_S 0.5
#define GOAL_SAVE_S 0.1

static const char *backends[] = { "animatic", "kling", "sora", "comfyui" };
static const char *models[] = { "animatic-1", "kling-v2-master", "sora-2", "wan2.1" };

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static TakesTake *
make_take (guint       shot_index,
           guint       take_index,
           const char *prompt)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autofree char *media = NULL;
  g_autofree char *thumb = NULL;
  g_autofree char *remote = NULL;
  TakesTake *take;
  guint b = take_index % G_N_ELEMENTS (backends);

  take = takes_take_new (backends[b], models[b]);

  json_object_set_string_member (request, "prompt", prompt);
  json_object_set_string_member (request, "negative_prompt", "blurry, text, watermark");
  json_object_set_double_member (request, "duration", 5.0);
  json_object_set_string_member (request, "aspect_ratio", "16:9");
  json_object_set_int_member (request, "seed", (gint64) shot_index * 131 + take_index);
  takes_take_set_request (take, request);

  remote = g_strdup_printf ("task-%08u-%u", shot_index, take_index);
  takes_take_set_remote_id (take, remote);
  takes_take_set_state (take, TAKES_TAKE_READY);
  takes_take_set_progress (take, 1.0);
  media = g_strdup_printf ("Scale.media/shot-%03u-take-%u.mp4", shot_index, take_index);
  thumb = g_strdup_printf ("Scale.media/shot-%03u-take-%u.jpg", shot_index, take_index);
  takes_take_set_media (take, media);
  takes_take_set_thumbnail (take, thumb);
  takes_take_set_probe (take, 5.041, 1920, 1080, 24.0, "h264", "aac", take_index % 2 == 0);
  takes_take_set_cost_estimate (take, 0.35);
  takes_take_set_cost_actual (take, 0.35);
  takes_take_set_created (take, 1767225600 + shot_index * 60);
  takes_take_set_submitted (take, 1767225601 + shot_index * 60);
  takes_take_set_finished (take, 1767225700 + shot_index * 60);
  takes_take_set_rating (take, (int) (take_index % 6));
  takes_take_set_notes (take, "Good light, slight flicker in the last second.");

  return take;
}

static TakesProject *
make_project (guint n_shots,
              guint n_takes)
{
  TakesProject *project = takes_project_new ();

  takes_project_set_title (project, "Scale");
  takes_project_set_size (project, 1920, 1080);
  takes_project_set_fps (project, 24.0);

  for (guint i = 0; i < n_shots; i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autofree char *title = g_strdup_printf ("Shot %u on the harbour", i + 1);
      g_autofree char *prompt =
        g_strdup_printf ("Wide shot %u: a fishing harbour at dawn, mist over the water, "
                         "gulls circling the masts, a trawler slowly leaving the quay, "
                         "warm low sun from the left, 35 mm film look, gentle dolly in.",
                         i + 1);
      TakesTake *picked = NULL;

      takes_shot_set_title (shot, title);
      takes_shot_set_prompt (shot, prompt);
      takes_shot_set_negative_prompt (shot, "blurry, text, watermark");
      takes_shot_set_duration (shot, 5.0);
      takes_shot_set_aspect (shot, "16:9");
      takes_shot_set_seed (shot, (gint64) i * 7919);
      takes_shot_set_notes (shot, "Match the colour of the previous shot.");

      for (guint t = 0; t < n_takes; t++)
        {
          g_autoptr(TakesTake) take = make_take (i, t, prompt);

          takes_shot_add_take (shot, take);
          if (picked == NULL)
            picked = take;
        }
      if (picked != NULL)
        takes_shot_set_picked_take_id (shot, takes_take_get_id (picked));

      takes_project_append_shot (project, shot);
    }

  return project;
}

int
main (int   argc,
      char *argv[])
{
  int n_shots = 500, n_takes = 4, runs = 5;
  g_autofree char *keep = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  double *save_s, *load_s, *parse_s, *build_s;
  double save_m, load_m, parse_m, build_m;
  GOptionEntry entries[] = {
    { "shots", 0, 0, G_OPTION_ARG_INT, &n_shots, "Shots in the project", "N" },
    { "takes", 0, 0, G_OPTION_ARG_INT, &n_takes, "Takes per shot", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs to take the median of", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Write the project here and keep it", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("- time saving and opening a large project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_shots < 1 || n_takes < 0 || runs < 1)
    {
      g_printerr ("--shots and --runs must be at least 1\n");
      return 2;
    }

  if (keep != NULL)
    {
      g_mkdir_with_parents (keep, 0755);
      dir = g_strdup (keep);
    }
  else if ((dir = g_dir_make_tmp ("takes-bench-XXXXXX", &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "Scale.takes", NULL);
  file = g_file_new_for_path (path);

  save_s = g_new0 (double, runs);
  load_s = g_new0 (double, runs);
  parse_s = g_new0 (double, runs);
  build_s = g_new0 (double, runs);

  for (int r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();

      g_clear_object (&project);
      project = make_project (n_shots, n_takes);
      build_s[r] = seconds_since (start);
    }

  for (int r = 0; r < runs; r++)
    {
      gint64 start;

      /* Each save must really write: mark the project changed. */
      takes_project_set_title (project, r % 2 ? "Scale" : "Scale ");
      start = g_get_monotonic_time ();
      if (!takes_project_save (project, file, &error))
        {
          g_printerr ("save failed: %s\n", error->message);
          return 1;
        }
      save_s[r] = seconds_since (start);
    }

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(TakesProject) loaded = NULL;
      gint64 start = g_get_monotonic_time ();

      loaded = takes_project_load (file, NULL, &error);
      load_s[r] = seconds_since (start);
      if (loaded == NULL)
        {
          g_printerr ("load failed: %s\n", error->message);
          return 1;
        }
      if (takes_project_get_n_shots (loaded) != (guint) n_shots)
        {
          g_printerr ("loaded %u shots, expected %d\n",
                      takes_project_get_n_shots (loaded), n_shots);
          return 1;
        }
    }

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gint64 start = g_get_monotonic_time ();

      if (!json_parser_load_from_data (parser, data, (gssize) length, &error))
        {
          g_printerr ("parse failed: %s\n", error->message);
          return 1;
        }
      parse_s[r] = seconds_since (start);
    }

  build_m = median (build_s, runs);
  save_m = median (save_s, runs);
  load_m = median (load_s, runs);
  parse_m = median (parse_s, runs);

  printf ("project: %d shots x %d takes, %.1f MiB, medians of %d runs\n",
          n_shots, n_takes, length / (1024.0 * 1024.0), runs);
  printf ("%-28s %10s %10s %8s\n", "step", "median", "goal", "verdict");
  printf ("%-28s %8.1f ms %10s %8s\n", "build in memory", build_m * 1000, "-", "-");
  printf ("%-28s %8.1f ms %7.0f ms %8s\n", "save (atomic, fsync)", save_m * 1000,
          GOAL_SAVE_S * 1000, save_m <= GOAL_SAVE_S ? "met" : "MISSED");
  printf ("%-28s %8.1f ms %7.0f ms %8s\n", "load (validated)", load_m * 1000,
          GOAL_LOAD_S * 1000, load_m <= GOAL_LOAD_S ? "met" : "MISSED");
  printf ("%-28s %8.1f ms %10s %8s\n", "JSON parse alone (baseline)", parse_m * 1000, "-", "-");
  printf ("load / parse: %.2fx\n", parse_m > 0 ? load_m / parse_m : 0.0);
  /* One machine-readable line for run-all.sh */
  printf ("RESULT scale save_ms=%.1f load_ms=%.1f parse_ms=%.1f size_bytes=%" G_GSIZE_FORMAT "\n",
          save_m * 1000, load_m * 1000, parse_m * 1000, length);

  if (keep == NULL)
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (dir, name, NULL);
          g_remove (child);
        }
      g_rmdir (dir);
    }

  g_free (save_s);
  g_free (load_s);
  g_free (parse_s);
  g_free (build_s);

  return 0;
}
