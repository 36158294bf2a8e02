/* test-credentials.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-credentials"
#define _GNU_SOURCE

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fake-backend.h"
#include "fake-kit.h"
#include "takes-credentials.h"
#include "takes-job-engine.h"

/* Guards against hangs only; nothing here is timed. */
#define WAIT_SECONDS 60
#define CANARY       "canary-Zq7vK2xW9pLm4Rt8"

static char *keyring_dir;
static GString *captured_log;

/* ---- Helpers ------------------------------------------------------------------ */

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }

  /* Let warnings still fail the test through the default writer. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (20, wake_up, NULL);

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for an async result");
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (ticker);

  return *slot;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
store (TakesCredentials *credentials,
       const char       *backend_id,
       const char       *name,
       const char       *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  takes_credentials_store_async (credentials, backend_id, name, value, NULL,
                                 store_result_cb, &result);
  wait_for_result (&result);
  g_assert_true (takes_credentials_store_finish (credentials, result, &error));
  g_assert_no_error (error);
}

static char *
lookup (TakesCredentials *credentials,
        const char       *backend_id,
        const char       *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  takes_credentials_lookup_async (credentials, backend_id, name, NULL,
                                  store_result_cb, &result);
  wait_for_result (&result);
  value = takes_credentials_lookup_finish (credentials, result, &error);
  g_assert_no_error (error);

  return value;
}

static void
clear (TakesCredentials *credentials,
       const char       *backend_id,
       const char       *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  takes_credentials_clear_async (credentials, backend_id, name, NULL,
                                 store_result_cb, &result);
  wait_for_result (&result);
  g_assert_true (takes_credentials_clear_finish (credentials, result, &error));
  g_assert_no_error (error);
}

static guint
apply (TakesCredentials     *credentials,
       TakesBackendRegistry *registry)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint applied;

  takes_credentials_apply_async (credentials, registry, NULL, store_result_cb, &result);
  wait_for_result (&result);
  applied = takes_credentials_apply_finish (credentials, result, &error);
  g_assert_no_error (error);

  return applied;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* Every regular file under @dir that holds @needle. */
static void
find_in_tree (const char *dir,
              const char *needle,
              GPtrArray  *found)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        find_in_tree (child, needle, found);
      else if (file_contains (child, needle))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- Tests -------------------------------------------------------------------- */

static void
test_store_lookup_clear (void)
{
  g_autoptr(TakesCredentials) credentials = takes_credentials_new ();
  g_autofree char *value = NULL;
  g_autofree char *other = NULL;
  g_autofree char *keyring = g_build_filename (keyring_dir, "keyring", NULL);

  value = lookup (credentials, "kling", "KLING_SECRET_KEY");
  g_assert_null (value);

  store (credentials, "kling", "KLING_SECRET_KEY", "secret-one");
  store (credentials, "kling", "KLING_ACCESS_KEY", "access-one");
  store (credentials, "sora", "OPENAI_API_KEY", "sk-sora-one");

  /* The file keyring answered: nothing is kept in the process instead. */
  g_assert_false (takes_credentials_get_session_only (credentials));
  g_assert_null (takes_credentials_get_note (credentials));

  value = lookup (credentials, "kling", "KLING_SECRET_KEY");
  g_assert_cmpstr (value, ==, "secret-one");
  other = lookup (credentials, "kling", "KLING_ACCESS_KEY");
  g_assert_cmpstr (other, ==, "access-one");
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&other, g_free);

  /* A new instance (a new start of Takes) finds them in the keyring. */
  {
    g_autoptr(TakesCredentials) again = takes_credentials_new ();

    value = lookup (again, "sora", "OPENAI_API_KEY");
    g_assert_cmpstr (value, ==, "sk-sora-one");
    g_clear_pointer (&value, g_free);
  }

  /* Replacing keeps one item */
  store (credentials, "kling", "KLING_SECRET_KEY", "secret-two");
  value = lookup (credentials, "kling", "KLING_SECRET_KEY");
  g_assert_cmpstr (value, ==, "secret-two");
  g_clear_pointer (&value, g_free);

  /* The keyring file is encrypted: no key in clear. */
  g_assert_true (g_file_test (keyring, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (keyring, "secret-two"));
  g_assert_false (file_contains (keyring, "sk-sora-one"));

  clear (credentials, "kling", "KLING_SECRET_KEY");
  value = lookup (credentials, "kling", "KLING_SECRET_KEY");
  g_assert_null (value);

  /* Storing an empty value clears too */
  store (credentials, "sora", "OPENAI_API_KEY", "");
  value = lookup (credentials, "sora", "OPENAI_API_KEY");
  g_assert_null (value);

  /* Clearing what is not there is fine */
  clear (credentials, "sora", "OPENAI_API_KEY");
  clear (credentials, "kling", "KLING_ACCESS_KEY");
}

