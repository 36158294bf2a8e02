/* fake-backend.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend.h"

G_BEGIN_DECLS

/* A TakesBackend that talks to a TakesFakeKit (tests/fake-kit.h) through
 * takes_http, exactly as a real provider backend would: POST /tasks with
 * the request (prompt, negative_prompt, model, duration, aspect_ratio,
 * resolution, seed, client_request_id), GET /tasks/{id} mapped to
 * TakesBackendStatus (moderation → error_code REJECTED), POST
 * /tasks/{id}/cancel, and the default streaming download of result_url.
 *
 * id "fake", credential TAKES_FAKE_API_KEY (sent as a Bearer token when
 * set), cost 0.10 USD per second, durations 1–10 s. Tune its HTTP session
 * with takes_backend_get_http() (deadlines, retry delays) to keep tests
 * fast. */
#define TAKES_TYPE_FAKE_BACKEND (takes_fake_backend_get_type ())
G_DECLARE_FINAL_TYPE (TakesFakeBackend, takes_fake_backend, TAKES, FAKE_BACKEND, TakesBackend)

TakesFakeBackend *takes_fake_backend_new                   (const char       *base_url);
void              takes_fake_backend_set_concurrency_limit (TakesFakeBackend *self,
                                                            guint             limit);
/* Makes the backend require TAKES_FAKE_API_KEY (is_configured() then
 * depends on it). Off by default. */
void              takes_fake_backend_set_requires_key      (TakesFakeBackend *self,
                                                            gboolean          requires_key);

G_END_DECLS
