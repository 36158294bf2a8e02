/* takes-sora.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend.h"

G_BEGIN_DECLS

/* The OpenAI Videos API shape (PROVIDERS.md §2), for OpenAI's Sora and the
 * compatible servers that outlive it.
 *
 * Credential: OPENAI_API_KEY (the environment, or
 * takes_backend_set_credential() from the keyring), sent as a Bearer token.
 * Endpoint: TAKES_SORA_BASE_URL, else what Preferences set
 * (takes_backend_set_base_url()), else OPENAI_BASE_URL, else
 * https://api.openai.com/v1.
 *
 * Create: POST /videos as multipart/form-data with prompt, model (any
 * string; sora-2 by default), seconds ("4", "8" or "12": the shortest that
 * covers the shot, or the "seconds" extra as given) and size (1280x720,
 * 720x1280, and with a -pro model at 1080p 1792x1024 or 1024x1792; or the
 * "size" extra as given), plus the first frame as an input_reference file
 * part (JPEG, PNG or WebP).
 * Poll: GET /videos/{id}; queued, in_progress, completed, failed; progress
 * 0–100; the openai-poll-after-ms header becomes the status'
 * retry_after_ms (at least the minimum poll interval).
 * Download: GET /videos/{id}/content with the key (only ever sent to the
 * configured endpoint). No cancel: the API has none. */
#define TAKES_TYPE_SORA (takes_sora_get_type ())
G_DECLARE_FINAL_TYPE (TakesSora, takes_sora, TAKES, SORA, TakesBackend)

TakesSora  *takes_sora_new                   (void);

/* The shortest delay between polls the backend reports, whatever the
 * server hints (default 2000 ms). */
void        takes_sora_set_min_poll_interval (TakesSora  *self,
                                              guint       ms);

/* The "size" and "seconds" values sent for @request. */
char       *takes_sora_dup_size              (TakesSora              *self,
                                              TakesGenerationRequest *request);
char       *takes_sora_dup_seconds           (TakesSora              *self,
                                              TakesGenerationRequest *request);

G_END_DECLS
