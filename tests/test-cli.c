/* test-cli.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "takes-backend-registry.h"
#include "takes-cli.h"
#include "takes-media-probe.h"
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

/* Backend credentials a test takes away from the command */
static const char * const *unset_variables = NULL;
/* One GStreamer registry for every run: each fixture has its own cache
 * folder, and rebuilding the registry there each time is slow */
static char *gst_registry_dir = NULL;

static char **
fixture_environ (Fixture    *fixture,
                 char      **envp,
                 const char *locale)
{
  g_autofree char *cache = g_build_filename (fixture->dir, "cache", NULL);

  envp = g_environ_setenv (envp, "LC_ALL", locale, TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  /* No display: the command line must not need one */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  /* The animatic renders into the cache; keep each test's apart */
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache, TRUE);
  if (g_getenv ("GST_REGISTRY") == NULL)
    {
      g_autofree char *registry = g_build_filename (gst_registry_dir, "registry.bin", NULL);

      envp = g_environ_setenv (envp, "GST_REGISTRY", registry, TRUE);
    }

  for (guint i = 0; unset_variables != NULL && unset_variables[i] != NULL; i++)
    envp = g_environ_unsetenv (envp, unset_variables[i]);

  return envp;
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

  envp = fixture_environ (fixture, envp, locale);

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
  g_assert_true (takes_cli_is_command ("backends"));
  g_assert_true (takes_cli_is_command ("generate"));
  g_assert_true (takes_cli_is_command ("render"));

  g_assert_false (takes_cli_is_command (NULL));
  g_assert_false (takes_cli_is_command (""));
  g_assert_false (takes_cli_is_command ("New"));
  g_assert_false (takes_cli_is_command ("film.takes"));
  g_assert_false (takes_cli_is_command ("--help"));
  g_assert_false (takes_cli_is_command ("new "));

  summary = takes_cli_dup_summary ();
  g_assert_nonnull (strstr (summary, "  new "));
  g_assert_nonnull (strstr (summary, "  info "));
  g_assert_nonnull (strstr (summary, "  backends "));
  g_assert_nonnull (strstr (summary, "  generate "));
  g_assert_nonnull (strstr (summary, "  render "));
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

/* ---- backends, generate, render ---------------------------------------------- */

/* Tiny clips keep these tests quick on a small machine */
#define CLIP_ARGS "--duration", "1", "--resolution", "320x180"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* A registered backend that needs credentials, or NULL */
static TakesBackend *
find_credentialed_backend (void)
{
  GListModel *backends = takes_backend_registry_get_backends (takes_backend_registry_get_default ());

  for (guint i = 0; i < g_list_model_get_n_items (backends); i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);
      const char * const *names = takes_backend_get_credential_names (backend);

      if (names != NULL && names[0] != NULL)
        return backend;
    }

  return NULL;
}

static void
test_backends_human (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  const char *line;

  g_assert_cmpint (run_takes (fixture, ARGS ("backends"), &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  g_assert_true (g_str_has_prefix (out, "animatic — "));
  line = strstr (out, "  Configured");
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line + strspn (line + strlen ("  Configured"), " ") + strlen ("  Configured"), "yes\n"));
  g_assert_nonnull (strstr (out, "  Models "));
  g_assert_nonnull (strstr (out, "text to video"));
  g_assert_nonnull (strstr (out, "0.5 to 120 s"));
  g_assert_nonnull (strstr (out, "16:9"));
  g_assert_nonnull (strstr (out, "720p"));
  g_assert_nonnull (strstr (out, "  Audio "));
  g_assert_nonnull (strstr (out, "at a time"));

  /* Arguments are a mistake, not ignored */
  g_assert_cmpint (run_takes (fixture, ARGS ("backends", "kling"), NULL, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "no arguments"));
}

static void
test_backends_json (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) ids = takes_backend_registry_dup_ids (takes_backend_registry_get_default ());
  JsonArray *array;
  JsonObject *animatic = NULL;

  g_assert_cmpint (run_takes (fixture, ARGS ("backends", "--json"), &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);

  /* Every registered backend, in the registry's order */
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length (ids));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, ids[i]);
      g_assert_true (json_object_has_member (object, "configured"));
      g_assert_true (json_object_has_member (object, "missing_credentials"));
      g_assert_true (json_object_has_member (object, "models"));
      g_assert_true (json_object_has_member (object, "resolutions"));

      if (g_str_equal (ids[i], "animatic"))
        animatic = object;
    }

  g_assert_nonnull (animatic);
  g_assert_true (json_object_get_boolean_member (animatic, "configured"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (animatic, "missing_credentials")), ==, 0);
  g_assert_true (json_object_get_boolean_member (animatic, "audio"));
  g_assert_cmpfloat (json_object_get_double_member (animatic, "duration_min"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (animatic, "concurrency"), >=, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (animatic, "aspect_ratios"), 0), ==, "16:9");
}

