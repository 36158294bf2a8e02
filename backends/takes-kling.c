/* takes-kling.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-kling"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "takes-jwt.h"
#include "takes-kling.h"
#include "takes-provider-util.h"

#define DEFAULT_BASE_URL    "https://api-singapore.klingai.com"
#define SERVICE             "Kling"
#define DEFAULT_UNIT_PRICE  0.14
#define MAX_IMAGE_SIZE      (10 * 1024 * 1024)
#define MAX_PROMPT_CHARS    2500
/* A create refused for rate or concurrency is sent again for this long
 * (the provider did not take it, so nothing is paid twice). */
#define RATE_WAIT_MAX_S     600
#define RATE_WAIT_FIRST_MS  2000
#define RATE_WAIT_CAP_MS    60000

struct _TakesKling
{
  TakesBackend   parent_instance;

  /* owned */
  TakesJwtCache *tokens;

  double         unit_price;
  gint64         clock_offset;
};

G_DEFINE_FINAL_TYPE (TakesKling, takes_kling, TAKES_TYPE_BACKEND)

static const TakesBackendModel models[] = {
  { "kling-v1-6", N_("Kling 1.6") },
  { "kling-v2-5-turbo", N_("Kling 2.5 Turbo") },
  { "kling-v2-6", N_("Kling 2.6") },
  { "kling-v2-1-master", N_("Kling 2.1 Master") },
  { "kling-v2-1", N_("Kling 2.1, from an image") },
  { "kling-v2-master", N_("Kling 2.0 Master") },
  { "kling-v1-5", N_("Kling 1.5, from an image") },
  { "kling-v1", N_("Kling 1.0") },
  { "kling-v3", N_("Kling 3") },
  { NULL, NULL },
};

static const double durations[] = { 5, 10 };
static const char * const aspect_ratios[] = { "16:9", "9:16", "1:1", NULL };
static const char * const resolutions[] = { "720p", "1080p", NULL };
static const char * const credential_names[] = { "KLING_ACCESS_KEY", "KLING_SECRET_KEY", NULL };
static const char * const camera_types[] = {
  "simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward", NULL
};
static const char * const camera_axes[] = { "horizontal", "vertical", "pan", "tilt", "roll", "zoom", NULL };

/* Units for a 5 s take (10 s costs twice as much); a fallback for when
 * the app's price table is not there. */
static const struct
{
  const char *model;
  double      std_units;
  double      pro_units;
} unit_table[] = {
  { "kling-v1", 1, 3.5 },
  { "kling-v1-5", 2, 3.5 },
  { "kling-v1-6", 2, 3.5 },
  { "kling-v2-master", 10, 10 },
  { "kling-v2-1", 2, 3.5 },
  { "kling-v2-1-master", 10, 10 },
  { "kling-v2-5-turbo", 1.5, 2.5 },
  { "kling-v2-6", 1.5, 2.5 },
};

/* ---- Helpers ------------------------------------------------------------------ */

