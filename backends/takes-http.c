/* takes-http.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-http"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "takes-http.h"
#include "takes-json-guard.h"

#define DEFAULT_REQUEST_DEADLINE   60
#define DEFAULT_DOWNLOAD_DEADLINE  1800
#define DEFAULT_STALL              30
#define DEFAULT_MAX_ATTEMPTS       5
#define DEFAULT_INITIAL_DELAY_MS   1000
#define DEFAULT_MAX_DELAY_MS       60000
#define DEFAULT_MAX_SIZE           (8 * 1024 * 1024)
#define DEFAULT_MAX_DEPTH          64
#define ERROR_BODY_MAX             (64 * 1024)
#define READ_CHUNK                 (64 * 1024)
#define MIN_SECRET_LENGTH          4

/* ---- Secrets -------------------------------------------------------------- */

static GMutex secrets_lock;
static GPtrArray *secrets;

void
takes_http_add_secret (const char *secret)
{
  if (secret == NULL || strlen (secret) < MIN_SECRET_LENGTH)
    return;

  g_mutex_lock (&secrets_lock);
  if (secrets == NULL)
    secrets = g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (secrets, secret, g_str_equal, NULL))
    g_ptr_array_add (secrets, g_strdup (secret));
  g_mutex_unlock (&secrets_lock);
}

void
takes_http_remove_secret (const char *secret)
{
  guint index;

  if (secret == NULL)
    return;

  g_mutex_lock (&secrets_lock);
  if (secrets != NULL &&
      g_ptr_array_find_with_equal_func (secrets, secret, g_str_equal, &index))
    g_ptr_array_remove_index (secrets, index);
  g_mutex_unlock (&secrets_lock);
}

typedef struct
{
  GRegex *pattern;
  const char *replacement;
} Redaction;

static const Redaction *
get_redactions (guint *n_redactions)
{
  static Redaction redactions[6];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const struct { const char *pattern; const char *replacement; } sources[] = {
        /* A whole Authorization (or Proxy-Authorization) header value. */
        { "(?i)((?:proxy-)?authorization\\s*[:=]\\s*\"?)[^\\r\\n\"]+", "\\1****" },
        { "(?i)\\b(bearer|token|basic)(\\s+)[A-Za-z0-9._~+/=-]{4,}", "\\1\\2****" },
        { "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*", "****" },
        { "\\bsk-[A-Za-z0-9_-]{8,}", "sk-****" },
        { "(?i)([?&](?:key|api_key|apikey|api-key|token|access_token|sig|signature|"
          "x-amz-signature|x-amz-credential|x-amz-security-token|ossaccesskeyid|"
          "x-goog-signature|x-goog-credential)=)[^&\\s\"']+", "\\1****" },
        { "(?i)((?:x-api-key|api-key|x-goog-api-key|x-tc-authorization)\\s*[:=]\\s*\"?)[^\\r\\n\",]+", "\\1****" },
      };

      for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
        {
          redactions[i].pattern = g_regex_new (sources[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
          redactions[i].replacement = sources[i].replacement;
          g_assert (redactions[i].pattern != NULL);
        }

      g_once_init_leave (&initialized, 1);
    }

  *n_redactions = G_N_ELEMENTS (redactions);

  return redactions;
}

char *
takes_http_redact (const char *text)
{
  g_autoptr(GString) masked = NULL;
  const Redaction *redactions;
  guint n_redactions;
  char *result;

  if (text == NULL)
    return NULL;

  masked = g_string_new (text);

  /* Registered secrets first: they are exact and may not look like
   * anything the patterns know. */
  g_mutex_lock (&secrets_lock);
  if (secrets != NULL)
    {
      for (guint i = 0; i < secrets->len; i++)
        g_string_replace (masked, g_ptr_array_index (secrets, i), "****", 0);
    }
  g_mutex_unlock (&secrets_lock);

  redactions = get_redactions (&n_redactions);
  result = g_string_free (g_steal_pointer (&masked), FALSE);

  for (guint i = 0; i < n_redactions; i++)
    {
      char *replaced = g_regex_replace (redactions[i].pattern, result, -1, 0,
                                        redactions[i].replacement, 0, NULL);

      if (replaced != NULL)
        {
          g_free (result);
          result = replaced;
        }
    }

  return result;
}

static GError *
new_error (TakesBackendErrorCode  code,
           guint                  http_status,
           gint64                 retry_after_ms,
           gboolean               outcome_unknown,
           const char            *format,
           ...) G_GNUC_PRINTF (5, 6);

static GError *
new_error (TakesBackendErrorCode  code,
           guint                  http_status,
           gint64                 retry_after_ms,
           gboolean               outcome_unknown,
           const char            *format,
           ...)
{
  g_autofree char *message = NULL;
  g_autofree char *redacted = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  redacted = takes_http_redact (message);

  return takes_backend_error_new_full (code, http_status, retry_after_ms, outcome_unknown, redacted);
}

/* ---- TakesHttpRequest ----------------------------------------------------- */

struct _TakesHttpRequest
{
  gatomicrefcount     ref_count;
  char               *method;
  char               *uri;
  char               *service;
  SoupMessageHeaders *headers;
  char               *content_type;
  GBytes             *body;
  TakesHttpRetry      retry;
  guint               deadline;
  gsize               max_size;
  TakesHttpErrorFunc  error_func;
  gpointer            error_data;
  GDestroyNotify      error_data_destroy;
};

G_DEFINE_BOXED_TYPE (TakesHttpRequest, takes_http_request,
                     takes_http_request_ref, takes_http_request_unref)

TakesHttpRequest *
takes_http_request_new (const char *method,
                        const char *uri)
{
  TakesHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = g_new0 (TakesHttpRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->method = g_ascii_strup (method, -1);
  self->uri = g_strdup (uri);
  self->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  self->retry = (g_str_equal (self->method, "GET") || g_str_equal (self->method, "HEAD"))
    ? TAKES_HTTP_RETRY_IDEMPOTENT
    : TAKES_HTTP_RETRY_NOT_ACCEPTED;

  return self;
}

TakesHttpRequest *
takes_http_request_ref (TakesHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
takes_http_request_unref (TakesHttpRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->method);
  g_free (self->uri);
  g_free (self->service);
  g_free (self->content_type);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  if (self->error_data_destroy != NULL)
    self->error_data_destroy (self->error_data);
  g_free (self);
}

const char *
takes_http_request_get_method (TakesHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->method;
}

const char *
takes_http_request_get_uri (TakesHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->uri;
}

void
takes_http_request_add_header (TakesHttpRequest *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  if (g_ascii_strcasecmp (name, "Authorization") == 0)
    {
      const char *space = strchr (value, ' ');

      /* Register the credential itself, not the scheme word. */
      takes_http_add_secret (space != NULL ? space + 1 : value);
    }
  else if (g_ascii_strcasecmp (name, "X-Api-Key") == 0 ||
           g_ascii_strcasecmp (name, "Api-Key") == 0 ||
           g_ascii_strcasecmp (name, "x-goog-api-key") == 0 ||
           g_str_has_suffix (name, "Token") || g_str_has_suffix (name, "token"))
    takes_http_add_secret (value);

  soup_message_headers_replace (self->headers, name, value);
}

void
takes_http_request_set_error_func (TakesHttpRequest   *self,
                                   TakesHttpErrorFunc  func,
                                   gpointer            user_data,
                                   GDestroyNotify      user_data_destroy)
{
  g_return_if_fail (self != NULL);

  if (self->error_data_destroy != NULL)
    self->error_data_destroy (self->error_data);

  self->error_func = func;
  self->error_data = user_data;
  self->error_data_destroy = user_data_destroy;
}

void
takes_http_request_set_json_body (TakesHttpRequest *self,
                                  JsonNode         *body)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (body != NULL);

  text = json_to_string (body, FALSE);
  length = strlen (text);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = g_bytes_new_take (g_steal_pointer (&text), length);
  g_free (self->content_type);
  self->content_type = g_strdup ("application/json");
}

void
takes_http_request_set_body (TakesHttpRequest *self,
                             const char       *content_type,
                             GBytes           *body)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body != NULL ? g_bytes_ref (body) : NULL;
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
}

