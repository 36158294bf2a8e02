/* save-crasher.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Saves two versions of a large project to one file, alternately and
 * forever, so that a test can kill it at random moments and check that
 * the file is always one version or the other, never a mix or a stub.
 *
 *   save-crasher --reference DIR   writes DIR/A.takes and DIR/B.takes, exits
 *   save-crasher FILE              saves A, prints "ready", then loops
 */

#include "config.h"

#include <stdio.h>

#include "takes-project.h"

#define N_SHOTS 200
#define N_TAKES 4

static TakesProject *
build (char version)
{
  TakesProject *project = takes_project_new ();
  g_autofree char *title = g_strdup_printf ("Version %c", version);

  takes_project_set_title (project, title);

  for (guint i = 0; i < N_SHOTS; i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autofree char *id = g_strdup_printf ("s-%012x", i);
      g_autofree char *prompt = g_strdup_printf ("Version %c, shot %u: a fishing harbour at dawn, mist over "
                                                 "the water, gulls circling, the light turning gold", version, i);

      takes_shot_set_id (shot, id);
      takes_shot_set_prompt (shot, prompt);
      takes_shot_set_duration (shot, version == 'A' ? 5.0 : 4.0);

      for (guint j = 0; j < N_TAKES; j++)
        {
          g_autoptr(TakesTake) take = takes_take_new ("kling", "kling-v2-master");
          g_autofree char *take_id = g_strdup_printf ("t-%08x%04x", i, j);
          g_autofree char *media = g_strdup_printf ("Film.media/%s.mp4", take_id);

          takes_take_set_id (take, take_id);
          takes_take_set_state (take, version == 'A' ? TAKES_TAKE_READY : TAKES_TAKE_QUEUED);
          takes_take_set_media (take, media);
          takes_take_set_probe (take, 5.0, 1920, 1080, 24.0, "H.264", NULL, FALSE);
          takes_shot_add_take (shot, take);
        }

      takes_project_append_shot (project, shot);
    }

  return project;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TakesProject) a = NULL;
  g_autoptr(TakesProject) b = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--reference"))
    {
      g_autofree char *path_a = g_build_filename (argv[2], "A.takes", NULL);
      g_autofree char *path_b = g_build_filename (argv[2], "B.takes", NULL);
      g_autoptr(GFile) file_a = g_file_new_for_path (path_a);
      g_autoptr(GFile) file_b = g_file_new_for_path (path_b);

      a = build ('A');
      b = build ('B');
      if (!takes_project_save (a, file_a, &error) || !takes_project_save (b, file_b, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (argc != 2)
    {
      g_printerr ("Usage: %s FILE | --reference DIR\n", argv[0]);
      return 2;
    }

  a = build ('A');
  b = build ('B');
  file = g_file_new_for_commandline_arg (argv[1]);

  if (!takes_project_save (a, file, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  printf ("ready\n");
  fflush (stdout);

  for (guint i = 0; ; i++)
    {
      if (!takes_project_save (i % 2 == 0 ? b : a, file, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
}