static void
test_apply (void)
{
  g_autoptr(TakesCredentials) credentials = takes_credentials_new ();
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new ("http://127.0.0.1:9");
  g_autofree char *value = NULL;

  takes_fake_backend_set_requires_key (fake, TRUE);
  takes_backend_registry_add (registry, TAKES_BACKEND (fake));

  g_unsetenv ("TAKES_FAKE_API_KEY");
  g_assert_false (takes_backend_is_configured (TAKES_BACKEND (fake)));
  g_assert_cmpuint (apply (credentials, registry), ==, 0);
  g_assert_false (takes_backend_is_configured (TAKES_BACKEND (fake)));

  /* The environment is the fallback ... */
  g_setenv ("TAKES_FAKE_API_KEY", "from-the-environment", TRUE);
  g_assert_true (takes_backend_is_configured (TAKES_BACKEND (fake)));

  /* ... and the keyring wins over it in the app. */
  store (credentials, "fake", "TAKES_FAKE_API_KEY", "from-the-keyring");
  g_assert_cmpuint (apply (credentials, registry), ==, 1);
  value = takes_backend_dup_credential (TAKES_BACKEND (fake), "TAKES_FAKE_API_KEY");
  g_assert_cmpstr (value, ==, "from-the-keyring");
  g_clear_pointer (&value, g_free);

  /* Cleared from the keyring: back to the environment after the next apply */
  clear (credentials, "fake", "TAKES_FAKE_API_KEY");
  g_assert_cmpuint (apply (credentials, registry), ==, 0);
  value = takes_backend_dup_credential (TAKES_BACKEND (fake), "TAKES_FAKE_API_KEY");
  g_assert_cmpstr (value, ==, "from-the-environment");
  g_clear_pointer (&value, g_free);

  g_unsetenv ("TAKES_FAKE_API_KEY");
  g_assert_false (takes_backend_is_configured (TAKES_BACKEND (fake)));
}

static void
test_backend_test_default (void)
{
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new ("http://127.0.0.1:9");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("TAKES_FAKE_API_KEY");
  takes_fake_backend_set_requires_key (fake, TRUE);

  /* The base class's test: a missing key is named */
  takes_backend_test_async (TAKES_BACKEND (fake), NULL, store_result_cb, &result);
  wait_for_result (&result);
  g_assert_false (takes_backend_test_finish (TAKES_BACKEND (fake), result, &error));
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "TAKES_FAKE_API_KEY"));
  g_clear_error (&error);
  g_clear_object (&result);

  takes_backend_set_credential (TAKES_BACKEND (fake), "TAKES_FAKE_API_KEY", "a-key");
  takes_backend_test_async (TAKES_BACKEND (fake), NULL, store_result_cb, &result);
  wait_for_result (&result);
  g_assert_true (takes_backend_test_finish (TAKES_BACKEND (fake), result, &error));
  g_assert_no_error (error);
}

static gboolean
engine_is_idle (gpointer data)
{
  return takes_job_engine_get_n_active (data) == 0;
}

/* A key set through the keyring never reaches the project file, the log
 * or an error message, even when the provider rejects it. */