static gint64
kling_now (TakesKling *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

static gboolean
request_is_image (TakesGenerationRequest *request)
{
  return takes_generation_request_get_image (request) != NULL ||
         takes_generation_request_get_end_image (request) != NULL;
}

static const char *
request_family (TakesGenerationRequest *request)
{
  return request_is_image (request) ? "image2video" : "text2video";
}

static const char *
request_model (TakesKling             *self,
               TakesGenerationRequest *request)
{
  const char *model = takes_generation_request_get_model (request);

  if (model == NULL || model[0] == '\0')
    model = takes_backend_get_default_model (TAKES_BACKEND (self));

  return model;
}

static const char *
request_mode (TakesGenerationRequest *request)
{
  const char *mode = takes_generation_request_get_extra_string (request, "mode");

  if (mode != NULL && mode[0] != '\0')
    return mode;

  /* Kling's "pro" mode is its 1080p. */
  return takes_generation_request_get_height (request) >= 1080 &&
         takes_generation_request_get_width (request) >= 1080 ? "pro" : "std";
}

static gboolean
model_is_v2_or_later (const char *model)
{
  return g_str_has_prefix (model, "kling-v2") || g_str_has_prefix (model, "kling-v3");
}

static char *
make_url (TakesKling *self,
          const char *path)
{
  const char *base = takes_backend_get_base_url (TAKES_BACKEND (self));
  gsize n = strlen (base);

  while (n > 0 && base[n - 1] == '/')
    n--;

  return g_strdup_printf ("%.*s%s", (int)n, base, path);
}

GError *
takes_kling_error_for_code (int         code,
                            const char *message,
                            guint       http_status,
                            gint64      retry_after_ms,
                            gboolean   *retryable)
{
  g_autofree char *text = takes_provider_clip_text (message);
  g_autofree char *detail = text[0] != '\0' ? g_strdup_printf (": %s", text) : g_strdup ("");
  TakesBackendErrorCode error_code;
  gboolean again = FALSE;
  char *formatted;
  GError *error;

  if (code == 0)
    return NULL;

  if (code >= 1000 && code <= 1002)
    {
      error_code = TAKES_BACKEND_ERROR_AUTH;
      formatted = g_strdup_printf (_("Kling refused the access key or secret key (code %d%s). Check both keys in Preferences."),
                                   code, detail);
    }
  else if (code == 1003)
    {
      error_code = TAKES_BACKEND_ERROR_AUTH;
      formatted = g_strdup_printf (_("Kling says the sign-in token is not valid yet (code 1003%s). Check that this computer’s clock is right."),
                                   detail);
    }
  else if (code == 1004)
    {
      error_code = TAKES_BACKEND_ERROR_AUTH;
      formatted = g_strdup_printf (_("Kling says the sign-in token has expired (code 1004%s). Check that this computer’s clock is right."),
                                   detail);
    }
  else if (code == 1100)
    {
      error_code = TAKES_BACKEND_ERROR_QUOTA;
      formatted = g_strdup_printf (_("Kling: the account has a problem (code 1100%s). Check it on the Kling website."),
                                   detail);
    }
  else if (code == 1101)
    {
      error_code = TAKES_BACKEND_ERROR_QUOTA;
      formatted = g_strdup_printf (_("Kling: the account is in arrears (code 1101%s). Settle the bill, then try again."),
                                   detail);
    }
  else if (code == 1102)
    {
      error_code = TAKES_BACKEND_ERROR_QUOTA;
      formatted = g_strdup_printf (_("Kling: account balance used up (code 1102%s). Buy or renew a resource pack, then try again."),
                                   detail);
    }
  else if (code == 1103)
    {
      error_code = TAKES_BACKEND_ERROR_AUTH;
      formatted = g_strdup_printf (_("Kling: this account may not use this model or feature (code 1103%s). Choose another model, or check the account’s permissions."),
                                   detail);
    }
  else if (code == 1200 || code == 1201)
    {
      error_code = TAKES_BACKEND_ERROR_INVALID_REQUEST;
      formatted = g_strdup_printf (_("Kling refused a setting of the request (code %d%s). Change it and try again."),
                                   code, detail);
    }
  else if (code == 1202 || code == 1203)
    {
      error_code = TAKES_BACKEND_ERROR_INVALID_REQUEST;
      formatted = g_strdup_printf (_("Kling does not offer what was asked for (code %d%s). Choose another model, or check the service’s address."),
                                   code, detail);
    }
  else if (code == 1300)
    {
      error_code = TAKES_BACKEND_ERROR_REJECTED;
      formatted = g_strdup_printf (_("Kling refused the request under its platform policy (code 1300%s)."),
                                   detail);
    }
  else if (code == 1301)
    {
      error_code = TAKES_BACKEND_ERROR_REJECTED;
      formatted = g_strdup_printf (_("Kling: the prompt was refused by moderation: %s (code 1301). Reword the prompt or change the image."),
                                   text[0] != '\0' ? text : _("no reason given"));
    }
  else if (code == 1302)
    {
      error_code = TAKES_BACKEND_ERROR_RATE_LIMIT;
      again = TRUE;
      formatted = g_strdup_printf (_("Kling: too many requests (code 1302%s). Takes waited and tried again; wait a minute, or run fewer takes at once."),
                                   detail);
    }
  else if (code == 1303)
    {
      error_code = TAKES_BACKEND_ERROR_RATE_LIMIT;
      again = TRUE;
      formatted = g_strdup_printf (_("Kling: too many generations at once for the account’s resource pack (code 1303%s). Wait for running takes to finish, or run fewer at once."),
                                   detail);
    }
  else if (code == 1304)
    {
      error_code = TAKES_BACKEND_ERROR_AUTH;
      formatted = g_strdup_printf (_("Kling refused this computer’s address under the account’s IP whitelist (code 1304%s). Add it in the Kling console."),
                                   detail);
    }
  else if (code >= 5000 && code <= 5999)
    {
      error_code = TAKES_BACKEND_ERROR_SERVER;
      again = TRUE;
      formatted = g_strdup_printf (_("Kling had a problem of its own (code %d%s). Try again in a few minutes."),
                                   code, detail);
    }
  else
    {
      /* A code the table does not know: judge by the HTTP status. */
      if (http_status == 401 || http_status == 403)
        error_code = TAKES_BACKEND_ERROR_AUTH;
      else if (http_status == 429)
        error_code = TAKES_BACKEND_ERROR_RATE_LIMIT;
      else if (http_status >= 500 || http_status < 400)
        error_code = TAKES_BACKEND_ERROR_SERVER;
      else
        error_code = TAKES_BACKEND_ERROR_INVALID_REQUEST;
      again = http_status == 429 || http_status >= 500;
      formatted = g_strdup_printf (_("Kling answered with error code %d%s."), code, detail);
    }

  if (retryable != NULL)
    *retryable = again;

  error = takes_backend_error_new_full (error_code, http_status,
                                        error_code == TAKES_BACKEND_ERROR_RATE_LIMIT ? retry_after_ms : 0,
                                        FALSE, formatted);
  g_free (formatted);

  return error;
}

static gboolean
get_code (JsonObject *object,
          int        *code)
{
  double value;

  if (!takes_provider_get_number (object, "code", &value) ||
      value != floor (value) || fabs (value) > G_MAXINT)
    return FALSE;

  *code = (int)value;

  return TRUE;
}

/* Kling's codes in a non-2xx answer. @user_data points at an int that
 * receives the business code. */
static GError *
on_http_error (guint               status,
               SoupMessageHeaders *headers,
               JsonNode           *body,
               const char         *service,
               gboolean           *retryable,
               gpointer            user_data)
{
  int *last_code = user_data;
  g_autofree char *message = NULL;
  JsonObject *object;
  int code;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  object = json_node_get_object (body);
  if (!get_code (object, &code) || code == 0)
    return NULL;

  if (last_code != NULL)
    *last_code = code;

  message = takes_provider_dup_string (object, "message");

  return takes_kling_error_for_code (code, message, status,
                                     takes_http_parse_retry_after (headers), retryable);
}

static GError *
malformed (const char *what,
           gboolean    outcome_unknown)
{
  return takes_backend_error_new_full (TAKES_BACKEND_ERROR_SERVER, 0, 0, outcome_unknown,
                                       what);
}

/* The {code, message, request_id, data} envelope; a 200 may still carry a
 * non-zero code. Returns data (borrowed from @root) or NULL with @error. */
static JsonObject *
read_envelope (JsonNode  *root,
               gboolean   is_create,
               int       *code_out,
               GError   **error)
{
  g_autofree char *message = NULL;
  JsonObject *object, *data;
  int code;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, malformed (_("Kling sent an answer Takes cannot read (not a JSON object). Try again later; if it persists, check the service’s address."),
                                           is_create));
      return NULL;
    }

  object = json_node_get_object (root);
  if (!get_code (object, &code))
    {
      g_propagate_error (error, malformed (_("Kling sent an answer without its result code. Try again later; if it persists, check the service’s address."),
                                           is_create));
      return NULL;
    }

  if (code_out != NULL)
    *code_out = code;

  if (code != 0)
    {
      message = takes_provider_dup_string (object, "message");
      g_propagate_error (error, takes_kling_error_for_code (code, message, 200, 0, NULL));
      return NULL;
    }

  data = takes_provider_get_object (object, "data");
  if (data == NULL)
    {
      g_propagate_error (error, malformed (_("Kling’s answer holds no task. Try again later; if it persists, check the service’s address."),
                                           is_create));
      return NULL;
    }

  return data;
}

