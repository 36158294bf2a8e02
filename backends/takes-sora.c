/* takes-sora.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-sora"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "takes-provider-util.h"
#include "takes-sora.h"

#define DEFAULT_BASE_URL      "https://api.openai.com/v1"
#define SERVICE               "Sora"
#define MAX_IMAGE_SIZE        (20 * 1024 * 1024)
#define DEFAULT_MIN_POLL_MS   2000
#define MAX_POLL_HINT_MS      (5 * 60 * 1000)
/* A create refused for rate is sent again for this long (it was not
 * taken, so nothing is paid twice). */
#define RATE_WAIT_MAX_S       600
#define RATE_WAIT_FIRST_MS    2000
#define RATE_WAIT_CAP_MS      60000

struct _TakesSora
{
  TakesBackend parent_instance;

  guint        min_poll_ms;
};

G_DEFINE_FINAL_TYPE (TakesSora, takes_sora, TAKES_TYPE_BACKEND)

static const TakesBackendModel models[] = {
  { "sora-2", N_("Sora 2") },
  { "sora-2-pro", N_("Sora 2 Pro") },
  { "sora-2-2025-12-08", N_("Sora 2 (2025-12-08)") },
  { "sora-2-2025-10-06", N_("Sora 2 (2025-10-06)") },
  { "sora-2-pro-2025-10-06", N_("Sora 2 Pro (2025-10-06)") },
  { NULL, NULL },
};

static const int seconds_allowed[] = { 4, 8, 12 };
static const char * const aspect_ratios[] = { "16:9", "9:16", NULL };
static const char * const resolutions[] = { "720p", "1080p", NULL };
static const char * const credential_names[] = { "OPENAI_API_KEY", NULL };

/* ---- Helpers ------------------------------------------------------------------ */

static const char *
request_model (TakesSora              *self,
               TakesGenerationRequest *request)
{
  const char *model = takes_generation_request_get_model (request);

  if (model == NULL || model[0] == '\0')
    model = takes_backend_get_default_model (TAKES_BACKEND (self));

  return model;
}

char *
takes_sora_dup_size (TakesSora              *self,
                     TakesGenerationRequest *request)
{
  const char *size = takes_generation_request_get_extra_string (request, "size");
  int width, height;
  gboolean portrait, large;

  g_return_val_if_fail (TAKES_IS_SORA (self), NULL);

  if (size != NULL && size[0] != '\0')
    return g_strdup (size);

  width = takes_generation_request_get_width (request);
  height = takes_generation_request_get_height (request);
  portrait = height > width;
  /* The 1024/1792 sizes are for the -pro models only. */
  large = MIN (width, height) >= 1000 && strstr (request_model (self, request), "pro") != NULL;

  if (large)
    return g_strdup (portrait ? "1024x1792" : "1792x1024");

  return g_strdup (portrait ? "720x1280" : "1280x720");
}

char *
takes_sora_dup_seconds (TakesSora              *self,
                        TakesGenerationRequest *request)
{
  const char *seconds = takes_generation_request_get_extra_string (request, "seconds");
  double duration = takes_generation_request_get_duration (request);

  g_return_val_if_fail (TAKES_IS_SORA (self), NULL);

  if (seconds != NULL && seconds[0] != '\0')
    return g_strdup (seconds);

  /* The shortest clip that covers the shot: it is trimmed, never stretched. */
  for (guint i = 0; i < G_N_ELEMENTS (seconds_allowed); i++)
    if (duration <= seconds_allowed[i] + 0.001)
      return g_strdup_printf ("%d", seconds_allowed[i]);

  return g_strdup_printf ("%d", seconds_allowed[G_N_ELEMENTS (seconds_allowed) - 1]);
}

static char *
make_url (TakesSora  *self,
          const char *path)
{
  const char *base = takes_backend_get_base_url (TAKES_BACKEND (self));
  gsize n = strlen (base);

  while (n > 0 && base[n - 1] == '/')
    n--;

  return g_strdup_printf ("%.*s%s", (int)n, base, path);
}