static void
test_canary_never_leaks (void)
{
  g_autoptr(TakesCredentials) credentials = takes_credentials_new ();
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesFakeKit) kit = takes_fake_kit_new ();
  g_autoptr(TakesFakeBackend) fake = NULL;
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  gint64 deadline;
  guint ticker;
  TakesTake *take;

  g_unsetenv ("TAKES_FAKE_API_KEY");
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_string_truncate (captured_log, 0);

  fake = takes_fake_backend_new (takes_fake_kit_get_base_url (kit));
  takes_fake_backend_set_requires_key (fake, TRUE);
  takes_http_set_retry_policy (takes_backend_get_http (TAKES_BACKEND (fake)), 1, 10, 50);
  takes_backend_registry_add (registry, TAKES_BACKEND (fake));
  /* The provider expects another key: the canary is rejected. */
  takes_fake_kit_set_api_key (kit, "the-right-key");

  store (credentials, "fake", "TAKES_FAKE_API_KEY", CANARY);
  g_assert_cmpuint (apply (credentials, registry), ==, 1);

  /* The Test button's path: a rejected key */
  takes_backend_test_async (TAKES_BACKEND (fake), NULL, store_result_cb, &result);
  wait_for_result (&result);
  if (!takes_backend_test_finish (TAKES_BACKEND (fake), result, &error))
    {
      g_assert_null (strstr (error->message, CANARY));
      g_clear_error (&error);
    }

  dir = g_dir_make_tmp ("takes-canary-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "Film.takes", NULL);
  file = g_file_new_for_path (path);

  takes_shot_set_title (shot, "Pier");
  takes_shot_set_prompt (shot, "A gull over the pier");
  takes_shot_set_duration (shot, 2);
  takes_project_append_shot (project, shot);
  takes_project_save (project, file, &error);
  g_assert_no_error (error);

  engine = takes_job_engine_new (project, registry);
  takes_job_engine_set_poll_intervals (engine, 20, 100);
  takes = takes_job_engine_generate (engine, shot, "fake", NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (takes->len, ==, 1);
  take = g_ptr_array_index (takes, 0);

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  ticker = g_timeout_add (20, wake_up, NULL);
  while (!engine_is_idle (engine))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);

  /* The provider said no, and said so in words without the key. */
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_FAILED);
  message = g_strdup (takes_take_get_error (take));
  g_assert_nonnull (message);
  g_assert_null (strstr (message, CANARY));

  /* The key did go out, in the header where it belongs ... */
  g_assert_nonnull (strstr (takes_fake_kit_get_transcript (kit), CANARY));

  /* ... and nowhere else. */
  takes_project_save (project, file, &error);
  g_assert_no_error (error);
  find_in_tree (dir, CANARY, found);
  find_in_tree (keyring_dir, CANARY, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("The key was found in %s", (char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);

  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_null (strstr (captured_log->str, CANARY));

  takes_job_engine_shutdown (engine);
  remove_tree (dir);
  g_unsetenv ("G_MESSAGES_DEBUG");
}

/* Runs in a child process: no keyring daemon and no file keyring. */
static void
test_session_only_child (void)
{
  g_autoptr(TakesCredentials) credentials = NULL;
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new ("http://127.0.0.1:9");
  g_autofree char *value = NULL;
  g_autofree char *bus = NULL;

  g_unsetenv ("SECRET_BACKEND");
  g_unsetenv ("SECRET_FILE_TEST_PATH");
  g_unsetenv ("SECRET_FILE_TEST_PASSWORD");
  g_unsetenv ("DISPLAY");
  g_unsetenv ("TAKES_FAKE_API_KEY");
  bus = g_strdup_printf ("unix:path=%s/no-such-bus", keyring_dir);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);

  credentials = takes_credentials_new ();
  takes_fake_backend_set_requires_key (fake, TRUE);
  takes_backend_registry_add (registry, TAKES_BACKEND (fake));

  store (credentials, "fake", "TAKES_FAKE_API_KEY", CANARY);
  g_assert_true (takes_credentials_get_session_only (credentials));
  g_assert_cmpstr (takes_credentials_get_note (credentials), ==,
                   "No keyring is available: the key is kept only until Takes quits.");

  /* Kept for the session ... */
  value = lookup (credentials, "fake", "TAKES_FAKE_API_KEY");
  g_assert_cmpstr (value, ==, CANARY);
  g_clear_pointer (&value, g_free);
  g_assert_cmpuint (apply (credentials, registry), ==, 1);
  g_assert_true (takes_backend_is_configured (TAKES_BACKEND (fake)));

  /* ... until cleared, and a new start knows nothing of it. */
  {
    g_autoptr(TakesCredentials) again = takes_credentials_new ();

    value = lookup (again, "fake", "TAKES_FAKE_API_KEY");
    g_assert_null (value);
    g_assert_true (takes_credentials_get_session_only (again));
  }

  clear (credentials, "fake", "TAKES_FAKE_API_KEY");
  value = lookup (credentials, "fake", "TAKES_FAKE_API_KEY");
  g_assert_null (value);
  g_assert_cmpuint (apply (credentials, registry), ==, 0);
  g_assert_false (takes_backend_is_configured (TAKES_BACKEND (fake)));
}

static void
test_session_only (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *home = g_strdup (g_get_home_dir ());

  if (g_test_subprocess ())
    {
      test_session_only_child ();
      return;
    }

  g_test_trap_subprocess (NULL, WAIT_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* Never in plain text anywhere, not even in what it printed */
  g_test_trap_assert_stdout_unmatched ("*" CANARY "*");
  g_test_trap_assert_stderr_unmatched ("*" CANARY "*");

  find_in_tree (keyring_dir, CANARY, found);
  g_assert_cmpuint (found->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  /* libsecret's file backend, a test hook (libsecret 0.20.5): an encrypted
   * keyring in a folder of our own instead of the person's. The child of
   * the session-only test drops it again. */
  keyring_dir = g_dir_make_tmp ("takes-keyring-XXXXXX", NULL);
  g_assert_nonnull (keyring_dir);
  if (!g_test_subprocess ())
    {
      g_autofree char *keyring = g_build_filename (keyring_dir, "keyring", NULL);

      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "takes-test-password", TRUE);
    }

  g_test_add_func ("/Takes/Credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/Takes/Credentials/apply-keyring-wins", test_apply);
  g_test_add_func ("/Takes/Credentials/backend-test-default", test_backend_test_default);
  g_test_add_func ("/Takes/Credentials/canary-never-leaks", test_canary_never_leaks);
  g_test_add_func ("/Takes/Credentials/session-only-without-keyring", test_session_only);

  status = g_test_run ();

  remove_tree (keyring_dir);

  return status;
}
