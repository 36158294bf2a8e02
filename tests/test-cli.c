/* test-cli.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "takes-cli.h"
#include "takes-project.h"
#include "takes-shot.h"
#include "takes-take.h"

/* The tests run the real `takes` executable, as a script would, in a
 * fresh folder each. */

typedef struct
{
  char *dir;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Let a test's read-only folder be cleaned up */
  g_chmod (path, 0700);

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("takes-cli-XXXXXX", &error);
  char real[PATH_MAX];

  g_assert_no_error (error);
  /* The command resolves paths against getcwd(), which has no symlinks */
  g_assert_nonnull (realpath (dir, real));
  fixture->dir = g_strdup (real);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (fixture, name);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
read_file (Fixture    *fixture,
           const char *name,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (fixture, name);
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static gboolean
fixture_has_file (Fixture    *fixture,
                  const char *name)
{
  g_autofree char *path = fixture_path (fixture, name);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Runs takes with @args in the fixture's folder under @locale and returns
 * its exit code. A crash fails the test. */
static int
run_takes_in_locale (Fixture            *fixture,
                     const char         *locale,
                     const char * const *args,
                     char              **out,
                     char              **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *bin = g_getenv ("TAKES_BIN");
  int status = 0;

  g_assert_nonnull (bin);

  g_ptr_array_add (argv, (char *) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", locale, TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  /* No display: the command line must not need one */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  g_spawn_sync (fixture->dir, (char **) argv->pdata, envp,
                G_SPAWN_DEFAULT, NULL, NULL,
                &stdout_text, &stderr_text, &status, &error);
  g_assert_no_error (error);

  g_test_message ("takes %s → status %d\nstdout: %s\nstderr: %s",
                  args[0], status, stdout_text, stderr_text);

  g_assert_true (WIFEXITED (status));

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  return WEXITSTATUS (status);
}

static int
run_takes (Fixture            *fixture,
           const char * const *args,
           char              **out,
           char              **err)
{
  return run_takes_in_locale (fixture, "C.UTF-8", args, out, err);
}

#define ARGS(...) ((const char * const []) { __VA_ARGS__, NULL })

static JsonObject *
info_json (Fixture    *fixture,
           const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonNode *root;

  g_assert_cmpint (run_takes (fixture, ARGS ("info", name, "--json"), &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);

  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
get_shot (JsonObject *project,
          guint       index)
{
  JsonArray *shots = json_object_get_array_member (project, "shots");

  g_assert_cmpuint (json_array_get_length (shots), >, index);

  return json_array_get_object_element (shots, index);
}

static void
test_is_command (void)
{
  g_autofree char *summary = NULL;

  g_assert_true (takes_cli_is_command ("new"));
  g_assert_true (takes_cli_is_command ("info"));

  g_assert_false (takes_cli_is_command (NULL));
  g_assert_false (takes_cli_is_command (""));
  g_assert_false (takes_cli_is_command ("New"));
  g_assert_false (takes_cli_is_command ("film.takes"));
  g_assert_false (takes_cli_is_command ("--help"));
  g_assert_false (takes_cli_is_command ("new "));

  summary = takes_cli_dup_summary ();
  g_assert_nonnull (strstr (summary, "  new "));
  g_assert_nonnull (strstr (summary, "  info "));
}

static void
test_unknown_command (void)
{
  char *unknown[] = { (char *) "takes", (char *) "frobnicate", NULL };
  char *none[] = { (char *) "takes", NULL };

  if (g_test_subprocess ())
    {
      g_assert_cmpint (takes_cli_run (2, unknown), ==, TAKES_CLI_EXIT_USAGE);
      g_assert_cmpint (takes_cli_run (1, none), ==, TAKES_CLI_EXIT_USAGE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*frobnicate*");
}

static void
test_new_defaults (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_takes (fixture, ARGS ("new", "My Film.takes"), &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Created “My Film.takes” with 0 shots\n");
  g_assert_cmpstr (err, ==, "");
  g_assert_true (fixture_has_file (fixture, "My Film.takes"));

  project = info_json (fixture, "My Film.takes");
  g_assert_cmpstr (json_object_get_string_member (project, "title"), ==, "My Film");
  g_assert_cmpstr (json_object_get_string_member (project, "size"), ==, "1920x1080");
  g_assert_cmpint (json_object_get_int_member (project, "width"), ==, 1920);
  g_assert_cmpint (json_object_get_int_member (project, "height"), ==, 1080);
  g_assert_cmpfloat (json_object_get_double_member (project, "fps"), ==, 24.0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (project, "shots")), ==, 0);
}

static void
test_new_options (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run_takes (fixture,
                              ARGS ("new", "film.takes",
                                    "--title", "  Harbour at Dawn ",
                                    "--size", "1280x720",
                                    "--fps=23.976"),
                              &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Created “film.takes” with 0 shots\n");

  project = info_json (fixture, "film.takes");
  g_assert_cmpstr (json_object_get_string_member (project, "title"), ==, "Harbour at Dawn");
  g_assert_cmpstr (json_object_get_string_member (project, "size"), ==, "1280x720");
  g_assert_cmpint (json_object_get_int_member (project, "width"), ==, 1280);
  g_assert_cmpint (json_object_get_int_member (project, "height"), ==, 720);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (project, "fps"), 23.976, 1e-9);
}

static void
test_new_from_text (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *out = NULL;
  JsonObject *shot;

  write_file (fixture, "shots.txt",
              "# Act one\n"
              "\n"
              "  A lighthouse at dawn, waves below  \r\n"
              "\t\n"
              "A gull lands on the rail\n"
              "\n"
              "\n"
              "Fishing boats leave the harbour, “slowly”", -1);

  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--from", "shots.txt"), &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Created “film.takes” with 3 shots\n");

  project = info_json (fixture, "film.takes");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (project, "shots")), ==, 3);

  shot = get_shot (project, 0);
  g_assert_cmpstr (json_object_get_string_member (shot, "prompt"), ==, "A lighthouse at dawn, waves below");
  g_assert_cmpstr (json_object_get_string_member (shot, "title"), ==, "");
  g_assert_cmpfloat (json_object_get_double_member (shot, "duration"), ==, 5.0);
  g_assert_cmpstr (json_object_get_string_member (shot, "aspect"), ==, "16:9");
  g_assert_true (json_object_get_null_member (shot, "picked"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shot, "takes")), ==, 0);
  g_assert_nonnull (json_object_get_string_member (shot, "id"));

  g_assert_cmpstr (json_object_get_string_member (get_shot (project, 1), "prompt"), ==, "A gull lands on the rail");
  g_assert_cmpstr (json_object_get_string_member (get_shot (project, 2), "prompt"), ==,
                   "Fishing boats leave the harbour, “slowly”");
}

static void
test_new_from_csv (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *out = NULL;
  JsonObject *shot;

  /* BOM, reordered and unknown columns, CRLF, quoting of every kind */
  write_file (fixture, "shots.csv",
              "\xef\xbb\xbf" "Duration,notes,PROMPT, title ,aspect\r\n"
              "3.5,ignored,\"A lighthouse, at dawn\",Opening,9:16\r\n"
              ",\"multi\nline note\",\"She says \"\"hello\"\"\",\"Hello\",\r\n"
              "\r\n"
              ",,,,\r\n"
              "600,,\"First line\r\nsecond line\",,21:9\r\n", -1);

  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--from", "shots.csv"), &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Created “film.takes” with 3 shots\n");

  project = info_json (fixture, "film.takes");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (project, "shots")), ==, 3);

  shot = get_shot (project, 0);
  g_assert_cmpstr (json_object_get_string_member (shot, "prompt"), ==, "A lighthouse, at dawn");
  g_assert_cmpstr (json_object_get_string_member (shot, "title"), ==, "Opening");
  g_assert_cmpfloat (json_object_get_double_member (shot, "duration"), ==, 3.5);
  g_assert_cmpstr (json_object_get_string_member (shot, "aspect"), ==, "9:16");

  shot = get_shot (project, 1);
  g_assert_cmpstr (json_object_get_string_member (shot, "prompt"), ==, "She says \"hello\"");
  g_assert_cmpstr (json_object_get_string_member (shot, "title"), ==, "Hello");
  g_assert_cmpfloat (json_object_get_double_member (shot, "duration"), ==, 5.0);
  g_assert_cmpstr (json_object_get_string_member (shot, "aspect"), ==, "16:9");

  shot = get_shot (project, 2);
  g_assert_cmpstr (json_object_get_string_member (shot, "prompt"), ==, "First line\nsecond line");
  g_assert_cmpfloat (json_object_get_double_member (shot, "duration"), ==, 600.0);
  g_assert_cmpstr (json_object_get_string_member (shot, "aspect"), ==, "21:9");
}