static gboolean
status_is_moderation (const char *reason)
{
  g_autofree char *lower = NULL;
  static const char * const words[] = {
    "risk", "moderat", "sensitive", "security", "policy", "inappropriate", "violat", "safety", NULL
  };

  if (reason == NULL)
    return FALSE;

  lower = g_utf8_strdown (reason, -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

static double
units_to_usd (TakesKling             *self,
              TakesGenerationRequest *request,
              double                  units)
{
  double price = takes_backend_lookup_price (TAKES_BACKEND (self), request_model (self, request),
                                             request_mode (request), TAKES_PRICE_CREDITS, units);

  if (price >= 0)
    return price;

  return units * self->unit_price;
}

/* A task object (query data) as a status. */
static TakesBackendStatus *
status_from_task (TakesKling              *self,
                  TakesGenerationRequest  *request,
                  JsonObject              *task,
                  GError                 **error)
{
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autofree char *state = NULL;
  g_autofree char *lower = NULL;
  double units;

  state = takes_provider_dup_string (task, "task_status");
  if (state == NULL)
    {
      g_propagate_error (error, malformed (_("Kling’s answer does not say how the task stands. Try again later."),
                                           FALSE));
      return NULL;
    }

  lower = g_ascii_strdown (state, -1);

  if (g_str_equal (lower, "submitted"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_QUEUED);
  else if (g_str_equal (lower, "processing"))
    status = takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);
  else if (g_str_equal (lower, "succeed") || g_str_equal (lower, "succeeded"))
    {
      JsonObject *result = takes_provider_get_object (task, "task_result");
      JsonNode *videos = result != NULL ? json_object_get_member (result, "videos") : NULL;
      g_autofree char *url = NULL;

      if (videos != NULL && JSON_NODE_HOLDS_ARRAY (videos) &&
          json_array_get_length (json_node_get_array (videos)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (videos), 0);

          if (JSON_NODE_HOLDS_OBJECT (first))
            url = takes_provider_dup_string (json_node_get_object (first), "url");
        }

      if (!takes_provider_is_web_address (url))
        {
          g_propagate_error (error, malformed (_("Kling reported the take as done but gave no clip to download. Try “Check again” later."),
                                               FALSE));
          return NULL;
        }

      status = takes_backend_status_new (TAKES_BACKEND_STATE_SUCCEEDED);
      status->progress = 1;
      status->result_url = g_steal_pointer (&url);
    }
  else if (g_str_equal (lower, "failed"))
    {
      g_autofree char *reason = takes_provider_dup_string (task, "task_status_msg");
      g_autofree char *text = takes_provider_clip_text (reason);

      status = takes_backend_status_new (TAKES_BACKEND_STATE_FAILED);
      if (status_is_moderation (text))
        {
          status->error_code = TAKES_BACKEND_ERROR_REJECTED;
          status->message = g_strdup_printf (_("the prompt was refused by moderation: %s"), text);
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
                   _("Kling reported a task state Takes does not know (“%s”). Try again later."),
                   text);
      return NULL;
    }

  if (takes_provider_get_number (task, "final_unit_deduction", &units) && units >= 0)
    status->cost = units_to_usd (self, request, units);

  return g_steal_pointer (&status);
}

static TakesHttpRequest *
new_request (TakesKling  *self,
             const char  *method,
             const char  *url,
             int         *last_code,
             GError     **error)
{
  g_autofree char *access_key = takes_backend_dup_credential (TAKES_BACKEND (self), "KLING_ACCESS_KEY");
  g_autofree char *secret_key = takes_backend_dup_credential (TAKES_BACKEND (self), "KLING_SECRET_KEY");
  g_autofree char *token = NULL;
  g_autofree char *authorization = NULL;
  TakesHttpRequest *request;

  if (access_key == NULL || secret_key == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                   _("Kling needs an access key and a secret key. Enter them in Preferences, or set KLING_ACCESS_KEY and KLING_SECRET_KEY."));
      return NULL;
    }

  token = takes_jwt_cache_get_kling (self->tokens, access_key, secret_key, kling_now (self));
  authorization = g_strconcat ("Bearer ", token, NULL);

  request = takes_http_request_new (method, url);
  takes_http_request_set_service_name (request, SERVICE);
  takes_http_request_add_header (request, "Authorization", authorization);
  takes_http_request_set_error_func (request, on_http_error, last_code, NULL);

  return request;
}

static gboolean
error_wants_new_token (const GError *error,
                       int           last_code)
{
  return g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH) &&
         (last_code == 1003 || last_code == 1004);
}