void
takes_http_request_set_retry (TakesHttpRequest *self,
                              TakesHttpRetry    retry)
{
  g_return_if_fail (self != NULL);

  self->retry = retry;
}

void
takes_http_request_set_deadline (TakesHttpRequest *self,
                                 guint             seconds)
{
  g_return_if_fail (self != NULL);

  self->deadline = seconds;
}

void
takes_http_request_set_max_size (TakesHttpRequest *self,
                                 gsize             max_size)
{
  g_return_if_fail (self != NULL);

  self->max_size = max_size;
}

void
takes_http_request_set_service_name (TakesHttpRequest *self,
                                     const char       *name)
{
  g_return_if_fail (self != NULL);

  g_free (self->service);
  self->service = g_strdup (name);
}

static char *
request_dup_service (TakesHttpRequest *self)
{
  g_autoptr(GUri) uri = NULL;

  if (self->service != NULL)
    return g_strdup (self->service);

  uri = g_uri_parse (self->uri, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_strdup (g_uri_get_host (uri));

  return g_strdup (_("the server"));
}

/* ---- TakesHttpResponse ---------------------------------------------------- */

G_DEFINE_BOXED_TYPE (TakesHttpResponse, takes_http_response,
                     takes_http_response_copy, takes_http_response_free)

TakesHttpResponse *
takes_http_response_copy (const TakesHttpResponse *self)
{
  TakesHttpResponse *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TakesHttpResponse, 1);
  copy->status = self->status;
  copy->attempts = self->attempts;
  copy->headers = self->headers != NULL ? soup_message_headers_ref (self->headers) : NULL;

  return copy;
}

void
takes_http_response_free (TakesHttpResponse *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_free (self);
}

/* ---- Helpers -------------------------------------------------------------- */

gint64
takes_http_parse_retry_after (SoupMessageHeaders *headers)
{
  g_autofree char *value = NULL;
  const char *raw;
  gint64 number;

  if (headers == NULL)
    return 0;

  raw = soup_message_headers_get_one (headers, "retry-after-ms");
  if (raw != NULL)
    {
      value = g_strstrip (g_strdup (raw));
      if (g_ascii_string_to_signed (value, 10, 0, G_MAXINT32, &number, NULL))
        return number;
      g_clear_pointer (&value, g_free);
    }

  raw = soup_message_headers_get_one (headers, "Retry-After");
  if (raw == NULL)
    return 0;

  value = g_strstrip (g_strdup (raw));
  if (g_ascii_string_to_signed (value, 10, 0, G_MAXINT32 / 1000, &number, NULL))
    return number * 1000;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = NULL;
    GTimeSpan span;

    if (when == NULL)
      return 0;

    now = g_date_time_new_now_utc ();
    span = g_date_time_difference (when, now);

    return span > 0 ? span / 1000 : 0;
  }
}

static const char *
find_string_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  return NULL;
}

static JsonObject *
find_object_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  return NULL;
}

char *
takes_http_find_error_message (JsonNode *body)
{
  JsonObject *object, *inner;
  const char *message;
  JsonNode *node;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  object = json_node_get_object (body);

  if ((inner = find_object_member (object, "error")) != NULL)
    {
      if ((message = find_string_member (inner, "message")) != NULL ||
          (message = find_string_member (inner, "msg")) != NULL)
        return g_strdup (message);
    }

  if ((inner = find_object_member (object, "Response")) != NULL &&
      (inner = find_object_member (inner, "Error")) != NULL &&
      (message = find_string_member (inner, "Message")) != NULL)
    return g_strdup (message);

  if ((inner = find_object_member (object, "base_resp")) != NULL &&
      (message = find_string_member (inner, "status_msg")) != NULL)
    return g_strdup (message);

  if ((message = find_string_member (object, "error")) != NULL ||
      (message = find_string_member (object, "message")) != NULL ||
      (message = find_string_member (object, "msg")) != NULL ||
      (message = find_string_member (object, "detail")) != NULL ||
      (message = find_string_member (object, "error_message")) != NULL)
    return g_strdup (message);

  node = json_object_get_member (object, "errors");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (node), 0);

      if (JSON_NODE_HOLDS_OBJECT (first) &&
          (message = find_string_member (json_node_get_object (first), "message")) != NULL)
        return g_strdup (message);
    }

  return NULL;
}