static void
test_new_from_csv_by_header (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) project = NULL;
  JsonObject *shot;

  /* Not named .csv, but the first line is a header */
  write_file (fixture, "shots.txt",
              "title,prompt\n"
              "Opening,\"Waves, rocks and a lighthouse\"\n", -1);

  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--from", "shots.txt"), NULL, NULL), ==, 0);

  project = info_json (fixture, "film.takes");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (project, "shots")), ==, 1);
  shot = get_shot (project, 0);
  g_assert_cmpstr (json_object_get_string_member (shot, "title"), ==, "Opening");
  g_assert_cmpstr (json_object_get_string_member (shot, "prompt"), ==, "Waves, rocks and a lighthouse");
}

typedef struct
{
  const char *args[8];
  const char *shot_list;   /* file name, or NULL */
  const char *contents;
  const char *needle;      /* must appear on stderr */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { { "new", "film.takes", "--size", "abc" }, NULL, NULL, "--size “abc” is not WIDTHxHEIGHT" },
  { { "new", "film.takes", "--size", "1920x" }, NULL, NULL, "--size “1920x”" },
  { { "new", "film.takes", "--size", "-1920x1080" }, NULL, NULL, "--size “-1920x1080”" },
  { { "new", "film.takes", "--size", "1920x1080x2" }, NULL, NULL, "--size “1920x1080x2”" },
  { { "new", "film.takes", "--size", " 1920x1080" }, NULL, NULL, "--size “ 1920x1080”" },
  { { "new", "film.takes", "--size", "1921x1080" }, NULL, NULL, "--size “1921x1080”: width and height must be even" },
  { { "new", "film.takes", "--size", "1920x1081" }, NULL, NULL, "must be even" },
  { { "new", "film.takes", "--size", "14x14" }, NULL, NULL, "--size “14x14”: width and height must be between 16 and 8192" },
  { { "new", "film.takes", "--size", "8194x1080" }, NULL, NULL, "--size “8194x1080”" },
  { { "new", "film.takes", "--size", "0x0" }, NULL, NULL, "--size “0x0”" },
  { { "new", "film.takes", "--size", "99999999999999999999x2" }, NULL, NULL, "--size “99999999999999999999x2”" },
  { { "new", "film.takes", "--fps", "abc" }, NULL, NULL, "--fps “abc” is not a number" },
  { { "new", "film.takes", "--fps", "" }, NULL, NULL, "--fps “” is not a number" },
  { { "new", "film.takes", "--fps", "nan" }, NULL, NULL, "--fps “nan” is not a number" },
  { { "new", "film.takes", "--fps", "inf" }, NULL, NULL, "--fps “inf” is not a number" },
  { { "new", "film.takes", "--fps", "1e2" }, NULL, NULL, "--fps “1e2” is not a number" },
  { { "new", "film.takes", "--fps", "24fps" }, NULL, NULL, "--fps “24fps” is not a number" },
  { { "new", "film.takes", "--fps", "0" }, NULL, NULL, "--fps “0” is out of range" },
  { { "new", "film.takes", "--fps", "0.5" }, NULL, NULL, "--fps “0.5” is out of range" },
  { { "new", "film.takes", "--fps", "240.01" }, NULL, NULL, "--fps “240.01” is out of range" },
  { { "new", "film.takes", "--fps", "-24" }, NULL, NULL, "--fps “-24” is out of range" },
  { { "new", "film.takes", "--title", "   " }, NULL, NULL, "--title" },
  { { "new", "film.txt" }, NULL, NULL, "film.txt: the project file name must end in “.takes”" },
  { { "new", ".takes" }, NULL, NULL, "must end in" },
  { { "new" }, NULL, NULL, "No project file given" },
  { { "new", "a.takes", "b.takes" }, NULL, NULL, "exactly one project file" },
  { { "new", "film.takes", "--size" }, NULL, NULL, "--size" },
  { { "new", "film.takes", "--from", "missing.txt" }, NULL, NULL, "missing.txt" },
  { { "new", "film.takes", "--from", "." }, NULL, NULL, "folder" },
  /* Plain text shot lists */
  { { "new", "film.takes", "--from", "shots.txt" }, "shots.txt",
    "A good line\nA bad \xff line\n", "shots.txt:2: the text is not valid UTF-8" },
  { { "new", "film.takes", "--from", "shots.txt" }, "shots.txt",
    "fine\nalso \xc3\x28 broken\n", "shots.txt:2:" },
  { { "new", "film.takes", "--from", "shots.txt" }, "shots.txt",
    "# only comments\n\n   \n", "shots.txt: the shot list has no shots" },
  { { "new", "film.takes", "--from", "shots.txt" }, "shots.txt",
    "", "shots.txt: the shot list has no shots" },
  /* CSV shot lists */
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,duration\nA,5\nB,4\nC,abc\n", "shots.csv:4: duration “abc” is not a number" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,duration\nA,0\n", "shots.csv:2: duration “0” is out of range" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,duration\nA,600.5\n", "shots.csv:2: duration “600.5” is out of range" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,duration\nA,-3\n", "shots.csv:2: duration “-3” is out of range" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,duration\nA,nan\n", "shots.csv:2: duration “nan” is not a number" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,aspect\nA,wide\n", "shots.csv:2: aspect “wide” is not WIDTH:HEIGHT" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,aspect\nA,16:\n", "shots.csv:2: aspect “16:”" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,aspect\nA,0:9\n", "shots.csv:2: aspect “0:9”" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,aspect\nA,16:9:1\n", "shots.csv:2: aspect “16:9:1”" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "title,duration\nA,5\n", "shots.csv:1: the header has no “prompt” column" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,Prompt\nA,B\n", "shots.csv:1: the column “prompt” appears twice" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,title\n  ,Empty\n", "shots.csv:2: the prompt is empty" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,title\nA,B,C\n", "shots.csv:2: the row has 3 fields but the header has 2" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt\n\"fine\"\n\"never\nclosed\n", "shots.csv:3: a quoted field is not closed" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,title\n\"quoted\"tail,B\n", "shots.csv:2: unexpected text after the closing quote" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt\nfine\n\"multi\nline\"\nbad \xff\n", "shots.csv:5: the text is not valid UTF-8" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "prompt,title\n", "shots.csv: the shot list has no shots" },
  { { "new", "film.takes", "--from", "shots.csv" }, "shots.csv",
    "", "shots.csv: the CSV file has no header row" },
};