static void
assert_no_leftovers (Fixture    *fixture,
                     const char *except)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_equal (name, "cache") || g_strcmp0 (name, except) == 0)
        continue;
      g_test_message ("left behind: %s", name);
      g_assert_not_reached ();
    }
}

static TakesMediaInfo *
probe (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TakesMediaInfo *info;

  takes_media_check_container (file, &error);
  g_assert_no_error (error);

  info = takes_media_probe (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  return info;
}

static void
test_generate_animatic (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TakesMediaInfo) info = NULL;
  g_autoptr(GRegex) seed_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *path = fixture_path (fixture, "take.mp4");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  g_assert_cmpint (run_takes (fixture,
                              ARGS ("generate", "--backend", "animatic",
                                    "--prompt", "A lighthouse at dawn, waves below",
                                    "--title", "Opening", "--seed", "7", "--fps", "25",
                                    "--aspect", "16:9", CLIP_ARGS, "--output", "take.mp4"),
                              &out, &err), ==, 0);

  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "seed 7"));
  /* Not a terminal: plain lines */
  g_assert_null (strstr (err, "\r"));
  g_assert_nonnull (strstr (err, "\nqueued\n"));
  g_assert_nonnull (strstr (err, "done: take.mp4 (1.0 s, 320x180)\n"));

  /* Only the clip: the temporary file is gone */
  assert_no_leftovers (fixture, "take.mp4");

  info = probe (path);
  g_assert_cmpfloat (fabs (info->duration - 1.0), <=, 1.0 / 25 + 1e-6);
  g_assert_cmpint (info->width, ==, 320);
  g_assert_cmpint (info->height, ==, 180);
  g_assert_cmpfloat (fabs (info->fps - 25.0), <, 0.01);
  g_assert_true (info->has_audio);

  /* Without --seed one is chosen and said, so the take can be made again */
  g_assert_cmpint (run_takes (fixture,
                              ARGS ("generate", "-b", "animatic", "-p", "Gulls", CLIP_ARGS,
                                    "-o", "take.mp4"),
                              NULL, &err2), ==, 0);
  seed_regex = g_regex_new ("seed [0-9]+\n", 0, 0, NULL);
  g_assert_true (g_regex_match (seed_regex, err2, 0, &match));
}

typedef struct
{
  const char *args[12];
  const char *needle;      /* must appear on stderr */
} GenerateCase;

#define GEN "generate", "--backend", "animatic", "--prompt", "Harbour"

static const GenerateCase generate_invalid_cases[] = {
  { { GEN, "--duration", "-1", "--output", "out.mp4" }, "--duration “-1”" },
  { { GEN, "--duration", "0", "--output", "out.mp4" }, "more than 0 seconds" },
  { { GEN, "--duration", "abc", "--output", "out.mp4" }, "not a number" },
  { { GEN, "--duration", "nan", "--output", "out.mp4" }, "not a number" },
  { { GEN, "--duration", "121", "--output", "out.mp4" }, "from 0.5 to 120 seconds" },
  { { GEN, "--duration", "100000", "--output", "out.mp4" }, "from 0.5 to 120 seconds" },
  { { GEN, "--duration", "0.1", "--output", "out.mp4" }, "0.1" },
  { { GEN, "--aspect", "16x9", "--output", "out.mp4" }, "--aspect “16x9”" },
  { { GEN, "--aspect", "0:9", "--output", "out.mp4" }, "--aspect “0:9”" },
  { { GEN, "--aspect", "16:", "--output", "out.mp4" }, "--aspect “16:”" },
  { { GEN, "--resolution", "huge", "--output", "out.mp4" }, "--resolution “huge”" },
  { { GEN, "--resolution", "99999p", "--output", "out.mp4" }, "--resolution “99999p”" },
  { { GEN, "--resolution", "320x", "--output", "out.mp4" }, "--resolution “320x”" },
  { { GEN, "--seed", "-5", "--output", "out.mp4" }, "--seed “-5”" },
  { { GEN, "--seed", "many", "--output", "out.mp4" }, "--seed “many”" },
  { { GEN, "--fps", "0", "--output", "out.mp4" }, "--fps “0”" },
  { { GEN, "--fps", "500", "--output", "out.mp4" }, "--fps “500”" },
  { { GEN, "--image", "missing.png", "--output", "out.mp4" }, "missing.png" },
  { { GEN, "--image", "sub", "--output", "out.mp4" }, "is a folder" },
  { { GEN, "--output", "nowhere/out.mp4" }, "does not exist" },
  { { GEN, "--output", "sub" }, "is a folder" },
  { { GEN }, "--output" },
  { { "generate", "--backend", "animatic", "--output", "out.mp4" }, "--prompt" },
  { { "generate", "--backend", "animatic", "--prompt", "  ", "--output", "out.mp4" }, "--prompt" },
  { { "generate", "--prompt", "Harbour", "--output", "out.mp4" }, "--backend" },
  { { "generate", "--backend", "nope", "--prompt", "Harbour", "--output", "out.mp4" },
    "Unknown backend “nope” (known backends: animatic" },
  { { GEN, "--output", "out.mp4", "extra" }, "Unexpected argument" },
  { { GEN, "--colour", "red", "--output", "out.mp4" }, "--colour" },
};