GError *
takes_http_error_for_status (guint       status,
                             const char *service,
                             const char *provider_message,
                             gint64      retry_after_ms)
{
  g_autofree char *detail = NULL;

  if (service == NULL)
    service = _("The server");

  /* Provider text can be long or hostile; keep it short in messages. */
  if (provider_message != NULL && provider_message[0] != '\0')
    {
      g_autofree char *valid = g_utf8_make_valid (provider_message, -1);

      if (g_utf8_strlen (valid, -1) > 300)
        {
          char *end = g_utf8_offset_to_pointer (valid, 300);

          *end = '\0';
          detail = g_strdup_printf (" (%s…)", valid);
        }
      else
        detail = g_strdup_printf (" (%s)", valid);
    }
  else
    detail = g_strdup ("");

  switch (status)
    {
    case 401:
    case 403:
      return new_error (TAKES_BACKEND_ERROR_AUTH, status, 0, FALSE,
                        _("%s refused the credentials (HTTP %u)%s. Check the API key in Preferences."),
                        service, status, detail);

    case 402:
      return new_error (TAKES_BACKEND_ERROR_QUOTA, status, 0, FALSE,
                        _("%s says the account has no balance or quota left (HTTP %u)%s. Top up the account, then try again."),
                        service, status, detail);

    case 429:
      if (retry_after_ms > 0)
        return new_error (TAKES_BACKEND_ERROR_RATE_LIMIT, status, retry_after_ms, FALSE,
                          _("%s is limiting requests (HTTP 429)%s. Try again in %d s, or run fewer takes at once."),
                          service, detail, (int)((retry_after_ms + 999) / 1000));
      return new_error (TAKES_BACKEND_ERROR_RATE_LIMIT, status, 0, FALSE,
                        _("%s is limiting requests (HTTP 429)%s. Wait a minute, or run fewer takes at once."),
                        service, detail);

    case 400:
    case 404:
    case 405:
    case 409:
    case 413:
    case 415:
    case 422:
      return new_error (TAKES_BACKEND_ERROR_INVALID_REQUEST, status, 0, FALSE,
                        _("%s refused the request (HTTP %u)%s. Change the settings it names, or choose another model."),
                        service, status, detail);

    default:
      break;
    }

  if (status >= 500)
    return new_error (TAKES_BACKEND_ERROR_SERVER, status, retry_after_ms, FALSE,
                      _("%s had a problem of its own (HTTP %u)%s. Try again in a few minutes."),
                      service, status, detail);

  return new_error (TAKES_BACKEND_ERROR_SERVER, status, retry_after_ms, FALSE,
                    _("%s gave an unexpected answer (HTTP %u)%s. Try again later; if it persists, check the service's address."),
                    service, status, detail);
}

GFile *
takes_http_get_partial_file (GFile *destination)
{
  g_autofree char *basename = NULL;
  g_autofree char *partial_name = NULL;
  g_autoptr(GFile) parent = NULL;

  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  basename = g_file_get_basename (destination);
  partial_name = g_strconcat (basename, ".part", NULL);
  parent = g_file_get_parent (destination);

  return g_file_get_child (parent, partial_name);
}

/* ---- TakesHttp ------------------------------------------------------------ */

struct _TakesHttp
{
  GObject      parent_instance;

  /* owned */
  SoupSession *session;

  guint        request_deadline;
  guint        download_deadline;
  guint        stall;
  guint        max_attempts;
  guint        initial_delay_ms;
  guint        max_delay_ms;
  gsize        max_size;
  guint        max_depth;
};

G_DEFINE_FINAL_TYPE (TakesHttp, takes_http, G_TYPE_OBJECT)

static void
takes_http_dispose (GObject *object)
{
  TakesHttp *self = (TakesHttp *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (takes_http_parent_class)->dispose (object);
}

static void
takes_http_class_init (TakesHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_http_dispose;
}

static void
takes_http_init (TakesHttp *self)
{
  /* No accept-certificate handler anywhere: TLS errors stay errors. Many
   * takes poll the same host at once, hence the roomier connection pool. */
  self->session = soup_session_new_with_options ("user-agent", "Takes/" PACKAGE_VERSION " ",
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 16,
                                                 "timeout", 0,
                                                 NULL);
  self->request_deadline = DEFAULT_REQUEST_DEADLINE;
  self->download_deadline = DEFAULT_DOWNLOAD_DEADLINE;
  self->stall = DEFAULT_STALL;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->initial_delay_ms = DEFAULT_INITIAL_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->max_size = DEFAULT_MAX_SIZE;
  self->max_depth = DEFAULT_MAX_DEPTH;
}

TakesHttp *
takes_http_new (void)
{
  return g_object_new (TAKES_TYPE_HTTP, NULL);
}

SoupSession *
takes_http_get_session (TakesHttp *self)
{
  g_return_val_if_fail (TAKES_IS_HTTP (self), NULL);

  return self->session;
}

void
takes_http_set_deadlines (TakesHttp *self,
                          guint      request_seconds,
                          guint      download_seconds,
                          guint      stall_seconds)
{
  g_return_if_fail (TAKES_IS_HTTP (self));

  self->request_deadline = MAX (request_seconds, 1);
  self->download_deadline = MAX (download_seconds, 1);
  self->stall = MAX (stall_seconds, 1);
}

void
takes_http_set_retry_policy (TakesHttp *self,
                             guint      max_attempts,
                             guint      initial_delay_ms,
                             guint      max_delay_ms)
{
  g_return_if_fail (TAKES_IS_HTTP (self));

  self->max_attempts = MAX (max_attempts, 1);
  self->initial_delay_ms = initial_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, initial_delay_ms);
}

void
takes_http_set_limits (TakesHttp *self,
                       gsize      max_response_size,
                       guint      max_json_depth)
{
  g_return_if_fail (TAKES_IS_HTTP (self));

  self->max_size = MAX (max_response_size, 1024);
  self->max_depth = MAX (max_json_depth, 2);
}