/* ---- Self-description ---------------------------------------------------------- */

static const char *
takes_kling_get_id (TakesBackend *backend)
{
  return "kling";
}

static const char *
takes_kling_get_display_name (TakesBackend *backend)
{
  return SERVICE;
}

static const TakesBackendModel *
takes_kling_get_models (TakesBackend *backend)
{
  return models;
}

static TakesBackendModes
takes_kling_get_modes (TakesBackend *backend)
{
  return TAKES_BACKEND_MODE_TEXT_TO_VIDEO |
         TAKES_BACKEND_MODE_IMAGE_TO_VIDEO |
         TAKES_BACKEND_MODE_FIRST_LAST_FRAME;
}

static const double *
takes_kling_get_durations (TakesBackend *backend,
                           guint        *n_durations)
{
  *n_durations = G_N_ELEMENTS (durations);

  return durations;
}

static const char * const *
takes_kling_get_aspect_ratios (TakesBackend *backend)
{
  return aspect_ratios;
}

static const char * const *
takes_kling_get_resolutions (TakesBackend *backend)
{
  return resolutions;
}

static gboolean
takes_kling_get_has_audio (TakesBackend *backend)
{
  /* Only with "sound": "on" on the newest models; silent by default. */
  return FALSE;
}

static guint
takes_kling_get_concurrency_limit (TakesBackend *backend)
{
  /* Resource packs allow a few parallel tasks; more get code 1303. */
  return 3;
}

static const char * const *
takes_kling_get_credential_names (TakesBackend *backend)
{
  return credential_names;
}

static const char *
takes_kling_get_default_base_url (TakesBackend *backend)
{
  return DEFAULT_BASE_URL;
}

static double
takes_kling_estimate_cost (TakesBackend           *backend,
                           TakesGenerationRequest *request)
{
  TakesKling *self = TAKES_KLING (backend);
  const char *model = request_model (self, request);
  gboolean pro = g_strcmp0 (request_mode (request), "pro") == 0;
  double scale = takes_generation_request_get_duration (request) / 5.0;

  for (guint i = 0; i < G_N_ELEMENTS (unit_table); i++)
    if (g_strcmp0 (unit_table[i].model, model) == 0)
      return (pro ? unit_table[i].pro_units : unit_table[i].std_units) * scale * self->unit_price;

  return -1;
}