static void
test_new_rejects_invalid (Fixture       *fixture,
                          gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      const InvalidCase *c = &invalid_cases[i];
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      if (c->shot_list != NULL)
        write_file (fixture, c->shot_list, c->contents, -1);

      status = run_takes (fixture, c->args, &out, &err);

      if (status != 2 || strstr (err, c->needle) == NULL)
        g_error ("case %u (%s %s %s %s): status %d, stderr “%s”, expected 2 and “%s”",
                 i, c->args[0], c->args[1], c->args[2] ? c->args[2] : "",
                 c->args[2] && c->args[3] ? c->args[3] : "",
                 status, err, c->needle);

      g_assert_cmpstr (out, ==, "");
      g_assert_false (fixture_has_file (fixture, "film.takes"));
      g_assert_false (fixture_has_file (fixture, "a.takes"));

      if (c->shot_list != NULL)
        {
          g_autofree char *path = fixture_path (fixture, c->shot_list);

          g_unlink (path);
        }
    }
}

static void
test_new_unknown_option (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--frobnicate"), &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--frobnicate"));
  g_assert_nonnull (strstr (err, "Run “takes new --help”"));
  g_assert_cmpstr (out, ==, "");
  g_assert_false (fixture_has_file (fixture, "film.takes"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_takes (fixture, ARGS ("info", "film.takes", "--pretty"), NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "Run “takes info --help”"));
}

