/* test-providers-cli.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `takes generate` and `takes render` with the real backends, as a script
 * would run them: credentials and endpoints from the environment, the
 * provider a fake in its own process (fake-provider-server). */

#define G_LOG_DOMAIN "test-providers-cli"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fake-kling.h"

#define KLING_SECRET "sk-CANARY-cli-kling-91d0e2"
#define SORA_KEY     "sk-CANARY-cli-sora-5c7a33"

typedef struct
{
  GSubprocess *process;
  char        *base_url;   /* what the backend is given */
  char        *root_url;   /* where /_fake/ lives */
} FakeProcess;

static FakeProcess kling_fake;
static FakeProcess sora_fake;
static char *work_dir;

static void
fake_process_start (FakeProcess *fake,
                    const char  *provider,
                    const char  *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  const char *program = g_getenv ("FAKE_PROVIDER_SERVER");

  g_assert_nonnull (program);
  fake->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    program, provider, key, "--polls", "2", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));

  fake->base_url = g_strdup (line);
  fake->root_url = g_str_has_suffix (line, "/v1") ? g_strndup (line, strlen (line) - 3) : g_strdup (line);
}

static void
fake_process_stop (FakeProcess *fake)
{
  if (fake->process == NULL)
    return;

  g_subprocess_send_signal (fake->process, SIGTERM);
  g_subprocess_wait (fake->process, NULL, NULL);
  g_clear_object (&fake->process);
  g_clear_pointer (&fake->base_url, g_free);
  g_clear_pointer (&fake->root_url, g_free);
}

static JsonObject *
fake_request (FakeProcess *fake,
              const char  *method,
              const char  *path_and_query)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (fake->root_url, path_and_query, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
fake_fault (FakeProcess *fake,
            const char  *name,
            guint        times)
{
  g_autofree char *path = g_strdup_printf ("/_fake/fault?name=%s&times=%u", name, times);
  g_autoptr(JsonObject) answer = fake_request (fake, "POST", path);
}

/* ---- Running takes ---------------------------------------------------------------- */

static GSubprocessLauncher *
new_launcher (const char *kling_secret,
              const char *sora_key,
              const char *kling_url,
              const char *sora_url)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_set_cwd (launcher, work_dir);
  g_subprocess_launcher_unsetenv (launcher, "OPENAI_BASE_URL");
  g_subprocess_launcher_unsetenv (launcher, "KLING_ACCESS_KEY");
  g_subprocess_launcher_unsetenv (launcher, "KLING_SECRET_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENAI_API_KEY");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  /* No keyring in tests: the environment is the only source. */
  g_subprocess_launcher_setenv (launcher, "TAKES_NO_KEYRING", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", work_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", work_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", work_dir, TRUE);

  if (kling_secret != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "KLING_ACCESS_KEY", FAKE_KLING_ACCESS_KEY, TRUE);
      g_subprocess_launcher_setenv (launcher, "KLING_SECRET_KEY", kling_secret, TRUE);
    }
  if (sora_key != NULL)
    g_subprocess_launcher_setenv (launcher, "OPENAI_API_KEY", sora_key, TRUE);
  if (kling_url != NULL)
    g_subprocess_launcher_setenv (launcher, "TAKES_KLING_BASE_URL", kling_url, TRUE);
  if (sora_url != NULL)
    g_subprocess_launcher_setenv (launcher, "TAKES_SORA_BASE_URL", sora_url, TRUE);

  return launcher;
}

static int
run_takes (GSubprocessLauncher  *launcher,
           char                **output,
           const char           *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer)g_getenv ("TAKES_BIN"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  g_test_message ("takes %s → %d: %s", first_arg, g_subprocess_get_exit_status (process), err);

  return g_subprocess_get_exit_status (process);
}

static char *
output_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

/* ---- takes generate --------------------------------------------------------------- */

static void
test_kling_generate (void)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (KLING_SECRET, NULL, kling_fake.base_url, NULL);
  g_autofree char *path = output_path ("kling.mp4");
  g_autofree char *output = NULL;
  g_autoptr(JsonObject) stats = NULL;
  int status;

  status = run_takes (launcher, &output, "generate", "--backend", "kling",
                      "--prompt", "Gulls over the harbour", "--duration", "5",
                      "--output", path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_null (strstr (output, KLING_SECRET));

  stats = fake_request (&kling_fake, "GET", "/_fake/stats");
  g_assert_cmpint (json_object_get_int_member (stats, "total_creates"), >=, 1);
}