/* ---- One operation: attempts, deadline, retries ----------------------------- */

typedef enum
{
  OP_SEND,
  OP_SEND_JSON,
  OP_DOWNLOAD,
} OpKind;

typedef struct
{
  OpKind              kind;
  TakesHttp          *http;
  TakesHttpRequest   *request;
  char               *service;
  char               *redacted_uri;
  GMainContext       *context;

  GCancellable       *user_cancellable;
  gulong              cancel_handler;

  /* The user's cancellable may fire on another thread. */
  GMutex              mutex;
  GCancellable       *attempt_cancellable;
  int                 timed_out;
  int                 stalled;

  gint64              deadline_us;
  guint               deadline_seconds;
  GSource            *deadline_source;
  GSource            *stall_source;
  GSource            *wait_source;
  GSource            *wait_cancel_source;
  guint               attempts;

  SoupMessage        *message;
  gboolean            in_flight;
  GInputStream       *input;
  GByteArray         *body;
  gsize               max_size;
  gboolean            reading_error_body;
  guint               status;
  SoupMessageHeaders *response_headers;

  /* downloads */
  GFile              *destination;
  GFile              *partial;
  GOutputStream      *output;
  GBytes             *pending_write;
  goffset             offset;
  goffset             received;
  goffset             expected;
  gboolean            range_refused;
  gint64              last_activity_us;
  TakesProgressFunc   progress;
  gpointer            progress_data;
  GDestroyNotify      progress_data_destroy;
  GError             *pending_error;
  gboolean            pending_retryable;
} HttpOp;

static void
http_op_free (gpointer data)
{
  HttpOp *op = data;

  g_assert (op->cancel_handler == 0);
  g_assert (op->deadline_source == NULL);

  g_clear_object (&op->http);
  g_clear_pointer (&op->request, takes_http_request_unref);
  g_free (op->service);
  g_free (op->redacted_uri);
  g_clear_pointer (&op->context, g_main_context_unref);
  g_clear_object (&op->user_cancellable);
  g_clear_object (&op->attempt_cancellable);
  g_mutex_clear (&op->mutex);
  g_clear_object (&op->message);
  g_clear_object (&op->input);
  g_clear_pointer (&op->body, g_byte_array_unref);
  g_clear_pointer (&op->response_headers, soup_message_headers_unref);
  g_clear_object (&op->destination);
  g_clear_object (&op->partial);
  g_clear_object (&op->output);
  g_clear_pointer (&op->pending_write, g_bytes_unref);
  g_clear_error (&op->pending_error);
  if (op->progress_data_destroy != NULL)
    op->progress_data_destroy (op->progress_data);
  g_free (op);
}

static void start_attempt (GTask *task);

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  HttpOp *op = user_data;

  g_mutex_lock (&op->mutex);
  if (op->attempt_cancellable != NULL)
    g_cancellable_cancel (op->attempt_cancellable);
  g_mutex_unlock (&op->mutex);
}