#undef GEN

static void
test_generate_rejects_invalid (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *sub = fixture_path (fixture, "sub");

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (generate_invalid_cases); i++)
    {
      const GenerateCase *c = &generate_invalid_cases[i];
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_takes (fixture, c->args, &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      if (strstr (err, c->needle) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, c->needle, err);

      /* Nothing was made */
      g_assert_false (fixture_has_file (fixture, "out.mp4"));
    }
}

static void
test_generate_unreadable_image (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *image = fixture_path (fixture, "frame.png");
  g_autofree char *fifo = fixture_path (fixture, "pipe.png");
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  /* Not a file at all (and reading it would wait forever) */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (run_takes (fixture,
                              ARGS ("generate", "-b", "animatic", "-p", "Harbour",
                                    "--image", "pipe.png", "-o", "out.mp4"),
                              NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "pipe.png"));
  g_assert_false (fixture_has_file (fixture, "out.mp4"));

  if (geteuid () == 0)
    {
      g_test_message ("root reads any file: the permission case is not tried");
      return;
    }

  write_file (fixture, "frame.png", "not really a picture", -1);
  g_assert_cmpint (g_chmod (image, 0), ==, 0);

  g_assert_cmpint (run_takes (fixture,
                              ARGS ("generate", "-b", "animatic", "-p", "Harbour",
                                    "--image", "frame.png", "-o", "out.mp4"),
                              NULL, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "frame.png"));
  g_assert_nonnull (strstr (err2, "ermission"));
  g_assert_false (fixture_has_file (fixture, "out.mp4"));
}

static void
test_generate_credentials (Fixture       *fixture,
                           gconstpointer  data)
{
  TakesBackend *backend = find_credentialed_backend ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err_render = NULL;
  g_autofree char *out = NULL;
  const char * const *names;
  const char *id;

  if (backend == NULL)
    {
      g_test_skip ("no registered backend needs credentials yet");
      return;
    }

  id = takes_backend_get_id (backend);
  names = takes_backend_get_credential_names (backend);
  unset_variables = names;

  g_assert_cmpint (run_takes (fixture,
                              ARGS ("generate", "--backend", id, "--prompt", "Harbour",
                                    "--output", "out.mp4"),
                              NULL, &err), ==, 3);
  g_assert_nonnull (strstr (err, id));
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_nonnull (strstr (err, names[i]));
  g_assert_false (fixture_has_file (fixture, "out.mp4"));

  /* backends says what is missing */
  g_assert_cmpint (run_takes (fixture, ARGS ("backends", "--json"), &out, NULL), ==, 0);
  root = parse_json (out);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonObject *object = json_array_get_object_element (json_node_get_array (root), i);

      if (!g_str_equal (json_object_get_string_member (object, "id"), id))
        continue;

      g_assert_false (json_object_get_boolean_member (object, "configured"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "missing_credentials")),
                        ==, g_strv_length ((char **) names));
    }

  /* render refuses before any work */
  write_file (fixture, "shots.txt", "Harbour\n", -1);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "film.takes", "--from", "shots.txt"), NULL, NULL), ==, 0);
  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", id), NULL, &err_render), ==, 3);
  g_assert_nonnull (strstr (err_render, names[0]));

  unset_variables = NULL;
}

