/* takes-job-engine.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend-registry.h"
#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_JOB_ENGINE (takes_job_engine_get_type ())
G_DECLARE_FINAL_TYPE (TakesJobEngine, takes_job_engine, TAKES, JOB_ENGINE, GObject)

/* Owns all in-flight generation work of one project: per-backend
 * concurrency, saving a take's state before a paid create is sent, polling
 * with backoff, downloads into the project's media folder, validation,
 * thumbnails, and resuming after a restart.
 *
 * Properties: "project" (construct-only), "registry" (construct-only),
 * "n-active" (uint: takes not yet in a final state).
 * Signals: "take-finished" (TakesShot *shot, TakesTake *take) when a take
 * reaches ready, failed or canceled; "idle" when n-active drops to 0;
 * "save-failed" (GError *) when the project could not be saved before a
 * create (the create is then not sent). */
TakesJobEngine *takes_job_engine_new              (TakesProject          *project,
                                                   TakesBackendRegistry  *registry);
TakesProject   *takes_job_engine_get_project      (TakesJobEngine        *self);
guint           takes_job_engine_get_n_active     (TakesJobEngine        *self);

/* Adds @n_takes new takes of @shot from @backend_id (model NULL: the
 * backend's default) and starts them. The takes appear in the shot at once
 * (state "submitting" or queued behind the concurrency limit). Fails with
 * TAKES_BACKEND_ERROR_* before adding anything when the backend is unknown,
 * not configured, the request is invalid, or the project's budget cap
 * would be passed. Returns the new takes (transfer container). */
GPtrArray      *takes_job_engine_generate         (TakesJobEngine        *self,
                                                   TakesShot             *shot,
                                                   const char            *backend_id,
                                                   const char            *model,
                                                   guint                  n_takes,
                                                   GError               **error);
/* Estimated USD cost of such a generate call; < 0 when unknown */
double          takes_job_engine_estimate         (TakesJobEngine        *self,
                                                   TakesShot             *shot,
                                                   const char            *backend_id,
                                                   const char            *model,
                                                   guint                  n_takes);
/* Builds the request that generate would send for @shot (for Details and
 * the command line). */
TakesGenerationRequest *takes_job_engine_build_request (TakesJobEngine   *self,
                                                   TakesShot             *shot,
                                                   const char            *backend_id,
                                                   const char            *model);
/* Picks up every in-flight take of the project (after load): queued,
 * running and downloading ones are polled/downloaded again; submitting
 * ones with a remote id continue, without one become "unknown". */
void            takes_job_engine_resume           (TakesJobEngine        *self);
void            takes_job_engine_cancel           (TakesJobEngine        *self,
                                                   TakesTake             *take);
/* A failed or canceled take: submit the same request again as a new paid
 * attempt (the person asked for it). */
gboolean        takes_job_engine_retry            (TakesJobEngine        *self,
                                                   TakesTake             *take,
                                                   GError               **error);
/* An "unknown" take: ask the provider again where it allows a lookup */
void            takes_job_engine_check_again      (TakesJobEngine        *self,
                                                   TakesTake             *take);
/* An "unknown" take: the person accepts the risk of paying twice */
gboolean        takes_job_engine_submit_anyway    (TakesJobEngine        *self,
                                                   TakesTake             *take,
                                                   GError               **error);
/* Stops polling and downloading without changing any take's state, so
 * the next start resumes; used on quit. */
void            takes_job_engine_shutdown         (TakesJobEngine        *self);

/* Additions. The resolution requests ask for when the backend offers it
 * (or takes any frame size); NULL: "720p" where offered, else the
 * backend's first. */
void            takes_job_engine_set_default_resolution (TakesJobEngine  *self,
                                                   const char            *resolution);
/* Polling starts @first_ms after a submit and grows ×1.5 up to @max_ms
 * (defaults 1000 and 15000); a provider's retry hint always wins. */
void            takes_job_engine_set_poll_intervals (TakesJobEngine      *self,
                                                   guint                  first_ms,
                                                   guint                  max_ms);

G_END_DECLS
