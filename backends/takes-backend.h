/* takes-backend.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-backend-error.h"
#include "takes-generation-request.h"
#include "takes-http.h"

G_BEGIN_DECLS

/* ---- What a backend can do ------------------------------------------------ */

typedef enum /*< flags >*/
{
  TAKES_BACKEND_MODE_TEXT_TO_VIDEO    = 1 << 0,
  TAKES_BACKEND_MODE_IMAGE_TO_VIDEO   = 1 << 1,
  TAKES_BACKEND_MODE_FIRST_LAST_FRAME = 1 << 2,
} TakesBackendModes;

GType takes_backend_modes_get_type (void) G_GNUC_CONST;
#define TAKES_TYPE_BACKEND_MODES (takes_backend_modes_get_type ())

/* One entry of a backend's model list; arrays end with { NULL, NULL }. */
typedef struct
{
  const char *id;     /* sent to the provider */
  const char *label;  /* for people: mark with N_(); translate when shown */
} TakesBackendModel;

/* ---- Where a remote task stands ------------------------------------------- */

typedef enum
{
  TAKES_BACKEND_STATE_QUEUED,
  TAKES_BACKEND_STATE_RUNNING,
  TAKES_BACKEND_STATE_SUCCEEDED,
  TAKES_BACKEND_STATE_FAILED,
  TAKES_BACKEND_STATE_CANCELED,
} TakesBackendState;

GType        takes_backend_state_get_type  (void) G_GNUC_CONST;
#define TAKES_TYPE_BACKEND_STATE (takes_backend_state_get_type ())
const char  *takes_backend_state_to_string (TakesBackendState state);

typedef struct
{
  TakesBackendState  state;
  double             progress;        /* 0..1; negative when the provider does not say */
  char              *message;         /* FAILED/CANCELED: the provider's reason, for people */
  int                error_code;      /* FAILED: a TakesBackendErrorCode (FAILED, REJECTED, …) */
  char              *result_url;      /* SUCCEEDED: https://…, file://… or a backend handle */
  double             cost;            /* provider-reported cost in USD; negative when unknown */
  gint64             retry_after_ms;  /* the provider's hint for the next poll; 0 = none */
} TakesBackendStatus;

#define TAKES_TYPE_BACKEND_STATUS (takes_backend_status_get_type ())
GType               takes_backend_status_get_type (void) G_GNUC_CONST;
TakesBackendStatus *takes_backend_status_new      (TakesBackendState         state);
TakesBackendStatus *takes_backend_status_copy     (const TakesBackendStatus *self);
void                takes_backend_status_free     (TakesBackendStatus       *self);
gboolean            takes_backend_status_is_final (const TakesBackendStatus *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TakesBackendStatus, takes_backend_status_free)

/* ---- The extension point --------------------------------------------------- */

#define TAKES_TYPE_BACKEND (takes_backend_get_type ())
G_DECLARE_DERIVABLE_TYPE (TakesBackend, takes_backend, TAKES, BACKEND, GObject)

/* Subclasses fill in the class structure. Every vfunc has a default except
 * get_id, get_display_name, submit_async/finish and poll_async/finish.
 *
 * Contract for the async methods: callbacks run on the thread-default main
 * context of the caller; nothing blocks it. Errors are TAKES_BACKEND_ERROR
 * (CANCELED when @cancellable fired), with messages written for people.
 * The engine passes the same request (TakesGenerationRequest) to poll,
 * cancel and download that it passed to submit, also after a restart, so a
 * backend may keep nothing in memory between calls. */
struct _TakesBackendClass
{
  GObjectClass parent_class;

  const char              *(*get_id)                 (TakesBackend           *self);
  const char              *(*get_display_name)       (TakesBackend           *self);
  /* NULL-terminated ({ NULL, NULL }); the first is the default model. */
  const TakesBackendModel *(*get_models)             (TakesBackend           *self);
  TakesBackendModes        (*get_modes)              (TakesBackend           *self);
  /* Allowed lengths in seconds; n = 0 means any length in the range. */
  const double            *(*get_durations)          (TakesBackend           *self,
                                                      guint                  *n_durations);
  void                     (*get_duration_range)     (TakesBackend           *self,
                                                      double                 *min_seconds,
                                                      double                 *max_seconds);
  /* NULL-terminated; the first is the default. */
  const char * const      *(*get_aspect_ratios)      (TakesBackend           *self);
  const char * const      *(*get_resolutions)        (TakesBackend           *self);
  gboolean                 (*get_has_audio)          (TakesBackend           *self);
  guint                    (*get_concurrency_limit)  (TakesBackend           *self);
  /* Environment variable names, NULL-terminated (empty for none). */
  const char * const      *(*get_credential_names)   (TakesBackend           *self);
  const char              *(*get_default_base_url)   (TakesBackend           *self);
  gboolean                 (*is_configured)          (TakesBackend           *self);
  /* USD; negative when unknown */
  double                   (*estimate_cost)          (TakesBackend           *self,
                                                      TakesGenerationRequest *request);
  /* Backend-specific checks after takes_generation_request_validate(). */
  gboolean                 (*validate_request)       (TakesBackend           *self,
                                                      TakesGenerationRequest *request,
                                                      GError                **error);