/* Runs takes in the background; its stderr is read through @err_fd. */
static GPid
spawn_takes (Fixture            *fixture,
             const char * const *args,
             int                *err_fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  const char *bin = g_getenv ("TAKES_BIN");
  GPid pid = 0;

  g_assert_nonnull (bin);

  g_ptr_array_add (argv, (char *) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  envp = fixture_environ (fixture, envp, "C.UTF-8");

  g_spawn_async_with_pipes (fixture->dir, (char **) argv->pdata, envp,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                            NULL, NULL, &pid, NULL, NULL, err_fd, &error);
  g_assert_no_error (error);

  return pid;
}

/* Reads @fd into @text until @needle appears; FALSE at the end of output */
static gboolean
read_until (int         fd,
            GString    *text,
            const char *needle)
{
  while (strstr (text->str, needle) == NULL)
    {
      char buffer[1024];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;

      g_string_append_len (text, buffer, n);
    }

  return TRUE;
}

static int
finish_child (GPid     pid,
              int      fd,
              GString *text,
              gboolean expect_signal)
{
  int status = 0;

  read_until (fd, text, "\1never\1");
  close (fd);

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_test_message ("background takes → status %d\nstderr: %s", status, text->str);

  if (expect_signal)
    {
      g_assert_true (WIFSIGNALED (status));
      return WTERMSIG (status);
    }

  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_generate_interrupt (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int fd = -1;
  GPid pid;

  /* Long enough to be still rendering when Ctrl+C comes */
  pid = spawn_takes (fixture,
                     ARGS ("generate", "-b", "animatic", "-p", "A long night at sea",
                           "--duration", "120", "--resolution", "720p", "-o", "long.mp4"),
                     &fd);

  g_assert_true (read_until (fd, text, "queued\n"));
  kill (pid, SIGINT);

  g_assert_cmpint (finish_child (pid, fd, text, FALSE), ==, 1);
  g_assert_nonnull (strstr (text->str, "canceled"));
  g_assert_null (strstr (text->str, "done:"));

  /* Nothing at OUTPUT, no temporary file beside it */
  assert_no_leftovers (fixture, NULL);
}

/* ---- render ---- */

static void
make_project (Fixture    *fixture,
              const char *name,
              guint       n_shots)
{
  g_autoptr(GString) csv = g_string_new ("title,prompt,duration\n");

  for (guint i = 1; i <= n_shots; i++)
    g_string_append_printf (csv, "Shot %u,A harbour at dawn number %u,1\n", i, i);

  write_file (fixture, "shots.csv", csv->str, -1);
  g_assert_cmpint (run_takes (fixture,
                              ARGS ("new", name, "--from", "shots.csv", "--size", "320x180", "--force"),
                              NULL, NULL), ==, 0);
}

static JsonArray *
shot_takes (JsonObject *project,
            guint       index)
{
  return json_object_get_array_member (get_shot (project, index), "takes");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Every take of the project is ready with its media file in place;
 * returns their ids ("shot:id", sorted) to compare runs. */
static char **
assert_all_ready (JsonObject *project,
                  const guint *expected_per_shot)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonArray *shots = json_object_get_array_member (project, "shots");

  for (guint i = 0; i < json_array_get_length (shots); i++)
    {
      JsonArray *takes = shot_takes (project, i);

      g_assert_cmpuint (json_array_get_length (takes), ==, expected_per_shot[i]);

      for (guint j = 0; j < json_array_get_length (takes); j++)
        {
          JsonObject *take = json_array_get_object_element (takes, j);
          const char *media = json_object_get_string_member (take, "media");

          g_assert_cmpstr (json_object_get_string_member (take, "state"), ==, "ready");
          g_assert_cmpstr (json_object_get_string_member (take, "backend"), ==, "animatic");
          g_assert_nonnull (media);
          g_assert_true (g_path_is_absolute (media));
          g_assert_true (g_file_test (media, G_FILE_TEST_IS_REGULAR));
          g_assert_cmpfloat (fabs (json_object_get_double_member (take, "duration") - 1.0), <=, 1.0 / 24 + 1e-6);

          g_ptr_array_add (ids, g_strdup_printf ("%u:%s", i, json_object_get_string_member (take, "id")));
        }
    }

  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

static gint64
media_mtime (JsonObject *project,
             guint       shot,
             guint       take)
{
  JsonObject *object = json_array_get_object_element (shot_takes (project, shot), take);
  GStatBuf st;

  g_assert_cmpint (g_stat (json_object_get_string_member (object, "media"), &st), ==, 0);

  return (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
}

static void
test_render_fills_and_repeats_nothing (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_auto(GStrv) first_ids = NULL;
  g_auto(GStrv) second_ids = NULL;
  g_auto(GStrv) third_ids = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;
  const guint one[] = { 1, 1, 1 };
  const guint two[] = { 2, 2, 2 };
  gint64 mtimes[3];

  make_project (fixture, "film.takes", 3);

  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic"), NULL, &err), ==, 0);
  g_assert_nonnull (strstr (err, "shot 1, animatic: Ready"));
  g_assert_nonnull (strstr (err, "shot 3, animatic: Ready"));
  g_assert_nonnull (strstr (err, "3 takes ready\n"));

  first = info_json (fixture, "film.takes");
  first_ids = assert_all_ready (first, one);
  for (guint i = 0; i < 3; i++)
    {
      /* The first ready take of a shot is picked */
      g_assert_nonnull (json_object_get_string_member (get_shot (first, i), "picked"));
      mtimes[i] = media_mtime (first, i, 0);
    }

  /* Again: nothing to do, nothing touched */
  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic"), NULL, &err2), ==, 0);
  g_assert_nonnull (strstr (err2, "Nothing to do"));
  g_assert_null (strstr (err2, "Generating"));

  second = info_json (fixture, "film.takes");
  second_ids = assert_all_ready (second, one);
  g_assert_cmpstrv (first_ids, second_ids);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (media_mtime (second, i, 0), ==, mtimes[i]);

  /* Two per shot: one more each */
  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic", "--takes", "2"),
                              NULL, &err3), ==, 0);
  g_assert_nonnull (strstr (err3, "6 takes ready\n"));

  third = info_json (fixture, "film.takes");
  third_ids = assert_all_ready (third, two);
  for (guint i = 0; first_ids[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) third_ids, first_ids[i]));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (media_mtime (third, i, 0), ==, mtimes[i]);
}

static void
test_render_shots (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(JsonObject) project2 = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) ids2 = NULL;
  g_autofree char *err = NULL;
  const guint expected[] = { 1, 0, 1 };
  const guint expected2[] = { 1, 2, 2 };

  make_project (fixture, "film.takes", 3);

  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic", "--shots", "1,3"),
                              NULL, &err), ==, 0);
  g_assert_null (strstr (err, "shot 2"));
  project = info_json (fixture, "film.takes");
  ids = assert_all_ready (project, expected);

  /* A range, with spaces, and a backend named twice */
  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic, animatic",
                                             "--shots", " 2-3 ", "--takes", "2"),
                              NULL, NULL), ==, 0);
  project2 = info_json (fixture, "film.takes");
  ids2 = assert_all_ready (project2, expected2);
}

