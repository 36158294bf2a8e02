/* backend-test-util.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-backend.h"

G_BEGIN_DECLS

TakesGenerationRequest *backend_test_new_request (const char              *prompt,
                                                  double                   duration);
void                    backend_test_on_result   (GObject                 *object,
                                                  GAsyncResult            *result,
                                                  gpointer                 user_data);
GAsyncResult           *backend_test_await       (GAsyncResult           **slot);
char                   *backend_test_submit      (TakesBackend            *backend,
                                                  TakesGenerationRequest  *request,
                                                  TakesBackendStatus     **immediate,
                                                  GError                 **error);
TakesBackendStatus     *backend_test_poll        (TakesBackend            *backend,
                                                  TakesGenerationRequest  *request,
                                                  const char              *task_id,
                                                  GError                 **error);
gboolean                backend_test_download    (TakesBackend            *backend,
                                                  TakesGenerationRequest  *request,
                                                  const char              *task_id,
                                                  const char              *url,
                                                  GFile                   *destination,
                                                  GError                 **error);
gboolean                backend_test_test        (TakesBackend            *backend,
                                                  GError                 **error);
/* Polls up to @max_polls times, asserting every poll answers; fails the
 * test when no final status comes. */
TakesBackendStatus     *backend_test_poll_to_end (TakesBackend            *backend,
                                                  TakesGenerationRequest  *request,
                                                  const char              *task_id,
                                                  guint                    max_polls);
void                    backend_test_assert_file_bytes (GFile             *file,
                                                        GBytes            *expected);
/* Writes a tiny PNG (signature and IHDR) as @dir/@name; returns its path. */
char                   *backend_test_write_png   (const char              *dir,
                                                  const char              *name);
void                    backend_test_remove_dir  (const char              *dir);

G_END_DECLS
