/* backend-test-util.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "backend-test-util"

#include "config.h"

#include <glib/gstdio.h>

#include "backend-test-util.h"

/* A fresh client request id each time, as the job layer gives one per take. */
TakesGenerationRequest *
backend_test_new_request (const char *prompt,
                          double      duration)
{
  TakesGenerationRequest *request = takes_generation_request_new (prompt);
  g_autofree char *id = g_uuid_string_random ();

  takes_generation_request_set_duration (request, duration);
  takes_generation_request_set_client_request_id (request, id);

  return request;
}

/* @user_data is a GAsyncResult ** slot that receives a reference. */
void
backend_test_on_result (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

GAsyncResult *
backend_test_await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

char *
backend_test_submit (TakesBackend            *backend,
                     TakesGenerationRequest  *request,
                     TakesBackendStatus     **immediate,
                     GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  takes_backend_submit_async (backend, request, NULL, backend_test_on_result, &result);

  return takes_backend_submit_finish (backend, backend_test_await (&result), immediate, error);
}

TakesBackendStatus *
backend_test_poll (TakesBackend            *backend,
                   TakesGenerationRequest  *request,
                   const char              *task_id,
                   GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  takes_backend_poll_async (backend, request, task_id, NULL, backend_test_on_result, &result);

  return takes_backend_poll_finish (backend, backend_test_await (&result), error);
}

gboolean
backend_test_download (TakesBackend            *backend,
                       TakesGenerationRequest  *request,
                       const char              *task_id,
                       const char              *url,
                       GFile                   *destination,
                       GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  takes_backend_download_async (backend, request, task_id, url, destination,
                                NULL, NULL, NULL, NULL, backend_test_on_result, &result);

  return takes_backend_download_finish (backend, backend_test_await (&result), error);
}

gboolean
backend_test_test (TakesBackend  *backend,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  takes_backend_test_async (backend, NULL, backend_test_on_result, &result);

  return takes_backend_test_finish (backend, backend_test_await (&result), error);
}

TakesBackendStatus *
backend_test_poll_to_end (TakesBackend           *backend,
                          TakesGenerationRequest *request,
                          const char             *task_id,
                          guint                   max_polls)
{
  for (guint i = 0; i < max_polls; i++)
    {
      g_autoptr(GError) error = NULL;
      TakesBackendStatus *status = backend_test_poll (backend, request, task_id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (status);
      if (takes_backend_status_is_final (status))
        return status;
      takes_backend_status_free (status);
    }

  g_assert_not_reached ();
}

void
backend_test_assert_file_bytes (GFile  *file,
                                GBytes *expected)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

char *
backend_test_write_png (const char *dir,
                        const char *name)
{
  /* The fakes read the signature, as a server sniffing the type would. */
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 1, 0x2c, 0, 0, 1, 0x2c, 8, 2, 0, 0, 0, 0x12, 0x34, 0x56, 0x78,
  };
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *)png, sizeof png, &error);
  g_assert_no_error (error);

  return path;
}

void
backend_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        backend_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}