static gboolean
check_camera_control (JsonNode  *node,
                      GError   **error)
{
  JsonObject *camera, *config;
  g_autofree char *type = NULL;
  guint non_zero = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;

  camera = json_node_get_object (node);
  type = takes_provider_dup_string (camera, "type");
  if (type == NULL || !g_strv_contains (camera_types, type))
    goto invalid;

  config = takes_provider_get_object (camera, "config");
  if (!g_str_equal (type, "simple"))
    return TRUE;

  if (config == NULL)
    goto invalid;

  for (guint i = 0; camera_axes[i] != NULL; i++)
    {
      double value = 0;

      if (json_object_has_member (config, camera_axes[i]) &&
          !takes_provider_get_number (config, camera_axes[i], &value))
        goto invalid;
      if (value < -10 || value > 10)
        goto invalid;
      if (value != 0)
        non_zero++;
    }

  if (non_zero == 1)
    return TRUE;

invalid:
  g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
               _("Kling’s camera movement must be one preset, or “simple” with exactly one of horizontal, vertical, pan, tilt, roll or zoom set between −10 and 10."));
  return FALSE;
}

static gboolean
takes_kling_validate_request (TakesBackend            *backend,
                              TakesGenerationRequest  *request,
                              GError                 **error)
{
  JsonObject *extra = takes_generation_request_get_extra (request);
  const char *prompt = takes_generation_request_get_prompt (request);
  const char *negative = takes_generation_request_get_negative_prompt (request);
  const char *mode = takes_generation_request_get_extra_string (request, "mode");
  const char *sound = takes_generation_request_get_extra_string (request, "sound");
  JsonNode *camera = json_object_get_member (extra, "camera_control");
  double cfg_scale;

  if (!request_is_image (request) && (prompt == NULL || prompt[0] == '\0'))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Kling needs a prompt to make a take without an image. Describe the shot."));
      return FALSE;
    }

  if ((prompt != NULL && g_utf8_strlen (prompt, -1) > MAX_PROMPT_CHARS) ||
      (negative != NULL && g_utf8_strlen (negative, -1) > MAX_PROMPT_CHARS))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Kling takes prompts of at most %d characters. Shorten the prompt or the negative prompt."),
                   MAX_PROMPT_CHARS);
      return FALSE;
    }

  if (json_object_has_member (extra, "mode") &&
      (mode == NULL || (!g_str_equal (mode, "std") && !g_str_equal (mode, "pro"))))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Kling’s mode is “std” or “pro”."));
      return FALSE;
    }

  if (json_object_has_member (extra, "cfg_scale") &&
      (!takes_provider_get_number (extra, "cfg_scale", &cfg_scale) || cfg_scale < 0 || cfg_scale > 1))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Kling’s prompt strength (cfg_scale) is a number from 0 to 1."));
      return FALSE;
    }

  if (json_object_has_member (extra, "sound") &&
      (sound == NULL || (!g_str_equal (sound, "on") && !g_str_equal (sound, "off"))))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("Kling’s sound setting is “on” or “off”."));
      return FALSE;
    }

  if (camera != NULL && !JSON_NODE_HOLDS_NULL (camera))
    {
      if (!check_camera_control (camera, error))
        return FALSE;

      if (takes_generation_request_get_end_image (request) != NULL)
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("Kling cannot combine a camera movement with a last frame. Remove one of them."));
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- Submit --------------------------------------------------------------------- */

typedef struct
{
  TakesGenerationRequest *request;
  char                   *image;
  char                   *image_tail;
  gboolean                tail_pending;
  gboolean                token_renewed;
  int                     last_code;
  gint64                  rate_wait_until;
  guint                   rate_waits;
  GSource                *wait_source;
  GSource                *wait_cancel_source;
  TakesBackendStatus     *immediate;
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
  g_clear_pointer (&submit->immediate, takes_backend_status_free);
  g_clear_object (&submit->request);
  g_free (submit->image);
  g_free (submit->image_tail);
  g_free (submit);
}