static void
test_new_help (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const expected[] = {
    "Usage:", "takes new", "FILE.takes", "--title", "--from", "--size",
    "--fps", "--force", "SHOTLIST", "CSV", "prompt", "duration", "aspect",
    "1920x1080", "Exit status",
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* The C locale: English text, whatever the machine's language */
  g_assert_cmpint (run_takes_in_locale (fixture, "C", ARGS ("new", "--help"), &out, &err), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (strstr (out, expected[i]) == NULL)
        g_error ("“%s” is missing from the help:\n%s", expected[i], out);
    }

  g_assert_false (fixture_has_file (fixture, "--help"));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_takes_in_locale (fixture, "C", ARGS ("info", "--help"), &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "takes info"));
  g_assert_nonnull (strstr (out, "--json"));
}

static void
test_new_refuses_overwrite (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char precious[] = "{ \"not\": \"yours to overwrite\" }\n";
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gsize length;

  write_file (fixture, "film.takes", precious, -1);
  write_file (fixture, "shots.txt", "A prompt\n", -1);

  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--from", "shots.txt"), &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "film.takes"));
  g_assert_nonnull (strstr (err, "already exists"));
  g_assert_nonnull (strstr (err, "--force"));
  g_assert_cmpstr (out, ==, "");

  contents = read_file (fixture, "film.takes", &length);
  g_assert_cmpmem (contents, length, precious, strlen (precious));

  /* --force replaces it */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "--force", "film.takes", "--from", "shots.txt"), &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Created “film.takes” with 1 shot\n");

  project = info_json (fixture, "film.takes");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (project, "shots")), ==, 1);
}

