/* engine-runner.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Generates takes for a project against a fake provider, as the app
 * would, so that a test can kill it with SIGKILL at any moment and start
 * it again: `engine-runner PROJECT.takes BASE_URL N_TAKES`. It resumes
 * what the project holds, gives every shot without takes N new ones, and
 * exits 0 once nothing is in flight. */

#define G_LOG_DOMAIN "engine-runner"

#include "config.h"

#include <stdlib.h>

#include <gst/gst.h>

#include "fake-backend.h"
#include "takes-job-engine.h"

static void
on_idle (TakesJobEngine *engine,
         gpointer        user_data)
{
  g_main_loop_quit (user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesFakeBackend) fake = NULL;
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_takes = 0;

  if (argc != 4 || !g_ascii_string_to_unsigned (argv[3], 10, 1, 100, &n_takes, NULL))
    {
      g_printerr ("Usage: %s PROJECT.takes BASE_URL N_TAKES\n", argv[0]);
      return 2;
    }

  gst_init (NULL, NULL);

  file = g_file_new_for_commandline_arg (argv[1]);
  project = takes_project_load (file, NULL, &error);
  if (project == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  fake = takes_fake_backend_new (argv[2]);
  takes_http_set_retry_policy (takes_backend_get_http (TAKES_BACKEND (fake)), 4, 10, 50);
  takes_http_set_deadlines (takes_backend_get_http (TAKES_BACKEND (fake)), 10, 20, 2);
  takes_fake_backend_set_concurrency_limit (fake, 2);
  registry = takes_backend_registry_new_empty ();
  takes_backend_registry_add (registry, TAKES_BACKEND (fake));

  engine = takes_job_engine_new (project, registry);
  takes_job_engine_set_poll_intervals (engine, 20, 100);
  takes_job_engine_resume (engine);

  for (guint i = 0; i < takes_project_get_n_shots (project); i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);
      g_autoptr(GPtrArray) takes = NULL;

      if (g_list_model_get_n_items (takes_shot_get_takes (shot)) > 0)
        continue;

      takes = takes_job_engine_generate (engine, shot, "fake", NULL, (guint)n_takes, &error);
      if (takes == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (engine, "idle", G_CALLBACK (on_idle), loop);
  if (takes_job_engine_get_n_active (engine) > 0)
    g_main_loop_run (loop);

  takes_job_engine_shutdown (engine);

  return 0;
}
