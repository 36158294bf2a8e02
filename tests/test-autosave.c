/* test-autosave.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "takes-autosave.h"
#include "takes-model-private.h"

typedef struct
{
  char  *dir;
  GFile *autosave_dir;
  char  *project_path;
  GFile *project_file;
} Fixture;

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

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *autosave = NULL;

  fixture->dir = g_dir_make_tmp ("takes-autosave-XXXXXX", &error);
  g_assert_no_error (error);

  /* Not created yet: the autosave makes its own folder. */
  autosave = g_build_filename (fixture->dir, "data", "takes", "autosave", NULL);
  fixture->autosave_dir = g_file_new_for_path (autosave);
  fixture->project_path = g_build_filename (fixture->dir, "Harbour.takes", NULL);
  fixture->project_file = g_file_new_for_path (fixture->project_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->project_path);
  g_clear_object (&fixture->autosave_dir);
  g_clear_object (&fixture->project_file);
}

static GFile *
sidecar_of (TakesAutosave *autosave)
{
  g_autofree char *path = g_strdup (g_file_peek_path (takes_autosave_get_file (autosave)));

  g_assert_true (g_str_has_suffix (path, ".takes"));
  strcpy (path + strlen (path) - strlen (".takes"), ".json");

  return g_file_new_for_path (path);
}

static TakesProject *
saved_project (Fixture *fixture)
{
  TakesProject *project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(GError) error = NULL;

  takes_project_set_title (project, "Harbour");
  takes_shot_set_prompt (shot, "Mist over the water");
  takes_project_append_shot (project, shot);
  g_assert_true (takes_project_save (project, fixture->project_file, &error));
  g_assert_no_error (error);

  return project;
}

