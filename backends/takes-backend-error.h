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

G_END_DECLS