static void submit_send (GTask *task);
static void submit_next_image (GTask *task);

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static JsonNode *
build_body (TakesKling *self,
            SubmitData *submit)
{
  TakesGenerationRequest *request = submit->request;
  JsonObject *extra = takes_generation_request_get_extra (request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *duration = NULL;
  const char *model = request_model (self, request);
  JsonNode *camera;
  double cfg_scale;

  duration = g_strdup_printf ("%d", (int)lround (takes_generation_request_get_duration (request)));

  json_builder_begin_object (builder);
  add_optional_string (builder, "model_name", model);
  add_optional_string (builder, "prompt", takes_generation_request_get_prompt (request));
  add_optional_string (builder, "negative_prompt", takes_generation_request_get_negative_prompt (request));

  if (takes_provider_get_number (extra, "cfg_scale", &cfg_scale))
    {
      if (model_is_v2_or_later (model))
        g_debug ("cfg_scale is not sent to %s, which does not take it", model);
      else
        {
          json_builder_set_member_name (builder, "cfg_scale");
          json_builder_add_double_value (builder, cfg_scale);
        }
    }

  add_optional_string (builder, "mode", request_mode (request));

  if (!request_is_image (request))
    add_optional_string (builder, "aspect_ratio", takes_generation_request_get_aspect_ratio (request));

  add_optional_string (builder, "duration", duration);

  camera = json_object_get_member (extra, "camera_control");
  if (camera != NULL && JSON_NODE_HOLDS_OBJECT (camera))
    {
      JsonObject *in = json_node_get_object (camera);
      g_autofree char *type = takes_provider_dup_string (in, "type");

      json_builder_set_member_name (builder, "camera_control");
      json_builder_begin_object (builder);
      add_optional_string (builder, "type", type);
      if (g_strcmp0 (type, "simple") == 0)
        {
          JsonObject *config = takes_provider_get_object (in, "config");

          /* All six, as numbers, whatever form they came in. */
          json_builder_set_member_name (builder, "config");
          json_builder_begin_object (builder);
          for (guint i = 0; camera_axes[i] != NULL; i++)
            {
              double value = 0;

              takes_provider_get_number (config, camera_axes[i], &value);
              json_builder_set_member_name (builder, camera_axes[i]);
              json_builder_add_double_value (builder, value);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }

  add_optional_string (builder, "sound", takes_generation_request_get_extra_string (request, "sound"));

  if (json_object_has_member (extra, "watermark") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (extra, "watermark")) &&
      json_node_get_value_type (json_object_get_member (extra, "watermark")) == G_TYPE_BOOLEAN)
    {
      json_builder_set_member_name (builder, "watermark_info");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, json_object_get_boolean_member (extra, "watermark"));
      json_builder_end_object (builder);
    }

  add_optional_string (builder, "image", submit->image);
  add_optional_string (builder, "image_tail", submit->image_tail);
  add_optional_string (builder, "external_task_id",
                       takes_generation_request_get_client_request_id (request));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
on_image_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *content_type = NULL;
  char *encoded;

  bytes = takes_provider_load_image_finish (result, &content_type, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_strcmp0 (content_type, "image/webp") == 0)
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("Kling takes JPEG or PNG images, not WebP. Convert the image, or choose another."));
      return;
    }

  /* Raw base64: Kling refuses a "data:" prefix. */
  encoded = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (submit->tail_pending)
    {
      g_free (submit->image_tail);
      submit->image_tail = encoded;
      submit->tail_pending = FALSE;
    }
  else
    {
      g_free (submit->image);
      submit->image = encoded;
    }

  submit_next_image (g_steal_pointer (&task));
}

/* Loads the first frame, then the last, then sends. Takes @task. */
static void
submit_next_image (GTask *task)
{
  SubmitData *submit = g_task_get_task_data (task);
  const char *image = takes_generation_request_get_image (submit->request);
  const char *tail = takes_generation_request_get_end_image (submit->request);

  if (image != NULL && submit->image == NULL)
    {
      if (takes_provider_is_web_address (image))
        {
          submit->image = g_strdup (image);
          submit_next_image (task);
          return;
        }

      takes_provider_load_image_async (image, MAX_IMAGE_SIZE, SERVICE, g_task_get_cancellable (task),
                                       on_image_loaded, task);
      return;
    }

  if (tail != NULL && submit->image_tail == NULL)
    {
      if (takes_provider_is_web_address (tail))
        {
          submit->image_tail = g_strdup (tail);
          submit_next_image (task);
          return;
        }

      submit->tail_pending = TRUE;
      takes_provider_load_image_async (tail, MAX_IMAGE_SIZE, SERVICE, g_task_get_cancellable (task),
                                       on_image_loaded, task);
      return;
    }

  submit_send (task);
  g_object_unref (task);
}

