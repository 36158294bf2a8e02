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
void                    backend_test_remove_dir  (const char              *dir);

G_END_DECLS