static char *
video_url (TakesSora  *self,
           const char *video_id,
           const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (video_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/videos/%s%s", escaped, suffix);

  return make_url (self, path);
}

static gboolean
text_means_moderation (const char *text)
{
  g_autofree char *lower = NULL;
  static const char * const words[] = {
    "moderation", "content policy", "safety", "policy violation", "flagged", NULL
  };

  if (text == NULL)
    return FALSE;

  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

static GError *
new_error (TakesBackendErrorCode  code,
           guint                  http_status,
           gint64                 retry_after_ms,
           const char            *format,
           ...) G_GNUC_PRINTF (4, 5);

static GError *
new_error (TakesBackendErrorCode  code,
           guint                  http_status,
           gint64                 retry_after_ms,
           const char            *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return takes_backend_error_new_full (code, http_status, retry_after_ms, FALSE, message);
}

/* The OpenAI error envelope {"error": {"message", "type", "code", "param"}}. */
static GError *
on_http_error (guint               status,
               SoupMessageHeaders *headers,
               JsonNode           *body,
               const char         *service,
               gboolean           *retryable,
               gpointer            user_data)
{
  JsonObject *envelope = NULL;
  g_autofree char *message = NULL;
  g_autofree char *type = NULL;
  g_autofree char *code = NULL;
  g_autofree char *param = NULL;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  gint64 retry_after_ms = takes_http_parse_retry_after (headers);

  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    envelope = takes_provider_get_object (json_node_get_object (body), "error");

  message = takes_provider_dup_string (envelope, "message");
  type = takes_provider_dup_string (envelope, "type");
  code = takes_provider_dup_string (envelope, "code");
  param = takes_provider_dup_string (envelope, "param");
  text = takes_provider_clip_text (message);
  detail = text[0] != '\0' ? g_strdup_printf (": %s", text) : g_strdup ("");

  if (status == 401)
    {
      *retryable = FALSE;
      return new_error (TAKES_BACKEND_ERROR_AUTH, status, 0,
                        _("%s refused the API key (HTTP 401%s). Check the key in Preferences or OPENAI_API_KEY."),
                                                            service, detail);
    }

  if (status == 403)
    {
      *retryable = FALSE;
      return new_error (TAKES_BACKEND_ERROR_AUTH, status, 0,
                        _("%s does not allow this account to make videos (HTTP 403%s). Check the organization’s verification and model access."),
                                                            service, detail);
    }

  if (status == 429 && (g_strcmp0 (code, "insufficient_quota") == 0 ||
                        g_strcmp0 (type, "insufficient_quota") == 0))
    {
      *retryable = FALSE;
      return new_error (TAKES_BACKEND_ERROR_QUOTA, status, 0,
                        _("%s: the account has no credit left (insufficient_quota%s). Add credit or raise the limit, then try again."),
                                                            service, detail);
    }

  if (status == 429)
    {
      return new_error (TAKES_BACKEND_ERROR_RATE_LIMIT, status, retry_after_ms,
                        _("%s is limiting requests (HTTP 429%s). Takes waited and tried again; wait a minute, or run fewer takes at once."),
                                                            service, detail);
    }

  if (status == 400 && (g_strcmp0 (code, "moderation_blocked") == 0 ||
                        (code != NULL && strstr (code, "moderation") != NULL) ||
                        g_strcmp0 (code, "content_policy_violation") == 0 ||
                        text_means_moderation (text)))
    {
      *retryable = FALSE;
      return new_error (TAKES_BACKEND_ERROR_REJECTED, status, 0,
                        _("%s: the prompt was refused by moderation: %s. Reword the prompt or change the image."),
                                                            service, text[0] != '\0' ? text : _("no reason given"));
    }

  if (status == 404)
    {
      *retryable = FALSE;
      return new_error (TAKES_BACKEND_ERROR_NOT_FOUND, status, 0,
                        _("%s does not know this video (HTTP 404%s). It may have expired or been deleted; check the service’s address."),
                                                            service, detail);
    }

  if (status >= 400 && status < 500)
    {
      g_autofree char *field = param != NULL ? takes_provider_clip_text (param) : NULL;

      *retryable = FALSE;
      if (field != NULL && field[0] != '\0')
        return new_error (TAKES_BACKEND_ERROR_INVALID_REQUEST, status, 0,
                        _("%s refused the setting “%s” (HTTP %u%s). Change it and try again."),
                                                              service, field, status, detail);
      return new_error (TAKES_BACKEND_ERROR_INVALID_REQUEST, status, 0,
                        _("%s refused the request (HTTP %u%s). Change the settings it names, or choose another model."),
                                                            service, status, detail);
    }

  /* 5xx and others: the default message and retry rules fit. */
  return NULL;
}

static TakesHttpRequest *
new_request (TakesSora   *self,
             const char  *method,
             const char  *url,
             GError     **error)
{
  g_autofree char *key = takes_backend_dup_credential (TAKES_BACKEND (self), "OPENAI_API_KEY");
  g_autofree char *authorization = NULL;
  TakesHttpRequest *request;

  if (key == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                   _("Sora needs an API key. Enter it in Preferences, or set OPENAI_API_KEY."));
      return NULL;
    }

  authorization = g_strconcat ("Bearer ", key, NULL);
  request = takes_http_request_new (method, url);
  takes_http_request_set_service_name (request, SERVICE);
  takes_http_request_add_header (request, "Authorization", authorization);
  takes_http_request_set_error_func (request, on_http_error, NULL, NULL);

  return request;
}

static GError *
malformed (const char *what,
           gboolean    outcome_unknown)
{
  return takes_backend_error_new_full (TAKES_BACKEND_ERROR_SERVER, 0, 0, outcome_unknown, what);
}

/* A video object as a status. */
static TakesBackendStatus *
status_from_video (TakesSora          *self,
                   JsonObject         *video,
                   const char         *video_id,
                   TakesHttpResponse  *response,
                   GError            **error)
{
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *state = NULL;
  double progress;

  state = takes_provider_dup_string (video, "status");
  if (state == NULL)
    {
      g_propagate_error (error, malformed (_("Sora’s answer does not say how the video stands. Try again later."),
                                           FALSE));
      return NULL;
    }

  if (g_ascii_strcasecmp (state, "queued") == 0)
    status = takes_backend_status_new (TAKES_BACKEND_STATE_QUEUED);
  else if (g_ascii_strcasecmp (state, "in_progress") == 0)
    status = takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);
  else if (g_ascii_strcasecmp (state, "completed") == 0)
    {
      status = takes_backend_status_new (TAKES_BACKEND_STATE_SUCCEEDED);
      status->result_url = video_url (self, video_id, "/content");
      status->progress = 1;
    }
  else if (g_ascii_strcasecmp (state, "failed") == 0)
    {
      JsonObject *problem = takes_provider_get_object (video, "error");
      g_autofree char *code = takes_provider_dup_string (problem, "code");
      g_autofree char *message = takes_provider_dup_string (problem, "message");
      g_autofree char *text = takes_provider_clip_text (message);

      status = takes_backend_status_new (TAKES_BACKEND_STATE_FAILED);
      if ((code != NULL && strstr (code, "moderation") != NULL) || text_means_moderation (text))
        {
          status->error_code = TAKES_BACKEND_ERROR_REJECTED;
          status->message = g_strdup_printf (_("the prompt was refused by moderation: %s"),
                                             text[0] != '\0' ? text : _("no reason given"));
        }
      else
        {
          status->error_code = TAKES_BACKEND_ERROR_FAILED;
          status->message = text[0] != '\0' ? g_steal_pointer (&text) : NULL;
        }
    }
  else
    {
      g_autofree char *text = takes_provider_clip_text (state);

      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                   _("Sora reported a video state Takes does not know (“%s”). Try again later."),
                   text);
      return NULL;
    }

  if (status->state != TAKES_BACKEND_STATE_SUCCEEDED &&
      takes_provider_get_number (video, "progress", &progress) && progress >= 0 && progress <= 100)
    status->progress = progress / 100.0;

  if (!takes_backend_status_is_final (status))
    {
      const char *hint = response != NULL && response->headers != NULL
        ? soup_message_headers_get_one (response->headers, "openai-poll-after-ms")
        : NULL;
      guint64 hint_ms = 0;

      status->retry_after_ms = self->min_poll_ms;
      if (hint != NULL && g_ascii_string_to_unsigned (hint, 10, 0, G_MAXUINT32, &hint_ms, NULL))
        status->retry_after_ms = CLAMP ((gint64)hint_ms, (gint64)self->min_poll_ms, MAX_POLL_HINT_MS);
    }

  return g_steal_pointer (&status);
}