static gboolean
on_deadline (gpointer user_data)
{
  HttpOp *op = user_data;

  g_atomic_int_set (&op->timed_out, TRUE);
  on_user_cancelled (NULL, op);
  g_clear_pointer (&op->deadline_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
op_teardown (HttpOp *op)
{
  destroy_source (&op->deadline_source);
  destroy_source (&op->stall_source);
  destroy_source (&op->wait_source);
  destroy_source (&op->wait_cancel_source);

  /* Disconnect before the op can go away: the handler holds a bare pointer. */
  if (op->cancel_handler != 0)
    {
      g_cancellable_disconnect (op->user_cancellable, op->cancel_handler);
      op->cancel_handler = 0;
    }
}

static TakesHttpResponse *
op_dup_response (HttpOp *op)
{
  TakesHttpResponse response = {
    .status = op->status,
    .headers = op->response_headers,
    .attempts = op->attempts,
  };

  return takes_http_response_copy (&response);
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  HttpOp *op = g_task_get_task_data (task);

  g_debug ("%s %s failed after %u attempt(s): %s",
           op->request->method, op->redacted_uri, op->attempts, error->message);

  op_teardown (op);
  g_task_return_error (task, error);
}

static GError *
op_cancel_error (HttpOp *op)
{
  if (op->user_cancellable != NULL && g_cancellable_is_cancelled (op->user_cancellable))
    return new_error (TAKES_BACKEND_ERROR_CANCELED, 0, 0, FALSE,
                      _("The request to %s was canceled."), op->service);

  /* Only a request on the wire when time ran out may have been taken;
   * earlier attempts were all refused, or we would not have retried. */
  return new_error (TAKES_BACKEND_ERROR_TIMEOUT, 0, 0,
                    op->request->retry != TAKES_HTTP_RETRY_IDEMPOTENT && op->in_flight,
                    _("%s did not finish answering within %u s. Try again later; nothing is lost."),
                    op->service, op->deadline_seconds);
}

static gboolean
error_means_not_sent (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         error->domain == G_RESOLVER_ERROR ||
         error->domain == G_TLS_ERROR;
}

/* Turns a transport error of the current attempt into ours, and decides
 * whether trying again is allowed. */
static GError *
map_transport_error (HttpOp       *op,
                     const GError *error,
                     gboolean     *retryable)
{
  gboolean idempotent = op->request->retry == TAKES_HTTP_RETRY_IDEMPOTENT;

  *retryable = FALSE;

  if ((op->user_cancellable != NULL && g_cancellable_is_cancelled (op->user_cancellable)) ||
      g_atomic_int_get (&op->timed_out))
    return op_cancel_error (op);

  if (g_atomic_int_get (&op->stalled))
    {
      *retryable = idempotent;
      return new_error (TAKES_BACKEND_ERROR_TIMEOUT, 0, 0, !idempotent,
                        _("%s stopped sending data for %u s. Check the connection; the download resumes where it stopped."),
                        op->service, op->http->stall);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && op->kind == OP_DOWNLOAD)
    {
      /* The connection ended before Content-Length: keep the part, resume. */
      *retryable = idempotent;
      return new_error (TAKES_BACKEND_ERROR_NETWORK, op->status, 0, FALSE,
                        _("The download from %s was cut short (%lld of %lld bytes). Try again; it resumes where it stopped."),
                        op->service, (long long) op->received, (long long) op->expected);
    }

  if (error->domain == G_TLS_ERROR)
    return new_error (TAKES_BACKEND_ERROR_NETWORK, 0, 0, FALSE,
                      _("The secure connection to %s could not be verified (%s). Check the service's address and the system's certificates."),
                      op->service, error->message);

  *retryable = idempotent;

  return new_error (TAKES_BACKEND_ERROR_NETWORK, 0, 0,
                    !idempotent && !error_means_not_sent (error),
                    _("Could not reach %s (%s). Check the internet connection and the service's address."),
                    op->service, error->message);
}

static gboolean
status_is_retryable (HttpOp *op,
                     guint   status)
{
  switch (op->request->retry)
    {
    case TAKES_HTTP_RETRY_IDEMPOTENT:
      return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 505);
    case TAKES_HTTP_RETRY_NOT_ACCEPTED:
      return status == 429 || status == 503;
    case TAKES_HTTP_RETRY_NEVER:
    default:
      return FALSE;
    }
}

static void
attempt_cleanup (HttpOp *op)
{
  op->in_flight = FALSE;
  destroy_source (&op->stall_source);
  g_clear_object (&op->input);
  g_clear_object (&op->message);
  g_clear_pointer (&op->pending_write, g_bytes_unref);
}

static gboolean
on_wait_done (gpointer user_data)
{
  GTask *task = user_data;
  HttpOp *op = g_task_get_task_data (task);

  g_clear_pointer (&op->wait_source, g_source_unref);
  destroy_source (&op->wait_cancel_source);
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  HttpOp *op = g_task_get_task_data (task);

  g_clear_pointer (&op->wait_cancel_source, g_source_unref);
  destroy_source (&op->wait_source);
  op_return_error (task, op_cancel_error (op));

  return G_SOURCE_REMOVE;
}

static void
new_attempt_cancellable (HttpOp *op)
{
  g_mutex_lock (&op->mutex);
  g_clear_object (&op->attempt_cancellable);
  op->attempt_cancellable = g_cancellable_new ();
  if ((op->user_cancellable != NULL && g_cancellable_is_cancelled (op->user_cancellable)) ||
      g_atomic_int_get (&op->timed_out))
    g_cancellable_cancel (op->attempt_cancellable);
  g_mutex_unlock (&op->mutex);
  g_atomic_int_set (&op->stalled, FALSE);
}

/* The end of a failed attempt: try again when allowed and there is time,
 * otherwise hand the error to the caller. Takes ownership of @error. */
static void
attempt_failed (GTask    *task,
                GError   *error,
                gboolean  retryable)
{
  HttpOp *op = g_task_get_task_data (task);
  TakesHttp *http = op->http;
  gint64 delay_ms, retry_after_ms, now;

  attempt_cleanup (op);

  if (!retryable || op->attempts >= http->max_attempts)
    {
      op_return_error (task, error);
      return;
    }

  retry_after_ms = takes_backend_error_get_retry_after (error);
  if (retry_after_ms > 0)
    {
      /* The server named the time; add a little so many clients spread out. */
      delay_ms = retry_after_ms + g_random_int_range (0, (int)MIN (retry_after_ms / 10, 1000) + 1);
    }
  else
    {
      gint64 backoff = (gint64)http->initial_delay_ms << MIN (op->attempts - 1, 20);

      backoff = MIN (backoff, (gint64)http->max_delay_ms);
      delay_ms = (gint64)(backoff * g_random_double_range (0.5, 1.0));
    }

  now = g_get_monotonic_time ();
  if (now + delay_ms * 1000 >= op->deadline_us)
    {
      op_return_error (task, error);
      return;
    }

  g_debug ("%s %s: attempt %u failed (%s); again in %" G_GINT64_FORMAT " ms",
           op->request->method, op->redacted_uri, op->attempts, error->message, delay_ms);
  g_error_free (error);

  new_attempt_cancellable (op);

  op->wait_source = g_timeout_source_new ((guint)delay_ms);
  g_source_set_callback (op->wait_source, on_wait_done, g_object_ref (task), g_object_unref);
  g_source_attach (op->wait_source, op->context);

  op->wait_cancel_source = g_cancellable_source_new (op->attempt_cancellable);
  g_source_set_callback (op->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled),
                         g_object_ref (task), g_object_unref);
  g_source_attach (op->wait_cancel_source, op->context);
}

/* ---- Reading bodies -------------------------------------------------------- */

static void read_next_chunk (GTask *task);

static GError *
error_from_status (HttpOp   *op,
                   gboolean *retryable)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *message = NULL;
  gint64 retry_after_ms;
  GError *error = NULL;

  *retryable = status_is_retryable (op, op->status);

  if (op->body != NULL && op->body->len > 0)
    {
      json = takes_json_guard_parse ((const char *)op->body->data, op->body->len,
                                     op->http->max_depth, ERROR_BODY_MAX, NULL);
      message = takes_http_find_error_message (json);
    }

  if (op->request->error_func != NULL)
    {
      gboolean allowed = *retryable;

      error = op->request->error_func (op->status, op->response_headers, json, op->service,
                                       retryable, op->request->error_data);
      *retryable = allowed && *retryable;

      if (error != NULL)
        {
          g_autofree char *redacted = takes_http_redact (error->message);

          g_free (error->message);
          error->message = g_steal_pointer (&redacted);
        }
    }

  retry_after_ms = takes_http_parse_retry_after (op->response_headers);
  if (error == NULL)
    error = takes_http_error_for_status (op->status, op->service, message, retry_after_ms);

  /* A 5xx other than 503 may come after the server took the create. */
  if (op->request->retry != TAKES_HTTP_RETRY_IDEMPOTENT &&
      op->status >= 500 && op->status != 503)
    takes_backend_error_set_outcome_unknown (error, TRUE);

  return error;
}

