/* takes-http.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "takes-backend-error.h"

G_BEGIN_DECLS

/* The one way Takes talks HTTP to providers.
 *
 * Every request has an overall deadline (libsoup's own timeout only limits
 * silence), bodies are read with a size cap, JSON answers are depth-checked
 * before parsing, failures become TAKES_BACKEND_ERROR errors written for
 * people, and nothing secret reaches a log or an error message. TLS
 * certificates are always verified. All I/O is asynchronous on the
 * thread-default main context of the caller. */

/* When a failed request may be sent again. */
typedef enum
{
  TAKES_HTTP_RETRY_NEVER,
  /* Safe to repeat (polls, downloads): network errors, 5xx and 429. */
  TAKES_HTTP_RETRY_IDEMPOTENT,
  /* Creates: only when the server said it did not take the request
   * (429, 503). Never after a timeout or a lost connection. */
  TAKES_HTTP_RETRY_NOT_ACCEPTED,
} TakesHttpRetry;

typedef void (*TakesProgressFunc) (goffset  current,
                                   goffset  total,
                                   gpointer user_data);

/* ---- Secrets and redaction ---------------------------------------------- */

/* Remembers @secret (API keys, signing keys, tokens) so that
 * takes_http_redact() masks it wherever it appears. Thread-safe. Strings
 * shorter than 4 bytes are ignored. */
void      takes_http_add_secret    (const char *secret);
void      takes_http_remove_secret (const char *secret);
/* A copy of @text with registered secrets, Authorization header values,
 * Bearer/Token credentials, JWT-looking tokens, "sk-…" keys and secret
 * query parameters (key=, token=, signature=, X-Amz-Signature= …) replaced
 * by "****". NULL in, NULL out. */
char     *takes_http_redact        (const char *text);

/* ---- One request --------------------------------------------------------- */

typedef struct _TakesHttpRequest TakesHttpRequest;

#define TAKES_TYPE_HTTP_REQUEST (takes_http_request_get_type ())
GType             takes_http_request_get_type         (void) G_GNUC_CONST;

/* Retry policy defaults to IDEMPOTENT for GET/HEAD, NOT_ACCEPTED otherwise. */
TakesHttpRequest *takes_http_request_new              (const char       *method,
                                                       const char       *uri);
TakesHttpRequest *takes_http_request_ref              (TakesHttpRequest *self);
void              takes_http_request_unref            (TakesHttpRequest *self);
const char       *takes_http_request_get_method       (TakesHttpRequest *self);
const char       *takes_http_request_get_uri          (TakesHttpRequest *self);
/* Header values named Authorization, X-Api-Key, Api-Key or *Token are
 * registered as secrets automatically. */
void              takes_http_request_add_header       (TakesHttpRequest *self,
                                                       const char       *name,
                                                       const char       *value);
void              takes_http_request_set_json_body    (TakesHttpRequest *self,
                                                       JsonNode         *body);
void              takes_http_request_set_body         (TakesHttpRequest *self,
                                                       const char       *content_type,
                                                       GBytes           *body);
void              takes_http_request_set_retry        (TakesHttpRequest *self,
                                                       TakesHttpRetry    retry);
/* Overall deadline in seconds for the whole operation, retries included;
 * 0 uses the session's. */
void              takes_http_request_set_deadline     (TakesHttpRequest *self,
                                                       guint             seconds);
/* Largest body accepted; 0 uses the session's. */
void              takes_http_request_set_max_size     (TakesHttpRequest *self,
                                                       gsize             max_size);
/* The name people know the service by ("Kling"), used in messages.
 * Defaults to the URI's host. */
void              takes_http_request_set_service_name (TakesHttpRequest *self,
                                                       const char       *name);

/* Reads a provider's own error envelope (business codes, error types) for
 * a non-2xx answer. @body is the parsed error body, or NULL when it was
 * empty or not JSON. Return a TAKES_BACKEND_ERROR error, or NULL to keep
 * the default one. *@retryable starts as what the retry policy allows;
 * the function may only turn it off (a 429 "balance used up" must not be
 * sent again). The message is redacted by the caller. */
typedef GError *(*TakesHttpErrorFunc) (guint               status,
                                       SoupMessageHeaders *headers,
                                       JsonNode           *body,
                                       const char         *service,
                                       gboolean           *retryable,
                                       gpointer            user_data);