/* ---- Self-description ---------------------------------------------------------- */

static const char *
takes_sora_get_id (TakesBackend *backend)
{
  return "sora";
}

static const char *
takes_sora_get_display_name (TakesBackend *backend)
{
  return _("Sora-compatible");
}

static const TakesBackendModel *
takes_sora_get_models (TakesBackend *backend)
{
  return models;
}

static TakesBackendModes
takes_sora_get_modes (TakesBackend *backend)
{
  return TAKES_BACKEND_MODE_TEXT_TO_VIDEO | TAKES_BACKEND_MODE_IMAGE_TO_VIDEO;
}

static void
takes_sora_get_duration_range (TakesBackend *backend,
                               double       *min_seconds,
                               double       *max_seconds)
{
  /* Any length up to 12 s: it is rounded up to 4, 8 or 12. */
  *min_seconds = 1;
  *max_seconds = 12;
}

static const char * const *
takes_sora_get_aspect_ratios (TakesBackend *backend)
{
  return aspect_ratios;
}

static const char * const *
takes_sora_get_resolutions (TakesBackend *backend)
{
  return resolutions;
}

static gboolean
takes_sora_get_has_audio (TakesBackend *backend)
{
  return TRUE;
}

static guint
takes_sora_get_concurrency_limit (TakesBackend *backend)
{
  return 2;
}