static void
body_complete (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (op->reading_error_body)
    {
      gboolean retryable;
      GError *error_for_status = error_from_status (op, &retryable);

      attempt_failed (task, error_for_status, retryable);
      return;
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&op->body));
  attempt_cleanup (op);

  if (op->kind == OP_SEND_JSON)
    {
      g_autoptr(JsonNode) root = NULL;
      gsize length = g_bytes_get_size (bytes);

      if (length == 0)
        root = json_node_new (JSON_NODE_NULL);
      else
        root = takes_json_guard_parse (g_bytes_get_data (bytes, NULL), length,
                                       op->http->max_depth, op->max_size, &error);

      if (root == NULL)
        {
          GError *ours = new_error (TAKES_BACKEND_ERROR_SERVER, op->status, 0,
                                    op->request->retry != TAKES_HTTP_RETRY_IDEMPOTENT,
                                    _("%s sent an answer Takes cannot read (%s). Try again later; if it persists, the service may have changed."),
                                    op->service, error->message);

          g_clear_error (&error);
          op_return_error (task, ours);
          return;
        }

      op_teardown (op);
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify)json_node_unref);
      return;
    }

  op_teardown (op);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
}

static void
on_chunk_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      gboolean retryable;
      GError *ours = map_transport_error (op, error, &retryable);

      attempt_failed (task, ours, retryable);
      return;
    }

  length = g_bytes_get_size (chunk);
  if (length == 0)
    {
      body_complete (task);
      return;
    }

  if (op->body->len + length > op->max_size)
    {
      if (op->reading_error_body)
        {
          /* Enough to find a message in; the rest does not matter. */
          body_complete (task);
          return;
        }

      op_return_error (task,
                       new_error (TAKES_BACKEND_ERROR_SERVER, op->status, 0,
                                  op->request->retry != TAKES_HTTP_RETRY_IDEMPOTENT,
                                  _("%s sent an answer larger than %zu bytes, which Takes refuses. Check the service's address."),
                                  op->service, (size_t) op->max_size));
      return;
    }

  g_byte_array_append (op->body, g_bytes_get_data (chunk, NULL), length);
  read_next_chunk (task);
}

static void
read_next_chunk (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (op->input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   op->attempt_cancellable, on_chunk_read,
                                   g_object_ref (task));
}

static void
read_body (GTask    *task,
           gboolean  error_body)
{
  HttpOp *op = g_task_get_task_data (task);

  g_clear_pointer (&op->body, g_byte_array_unref);
  op->body = g_byte_array_new ();
  op->reading_error_body = error_body;
  op->max_size = error_body
    ? ERROR_BODY_MAX
    : (op->request->max_size > 0 ? op->request->max_size : op->http->max_size);

  read_next_chunk (task);
}

/* ---- Downloads -------------------------------------------------------------- */

static void download_next_chunk (GTask *task);

static gboolean
on_stall_check (gpointer user_data)
{
  HttpOp *op = user_data;
  gint64 idle_ms = (g_get_monotonic_time () - op->last_activity_us) / 1000;
  gint64 stall_ms = (gint64)op->http->stall * 1000;

  g_clear_pointer (&op->stall_source, g_source_unref);

  if (idle_ms >= stall_ms)
    {
      g_atomic_int_set (&op->stalled, TRUE);
      on_user_cancelled (NULL, op);
      return G_SOURCE_REMOVE;
    }

  /* Re-arm for the time left rather than waking up periodically. */
  op->stall_source = g_timeout_source_new ((guint)(stall_ms - idle_ms));
  g_source_set_callback (op->stall_source, on_stall_check, op, NULL);
  g_source_attach (op->stall_source, op->context);

  return G_SOURCE_REMOVE;
}

static void
arm_stall_timer (HttpOp *op)
{
  destroy_source (&op->stall_source);
  op->last_activity_us = g_get_monotonic_time ();
  op->stall_source = g_timeout_source_new (op->http->stall * 1000);
  g_source_set_callback (op->stall_source, on_stall_check, op, NULL);
  g_source_attach (op->stall_source, op->context);
}

static void
on_output_closed_after_error (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);

  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  g_clear_object (&op->output);
  attempt_failed (task, g_steal_pointer (&op->pending_error), op->pending_retryable);
}

/* Closes the partial file (keeping it for a resume) before failing. */
static void
download_attempt_failed (GTask    *task,
                         GError   *error,
                         gboolean  retryable)
{
  HttpOp *op = g_task_get_task_data (task);

  if (op->output == NULL)
    {
      attempt_failed (task, error, retryable);
      return;
    }

  g_clear_error (&op->pending_error);
  op->pending_error = error;
  op->pending_retryable = retryable;
  destroy_source (&op->stall_source);
  g_output_stream_close_async (op->output, G_PRIORITY_DEFAULT, NULL,
                               on_output_closed_after_error, g_object_ref (task));
}

static void
on_partial_moved (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      g_autofree char *path = g_file_get_parse_name (op->destination);

      op_return_error (task,
                       new_error (TAKES_BACKEND_ERROR_FAILED, 0, 0, FALSE,
                                  _("The download could not be saved as “%s” (%s). Check that the folder is writable and the disk has space."),
                                  path, error->message));
      return;
    }

  op_teardown (op);
  g_task_return_boolean (task, TRUE);
}

static void
on_output_closed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_object (&op->output);

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      attempt_failed (task,
                      new_error (TAKES_BACKEND_ERROR_FAILED, 0, 0, FALSE,
                                 _("The downloaded file could not be written (%s). Check that the disk has space."),
                                 error->message),
                      FALSE);
      return;
    }

  if (op->expected >= 0 && op->received != op->expected)
    {
      /* A body shorter than announced: keep the partial file and resume. */
      attempt_failed (task,
                      new_error (TAKES_BACKEND_ERROR_NETWORK, op->status, 0, FALSE,
                                 _("The download from %s was cut short (%lld of %lld bytes). Try again; it resumes where it stopped."),
                                 op->service, (long long) op->received, (long long) op->expected),
                      op->request->retry == TAKES_HTTP_RETRY_IDEMPOTENT && op->received < op->expected);
      return;
    }

  attempt_cleanup (op);
  destroy_source (&op->deadline_source);
  g_file_move_async (op->partial, op->destination,
                     G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                     G_PRIORITY_DEFAULT, op->user_cancellable, NULL, NULL,
                     on_partial_moved, g_object_ref (task));
}