static gboolean
on_rate_wait_over (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  SubmitData *submit = g_task_get_task_data (task);

  /* Either source ends the wait; the other goes with it. */
  destroy_source (&submit->wait_source);
  destroy_source (&submit->wait_cancel_source);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                             _("The request to Kling was canceled."));
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
  TakesKling *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *state = NULL;
  GError *error = NULL;
  JsonObject *data;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      if (error_wants_new_token (error, submit->last_code) && !submit->token_renewed)
        {
          /* Refused before it was taken: safe to send again. */
          g_debug ("Kling refused the token (code %d); making a new one", submit->last_code);
          g_clear_error (&error);
          submit->token_renewed = TRUE;
          takes_jwt_cache_clear (self->tokens);
          submit_send (task);
          return;
        }

      if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_RATE_LIMIT) &&
          !takes_backend_error_is_outcome_unknown (error) &&
          g_get_monotonic_time () < submit->rate_wait_until)
        {
          gint64 delay = takes_backend_error_get_retry_after (error);

          if (delay <= 0)
            delay = MIN ((gint64)RATE_WAIT_FIRST_MS << MIN (submit->rate_waits, 10), RATE_WAIT_CAP_MS);
          delay = (gint64)(delay * g_random_double_range (1.0, 1.2));
          submit->rate_waits++;

          g_debug ("Kling is limiting requests; sending again in %" G_GINT64_FORMAT " ms: %s",
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

  data = read_envelope (root, TRUE, &submit->last_code, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  task_id = takes_provider_dup_string (data, "task_id");
  if (task_id == NULL || task_id[0] == '\0')
    {
      g_task_return_error (task, malformed (_("Kling accepted the request but sent no task id. Check the account for the task before trying again."),
                                            TRUE));
      return;
    }

  state = takes_provider_dup_string (data, "task_status");
  if (state != NULL && (g_ascii_strcasecmp (state, "failed") == 0 ||
                        g_ascii_strcasecmp (state, "succeed") == 0))
    {
      g_autoptr(GError) status_error = NULL;

      submit->immediate = status_from_task (self, submit->request, data, &status_error);
    }

  g_task_return_pointer (task, g_steal_pointer (&task_id), g_free);
}

/* Takes a reference to @task for the request in flight. */
static void
submit_send (GTask *task)
{
  TakesKling *self = g_task_get_source_object (task);
  SubmitData *submit = g_task_get_task_data (task);
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  path = g_strdup_printf ("/v1/videos/%s", request_family (submit->request));
  url = make_url (self, path);

  submit->last_code = 0;
  http_request = new_request (self, "POST", url, &submit->last_code, &error);
  if (http_request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  body = build_body (self, submit);
  takes_http_request_set_json_body (http_request, body);
  takes_http_request_set_retry (http_request, TAKES_HTTP_RETRY_NOT_ACCEPTED);

  takes_http_send_json_async (takes_backend_get_http (TAKES_BACKEND (self)), http_request,
                              g_task_get_cancellable (task), on_created, g_object_ref (task));
}

static void
takes_kling_submit_async (TakesBackend           *backend,
                          TakesGenerationRequest *request,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  TakesKling *self = TAKES_KLING (backend);
  g_autoptr(GTask) task = NULL;
  g_autofree char *access_key = NULL;
  g_autofree char *secret_key = NULL;
  SubmitData *submit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_kling_submit_async);
  g_task_set_check_cancellable (task, FALSE);

  access_key = takes_backend_dup_credential (backend, "KLING_ACCESS_KEY");
  secret_key = takes_backend_dup_credential (backend, "KLING_SECRET_KEY");
  if (access_key == NULL || secret_key == NULL)
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                               _("Kling needs an access key and a secret key. Enter them in Preferences, or set KLING_ACCESS_KEY and KLING_SECRET_KEY."));
      return;
    }

  submit = g_new0 (SubmitData, 1);
  submit->request = g_object_ref (request);
  submit->rate_wait_until = g_get_monotonic_time () + (gint64)RATE_WAIT_MAX_S * G_USEC_PER_SEC;
  g_task_set_task_data (task, submit, submit_data_free);

  submit_next_image (g_steal_pointer (&task));
}

static char *
takes_kling_submit_finish (TakesBackend        *backend,
                           GAsyncResult        *result,
                           TakesBackendStatus **immediate,
                           GError             **error)
{
  char *task_id = g_task_propagate_pointer (G_TASK (result), error);

  if (task_id != NULL && immediate != NULL)
    {
      SubmitData *submit = g_task_get_task_data (G_TASK (result));

      *immediate = submit->immediate != NULL ? takes_backend_status_copy (submit->immediate) : NULL;
    }

  return task_id;
}

/* ---- Poll ------------------------------------------------------------------------ */

typedef struct
{
  TakesGenerationRequest *request;
  char                   *task_id;
  gboolean                token_renewed;
  int                     last_code;
} PollData;

static void
poll_data_free (gpointer data)
{
  PollData *poll = data;

  g_clear_object (&poll->request);
  g_free (poll->task_id);
  g_free (poll);
}

