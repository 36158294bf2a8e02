/* fake-kit.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A fake generation provider for tests: a SoupServer on 127.0.0.1 at a
 * free port, serving a generic "task API", with faults that can be switched
 * on one by one. It runs on the thread-default main context of whoever
 * created it: iterate that context (g_main_loop_run …) for it to answer.
 *
 * The task API:
 *
 *   POST /tasks            JSON {"prompt": "…" (required), "client_request_id",
 *                          "duration", …} → 200 {"id": "task-N", "status": "queued"}
 *                          400 {"error":{"message"}} without a prompt,
 *                          401 {"error":{"message"}} when an API key is set and
 *                          "Authorization: Bearer KEY" does not match.
 *   GET  /tasks/{id}       → {"id", "status": "queued"|"running"|"succeeded"|"failed"|
 *                          "canceled", "progress": 0..1, "result_url" (succeeded),
 *                          "cost" (succeeded), "error": {"code","message"} (failed)}
 *                          A task is "queued" at its first poll, "running" for
 *                          the next ones and final after polls_until_done polls.
 *                          404 for an unknown id.
 *   POST /tasks/{id}/cancel → {"id", "status": "canceled"}
 *   GET  /files/{id}       → the clip bytes (Range requests answered with 206).
 *   POST /echo             → the JSON body sent, unchanged.
 *   GET  /blob/{n}         → {"data": "xxx…"} about n bytes long.
 *
 * Every fault hits the next @times matching requests (0 = every one) and
 * counts down; faulted requests are counted in request counts but a
 * faulted create is never an accepted create. */
typedef enum
{
  TAKES_FAKE_FAULT_RATE_LIMIT_CREATE,  /* POST /tasks → 429 with Retry-After */
  TAKES_FAKE_FAULT_UNAVAILABLE_CREATE, /* POST /tasks → 503 (not accepted) */
  TAKES_FAKE_FAULT_SLOW_CREATE,        /* POST /tasks accepted, answer after the delay */
  TAKES_FAKE_FAULT_SERVER_ERROR_POLL,  /* GET /tasks/{id} → 500 */
  TAKES_FAKE_FAULT_RATE_LIMIT_POLL,    /* GET /tasks/{id} → 429 with Retry-After */
  TAKES_FAKE_FAULT_DEEP_NESTING_POLL,  /* GET /tasks/{id} → 100 000 nested arrays */
  TAKES_FAKE_FAULT_TRICKLE_POLL,       /* GET /tasks/{id} → a byte every 100 ms, never done */
  TAKES_FAKE_FAULT_AUTH,               /* every request → 401 */
  TAKES_FAKE_FAULT_STALL_DOWNLOAD,     /* GET /files → half the bytes, then silence */
  TAKES_FAKE_FAULT_TRUNCATE_DOWNLOAD,  /* GET /files → half the bytes, then the connection closes */
  TAKES_FAKE_FAULT_IGNORE_RANGE,       /* GET /files → always 200 with the whole file */
  TAKES_FAKE_N_FAULTS
} TakesFakeFault;

typedef enum
{
  TAKES_FAKE_OUTCOME_SUCCEED,
  TAKES_FAKE_OUTCOME_FAIL,      /* status "failed", error code "internal" */
  TAKES_FAKE_OUTCOME_MODERATE,  /* status "failed", error code "moderation" */
} TakesFakeOutcome;

#define TAKES_TYPE_FAKE_KIT (takes_fake_kit_get_type ())
G_DECLARE_FINAL_TYPE (TakesFakeKit, takes_fake_kit, TAKES, FAKE_KIT, GObject)

/* Starts listening at once; aborts the test if no port can be had. */
TakesFakeKit *takes_fake_kit_new                (void);
/* "http://127.0.0.1:PORT" (no trailing slash) */
const char   *takes_fake_kit_get_base_url       (TakesFakeKit     *self);

/* Behaviour of new and existing tasks */
void          takes_fake_kit_set_api_key        (TakesFakeKit     *self,
                                                 const char       *api_key);
void          takes_fake_kit_set_polls_until_done (TakesFakeKit   *self,
                                                 guint             polls);
void          takes_fake_kit_set_outcome        (TakesFakeKit     *self,
                                                 TakesFakeOutcome  outcome);
/* The bytes GET /files/{id} serves (default: 256 KiB of a fixed pattern). */
void          takes_fake_kit_set_file_content   (TakesFakeKit     *self,
                                                 GBytes           *content);
GBytes       *takes_fake_kit_get_file_content   (TakesFakeKit     *self);
/* Reported cost of a succeeded task, USD (default 0.25) */
void          takes_fake_kit_set_cost           (TakesFakeKit     *self,
                                                 double            cost);

/* Faults */
void          takes_fake_kit_set_fault          (TakesFakeKit     *self,
                                                 TakesFakeFault    fault,
                                                 guint             times);
void          takes_fake_kit_clear_faults       (TakesFakeKit     *self);
/* Seconds sent in Retry-After with 429 answers (default 1) */
void          takes_fake_kit_set_retry_after    (TakesFakeKit     *self,
                                                 guint             seconds);
/* How long SLOW_CREATE waits before answering, ms (default 3000) */
void          takes_fake_kit_set_create_delay   (TakesFakeKit     *self,
                                                 guint             ms);

/* Counts */
/* Accepted creates carrying @client_request_id ("" for those without). */
guint         takes_fake_kit_get_create_count   (TakesFakeKit     *self,
                                                 const char       *client_request_id);
/* All accepted creates */
guint         takes_fake_kit_get_total_creates  (TakesFakeKit     *self);
/* Requests seen (faulted ones included) whose method matches and whose
 * path starts with @path_prefix. */
guint         takes_fake_kit_get_request_count  (TakesFakeKit     *self,
                                                 const char       *method,
                                                 const char       *path_prefix);
/* Polls seen for one task id */
guint         takes_fake_kit_get_poll_count     (TakesFakeKit     *self,
                                                 const char       *task_id);
/* The value of the last Range header on /files, NULL if none */
const char   *takes_fake_kit_get_last_range     (TakesFakeKit     *self);
/* Every request line and header the kit has seen, for leak checks */
const char   *takes_fake_kit_get_transcript     (TakesFakeKit     *self);
void          takes_fake_kit_reset_counts       (TakesFakeKit     *self);

G_END_DECLS