static const char * const *
takes_sora_get_credential_names (TakesBackend *backend)
{
  return credential_names;
}

static const char *
takes_sora_get_default_base_url (TakesBackend *backend)
{
  const char *openai = g_getenv ("OPENAI_BASE_URL");

  if (openai != NULL && openai[0] != '\0')
    return openai;

  return DEFAULT_BASE_URL;
}

static double
takes_sora_estimate_cost (TakesBackend           *backend,
                          TakesGenerationRequest *request)
{
  TakesSora *self = TAKES_SORA (backend);
  const char *model = request_model (self, request);
  g_autofree char *seconds = takes_sora_dup_seconds (self, request);
  g_autofree char *size = takes_sora_dup_size (self, request);
  double n = g_ascii_strtod (seconds, NULL);
  double per_second;

  /* List prices when this was written; the app's price table wins. */
  if (g_str_has_prefix (model, "sora-2-pro"))
    per_second = (g_str_equal (size, "1024x1792") || g_str_equal (size, "1792x1024")) ? 0.50 : 0.30;
  else if (g_str_has_prefix (model, "sora-2"))
    per_second = 0.10;
  else
    return -1;

  return n > 0 ? n * per_second : -1;
}

static gboolean
takes_sora_validate_request (TakesBackend            *backend,
                             TakesGenerationRequest  *request,
                             GError                 **error)
{
  const char *prompt = takes_generation_request_get_prompt (request);

  if (prompt == NULL || prompt[0] == '\0')
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Sora needs a prompt, also with a reference image. Describe the shot."));
      return FALSE;
    }

  if (takes_generation_request_get_image (request) != NULL &&
      takes_provider_is_web_address (takes_generation_request_get_image (request)))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Sora takes the reference image as a file. Download the image and choose the file."));
      return FALSE;
    }

  return TRUE;
}

/* ---- Submit --------------------------------------------------------------------- */

typedef struct
{
  TakesGenerationRequest *request;
  GBytes                 *body;
  char                   *content_type;
  char                   *size;
  TakesBackendStatus     *immediate;
  gint64                  rate_wait_until;
  guint                   rate_waits;
  GSource                *wait_source;
  GSource                *wait_cancel_source;
} SubmitData;

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
submit_data_free (gpointer data)
{
  SubmitData *submit = data;

  destroy_source (&submit->wait_source);
  destroy_source (&submit->wait_cancel_source);
  g_clear_object (&submit->request);
  g_clear_pointer (&submit->body, g_bytes_unref);
  g_free (submit->content_type);
  g_free (submit->size);
  g_clear_pointer (&submit->immediate, takes_backend_status_free);
  g_free (submit);
}