  void                     (*submit_async)           (TakesBackend           *self,
                                                      TakesGenerationRequest *request,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
  char                    *(*submit_finish)          (TakesBackend           *self,
                                                      GAsyncResult           *result,
                                                      TakesBackendStatus    **immediate,
                                                      GError                **error);
  void                     (*poll_async)             (TakesBackend           *self,
                                                      TakesGenerationRequest *request,
                                                      const char             *task_id,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
  TakesBackendStatus      *(*poll_finish)            (TakesBackend           *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);
  void                     (*cancel_async)           (TakesBackend           *self,
                                                      TakesGenerationRequest *request,
                                                      const char             *task_id,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
  gboolean                 (*cancel_finish)          (TakesBackend           *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);
  void                     (*download_async)         (TakesBackend           *self,
                                                      TakesGenerationRequest *request,
                                                      const char             *task_id,
                                                      const char             *result_url,
                                                      GFile                  *destination,
                                                      TakesProgressFunc       progress,
                                                      gpointer                progress_data,
                                                      GDestroyNotify          progress_data_destroy,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
  gboolean                 (*download_finish)        (TakesBackend           *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);
  /* Lets the default download add headers (auth) to the GET of @result_url. */
  void                     (*prepare_download)       (TakesBackend           *self,
                                                      TakesHttpRequest       *request);

  /* TRUE when any "W:H" and resolution is fine (the lists are then only
   * suggestions for the UI). */
  gboolean                 any_frame_size;

  /* Checks credentials and endpoint with a cheap request that costs
   * nothing (listing tasks, models, server stats). Default: succeeds when
   * is_configured(), else TAKES_BACKEND_ERROR_AUTH naming the missing key. */
  void                     (*test_async)             (TakesBackend           *self,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
  gboolean                 (*test_finish)            (TakesBackend           *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

  gpointer padding[10];
};

/* Self-description */
const char              *takes_backend_get_id                (TakesBackend           *self);
const char              *takes_backend_get_display_name      (TakesBackend           *self);
const TakesBackendModel *takes_backend_get_models            (TakesBackend           *self);
const char              *takes_backend_get_default_model     (TakesBackend           *self);
TakesBackendModes        takes_backend_get_modes             (TakesBackend           *self);
const double            *takes_backend_get_durations         (TakesBackend           *self,
                                                              guint                  *n_durations);
void                     takes_backend_get_duration_range    (TakesBackend           *self,
                                                              double                 *min_seconds,
                                                              double                 *max_seconds);
const char * const      *takes_backend_get_aspect_ratios     (TakesBackend           *self);
const char * const      *takes_backend_get_resolutions       (TakesBackend           *self);
gboolean                 takes_backend_get_has_audio         (TakesBackend           *self);
guint                    takes_backend_get_concurrency_limit (TakesBackend           *self);
const char * const      *takes_backend_get_credential_names  (TakesBackend           *self);
/* Whether every credential is known (set or in the environment). */
gboolean                 takes_backend_is_configured         (TakesBackend           *self);
/* USD for one take of @request: the price func's answer for the request's
 * model (or the default), its "mode" extra and its duration when it has
 * one, else the estimate_cost vfunc. Negative when unknown. */
double                   takes_backend_estimate_cost         (TakesBackend           *self,
                                                              TakesGenerationRequest *request);
/* takes_generation_request_validate(), then: the mode (image or not) is
 * supported, the duration is allowed, the aspect ratio and resolution are
 * among the backend's, then the backend's own checks.
 * TAKES_BACKEND_ERROR_INVALID_REQUEST naming what to change. */
gboolean                 takes_backend_validate_request      (TakesBackend           *self,
                                                              TakesGenerationRequest *request,
                                                              GError                **error);
/* Everything above as JSON (for `takes backends --json`). */
JsonObject              *takes_backend_describe              (TakesBackend           *self);

/* Prices. The app keeps the price table (app/takes-pricing.c, editable in
 * Preferences) and hands each backend a lookup; backends do not carry
 * prices of their own beyond their estimate_cost() fallback.
 * @model is the backend's default when a request names none (NULL only
 * for a backend that lists no models);
 * @mode is the quality tier ("std", "pro") or NULL. Returns USD for
 * @quantity of @unit, negative when no price is known. */
typedef enum
{
  TAKES_PRICE_SECONDS,  /* @quantity seconds of generated video */
  TAKES_PRICE_CREDITS,  /* @quantity of the provider's own credits or units
                         * (Kling's final_unit_deduction) */
} TakesPriceUnit;

typedef double (*TakesBackendPriceFunc) (TakesBackend   *backend,
                                         const char     *model,
                                         const char     *mode,
                                         TakesPriceUnit  unit,
                                         double          quantity,
                                         gpointer        user_data);

void                     takes_backend_set_price_func        (TakesBackend           *self,
                                                              TakesBackendPriceFunc   func,
                                                              gpointer                user_data,
                                                              GDestroyNotify          destroy);
/* USD through the price func; negative without one or without a price. */
double                   takes_backend_lookup_price          (TakesBackend           *self,
                                                              const char             *model,
                                                              const char             *mode,
                                                              TakesPriceUnit          unit,
                                                              double                  quantity);

/* Credentials: the app hands over keys from the keyring; otherwise the
 * environment variable of the same name is used. Values are registered with
 * takes_http_add_secret() and never logged. */
void                     takes_backend_set_credential        (TakesBackend           *self,
                                                              const char             *name,
                                                              const char             *value);
/* A copy (free it) or NULL */
char                    *takes_backend_dup_credential        (TakesBackend           *self,
                                                              const char             *name);
/* TAKES_<ID>_BASE_URL, else what was set, else the class default. */
const char              *takes_backend_get_base_url          (TakesBackend           *self);
void                     takes_backend_set_base_url          (TakesBackend           *self,
                                                              const char             *base_url);
/* The backend's shared HTTP session (created on first use). */
TakesHttp               *takes_backend_get_http              (TakesBackend           *self);

/* Sends the create. The returned id (free it) is the remote task id to
 * poll. @immediate (optional) receives a status when the provider already
 * answered with one (e.g. a result right away), else NULL.
 * On failure, takes_backend_error_is_outcome_unknown() tells whether the
 * provider may have accepted the create anyway. */
void                     takes_backend_submit_async          (TakesBackend           *self,
                                                              TakesGenerationRequest *request,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
char                    *takes_backend_submit_finish         (TakesBackend           *self,
                                                              GAsyncResult           *result,
                                                              TakesBackendStatus    **immediate,
                                                              GError                **error);
/* Asks where @task_id stands. A failed task is a status (state FAILED with
 * the provider's message), not an error; errors mean the question itself
 * failed (network, rate limit with retry-after, unknown task …). */
void                     takes_backend_poll_async            (TakesBackend           *self,
                                                              TakesGenerationRequest *request,
                                                              const char             *task_id,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
TakesBackendStatus      *takes_backend_poll_finish           (TakesBackend           *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
/* Asks the provider to stop @task_id. Without provider support:
 * G_IO_ERROR_NOT_SUPPORTED (the engine then just stops polling). */
void                     takes_backend_cancel_async          (TakesBackend           *self,
                                                              TakesGenerationRequest *request,
                                                              const char             *task_id,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean                 takes_backend_cancel_finish         (TakesBackend           *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
/* Writes the finished clip to @destination through "DESTINATION.part"
 * (resumed with Range when it exists). @result_url comes from the
 * SUCCEEDED status. The default handles http(s):// with takes_http and
 * file:// by copying. */
void                     takes_backend_download_async        (TakesBackend           *self,
                                                              TakesGenerationRequest *request,
                                                              const char             *task_id,
                                                              const char             *result_url,
                                                              GFile                  *destination,
                                                              TakesProgressFunc       progress,
                                                              gpointer                progress_data,
                                                              GDestroyNotify          progress_data_destroy,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean                 takes_backend_download_finish       (TakesBackend           *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
/* The "Test" button of Preferences: checks that the credentials and the
 * endpoint work, without starting a paid generation. Errors are
 * TAKES_BACKEND_ERROR (AUTH for missing or rejected keys, NETWORK when the
 * endpoint cannot be reached, …) with messages written for people. */
void                     takes_backend_test_async            (TakesBackend           *self,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean                 takes_backend_test_finish           (TakesBackend           *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

G_END_DECLS