static void
test_new_unwritable (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *locked = fixture_path (fixture, "locked");
  g_autofree char *err = NULL;

  /* A parent that is a file cannot be written, even by root */
  write_file (fixture, "plain", "not a folder", -1);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "plain/film.takes"), NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "film.takes"));

  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  if (access (locked, W_OK) == 0)
    {
      g_test_message ("Running with permission to write anywhere; skipping the read-only folder");
      return;
    }

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "locked/film.takes"), NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "film.takes"));
  g_assert_false (fixture_has_file (fixture, "locked/film.takes"));
}

static void
test_info_human (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  write_file (fixture, "shots.csv",
              "title,prompt,duration\n"
              "Opening,A lighthouse at dawn,4\n"
              ",A gull lands on the rail,2.5\n", -1);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--title", "Harbour",
                                             "--from", "shots.csv", "--size", "1280x720"),
                              NULL, NULL), ==, 0);

  g_assert_cmpint (run_takes (fixture, ARGS ("info", "film.takes"), &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "Title: Harbour\n"));
  g_assert_nonnull (strstr (out, "1280×720"));
  g_assert_nonnull (strstr (out, "24 fps"));
  g_assert_nonnull (strstr (out, "Shots: 2, 6.5 seconds in total"));
  g_assert_nonnull (strstr (out, "1. Opening — 4 s, 16:9, no takes"));
  g_assert_nonnull (strstr (out, "2. A gull lands on the rail — 2.5 s, 16:9, no takes"));
}

static void
test_info_missing (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_takes (fixture, ARGS ("info", "nowhere.takes"), &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "nowhere.takes: No such file"));
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_takes (fixture, ARGS ("info"), NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "No project file given"));
}

static char *
edited_copy (const char *json,
             const char *member,
             JsonNode   *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, member));
  json_object_set_member (root, member, value);

  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static void
