/* test-save-crash.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "takes-project.h"

#define KILLS 120

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }

  g_rmdir (path);
}

static char *
reference_data (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = takes_project_load (file, NULL, &error);
  g_assert_no_error (error);

  return takes_project_to_data (project, NULL);
}

static void
test_kill_during_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("takes-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Film.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSubprocess) reference = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  g_autofree char *data_a = NULL;
  g_autofree char *data_b = NULL;
  guint seen_a = 0;
  guint seen_b = 0;

  g_assert_no_error (error);

  reference = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, SAVE_CRASHER, "--reference", dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (reference, NULL, &error));
  g_assert_no_error (error);

  data_a = reference_data (dir, "A.takes");
  data_b = reference_data (dir, "B.takes");
  g_assert_cmpstr (data_a, !=, data_b);

  for (guint i = 0; i < KILLS; i++)
    {
      g_autoptr(GSubprocess) crasher = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(TakesProject) project = NULL;
      g_autofree char *line = NULL;
      g_autofree char *data = NULL;

      crasher = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, SAVE_CRASHER, path, NULL);
      g_assert_no_error (error);

      /* From here on every instant is either mid-save or between saves. */
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (crasher));
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "ready");

      g_usleep (g_rand_int_range (rand, 0, 60000));
      g_subprocess_send_signal (crasher, SIGKILL);
      g_subprocess_wait (crasher, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (crasher));

      project = takes_project_load (file, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (project);

      data = takes_project_to_data (project, NULL);
      if (g_str_equal (data, data_a))
        seen_a++;
      else if (g_str_equal (data, data_b))
        seen_b++;
      else
        g_assert_not_reached ();
    }

  g_test_message ("after %u kills: %u times version A, %u times version B", KILLS, seen_a, seen_b);
  g_assert_cmpuint (seen_a + seen_b, ==, KILLS);
  /* Both outcomes happen, or the kills did not land during saves at all. */
  g_assert_cmpuint (seen_a, >, 0);
  g_assert_cmpuint (seen_b, >, 0);

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Takes/Project/save-survives-kill-9", test_kill_during_save);

  return g_test_run ();
}