static void
test_kling_generate_failures (void)
{
  g_autoptr(GSubprocessLauncher) wrong = new_launcher ("sk-wrong-secret-key-000", NULL, kling_fake.base_url, NULL);
  g_autoptr(GSubprocessLauncher) right = new_launcher (KLING_SECRET, NULL, kling_fake.base_url, NULL);
  g_autoptr(GSubprocessLauncher) none = new_launcher (NULL, NULL, kling_fake.base_url, NULL);
  g_autoptr(GSubprocessLauncher) down = new_launcher (KLING_SECRET, NULL, "http://127.0.0.1:9", NULL);
  g_autofree char *path = output_path ("kling-failed.mp4");
  g_autofree char *output = NULL;

  /* Rejected credentials: 3 */
  g_assert_cmpint (run_takes (wrong, &output, "generate", "--backend", "kling", "--prompt", "A",
                              "--output", path, NULL), ==, 3);
  g_assert_null (strstr (output, "sk-wrong-secret-key-000"));
  g_clear_pointer (&output, g_free);

  /* Missing credentials: 3 */
  g_assert_cmpint (run_takes (none, &output, "generate", "--backend", "kling", "--prompt", "A",
                              "--output", path, NULL), ==, 3);
  g_clear_pointer (&output, g_free);

  /* The provider fails the task: 1, with its reason */
  fake_fault (&kling_fake, "outcome-fail", 0);
  g_assert_cmpint (run_takes (right, &output, "generate", "--backend", "kling", "--prompt", "A",
                              "--output", path, NULL), ==, 1);
  g_assert_nonnull (strstr (output, FAKE_KLING_FAIL_REASON));
  g_clear_pointer (&output, g_free);
  fake_fault (&kling_fake, "outcome-succeed", 0);

  /* No balance: 1, said as Kling means it */
  fake_fault (&kling_fake, "balance", 1);
  g_assert_cmpint (run_takes (right, &output, "generate", "--backend", "kling", "--prompt", "A",
                              "--output", path, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "account balance used up"));
  g_clear_pointer (&output, g_free);

  /* Nobody answers at the endpoint: 4 */
  g_assert_cmpint (run_takes (down, &output, "generate", "--backend", "kling", "--prompt", "A",
                              "--output", path, NULL), ==, 4);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_sora_generate (void)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (NULL, SORA_KEY, NULL, sora_fake.base_url);
  g_autoptr(GSubprocessLauncher) wrong = new_launcher (NULL, "sk-wrong-openai-key-000", NULL, sora_fake.base_url);
  g_autofree char *path = output_path ("sora.mp4");
  g_autofree char *failed = output_path ("sora-failed.mp4");
  g_autofree char *output = NULL;

  g_assert_cmpint (run_takes (launcher, &output, "generate", "--backend", "sora",
                              "--prompt", "A paper boat on a rainy street", "--duration", "4",
                              "--output", path, NULL), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_null (strstr (output, SORA_KEY));
  g_clear_pointer (&output, g_free);

  g_assert_cmpint (run_takes (wrong, &output, "generate", "--backend", "sora", "--prompt", "A",
                              "--output", failed, NULL), ==, 3);
  g_assert_null (strstr (output, "sk-wrong-openai-key-000"));
  g_clear_pointer (&output, g_free);

  fake_fault (&sora_fake, "outcome-moderate", 0);
  g_assert_cmpint (run_takes (launcher, &output, "generate", "--backend", "sora", "--prompt", "A",
                              "--output", failed, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "refused by moderation"));
  g_clear_pointer (&output, g_free);
  fake_fault (&sora_fake, "outcome-succeed", 0);

  fake_fault (&sora_fake, "quota", 1);
  g_assert_cmpint (run_takes (launcher, &output, "generate", "--backend", "sora", "--prompt", "A",
                              "--output", failed, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "insufficient_quota"));
  g_clear_pointer (&output, g_free);
  fake_fault (&sora_fake, "clear", 0);

  /* Nobody answers at the endpoint: 4 */
  {
    g_autoptr(GSubprocessLauncher) down = new_launcher (NULL, SORA_KEY, NULL, "http://127.0.0.1:9/v1");

    g_assert_cmpint (run_takes (down, &output, "generate", "--backend", "sora", "--prompt", "A",
                                "--output", failed, NULL), ==, 4);
    g_clear_pointer (&output, g_free);
  }
  g_assert_false (g_file_test (failed, G_FILE_TEST_EXISTS));
}

/* ---- kill -9 during takes render ------------------------------------------------- */

/* takes render ends with the status of what went wrong with its takes */
static void
test_kling_render_exit_codes (void)
{
  g_autoptr(GSubprocessLauncher) wrong = new_launcher ("sk-wrong-secret-key-000", NULL, kling_fake.base_url, NULL);
  g_autoptr(GSubprocessLauncher) right = new_launcher (KLING_SECRET, NULL, kling_fake.base_url, NULL);
  g_autoptr(GSubprocessLauncher) down = new_launcher (KLING_SECRET, NULL, "http://127.0.0.1:9", NULL);
  g_autofree char *shots = output_path ("one-shot.txt");
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  struct {
    GSubprocessLauncher *launcher;
    const char *fault;
    int status;
  } cases[] = {
    { wrong, NULL, 3 },                 /* the key is refused */
    { down, NULL, 4 },                  /* nobody answers */
    { right, "outcome-fail", 1 },       /* the provider could not make it */
  };

  g_file_set_contents (shots, "Fishing boats leave the harbour at dawn\n", -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("Exit-%u.takes", i);
      g_autofree char *project = output_path (name);

      g_assert_cmpint (run_takes (right, NULL, "new", project, "--from", shots, NULL), ==, 0);
      if (cases[i].fault != NULL)
        fake_fault (&kling_fake, cases[i].fault, 0);
      g_assert_cmpint (run_takes (cases[i].launcher, &output, "render", project,
                                  "--backends", "kling", NULL), ==, cases[i].status);
      g_assert_nonnull (strstr (output, "1 failed"));
      g_assert_null (strstr (output, "sk-wrong-secret-key-000"));
      g_clear_pointer (&output, g_free);
      if (cases[i].fault != NULL)
        fake_fault (&kling_fake, "outcome-succeed", 0);
    }
}

static void
test_kling_render_killed (void)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (KLING_SECRET, NULL, kling_fake.base_url, NULL);
  g_autofree char *project = output_path ("Harbour.takes");
  g_autofree char *shots = output_path ("shots.txt");
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *creates, *duplicates;
  int status;

  g_file_set_contents (shots,
                       "Fishing boats leave the harbour at dawn\n"
                       "A gull lands on a bollard\n"
                       "The lighthouse beam sweeps the fog\n"
                       "Nets drying on the quay\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_takes (launcher, NULL, "new", project, "--from", shots, NULL), ==, 0);
  before = fake_request (&kling_fake, "GET", "/_fake/stats");

  /* Killed at different moments: while submitting, polling, downloading */
  for (guint round = 0; round < 6; round++)
    {
      const char *argv[] = { g_getenv ("TAKES_BIN"), "render", project, "--backends", "kling",
                             "--takes", "2", NULL };
      g_autoptr(GSubprocess) process = g_subprocess_launcher_spawnv (launcher, argv, &error);

      g_assert_no_error (error);
      g_usleep ((150 + 250 * round + g_random_int_range (0, 150)) * 1000);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }

  /* A last run to the end */
  status = run_takes (launcher, NULL, "render", project, "--backends", "kling", "--takes", "2", NULL);
  g_assert_true (status == 0 || status == 1);

  stats = fake_request (&kling_fake, "GET", "/_fake/stats");
  creates = json_object_get_object_member (stats, "creates");
  duplicates = json_object_get_object_member (stats, "duplicates");

  g_assert_cmpuint (json_object_get_size (creates), >=, 1);
  members = json_object_get_members (creates);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_test_message ("external_task_id %s created %" G_GINT64_FORMAT " time(s)",
                      (char *)l->data, json_object_get_int_member (creates, l->data));
      g_assert_cmpint (json_object_get_int_member (creates, l->data), <=, 1);
    }
  /* Not even tried twice */
  g_assert_cmpuint (json_object_get_size (duplicates), ==, 0);
  /* Nor sent again under a new id: at most one paid task per take asked for */
  g_assert_cmpint (json_object_get_int_member (stats, "total_creates") -
                   json_object_get_int_member (before, "total_creates"), <=, 4 * 2);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TAKES_BIN") == NULL || g_getenv ("FAKE_PROVIDER_SERVER") == NULL)
    {
      g_printerr ("Run through meson test (TAKES_BIN and FAKE_PROVIDER_SERVER are needed)\n");
      return 77;
    }

  work_dir = g_dir_make_tmp ("takes-providers-cli-XXXXXX", NULL);
  fake_process_start (&kling_fake, "kling", KLING_SECRET);
  fake_process_start (&sora_fake, "sora", SORA_KEY);

  g_test_add_func ("/Takes/ProvidersCli/kling-generate", test_kling_generate);
  g_test_add_func ("/Takes/ProvidersCli/kling-generate-exit-codes", test_kling_generate_failures);
  g_test_add_func ("/Takes/ProvidersCli/sora-generate", test_sora_generate);
  g_test_add_func ("/Takes/ProvidersCli/kling-render-exit-codes", test_kling_render_exit_codes);
  g_test_add_func ("/Takes/ProvidersCli/kling-render-kill-9-no-double-create", test_kling_render_killed);

  result = g_test_run ();

  fake_process_stop (&kling_fake);
  fake_process_stop (&sora_fake);

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", work_dir);

    if (g_str_has_prefix (work_dir, g_get_tmp_dir ()))
      (void)!system (command);
  }

  return result;
}
