/* takes-backend-error.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TAKES_BACKEND_ERROR (takes_backend_error_quark ())

/* What went wrong talking to a generator, in terms a caller can act on.
 * The command line maps these to exit codes (see takes_backend_error_exit_code). */
typedef enum
{
  TAKES_BACKEND_ERROR_AUTH,            /* missing or rejected credentials */
  TAKES_BACKEND_ERROR_QUOTA,           /* balance or quota used up */
  TAKES_BACKEND_ERROR_RATE_LIMIT,      /* too many requests; retry later */
  TAKES_BACKEND_ERROR_REJECTED,        /* moderation refused the request */
  TAKES_BACKEND_ERROR_INVALID_REQUEST, /* a parameter the provider refuses */
  TAKES_BACKEND_ERROR_SERVER,          /* 5xx or a malformed answer */
  TAKES_BACKEND_ERROR_NETWORK,         /* could not reach the provider */
  TAKES_BACKEND_ERROR_TIMEOUT,         /* the overall deadline passed */
  TAKES_BACKEND_ERROR_CANCELED,        /* canceled by the person */
  TAKES_BACKEND_ERROR_FAILED,          /* the provider's task failed */
  TAKES_BACKEND_ERROR_NOT_FOUND,       /* unknown task or backend */
} TakesBackendErrorCode;

GQuark takes_backend_error_quark          (void);
/* 0 done, 1 failed, 2 invalid input, 3 credentials, 4 network/server */
int    takes_backend_error_exit_code      (const GError *error);

/* Extra facts carried by TAKES_BACKEND_ERROR errors (zero when unknown or
 * when the error was made with plain g_set_error()). */

/* How long the provider asked us to wait before trying again, in ms. */
gint64   takes_backend_error_get_retry_after     (const GError *error);
/* The HTTP status behind the error, 0 when there was none. */
guint    takes_backend_error_get_http_status     (const GError *error);
/* TRUE when a create request may have been accepted although it failed
 * here (deadline passed after sending, connection lost, 5xx, unreadable
 * answer): the take becomes "unknown" and is never resubmitted on its own. */
gboolean takes_backend_error_is_outcome_unknown  (const GError *error);

GError  *takes_backend_error_new_full            (TakesBackendErrorCode  code,
                                                  guint                  http_status,
                                                  gint64                 retry_after_ms,
                                                  gboolean               outcome_unknown,
                                                  const char            *message);
void     takes_backend_error_set_outcome_unknown (GError                *error,
                                                  gboolean               outcome_unknown);

G_END_DECLS