static void submit_send (GTask *task);

static char *
image_file_name (const char *path,
                 const char *content_type)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *extension = g_str_equal (content_type, "image/png") ? ".png"
                        : g_str_equal (content_type, "image/webp") ? ".webp"
                        : ".jpg";
  GString *name = g_string_new (NULL);
  char *dot;

  /* A plain ASCII name: the header must not carry the user's folder names
   * or characters a server may choke on. */
  dot = strrchr (base, '.');
  if (dot != NULL)
    *dot = '\0';
  for (const char *p = base; *p != '\0' && name->len < 64; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '_');
  if (name->len == 0)
    g_string_append (name, "reference");
  g_string_append (name, extension);

  return g_string_free (name, FALSE);
}

static void
build_body (TakesSora  *self,
            SubmitData *submit,
            GBytes     *image,
            const char *image_type)
{
  TakesGenerationRequest *request = submit->request;
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *seconds = takes_sora_dup_seconds (self, request);
  g_autofree char *size = takes_sora_dup_size (self, request);
  GBytes *body = NULL;

  soup_multipart_append_form_string (multipart, "prompt", takes_generation_request_get_prompt (request));
  soup_multipart_append_form_string (multipart, "model", request_model (self, request));
  soup_multipart_append_form_string (multipart, "seconds", seconds);
  soup_multipart_append_form_string (multipart, "size", size);

  if (image != NULL)
    {
      g_autofree char *file_name = image_file_name (takes_generation_request_get_image (request), image_type);

      soup_multipart_append_form_file (multipart, "input_reference", file_name, image_type, image);
    }

  soup_multipart_to_message (multipart, headers, &body);

  submit->body = body;
  submit->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
}

static gboolean
parse_size (const char *size,
            int        *width,
            int        *height)
{
  guint64 w, h;
  g_auto(GStrv) parts = NULL;

  if (size == NULL)
    return FALSE;

  parts = g_strsplit (size, "x", -1);
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 16, 8192, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 16, 8192, &h, NULL))
    return FALSE;

  *width = (int)w;
  *height = (int)h;

  return TRUE;
}

static void
on_image_fitted (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesSora *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;

  png = takes_provider_fit_image_finish (result, &error);
  if (png == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                               _("The request to Sora was canceled."));
      return;
    }

  build_body (self, submit, png, "image/png");
  submit_send (task);
}

static void
on_image_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesSora *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  const char *content_type = NULL;
  GError *error = NULL;
  int width, height;

  bytes = takes_provider_load_image_finish (result, &content_type, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The API wants the reference at the video's own size. */
  if (parse_size (submit->size, &width, &height))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      takes_provider_fit_image_async (bytes, width, height, cancellable,
                                      on_image_fitted, g_steal_pointer (&task));
      return;
    }

  build_body (self, submit, bytes, content_type);
  submit_send (task);
}

static gboolean
on_rate_wait_over (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  SubmitData *submit = g_task_get_task_data (task);

  destroy_source (&submit->wait_source);
  destroy_source (&submit->wait_cancel_source);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                             _("The request to Sora was canceled."));
  else
    submit_send (task);

  return G_SOURCE_REMOVE;
}

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesSora *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(TakesHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *video_id = NULL;
  g_autofree char *state = NULL;
  GError *error = NULL;
  JsonObject *video;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, &response, &error);
  if (root == NULL)
    {
      if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_RATE_LIMIT) &&
          !takes_backend_error_is_outcome_unknown (error) &&
          g_get_monotonic_time () < submit->rate_wait_until)
        {
          gint64 delay = takes_backend_error_get_retry_after (error);

          if (delay <= 0)
            delay = MIN ((gint64)RATE_WAIT_FIRST_MS << MIN (submit->rate_waits, 10), RATE_WAIT_CAP_MS);
          delay = (gint64)(delay * g_random_double_range (1.0, 1.2));
          submit->rate_waits++;

          g_debug ("Sora is limiting requests; sending again in %" G_GINT64_FORMAT " ms: %s",
                   delay, error->message);
          g_clear_error (&error);

          submit->wait_source = g_timeout_source_new ((guint)delay);
          g_source_set_callback (submit->wait_source, on_rate_wait_over,
                                 g_object_ref (task), g_object_unref);
          g_source_attach (submit->wait_source, g_main_context_get_thread_default ());

          if (g_task_get_cancellable (task) != NULL)
            {
              submit->wait_cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
              g_source_set_callback (submit->wait_cancel_source, on_rate_wait_over,
                                     g_object_ref (task), g_object_unref);
              g_source_attach (submit->wait_cancel_source, g_main_context_get_thread_default ());
            }
          return;
        }

      g_task_return_error (task, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, malformed (_("Sora sent an answer Takes cannot read (not a JSON object). Check the account for the video before trying again."),
                                            TRUE));
      return;
    }

  video = json_node_get_object (root);
  video_id = takes_provider_dup_string (video, "id");
  if (video_id == NULL || video_id[0] == '\0')
    {
      g_task_return_error (task, malformed (_("Sora accepted the request but sent no video id. Check the account for the video before trying again."),
                                            TRUE));
      return;
    }

  state = takes_provider_dup_string (video, "status");
  if (state != NULL && g_ascii_strcasecmp (state, "failed") == 0)
    submit->immediate = status_from_video (self, video, video_id, response, NULL);

  g_task_return_pointer (task, g_steal_pointer (&video_id), g_free);
}