test_info_hostile (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *valid = NULL;
  g_autofree char *wrong_version_type = NULL;
  g_autofree char *wrong_title_type = NULL;
  g_autofree char *wrong_shots_type = NULL;
  g_autofree char *newer = NULL;
  gsize valid_length;

  write_file (fixture, "shots.txt", "One\nTwo\n", -1);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "valid.takes", "--from", "shots.txt"), NULL, NULL), ==, 0);
  valid = read_file (fixture, "valid.takes", &valid_length);

  write_file (fixture, "empty.takes", "", 0);
  g_ptr_array_add (names, (char *) "empty.takes");

  write_file (fixture, "binary.takes", binary, sizeof binary - 1);
  g_ptr_array_add (names, (char *) "binary.takes");

  write_file (fixture, "not-json.takes", "Harbour at dawn\n", -1);
  g_ptr_array_add (names, (char *) "not-json.takes");

  write_file (fixture, "invalid-utf8.takes",
              "{\"format\": \"takes-project\", \"version\": 1, \"title\": \"Caf\xe9\"}", -1);
  g_ptr_array_add (names, (char *) "invalid-utf8.takes");

  write_file (fixture, "truncated.takes", valid, valid_length / 2);
  g_ptr_array_add (names, (char *) "truncated.takes");

  write_file (fixture, "array.takes", "[{\"format\": \"takes-project\", \"version\": 1}]", -1);
  g_ptr_array_add (names, (char *) "array.takes");

  write_file (fixture, "string.takes", "\"takes-project\"", -1);
  g_ptr_array_add (names, (char *) "string.takes");

  write_file (fixture, "no-format.takes", "{\"version\": 1, \"title\": \"x\", \"shots\": []}", -1);
  g_ptr_array_add (names, (char *) "no-format.takes");

  wrong_version_type = edited_copy (valid, "version", json_node_init_string (json_node_alloc (), "1"));
  write_file (fixture, "wrong-version-type.takes", wrong_version_type, -1);
  g_ptr_array_add (names, (char *) "wrong-version-type.takes");

  wrong_title_type = edited_copy (valid, "title", json_node_init_int (json_node_alloc (), 42));
  write_file (fixture, "wrong-title-type.takes", wrong_title_type, -1);
  g_ptr_array_add (names, (char *) "wrong-title-type.takes");

  wrong_shots_type = edited_copy (valid, "shots", json_node_init_string (json_node_alloc (), "none"));
  write_file (fixture, "wrong-shots-type.takes", wrong_shots_type, -1);
  g_ptr_array_add (names, (char *) "wrong-shots-type.takes");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  write_file (fixture, "deep.takes", deep->str, deep->len);
  g_ptr_array_add (names, (char *) "deep.takes");

  g_string_truncate (deep, 0);
  g_string_append (deep, "{\"format\": \"takes-project\", \"version\": 1, \"title\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "{\"a\":");
  write_file (fixture, "deep-objects.takes", deep->str, deep->len);
  g_ptr_array_add (names, (char *) "deep-objects.takes");

  newer = edited_copy (valid, "version", json_node_init_int (json_node_alloc (), TAKES_PROJECT_VERSION + 1));
  write_file (fixture, "newer.takes", newer, -1);
  g_ptr_array_add (names, (char *) "newer.takes");

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      status = run_takes (fixture, ARGS ("info", name), &out, &err);
      if (status != 2 || strstr (err, name) == NULL)
        g_error ("takes info %s: status %d, stderr “%s”; expected 2 and a message naming the file",
                 name, status, err);
      g_assert_cmpstr (out, ==, "");

      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_takes (fixture, ARGS ("info", "--json", name), NULL, &err), ==, 2);
      g_assert_nonnull (strstr (err, name));
    }

  /* A newer file is refused and left as it was */
  {
    g_autofree char *after = NULL;
    gsize length;

    after = read_file (fixture, "newer.takes", &length);
    g_assert_cmpmem (after, length, newer, strlen (newer));
  }
}

