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

typedef struct
{
  gint64   retry_after_ms;
  guint    http_status;
  gboolean outcome_unknown;
} TakesBackendErrorPrivate;

static void
takes_backend_error_private_init (TakesBackendErrorPrivate *priv)
{
  priv->retry_after_ms = 0;
  priv->http_status = 0;
  priv->outcome_unknown = FALSE;
}

static void
takes_backend_error_private_copy (const TakesBackendErrorPrivate *src,
                                  TakesBackendErrorPrivate       *dest)
{
  *dest = *src;
}

static void
takes_backend_error_private_clear (TakesBackendErrorPrivate *priv)
{
}

/* An extended domain so a rate-limit error can carry its Retry-After and a
 * failed create can say whether the provider may have accepted it. */
G_DEFINE_EXTENDED_ERROR (TakesBackendError, takes_backend_error)

gint64
takes_backend_error_get_retry_after (const GError *error)
{
  if (error == NULL || error->domain != TAKES_BACKEND_ERROR)
    return 0;

  return takes_backend_error_get_private (error)->retry_after_ms;
}

guint
takes_backend_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != TAKES_BACKEND_ERROR)
    return 0;

  return takes_backend_error_get_private (error)->http_status;
}

gboolean
takes_backend_error_is_outcome_unknown (const GError *error)
{
  if (error == NULL || error->domain != TAKES_BACKEND_ERROR)
    return FALSE;

  return takes_backend_error_get_private (error)->outcome_unknown;
}

void
takes_backend_error_set_outcome_unknown (GError   *error,
                                         gboolean  outcome_unknown)
{
  g_return_if_fail (error != NULL);
  g_return_if_fail (error->domain == TAKES_BACKEND_ERROR);

  takes_backend_error_get_private (error)->outcome_unknown = !!outcome_unknown;
}

GError *
takes_backend_error_new_full (TakesBackendErrorCode  code,
                              guint                  http_status,
                              gint64                 retry_after_ms,
                              gboolean               outcome_unknown,
                              const char            *message)
{
  GError *error = g_error_new_literal (TAKES_BACKEND_ERROR, code, message);
  TakesBackendErrorPrivate *priv = takes_backend_error_get_private (error);

  priv->http_status = http_status;
  priv->retry_after_ms = MAX (retry_after_ms, 0);
  priv->outcome_unknown = !!outcome_unknown;

  return error;
}

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