static void
submit_send (GTask *task)
{
  TakesSora *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *url = make_url (self, "/videos");
  GError *error = NULL;

  http_request = new_request (self, "POST", url, &error);
  if (http_request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  takes_http_request_set_body (http_request, submit->content_type, submit->body);
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_NOT_ACCEPTED);

  takes_http_send_json_async (takes_backend_get_http (TAKES_BACKEND (self)), http_request,
                              g_task_get_cancellable (task), on_created, g_object_ref (task));
}

static void
takes_sora_submit_async (TakesBackend           *backend,
                         TakesGenerationRequest *request,
                         GCancellable           *cancellable,
                         GAsyncReadyCallback     callback,
                         gpointer                user_data)
{
  TakesSora *self = TAKES_SORA (backend);
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *image;
  SubmitData *submit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_sora_submit_async);
  g_task_set_check_cancellable (task, FALSE);

  key = takes_backend_dup_credential (backend, "OPENAI_API_KEY");
  if (key == NULL)
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                               _("Sora needs an API key. Enter it in Preferences, or set OPENAI_API_KEY."));
      return;
    }

  submit = g_new0 (SubmitData, 1);
  submit->request = g_object_ref (request);
  submit->size = takes_sora_dup_size (self, request);
  submit->rate_wait_until = g_get_monotonic_time () + (gint64)RATE_WAIT_MAX_S * G_USEC_PER_SEC;
  g_task_set_task_data (task, submit, submit_data_free);

  image = takes_generation_request_get_image (request);
  if (image != NULL)
    {
      takes_provider_load_image_async (image, MAX_IMAGE_SIZE, SERVICE, cancellable,
                                       on_image_loaded, g_steal_pointer (&task));
      return;
    }

  build_body (self, submit, NULL, NULL);
  submit_send (task);
}

static char *
takes_sora_submit_finish (TakesBackend        *backend,
                          GAsyncResult        *result,
                          TakesBackendStatus **immediate,
                          GError             **error)
{
  char *video_id = g_task_propagate_pointer (G_TASK (result), error);

  if (video_id != NULL && immediate != NULL)
    {
      SubmitData *submit = g_task_get_task_data (G_TASK (result));

      *immediate = submit->immediate != NULL ? takes_backend_status_copy (submit->immediate) : NULL;
    }

  return video_id;
}

/* ---- Poll ------------------------------------------------------------------------ */

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesSora *self = g_task_get_source_object (task);
  const char *video_id = g_task_get_task_data (task);
  g_autoptr(TakesHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  TakesBackendStatus *status;
  GError *error = NULL;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, &response, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, malformed (_("Sora sent an answer Takes cannot read (not a JSON object). Try again later."),
                                            FALSE));
      return;
    }

  status = status_from_video (self, json_node_get_object (root), video_id, response, &error);
  if (status == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
}