static void
on_chunk_written (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gboolean retryable;
          GError *ours = map_transport_error (op, error, &retryable);

          download_attempt_failed (task, ours, retryable);
        }
      else
        download_attempt_failed (task,
                                 new_error (TAKES_BACKEND_ERROR_FAILED, 0, 0, FALSE,
                                            _("The download could not be written to disk (%s). Check that the disk has space."),
                                            error->message),
                                 FALSE);
      return;
    }

  g_clear_pointer (&op->pending_write, g_bytes_unref);
  op->received += written;

  if (op->progress != NULL)
    op->progress (op->received, op->expected, op->progress_data);

  download_next_chunk (task);
}

static void
on_download_chunk (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *chunk;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      gboolean retryable;
      GError *ours = map_transport_error (op, error, &retryable);

      download_attempt_failed (task, ours, retryable);
      return;
    }

  op->last_activity_us = g_get_monotonic_time ();

  if (g_bytes_get_size (chunk) == 0)
    {
      g_bytes_unref (chunk);
      destroy_source (&op->stall_source);
      g_output_stream_close_async (op->output, G_PRIORITY_DEFAULT, NULL,
                                   on_output_closed, g_object_ref (task));
      return;
    }

  if (op->expected >= 0 && op->received + (goffset)g_bytes_get_size (chunk) > op->expected)
    {
      g_bytes_unref (chunk);
      download_attempt_failed (task,
                               new_error (TAKES_BACKEND_ERROR_SERVER, op->status, 0, FALSE,
                                          _("%s sent more data than it announced. Try again later."),
                                          op->service),
                               FALSE);
      return;
    }

  op->pending_write = chunk;
  g_output_stream_write_all_async (op->output,
                                   g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk),
                                   G_PRIORITY_DEFAULT, op->attempt_cancellable,
                                   on_chunk_written, g_object_ref (task));
}

static void
download_next_chunk (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (op->input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   op->attempt_cancellable, on_download_chunk,
                                   g_object_ref (task));
}

static void
on_partial_opened (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GFileOutputStream *output;

  output = g_file_append_to_finish (G_FILE (object), result, &error);
  if (output == NULL)
    {
      g_autofree char *path = g_file_get_parse_name (op->partial);

      attempt_failed (task,
                      new_error (TAKES_BACKEND_ERROR_FAILED, 0, 0, FALSE,
                                 _("Could not write “%s” (%s). Check that the folder is writable."),
                                 path, error->message),
                      FALSE);
      return;
    }

  op->output = G_OUTPUT_STREAM (output);
  download_next_chunk (task);
}

static void
open_partial (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);

  g_file_append_to_async (op->partial, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                          op->attempt_cancellable, on_partial_opened, g_object_ref (task));
}

static void
on_partial_deleted (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);

  /* Missing is as good as deleted. */
  g_file_delete_finish (G_FILE (object), result, NULL);
  op->offset = 0;
  op->received = 0;

  if (op->input != NULL)
    open_partial (task);
  else
    start_attempt (task);
}

static void
download_response (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);
  goffset start = 0, end = 0, total = -1;
  goffset length;

  if (op->status == 416 && op->offset > 0 && !op->range_refused)
    {
      /* Our partial file does not match what the server has: start over. */
      op->range_refused = TRUE;
      attempt_cleanup (op);
      g_file_delete_async (op->partial, G_PRIORITY_DEFAULT, NULL,
                           on_partial_deleted, g_object_ref (task));
      return;
    }

  if (op->status != 200 && op->status != 206)
    {
      read_body (task, TRUE);
      return;
    }

  length = soup_message_headers_get_encoding (op->response_headers) == SOUP_ENCODING_CONTENT_LENGTH
    ? soup_message_headers_get_content_length (op->response_headers)
    : -1;

  if (op->status == 206)
    {
      if (!soup_message_headers_get_content_range (op->response_headers, &start, &end, &total) ||
          start != op->offset)
        {
          attempt_failed (task,
                          new_error (TAKES_BACKEND_ERROR_SERVER, op->status, 0, FALSE,
                                     _("%s resumed the download at the wrong place. Try again."),
                                     op->service),
                          FALSE);
          return;
        }

      op->received = op->offset;
      op->expected = total > 0 ? total : (length >= 0 ? op->offset + length : -1);
      open_partial (task);
      return;
    }

  op->expected = length;
  if (op->offset > 0)
    {
      /* The server ignored our Range: the partial file must go. */
      g_file_delete_async (op->partial, G_PRIORITY_DEFAULT, NULL,
                           on_partial_deleted, g_object_ref (task));
      return;
    }

  op->received = 0;
  open_partial (task);
}

/* ---- Sending ---------------------------------------------------------------- */

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GInputStream *input;
  goffset length;

  input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (input == NULL)
    {
      gboolean retryable;
      GError *ours = map_transport_error (op, error, &retryable);

      attempt_failed (task, ours, retryable);
      return;
    }

  op->input = input;
  op->status = soup_message_get_status (op->message);
  g_clear_pointer (&op->response_headers, soup_message_headers_unref);
  op->response_headers = soup_message_headers_ref (soup_message_get_response_headers (op->message));
  op->last_activity_us = g_get_monotonic_time ();

  g_debug ("%s %s -> %u (attempt %u)", op->request->method, op->redacted_uri, op->status, op->attempts);

  if (op->kind == OP_DOWNLOAD)
    {
      download_response (task);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (op->status))
    {
      read_body (task, TRUE);
      return;
    }

  length = soup_message_headers_get_encoding (op->response_headers) == SOUP_ENCODING_CONTENT_LENGTH
    ? soup_message_headers_get_content_length (op->response_headers)
    : -1;
  if (length > 0 && (gsize)length > (op->request->max_size > 0 ? op->request->max_size : op->http->max_size))
    {
      op_return_error (task,
                       new_error (TAKES_BACKEND_ERROR_SERVER, op->status, 0,
                                  op->request->retry != TAKES_HTTP_RETRY_IDEMPOTENT,
                                  _("%s announced an answer of %lld bytes, more than Takes accepts. Check the service's address."),
                                  op->service, (long long) length));
      return;
    }

  read_body (task, FALSE);
}

