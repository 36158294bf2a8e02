/* fake-kling.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A fake Kling API (PROVIDERS.md §1) on 127.0.0.1, as strict as the real
 * one: every /v1 request needs "Authorization: Bearer <JWT>" signed HS256
 * with the test secret key, iss = the access key and nbf ≤ now ≤ exp
 * (401 with 1001 missing, 1002 invalid, 1003 not yet valid, 1004 expired);
 * creates are checked field by field (prompt required for text to video,
 * model_name a known model, mode "std"/"pro", duration the string "5" or
 * "10", aspect_ratio, cfg_scale 0..1, camera_control, image/image_tail as
 * an http(s) URL or raw base64 of a JPEG/PNG without a data: prefix, and
 * external_task_id unique) and refused with 400/1201 (or 404/1203 for an
 * unknown model). Answers use the {code, message, request_id, data}
 * envelope with 18-digit task ids and millisecond times; a task is
 * "submitted" at its first poll, "processing" after, and final after
 * polls_until_done polls. Finished clips are served at /cdn/{task_id}.mp4
 * without credentials (a request carrying Authorization is refused, as a
 * pre-signed URL would be).
 *
 * Test endpoints: GET /_fake/stats → {"total_creates", "creates":
 * {external_task_id: n}, "duplicates": {external_task_id: n}};
 * POST /_fake/fault?name=NAME&times=N switches a fault on (names below). */
typedef enum
{
  FAKE_KLING_FAULT_RATE_LIMIT_CREATE,   /* "rate-limit-create": 429 code 1302 */
  FAKE_KLING_FAULT_CONCURRENCY_CREATE,  /* "concurrency-create": 429 code 1303 */
  FAKE_KLING_FAULT_BALANCE,             /* "balance": create → 429 code 1102 */
  FAKE_KLING_FAULT_MODERATION_CREATE,   /* "moderation-create": 400 code 1301 */
  FAKE_KLING_FAULT_SERVER_ERROR_POLL,   /* "server-error-poll": 500 code 5000 */
  FAKE_KLING_FAULT_MALFORMED_POLL,      /* "malformed-poll": 200, not JSON */
  FAKE_KLING_FAULT_DEEP_POLL,           /* "deep-poll": 200, 100 000 nested arrays */
  FAKE_KLING_FAULT_MALFORMED_CREATE,    /* "malformed-create": accepted, answer not JSON */
  FAKE_KLING_FAULT_AUTH,                /* "auth": every /v1 request → 401 code 1000 */
  FAKE_KLING_FAULT_EXPIRED_TOKEN,       /* "expired-token": 401 code 1004 */
  FAKE_KLING_FAULT_STALL_DOWNLOAD,      /* "stall-download" */
  FAKE_KLING_FAULT_TRUNCATE_DOWNLOAD,   /* "truncate-download" */
  FAKE_KLING_N_FAULTS
} FakeKlingFault;

typedef enum
{
  FAKE_KLING_OUTCOME_SUCCEED,
  FAKE_KLING_OUTCOME_FAIL,      /* failed, task_status_msg about an internal error */
  FAKE_KLING_OUTCOME_MODERATE,  /* failed, task_status_msg from the risk control */
} FakeKlingOutcome;

#define FAKE_KLING_ACCESS_KEY "ak-fake-kling-0001"
#define FAKE_KLING_FAIL_REASON "Video generation failed: the render node ran out of memory"
#define FAKE_KLING_MODERATION_REASON "Failure to pass the risk control system"

#define TAKES_TYPE_FAKE_KLING (takes_fake_kling_get_type ())
G_DECLARE_FINAL_TYPE (TakesFakeKling, takes_fake_kling, TAKES, FAKE_KLING, GObject)

/* @port 0: a free one */
TakesFakeKling *takes_fake_kling_new              (guint             port,
                                                   const char       *secret_key);
const char     *takes_fake_kling_get_base_url     (TakesFakeKling   *self);
void            takes_fake_kling_set_polls_until_done (TakesFakeKling *self,
                                                   guint             polls);
void            takes_fake_kling_set_outcome      (TakesFakeKling   *self,
                                                   FakeKlingOutcome  outcome);
/* final_unit_deduction of finished tasks (default "2") */
void            takes_fake_kling_set_units        (TakesFakeKling   *self,
                                                   const char       *units);
/* Seconds added to the fake's clock when it checks tokens */
void            takes_fake_kling_set_clock_offset (TakesFakeKling   *self,
                                                   gint64            seconds);
void            takes_fake_kling_set_fault        (TakesFakeKling   *self,
                                                   FakeKlingFault    fault,
                                                   guint             times);
gboolean        takes_fake_kling_set_fault_by_name (TakesFakeKling  *self,
                                                   const char       *name,
                                                   guint             times);
void            takes_fake_kling_clear_faults     (TakesFakeKling   *self);

/* Accepted creates with this external_task_id */
guint           takes_fake_kling_get_create_count (TakesFakeKling   *self,
                                                   const char       *external_task_id);
guint           takes_fake_kling_get_total_creates (TakesFakeKling  *self);
/* Requests that reached a handler (faulted ones too) by "METHOD /path-prefix" */
guint           takes_fake_kling_get_request_count (TakesFakeKling  *self,
                                                   const char       *method,
                                                   const char       *path_prefix);
/* The last create body as received; the last token's "exp" claim */
JsonObject     *takes_fake_kling_get_last_body    (TakesFakeKling   *self);
gint64          takes_fake_kling_get_last_token_exp (TakesFakeKling *self);
/* Why the last refused request was refused ("" when none was) */
const char     *takes_fake_kling_get_last_refusal (TakesFakeKling   *self);
/* Every request line and header seen, for leak checks */
const char     *takes_fake_kling_get_transcript   (TakesFakeKling   *self);

G_END_DECLS