static void
takes_sora_poll_async (TakesBackend           *backend,
                       TakesGenerationRequest *request,
                       const char             *task_id,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  TakesSora *self = TAKES_SORA (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_sora_poll_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (task_id), g_free);

  url = video_url (self, task_id, "");
  http_request = new_request (self, "GET", url, &error);
  if (http_request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_polled, g_steal_pointer (&task));
}

static TakesBackendStatus *
takes_sora_poll_finish (TakesBackend  *backend,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Download --------------------------------------------------------------------- */

static void
takes_sora_prepare_download (TakesBackend     *backend,
                             TakesHttpRequest *request)
{
  TakesSora *self = TAKES_SORA (backend);
  g_autofree char *prefix = make_url (self, "/videos/");
  g_autofree char *key = NULL;
  g_autofree char *authorization = NULL;

  /* The key goes only to the endpoint it belongs to, never to an address
   * an answer could have slipped in. */
  if (!g_str_has_prefix (takes_http_request_get_uri (request), prefix))
    return;

  key = takes_backend_dup_credential (backend, "OPENAI_API_KEY");
  if (key == NULL)
    return;

  authorization = g_strconcat ("Bearer ", key, NULL);
  takes_http_request_add_header (request, "Authorization", authorization);
  takes_http_request_add_header (request, "Accept", "application/binary");
  takes_http_request_set_error_func (request, on_http_error, NULL, NULL);
}

/* ---- Test -------------------------------------------------------------------------- */

static void
on_tested (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      json_object_get_member (json_node_get_object (root), "data") == NULL ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "data")))
    {
      g_task_return_error (task, malformed (_("The server answered, but not as the Videos API does. Check the service’s address (it usually ends in /v1)."),
                                            FALSE));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
takes_sora_test_async (TakesBackend        *backend,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  TakesSora *self = TAKES_SORA (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *url = make_url (self, "/videos?limit=1");
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_sora_test_async);
  g_task_set_check_cancellable (task, FALSE);

  http_request = new_request (self, "GET", url, &error);
  if (http_request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  takes_http_request_set_deadline (http_request, 20);
  takes_http_send_json_async (takes_backend_get_http (backend), http_request, cancellable,
                              on_tested, g_steal_pointer (&task));
}

static gboolean
takes_sora_test_finish (TakesBackend  *backend,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
takes_sora_class_init (TakesSoraClass *klass)
{
  TakesBackendClass *backend_class = TAKES_BACKEND_CLASS (klass);

  backend_class->get_id = takes_sora_get_id;
  backend_class->get_display_name = takes_sora_get_display_name;
  backend_class->get_models = takes_sora_get_models;
  backend_class->get_modes = takes_sora_get_modes;
  backend_class->get_duration_range = takes_sora_get_duration_range;
  backend_class->get_aspect_ratios = takes_sora_get_aspect_ratios;
  backend_class->get_resolutions = takes_sora_get_resolutions;
  backend_class->get_has_audio = takes_sora_get_has_audio;
  backend_class->get_concurrency_limit = takes_sora_get_concurrency_limit;
  backend_class->get_credential_names = takes_sora_get_credential_names;
  backend_class->get_default_base_url = takes_sora_get_default_base_url;
  backend_class->estimate_cost = takes_sora_estimate_cost;
  backend_class->validate_request = takes_sora_validate_request;
  backend_class->submit_async = takes_sora_submit_async;
  backend_class->submit_finish = takes_sora_submit_finish;
  backend_class->poll_async = takes_sora_poll_async;
  backend_class->poll_finish = takes_sora_poll_finish;
  backend_class->prepare_download = takes_sora_prepare_download;
  backend_class->test_async = takes_sora_test_async;
  backend_class->test_finish = takes_sora_test_finish;
  /* Sizes are mapped to the nearest the API allows. */
  backend_class->any_frame_size = TRUE;
}

static void
takes_sora_init (TakesSora *self)
{
  self->min_poll_ms = DEFAULT_MIN_POLL_MS;
}

TakesSora *
takes_sora_new (void)
{
  return g_object_new (TAKES_TYPE_SORA, NULL);
}

void
takes_sora_set_min_poll_interval (TakesSora *self,
                                  guint      ms)
{
  g_return_if_fail (TAKES_IS_SORA (self));

  self->min_poll_ms = ms;
}
