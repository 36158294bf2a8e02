/* takes-backend-error.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-backend-error"

#include "config.h"

#include <gio/gio.h>

#include "takes-backend-error.h"

G_DEFINE_QUARK (takes-backend-error-quark, takes_backend_error)

int
takes_backend_error_exit_code (const GError *error)
{
  if (error == NULL)
    return 0;

  if (error->domain != TAKES_BACKEND_ERROR)
    return 1;

  switch ((TakesBackendErrorCode) error->code)
    {
    case TAKES_BACKEND_ERROR_AUTH:
      return 3;
    case TAKES_BACKEND_ERROR_INVALID_REQUEST:
    case TAKES_BACKEND_ERROR_NOT_FOUND:
      return 2;
    case TAKES_BACKEND_ERROR_RATE_LIMIT:
    case TAKES_BACKEND_ERROR_SERVER:
    case TAKES_BACKEND_ERROR_NETWORK:
    case TAKES_BACKEND_ERROR_TIMEOUT:
      return 4;
    case TAKES_BACKEND_ERROR_QUOTA:
    case TAKES_BACKEND_ERROR_REJECTED:
    case TAKES_BACKEND_ERROR_CANCELED:
    case TAKES_BACKEND_ERROR_FAILED:
    default:
      return 1;
    }
}
