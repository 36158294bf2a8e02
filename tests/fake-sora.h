/* fake-sora.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A fake OpenAI Videos API (PROVIDERS.md §2) on 127.0.0.1, as strict as
 * the real one: "Authorization: Bearer KEY" on every /v1 request (401
 * invalid_api_key otherwise); POST /v1/videos as multipart/form-data (or
 * JSON without a file) with prompt (required), model (a known sora-2
 * name), seconds ("4", "8" or "12", as text), size (the four sizes; the
 * 1024/1792 ones for -pro models only) and input_reference (a file part
 * whose content type matches its JPEG/PNG/WebP bytes), refused with
 * 400 invalid_request_error naming the param. Answers are video objects
 * ("queued" at create, "in_progress" with rising progress, then
 * "completed" or "failed" with error {code, message}), each poll with an
 * openai-poll-after-ms header. GET /v1/videos/{id}/content needs the key
 * and a completed video (404 before). GET /v1/videos lists.
 *
 * Test endpoints: GET /_fake/stats → {"total_creates", "creates":
 * {prompt: n}}; POST /_fake/fault?name=NAME&times=N. */
typedef enum
{
  FAKE_SORA_FAULT_RATE_LIMIT_CREATE,   /* "rate-limit-create": 429 rate_limit_exceeded + Retry-After */
  FAKE_SORA_FAULT_QUOTA,               /* "quota": create → 429 insufficient_quota */
  FAKE_SORA_FAULT_MODERATION_CREATE,   /* "moderation-create": 400 moderation_blocked */
  FAKE_SORA_FAULT_SERVER_ERROR_POLL,   /* "server-error-poll": 500 */
  FAKE_SORA_FAULT_MALFORMED_POLL,      /* "malformed-poll" */
  FAKE_SORA_FAULT_DEEP_POLL,           /* "deep-poll" */
  FAKE_SORA_FAULT_AUTH,                /* "auth": every /v1 request → 401 */
  FAKE_SORA_FAULT_STALL_DOWNLOAD,      /* "stall-download" */
  FAKE_SORA_FAULT_TRUNCATE_DOWNLOAD,   /* "truncate-download" */
  FAKE_SORA_N_FAULTS
} FakeSoraFault;

typedef enum
{
  FAKE_SORA_OUTCOME_SUCCEED,
  FAKE_SORA_OUTCOME_FAIL,      /* failed, error.code "internal_error" */
  FAKE_SORA_OUTCOME_MODERATE,  /* failed, error.code "moderation_blocked" */
} FakeSoraOutcome;

#define FAKE_SORA_FAIL_REASON "The video could not be generated because of a server error."
#define FAKE_SORA_MODERATION_REASON "Your request was blocked by our moderation system."

#define TAKES_TYPE_FAKE_SORA (takes_fake_sora_get_type ())
G_DECLARE_FINAL_TYPE (TakesFakeSora, takes_fake_sora, TAKES, FAKE_SORA, GObject)

/* @port 0: a free one. The base URL to give the backend ends in /v1. */
TakesFakeSora *takes_fake_sora_new               (guint            port,
                                                  const char      *api_key);
const char    *takes_fake_sora_get_base_url      (TakesFakeSora   *self);
void           takes_fake_sora_set_polls_until_done (TakesFakeSora *self,
                                                  guint            polls);
void           takes_fake_sora_set_outcome       (TakesFakeSora   *self,
                                                  FakeSoraOutcome  outcome);
/* The openai-poll-after-ms header value (default 50) */
void           takes_fake_sora_set_poll_after_ms (TakesFakeSora   *self,
                                                  guint            ms);
void           takes_fake_sora_set_fault         (TakesFakeSora   *self,
                                                  FakeSoraFault    fault,
                                                  guint            times);
gboolean       takes_fake_sora_set_fault_by_name (TakesFakeSora   *self,
                                                  const char      *name,
                                                  guint            times);
void           takes_fake_sora_clear_faults      (TakesFakeSora   *self);

guint          takes_fake_sora_get_total_creates (TakesFakeSora   *self);
guint          takes_fake_sora_get_request_count (TakesFakeSora   *self,
                                                  const char      *method,
                                                  const char      *path_prefix);
/* The fields of the last create (text parts; the file part as
 * "input_reference" = "FILENAME CONTENT-TYPE BYTES") */
GHashTable    *takes_fake_sora_get_last_fields   (TakesFakeSora   *self);
const char    *takes_fake_sora_get_last_refusal  (TakesFakeSora   *self);
const char    *takes_fake_sora_get_transcript    (TakesFakeSora   *self);

G_END_DECLS