static void
test_flush_writes_copy (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(TakesProject) project = saved_project (fixture);
  g_autoptr(TakesAutosave) autosave = takes_autosave_new (project, fixture->autosave_dir);
  g_autoptr(GFile) sidecar = sidecar_of (autosave);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TakesProject) copy = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *original_uri = g_file_get_uri (fixture->project_file);
  JsonObject *object;
  GFile *file = takes_autosave_get_file (autosave);

  g_assert_true (g_file_has_parent (file, fixture->autosave_dir));

  /* Nothing to protect yet. */
  g_assert_true (takes_autosave_flush (autosave, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (file, NULL));

  takes_shot_set_prompt (takes_project_get_shot (project, 0), "Mist, and a gull");
  g_assert_true (takes_autosave_flush (autosave, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (file, NULL));
  g_assert_true (g_file_query_exists (sidecar, NULL));

  copy = takes_project_load (file, NULL, &error);
  g_assert_no_error (error);
  expected = takes_project_to_data (project, NULL);
  actual = takes_project_to_data (copy, NULL);
  g_assert_cmpstr (actual, ==, expected);

  json_parser_load_from_file (parser, g_file_peek_path (sidecar), &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "original"), ==, original_uri);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Harbour");
  g_assert_cmpint (json_object_get_int_member (object, "pid"), ==, getpid ());
  g_assert_cmpint (json_object_get_int_member (object, "modified"), >, 1700000000);

  /* The project file itself was not touched. */
  {
    g_autoptr(TakesProject) on_disk = takes_project_load (fixture->project_file, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (takes_shot_get_prompt (takes_project_get_shot (on_disk, 0)), ==, "Mist over the water");
  }
}

static void
test_written_after_quiet_spell (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(TakesProject) project = saved_project (fixture);
  g_autoptr(TakesAutosave) autosave = takes_autosave_new (project, fixture->autosave_dir);
  GFile *file = takes_autosave_get_file (autosave);

  _takes_autosave_set_delay (autosave, 1);

  takes_project_set_title (project, "Harbour, second cut");
  g_assert_false (g_file_query_exists (file, NULL));

  /* Driven by the main loop alone, the copy appears. */
  while (!g_file_query_exists (file, NULL))
    g_main_context_iteration (NULL, TRUE);

  /* Saving makes it unnecessary. */
  g_assert_true (takes_project_save (project, fixture->project_file, NULL));
  g_assert_false (g_file_query_exists (file, NULL));
}

static void
test_removed_on_save (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(TakesProject) project = saved_project (fixture);
  g_autoptr(TakesAutosave) autosave = takes_autosave_new (project, fixture->autosave_dir);
  g_autoptr(GFile) sidecar = sidecar_of (autosave);
  g_autoptr(GError) error = NULL;
  GFile *file = takes_autosave_get_file (autosave);

  takes_project_set_title (project, "Edited");
  g_assert_true (takes_autosave_flush (autosave, &error));
  g_assert_true (g_file_query_exists (file, NULL));

  g_assert_true (takes_project_save (project, fixture->project_file, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_false (g_file_query_exists (sidecar, NULL));

  /* The next change starts over. */
  takes_project_set_title (project, "Edited again");
  g_assert_true (takes_autosave_flush (autosave, &error));
  g_assert_true (g_file_query_exists (file, NULL));
}

static void
test_discard (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(TakesProject) project = saved_project (fixture);
  g_autoptr(TakesAutosave) autosave = takes_autosave_new (project, fixture->autosave_dir);
  g_autoptr(GFile) sidecar = sidecar_of (autosave);
  g_autoptr(GFile) file = g_object_ref (takes_autosave_get_file (autosave));
  g_autoptr(GError) error = NULL;

  _takes_autosave_set_delay (autosave, 0);
  takes_project_set_title (project, "Throw this away");
  g_assert_true (takes_autosave_flush (autosave, &error));
  g_assert_true (g_file_query_exists (file, NULL));

  takes_autosave_discard (autosave);
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_false (g_file_query_exists (sidecar, NULL));

  /* Nothing comes back while the window closes. */
  takes_project_set_title (project, "Still closing");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (takes_autosave_flush (autosave, &error));
  g_assert_false (g_file_query_exists (file, NULL));

  g_clear_object (&autosave);
  g_assert_false (g_file_query_exists (file, NULL));
}

static void
test_dispose_keeps_copy (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(TakesProject) project = saved_project (fixture);
  TakesAutosave *autosave = takes_autosave_new (project, fixture->autosave_dir);
  g_autoptr(GFile) file = g_object_ref (takes_autosave_get_file (autosave));

  takes_project_set_title (project, "Unsaved at quit");
  g_assert_true (takes_autosave_flush (autosave, NULL));
  g_object_unref (autosave);

  /* Unsaved work at the end of a session stays recoverable... */
  g_assert_true (g_file_query_exists (file, NULL));

  /* ...and the project no longer calls into the freed autosave. */
  takes_project_set_title (project, "After");
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_sidecar_time (TakesAutosave *autosave,
                  gint64         when)
{
  g_autoptr(GFile) sidecar = sidecar_of (autosave);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, g_file_peek_path (sidecar), &error);
  g_assert_no_error (error);
  json_object_set_int_member (json_node_get_object (json_parser_get_root (parser)), "modified", when);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_to_file (generator, g_file_peek_path (sidecar), &error);
  g_assert_no_error (error);
}

static void
test_recovery_list_and_load (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(TakesProject) saved = saved_project (fixture);
  g_autoptr(TakesProject) unsaved = takes_project_new ();
  g_autoptr(TakesAutosave) saved_autosave = takes_autosave_new (saved, fixture->autosave_dir);
  g_autoptr(TakesAutosave) unsaved_autosave = takes_autosave_new (unsaved, fixture->autosave_dir);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(TakesRecovery) newest = NULL;
  g_autoptr(TakesRecovery) oldest = NULL;
  g_autoptr(TakesProject) recovered = NULL;
  g_autoptr(GError) error = NULL;

  list = takes_recovery_list (fixture->autosave_dir);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_clear_object (&list);

  takes_shot_set_prompt (takes_project_get_shot (saved, 0), "Recovered prompt");
  g_assert_true (takes_autosave_flush (saved_autosave, &error));
  set_sidecar_time (saved_autosave, 1767225600);

  takes_project_set_title (unsaved, "Never saved");
  g_assert_true (takes_autosave_flush (unsaved_autosave, &error));
  set_sidecar_time (unsaved_autosave, 1767229200);

  list = takes_recovery_list (fixture->autosave_dir);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  newest = g_list_model_get_item (list, 0);
  oldest = g_list_model_get_item (list, 1);

  g_assert_cmpstr (takes_recovery_get_title (newest), ==, "Never saved");
  g_assert_null (takes_recovery_get_original (newest));
  g_assert_cmpint (takes_recovery_get_modified (newest), ==, 1767229200);
  g_assert_true (g_file_equal (takes_recovery_get_file (newest), takes_autosave_get_file (unsaved_autosave)));

  g_assert_cmpstr (takes_recovery_get_title (oldest), ==, "Harbour");
  g_assert_true (g_file_equal (takes_recovery_get_original (oldest), fixture->project_file));
  g_assert_cmpint (takes_recovery_get_modified (oldest), ==, 1767225600);

  recovered = takes_recovery_load (oldest, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (takes_project_get_file (recovered), fixture->project_file));
  g_assert_true (takes_project_get_modified (recovered));
  g_assert_cmpstr (takes_shot_get_prompt (takes_project_get_shot (recovered, 0)), ==, "Recovered prompt");

  takes_recovery_discard (oldest);
  g_assert_false (g_file_query_exists (takes_recovery_get_file (oldest), NULL));
  after = takes_recovery_list (fixture->autosave_dir);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, 1);
}

static void
write_sidecar (Fixture    *fixture,
               const char *id,
               const char *json,
               gboolean    with_copy)
{
  g_autofree char *dir = g_file_get_path (fixture->autosave_dir);
  g_autofree char *sidecar_name = g_strconcat (id, ".json", NULL);
  g_autofree char *copy_name = g_strconcat (id, ".takes", NULL);
  g_autofree char *sidecar = g_build_filename (dir, sidecar_name, NULL);
  g_autofree char *copy = g_build_filename (dir, copy_name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (sidecar, json, -1, NULL));
  if (with_copy)
    g_assert_true (g_file_set_contents (copy, "{\"format\":\"takes-project\",\"version\":1}", -1, NULL));
}

static void
test_recovery_skips_running_takes (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autofree char *fake = g_build_filename (fixture->dir, "takes", NULL);
  g_autofree char *sleep_path = g_find_program_in_path ("sleep");
  g_autofree char *contents = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dead_json = NULL;
  g_autoptr(GListModel) while_running = NULL;
  g_autoptr(GListModel) after_exit = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { fake, "600", NULL };
  GPid pid;
  gsize length;
  int status;

  if (sleep_path == NULL)
    {
      g_test_skip ("sleep(1) is not available");
      return;
    }

  /* A process whose name is "takes", as a running Takes would be. */
  g_assert_true (g_file_get_contents (sleep_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (fake, contents, (gssize) length, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  /* Wait until the exec has happened and the name is in place. */
  while (!_takes_pid_is_running_takes (pid))
    g_usleep (1000);

  json = g_strdup_printf ("{\"original\":null,\"title\":\"Live\",\"modified\":5,\"pid\":%d}", (int) pid);
  write_sidecar (fixture, "r-live", json, TRUE);

  /* A dead pid: a crashed session, offered. */
  dead_json = g_strdup_printf ("{\"original\":null,\"title\":\"Crashed\",\"modified\":4,\"pid\":%d}", G_MAXINT - 1);
  write_sidecar (fixture, "r-crashed", dead_json, TRUE);

  while_running = takes_recovery_list (fixture->autosave_dir);
  g_assert_cmpuint (g_list_model_get_n_items (while_running), ==, 1);
  {
    g_autoptr(TakesRecovery) only = g_list_model_get_item (while_running, 0);

    g_assert_cmpstr (takes_recovery_get_title (only), ==, "Crashed");
  }

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  after_exit = takes_recovery_list (fixture->autosave_dir);
  g_assert_cmpuint (g_list_model_get_n_items (after_exit), ==, 2);
}

static void
test_recovery_hostile_entries (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GListModel) list = NULL;
  GString *deep = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');

  write_sidecar (fixture, "r-garbage", "\x01\x02garbage", TRUE);
  write_sidecar (fixture, "r-deep", deep->str, TRUE);
  write_sidecar (fixture, "r-array", "[1,2]", TRUE);
  write_sidecar (fixture, "r-wrong-types", "{\"original\":5,\"title\":[],\"modified\":\"x\",\"pid\":\"y\"}", TRUE);
  write_sidecar (fixture, "r-no-copy", "{\"original\":null,\"title\":\"x\",\"modified\":1}", FALSE);

  list = takes_recovery_list (fixture->autosave_dir);

  /* Only the one with wrong types but a copy beside it is offered, with
   * safe defaults. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  {
    g_autoptr(TakesRecovery) recovery = g_list_model_get_item (list, 0);

    g_assert_cmpstr (takes_recovery_get_title (recovery), ==, "");
    g_assert_null (takes_recovery_get_original (recovery));
    g_assert_cmpint (takes_recovery_get_modified (recovery), ==, 0);
  }

  g_string_free (deep, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/Takes/Autosave/flush-writes-copy", test_flush_writes_copy);
  ADD ("/Takes/Autosave/written-after-quiet-spell", test_written_after_quiet_spell);
  ADD ("/Takes/Autosave/removed-on-save", test_removed_on_save);
  ADD ("/Takes/Autosave/discard", test_discard);
  ADD ("/Takes/Autosave/dispose-keeps-copy", test_dispose_keeps_copy);
  ADD ("/Takes/Recovery/list-and-load", test_recovery_list_and_load);
  ADD ("/Takes/Recovery/skips-running-takes", test_recovery_skips_running_takes);
  ADD ("/Takes/Recovery/hostile-entries", test_recovery_hostile_entries);

#undef ADD

  return g_test_run ();
}