static void
send_message (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);
  SoupMessage *message;
  GCancellable *cancellable;

  message = soup_message_new (op->request->method, op->request->uri);
  if (message == NULL)
    {
      op_return_error (task,
                       new_error (TAKES_BACKEND_ERROR_INVALID_REQUEST, 0, 0, FALSE,
                                  _("“%s” is not a web address Takes can use. Check the service's address in Preferences."),
                                  op->redacted_uri));
      return;
    }

  soup_message_headers_foreach (op->request->headers, copy_header,
                                soup_message_get_request_headers (message));
  if (op->request->body != NULL)
    soup_message_set_request_body_from_bytes (message,
                                              op->request->content_type != NULL
                                                ? op->request->content_type
                                                : "application/octet-stream",
                                              op->request->body);
  if (op->kind == OP_DOWNLOAD && op->offset > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (message), op->offset, -1);
  if (op->kind != OP_DOWNLOAD && soup_message_headers_get_one (soup_message_get_request_headers (message), "Accept") == NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");

  op->message = message;
  op->in_flight = TRUE;
  op->attempts++;

  if (op->kind == OP_DOWNLOAD)
    arm_stall_timer (op);

  g_mutex_lock (&op->mutex);
  cancellable = g_object_ref (op->attempt_cancellable);
  g_mutex_unlock (&op->mutex);

  soup_session_send_async (op->http->session, message, G_PRIORITY_DEFAULT,
                           cancellable, on_sent, g_object_ref (task));
  g_object_unref (cancellable);
}

static void
on_partial_info (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpOp *op = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, NULL);
  op->offset = info != NULL ? g_file_info_get_size (info) : 0;
  op->received = 0;
  op->expected = -1;

  if (g_atomic_int_get (&op->timed_out) ||
      (op->user_cancellable != NULL && g_cancellable_is_cancelled (op->user_cancellable)))
    {
      op_return_error (task, op_cancel_error (op));
      return;
    }

  send_message (task);
}

static void
start_attempt (GTask *task)
{
  HttpOp *op = g_task_get_task_data (task);

  if (op->attempt_cancellable == NULL)
    new_attempt_cancellable (op);

  if (op->kind == OP_DOWNLOAD)
    {
      g_file_query_info_async (op->partial, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, NULL,
                               on_partial_info, g_object_ref (task));
      return;
    }

  send_message (task);
}

static GTask *
op_start (TakesHttp           *self,
          OpKind               kind,
          TakesHttpRequest    *request,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task;
  HttpOp *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Our own CANCELED / TIMEOUT errors carry more than G_IO_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  op = g_new0 (HttpOp, 1);
  g_mutex_init (&op->mutex);
  op->kind = kind;
  op->http = g_object_ref (self);
  op->request = takes_http_request_ref (request);
  op->service = request_dup_service (request);
  op->redacted_uri = takes_http_redact (request->uri);
  op->context = g_main_context_ref_thread_default ();
  op->user_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  op->expected = -1;
  op->deadline_seconds = request->deadline > 0
    ? request->deadline
    : (kind == OP_DOWNLOAD ? self->download_deadline : self->request_deadline);
  op->deadline_us = g_get_monotonic_time () + (gint64)op->deadline_seconds * G_USEC_PER_SEC;
  g_task_set_task_data (task, op, http_op_free);

  new_attempt_cancellable (op);

  op->deadline_source = g_timeout_source_new_seconds (op->deadline_seconds);
  g_source_set_callback (op->deadline_source, on_deadline, op, NULL);
  g_source_attach (op->deadline_source, op->context);

  if (cancellable != NULL)
    op->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled), op, NULL);

  return task;
}

void
takes_http_send_async (TakesHttp           *self,
                       TakesHttpRequest    *request,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TAKES_IS_HTTP (self));
  g_return_if_fail (request != NULL);

  task = op_start (self, OP_SEND, request, cancellable, callback, user_data, takes_http_send_async);
  start_attempt (task);
}

static void
fill_response (GTask              *task,
               TakesHttpResponse **response)
{
  HttpOp *op = g_task_get_task_data (task);

  if (response != NULL)
    *response = op_dup_response (op);
}

GBytes *
takes_http_send_finish (TakesHttp          *self,
                        GAsyncResult       *result,
                        TakesHttpResponse **response,
                        GError            **error)
{
  g_return_val_if_fail (TAKES_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  fill_response (G_TASK (result), response);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
takes_http_send_json_async (TakesHttp           *self,
                            TakesHttpRequest    *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TAKES_IS_HTTP (self));
  g_return_if_fail (request != NULL);

  task = op_start (self, OP_SEND_JSON, request, cancellable, callback, user_data, takes_http_send_json_async);
  start_attempt (task);
}

JsonNode *
takes_http_send_json_finish (TakesHttp          *self,
                             GAsyncResult       *result,
                             TakesHttpResponse **response,
                             GError            **error)
{
  g_return_val_if_fail (TAKES_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  fill_response (G_TASK (result), response);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
takes_http_download_async (TakesHttp           *self,
                           TakesHttpRequest    *request,
                           GFile               *destination,
                           TakesProgressFunc    progress,
                           gpointer             progress_data,
                           GDestroyNotify       progress_data_destroy,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HttpOp *op;

  g_return_if_fail (TAKES_IS_HTTP (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  task = op_start (self, OP_DOWNLOAD, request, cancellable, callback, user_data, takes_http_download_async);
  op = g_task_get_task_data (task);
  op->destination = g_object_ref (destination);
  op->partial = takes_http_get_partial_file (destination);
  op->progress = progress;
  op->progress_data = progress_data;
  op->progress_data_destroy = progress_data_destroy;

  start_attempt (task);
}

gboolean
takes_http_download_finish (TakesHttp          *self,
                            GAsyncResult       *result,
                            TakesHttpResponse **response,
                            GError            **error)
{
  g_return_val_if_fail (TAKES_IS_HTTP (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  fill_response (G_TASK (result), response);

  return g_task_propagate_boolean (G_TASK (result), error);
}