static void
test_info_json_media (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) ready = takes_take_new ("animatic", "sketch");
  g_autoptr(TakesTake) failed = takes_take_new ("kling", "kling-v2");
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = fixture_path (fixture, "films");
  g_autofree char *path = NULL;
  g_autofree char *expected_media = NULL;
  g_autofree char *expected_file = NULL;
  JsonObject *shot_json;
  JsonArray *takes;
  JsonObject *take_json;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  path = g_build_filename (folder, "harbour.takes", NULL);
  file = g_file_new_for_path (path);

  takes_project_set_title (project, "Harbour");
  takes_project_set_file (project, file);
  takes_shot_set_prompt (shot, "A lighthouse at dawn");
  takes_shot_set_duration (shot, 4.0);

  takes_take_set_media (ready, "harbour.media/take-1.mp4");
  takes_take_set_state (ready, TAKES_TAKE_READY);
  takes_take_set_probe (ready, 4.0, 1280, 720, 24.0, "h264", NULL, FALSE);
  takes_shot_add_take (shot, ready);

  takes_take_set_state (failed, TAKES_TAKE_FAILED);
  takes_take_set_error (failed, "Rejected by moderation");
  takes_shot_add_take (shot, failed);

  takes_shot_set_picked_take_id (shot, takes_take_get_id (ready));
  takes_project_append_shot (project, shot);

  takes_project_save (project, file, &error);
  g_assert_no_error (error);

  /* Relative to the working folder on the command line, absolute in the output */
  info = info_json (fixture, "films/harbour.takes");

  expected_file = g_build_filename (fixture->dir, "films", "harbour.takes", NULL);
  g_assert_cmpstr (json_object_get_string_member (info, "file"), ==, expected_file);

  shot_json = get_shot (info, 0);
  g_assert_cmpstr (json_object_get_string_member (shot_json, "picked"), ==, takes_take_get_id (ready));

  takes = json_object_get_array_member (shot_json, "takes");
  g_assert_cmpuint (json_array_get_length (takes), ==, 2);

  take_json = json_array_get_object_element (takes, 0);
  expected_media = g_build_filename (fixture->dir, "films", "harbour.media", "take-1.mp4", NULL);
  g_assert_true (g_path_is_absolute (json_object_get_string_member (take_json, "media")));
  g_assert_cmpstr (json_object_get_string_member (take_json, "media"), ==, expected_media);
  g_assert_cmpstr (json_object_get_string_member (take_json, "id"), ==, takes_take_get_id (ready));
  g_assert_cmpstr (json_object_get_string_member (take_json, "backend"), ==, "animatic");
  g_assert_cmpstr (json_object_get_string_member (take_json, "model"), ==, "sketch");
  g_assert_cmpstr (json_object_get_string_member (take_json, "state"), ==, "ready");
  g_assert_cmpfloat (json_object_get_double_member (take_json, "duration"), ==, 4.0);
  g_assert_true (json_object_get_null_member (take_json, "error"));

  take_json = json_array_get_object_element (takes, 1);
  g_assert_true (json_object_get_null_member (take_json, "media"));
  g_assert_cmpstr (json_object_get_string_member (take_json, "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (take_json, "error"), ==, "Rejected by moderation");

  /* And the summary for people */
  {
    g_autofree char *out = NULL;

    g_assert_cmpint (run_takes (fixture, ARGS ("info", "films/harbour.takes"), &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "1. A lighthouse at dawn — 4 s, 16:9, 2 takes (Ready: 1, Failed: 1), picked "));
    g_assert_nonnull (strstr (out, takes_take_get_id (ready)));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/Takes/Cli/is-command", test_is_command);
  g_test_add_func ("/Takes/Cli/unknown-command", test_unknown_command);
  ADD ("/Takes/Cli/new/defaults", test_new_defaults);
  ADD ("/Takes/Cli/new/options", test_new_options);
  ADD ("/Takes/Cli/new/from-text", test_new_from_text);
  ADD ("/Takes/Cli/new/from-csv", test_new_from_csv);
  ADD ("/Takes/Cli/new/from-csv-detected-by-header", test_new_from_csv_by_header);
  ADD ("/Takes/Cli/new/rejects-invalid", test_new_rejects_invalid);
  ADD ("/Takes/Cli/new/unknown-option", test_new_unknown_option);
  ADD ("/Takes/Cli/new/help-in-english", test_new_help);
  ADD ("/Takes/Cli/new/refuses-overwrite", test_new_refuses_overwrite);
  ADD ("/Takes/Cli/new/unwritable", test_new_unwritable);
  ADD ("/Takes/Cli/info/human", test_info_human);
  ADD ("/Takes/Cli/info/missing", test_info_missing);
  ADD ("/Takes/Cli/info/hostile", test_info_hostile);
  ADD ("/Takes/Cli/info/json-media", test_info_json_media);

#undef ADD

  return g_test_run ();
}