void              takes_http_request_set_error_func   (TakesHttpRequest  *self,
                                                       TakesHttpErrorFunc func,
                                                       gpointer           user_data,
                                                       GDestroyNotify     user_data_destroy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TakesHttpRequest, takes_http_request_unref)

/* ---- What came back ------------------------------------------------------ */

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;   /* response headers */
  guint               attempts;  /* how many times the request was sent */
} TakesHttpResponse;

#define TAKES_TYPE_HTTP_RESPONSE (takes_http_response_get_type ())
GType              takes_http_response_get_type (void) G_GNUC_CONST;
TakesHttpResponse *takes_http_response_copy     (const TakesHttpResponse *self);
void               takes_http_response_free     (TakesHttpResponse       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TakesHttpResponse, takes_http_response_free)

/* ---- The session --------------------------------------------------------- */

#define TAKES_TYPE_HTTP (takes_http_get_type ())
G_DECLARE_FINAL_TYPE (TakesHttp, takes_http, TAKES, HTTP, GObject)

TakesHttp   *takes_http_new                  (void);
SoupSession *takes_http_get_session          (TakesHttp *self);

/* Defaults: deadline 60 s per request, 1800 s per download, stall 30 s. */
void         takes_http_set_deadlines        (TakesHttp *self,
                                              guint      request_seconds,
                                              guint      download_seconds,
                                              guint      stall_seconds);
/* Defaults: 5 attempts, first delay 1000 ms, at most 60000 ms. The delay
 * doubles each time with jitter; a Retry-After answer overrides it. */
void         takes_http_set_retry_policy     (TakesHttp *self,
                                              guint      max_attempts,
                                              guint      initial_delay_ms,
                                              guint      max_delay_ms);
/* Defaults: 8 MiB, depth 64. */
void         takes_http_set_limits           (TakesHttp *self,
                                              gsize      max_response_size,
                                              guint      max_json_depth);

/* Sends @request and reads the whole body (within the size cap). Non-2xx
 * answers become errors. */
void         takes_http_send_async           (TakesHttp            *self,
                                              TakesHttpRequest     *request,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GBytes      *takes_http_send_finish          (TakesHttp            *self,
                                              GAsyncResult         *result,
                                              TakesHttpResponse   **response,
                                              GError              **error);

/* As send, then parses the body as JSON (depth and size capped). An empty
 * body gives a JSON null node. */
void         takes_http_send_json_async      (TakesHttp            *self,
                                              TakesHttpRequest     *request,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
JsonNode    *takes_http_send_json_finish     (TakesHttp            *self,
                                              GAsyncResult         *result,
                                              TakesHttpResponse   **response,
                                              GError              **error);

/* Streams the body of a GET to @destination through "DESTINATION.part" in
 * the same folder, never holding the body in memory. A .part left by an
 * earlier attempt (or run) is resumed with a Range request; a body shorter
 * than its Content-Length is an error (and resumed on the next attempt).
 * A server that sends nothing for the stall time is dropped. @progress is
 * called on the caller's main context. The max-size cap does not apply. */
void         takes_http_download_async       (TakesHttp            *self,
                                              TakesHttpRequest     *request,
                                              GFile                *destination,
                                              TakesProgressFunc     progress,
                                              gpointer              progress_data,
                                              GDestroyNotify        progress_data_destroy,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     takes_http_download_finish      (TakesHttp            *self,
                                              GAsyncResult         *result,
                                              TakesHttpResponse   **response,
                                              GError              **error);

/* ---- Helpers for backends ------------------------------------------------ */

/* The error for an HTTP status (401/403 AUTH, 402 QUOTA, 429 RATE_LIMIT,
 * 400/404/409/413/422 INVALID_REQUEST, 5xx SERVER), with the provider's own
 * message when one is given. Redacted. */
GError      *takes_http_error_for_status     (guint       status,
                                              const char *service,
                                              const char *provider_message,
                                              gint64      retry_after_ms);
/* Finds a provider's message in common error envelopes
 * ({"error":{"message"}}, {"message"}, {"msg"}, {"detail"},
 * {"Response":{"Error":{"Message"}}}, {"base_resp":{"status_msg"}}). */
char        *takes_http_find_error_message   (JsonNode   *body);
/* Retry-After (delta seconds or HTTP date) or retry-after-ms, in ms;
 * 0 when absent. */
gint64       takes_http_parse_retry_after    (SoupMessageHeaders *headers);
/* The path of the temporary file takes_http_download_async() uses. */
GFile       *takes_http_get_partial_file     (GFile      *destination);

G_END_DECLS