static void poll_send (GTask *task);

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesKling *self = g_task_get_source_object (task);
  PollData *poll = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  TakesBackendStatus *status;
  GError *error = NULL;
  JsonObject *data;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      if (error_wants_new_token (error, poll->last_code) && !poll->token_renewed)
        {
          g_clear_error (&error);
          poll->token_renewed = TRUE;
          takes_jwt_cache_clear (self->tokens);
          poll_send (task);
          return;
        }

      if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST) &&
          takes_backend_error_get_http_status (error) == 404)
        error->code = TAKES_BACKEND_ERROR_NOT_FOUND;

      g_task_return_error (task, error);
      return;
    }

  data = read_envelope (root, FALSE, &poll->last_code, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = status_from_task (self, poll->request, data, &error);
  if (status == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
}

static void
poll_send (GTask *task)
{
  TakesKling *self = g_task_get_source_object (task);
  PollData *poll = g_task_get_task_data (task);
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  escaped = g_uri_escape_string (poll->task_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/videos/%s/%s", request_family (poll->request), escaped);
  url = make_url (self, path);

  poll->last_code = 0;
  http_request = new_request (self, "GET", url, &poll->last_code, &error);
  if (http_request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  takes_http_send_json_async (takes_backend_get_http (TAKES_BACKEND (self)), http_request,
                              g_task_get_cancellable (task), on_polled, g_object_ref (task));
}

static void
takes_kling_poll_async (TakesBackend           *backend,
                        TakesGenerationRequest *request,
                        const char             *task_id,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  PollData *poll;

  task = g_task_new (backend, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_kling_poll_async);
  g_task_set_check_cancellable (task, FALSE);

  poll = g_new0 (PollData, 1);
  poll->request = g_object_ref (request);
  poll->task_id = g_strdup (task_id);
  g_task_set_task_data (task, poll, poll_data_free);

  poll_send (task);
}

static TakesBackendStatus *
takes_kling_poll_finish (TakesBackend  *backend,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
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
  JsonNode *data;
  int code = 0;

  root = takes_http_send_json_finish (TAKES_HTTP (object), result, NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The list answers with an array in data; read_envelope wants an object. */
  if (!JSON_NODE_HOLDS_OBJECT (root) || !get_code (json_node_get_object (root), &code))
    {
      g_task_return_error (task, malformed (_("Kling sent an answer Takes cannot read. Check the service’s address."),
                                            FALSE));
      return;
    }

  if (code != 0)
    {
      g_autofree char *message = takes_provider_dup_string (json_node_get_object (root), "message");

      g_task_return_error (task, takes_kling_error_for_code (code, message, 200, 0, NULL));
      return;
    }

  data = json_object_get_member (json_node_get_object (root), "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_task_return_error (task, malformed (_("Kling sent an answer Takes cannot read. Check the service’s address."),
                                            FALSE));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
takes_kling_test_async (TakesBackend        *backend,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  TakesKling *self = TAKES_KLING (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(TakesHttpRequest) http_request = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_kling_test_async);
  g_task_set_check_cancellable (task, FALSE);

  /* Listing one task costs nothing and needs a valid token. */
  url = make_url (self, "/v1/videos/text2video?pageNum=1&pageSize=1");
  http_request = new_request (self, "GET", url, NULL, &error);
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
takes_kling_test_finish (TakesBackend  *backend,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
takes_kling_finalize (GObject *object)
{
  TakesKling *self = (TakesKling *)object;

  g_clear_pointer (&self->tokens, takes_jwt_cache_free);

  G_OBJECT_CLASS (takes_kling_parent_class)->finalize (object);
}

static void
takes_kling_class_init (TakesKlingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TakesBackendClass *backend_class = TAKES_BACKEND_CLASS (klass);

  object_class->finalize = takes_kling_finalize;

  backend_class->get_id = takes_kling_get_id;
  backend_class->get_display_name = takes_kling_get_display_name;
  backend_class->get_models = takes_kling_get_models;
  backend_class->get_modes = takes_kling_get_modes;
  backend_class->get_durations = takes_kling_get_durations;
  backend_class->get_aspect_ratios = takes_kling_get_aspect_ratios;
  backend_class->get_resolutions = takes_kling_get_resolutions;
  backend_class->get_has_audio = takes_kling_get_has_audio;
  backend_class->get_concurrency_limit = takes_kling_get_concurrency_limit;
  backend_class->get_credential_names = takes_kling_get_credential_names;
  backend_class->get_default_base_url = takes_kling_get_default_base_url;
  backend_class->estimate_cost = takes_kling_estimate_cost;
  backend_class->validate_request = takes_kling_validate_request;
  backend_class->submit_async = takes_kling_submit_async;
  backend_class->submit_finish = takes_kling_submit_finish;
  backend_class->poll_async = takes_kling_poll_async;
  backend_class->poll_finish = takes_kling_poll_finish;
  backend_class->test_async = takes_kling_test_async;
  backend_class->test_finish = takes_kling_test_finish;
}

static void
takes_kling_init (TakesKling *self)
{
  self->tokens = takes_jwt_cache_new ();
  self->unit_price = DEFAULT_UNIT_PRICE;
}

TakesKling *
takes_kling_new (void)
{
  return g_object_new (TAKES_TYPE_KLING, NULL);
}

double
takes_kling_get_unit_price (TakesKling *self)
{
  g_return_val_if_fail (TAKES_IS_KLING (self), DEFAULT_UNIT_PRICE);

  return self->unit_price;
}

void
takes_kling_set_unit_price (TakesKling *self,
                            double      usd_per_unit)
{
  g_return_if_fail (TAKES_IS_KLING (self));
  g_return_if_fail (usd_per_unit >= 0);

  self->unit_price = usd_per_unit;
}

void
takes_kling_set_clock_offset (TakesKling *self,
                              gint64      seconds)
{
  g_return_if_fail (TAKES_IS_KLING (self));

  self->clock_offset = seconds;
}