static void
test_render_rejects_invalid (Fixture       *fixture,
                             gconstpointer  data)
{
  static const struct
  {
    const char *args[8];
    const char *needle;
  } cases[] = {
    { { "render", "film.takes", "--backends", "animatic", "--shots", "0" }, "--shots" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "4" }, "has 3 shots" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "3-1" }, "backwards" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "1,,2" }, "empty item" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "" }, "--shots" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "one" }, "“one”" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "1-2-3" }, "“1-2-3”" },
    { { "render", "film.takes", "--backends", "animatic", "--shots", "-1" }, "“-1”" },
    { { "render", "film.takes", "--backends", "animatic", "--takes", "0" }, "--takes “0”" },
    { { "render", "film.takes", "--backends", "animatic", "--takes", "x" }, "--takes “x”" },
    { { "render", "film.takes", "--backends", "nope" }, "Unknown backend “nope”" },
    { { "render", "film.takes", "--backends", "animatic,,nope" }, "empty item" },
    { { "render", "film.takes" }, "--backends" },
    { { "render", "--backends", "animatic" }, "No project file" },
    { { "render", "missing.takes", "--backends", "animatic" }, "missing.takes: No such file" },
    { { "render", "shots.csv", "--backends", "animatic" }, "shots.csv" },
    { { "render", "empty.takes", "--backends", "animatic" }, "no shots" },
  };
  g_autoptr(JsonObject) project = NULL;

  make_project (fixture, "film.takes", 3);
  g_assert_cmpint (run_takes (fixture, ARGS ("new", "empty.takes"), NULL, NULL), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_takes (fixture, cases[i].args, NULL, &err), ==, 2);
      if (strstr (err, cases[i].needle) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].needle, err);
    }

  /* Nothing was generated */
  project = info_json (fixture, "film.takes");
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (json_array_get_length (shot_takes (project, i)), ==, 0);
}

static void
test_render_killed_and_rerun (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *err = NULL;
  const guint n_takes = 2;
  int fd = -1;
  int status;
  GPid pid;

  make_project (fixture, "film.takes", 2);

  pid = spawn_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic", "--takes", "2"), &fd);

  /* Killed once the first take is in, while the others are on their way */
  g_assert_true (read_until (fd, text, ": Ready"));
  kill (pid, SIGKILL);
  g_assert_cmpint (finish_child (pid, fd, text, TRUE), ==, SIGKILL);

  status = run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic", "--takes", "2"),
                      NULL, &err);

  project = info_json (fixture, "film.takes");
  for (guint i = 0; i < 2; i++)
    {
      JsonArray *takes = shot_takes (project, i);
      guint n_ready = 0, n_unknown = 0, n_counting = 0;

      for (guint j = 0; j < json_array_get_length (takes); j++)
        {
          JsonObject *take = json_array_get_object_element (takes, j);
          const char *state = json_object_get_string_member (take, "state");

          if (g_str_equal (state, "ready"))
            {
              n_ready++;
              g_assert_true (g_file_test (json_object_get_string_member (take, "media"), G_FILE_TEST_IS_REGULAR));
            }
          else if (g_str_equal (state, "unknown"))
            n_unknown++;

          if (!g_str_equal (state, "failed") && !g_str_equal (state, "canceled"))
            n_counting++;
        }

      /* Never more than asked for: nothing was sent twice */
      g_assert_cmpuint (n_counting, ==, n_takes);
      g_assert_cmpuint (n_ready + n_unknown, ==, n_takes);
    }

  /* Done, unless a create was cut off mid-send: that one is reported,
   * never sent again on its own */
  if (status != 0)
    {
      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (err, "the outcome of a submission is unknown"));
    }
}

static void
test_render_interrupt_and_resume (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonObject) project = NULL;
  g_autofree char *err = NULL;
  const guint expected[] = { 1, 1 };
  g_auto(GStrv) ids = NULL;
  int fd = -1;
  GPid pid;

  make_project (fixture, "film.takes", 2);

  pid = spawn_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic"), &fd);
  g_assert_true (read_until (fd, text, "shot 1, animatic: "));
  kill (pid, SIGINT);
  g_assert_cmpint (finish_child (pid, fd, text, FALSE), ==, 1);

  /* A clean stop, or the work was already done by the time it came */
  g_assert_true (strstr (text->str, "run the same command again") != NULL ||
                 strstr (text->str, "2 takes ready\n") != NULL);

  g_assert_cmpint (run_takes (fixture, ARGS ("render", "film.takes", "--backends", "animatic"), NULL, &err), ==, 0);
  project = info_json (fixture, "film.takes");
  ids = assert_all_ready (project, expected);
}

int
main (int   argc,
      char *argv[])
{
  int status;

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
  ADD ("/Takes/Cli/backends/human", test_backends_human);
  ADD ("/Takes/Cli/backends/json", test_backends_json);
  ADD ("/Takes/Cli/generate/animatic", test_generate_animatic);
  ADD ("/Takes/Cli/generate/rejects-invalid", test_generate_rejects_invalid);
  ADD ("/Takes/Cli/generate/unreadable-image", test_generate_unreadable_image);
  ADD ("/Takes/Cli/generate/credentials", test_generate_credentials);
  ADD ("/Takes/Cli/generate/interrupt", test_generate_interrupt);
  ADD ("/Takes/Cli/render/fills-and-repeats-nothing", test_render_fills_and_repeats_nothing);
  ADD ("/Takes/Cli/render/shots", test_render_shots);
  ADD ("/Takes/Cli/render/rejects-invalid", test_render_rejects_invalid);
  ADD ("/Takes/Cli/render/killed-and-rerun", test_render_killed_and_rerun);
  ADD ("/Takes/Cli/render/interrupt-and-resume", test_render_interrupt_and_resume);

#undef ADD

  gst_registry_dir = g_dir_make_tmp ("takes-cli-gst-XXXXXX", NULL);
  g_assert_nonnull (gst_registry_dir);

  status = g_test_run ();

  remove_tree (gst_registry_dir);
  g_free (gst_registry_dir);

  return status;
}
