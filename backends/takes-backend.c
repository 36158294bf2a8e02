/* takes-backend.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-backend"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "takes-backend.h"

typedef struct
{
  /* owned */
  GHashTable *credentials;
  char       *base_url;
  char       *env_base_url;
  TakesHttp  *http;

  TakesBackendPriceFunc  price_func;
  gpointer               price_data;
  GDestroyNotify         price_destroy;
} TakesBackendPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TakesBackend, takes_backend, G_TYPE_OBJECT)

static const GFlagsValue mode_values[] = {
  { TAKES_BACKEND_MODE_TEXT_TO_VIDEO, "TAKES_BACKEND_MODE_TEXT_TO_VIDEO", "text-to-video" },
  { TAKES_BACKEND_MODE_IMAGE_TO_VIDEO, "TAKES_BACKEND_MODE_IMAGE_TO_VIDEO", "image-to-video" },
  { TAKES_BACKEND_MODE_FIRST_LAST_FRAME, "TAKES_BACKEND_MODE_FIRST_LAST_FRAME", "first-last-frame" },
  { 0, NULL, NULL },
};

GType
takes_backend_modes_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_flags_register_static (g_intern_static_string ("TakesBackendModes"),
                                                          mode_values));

  return type_id;
}

static const GEnumValue state_values[] = {
  { TAKES_BACKEND_STATE_QUEUED, "TAKES_BACKEND_STATE_QUEUED", "queued" },
  { TAKES_BACKEND_STATE_RUNNING, "TAKES_BACKEND_STATE_RUNNING", "running" },
  { TAKES_BACKEND_STATE_SUCCEEDED, "TAKES_BACKEND_STATE_SUCCEEDED", "succeeded" },
  { TAKES_BACKEND_STATE_FAILED, "TAKES_BACKEND_STATE_FAILED", "failed" },
  { TAKES_BACKEND_STATE_CANCELED, "TAKES_BACKEND_STATE_CANCELED", "canceled" },
  { 0, NULL, NULL },
};

GType
takes_backend_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static (g_intern_static_string ("TakesBackendState"),
                                                         state_values));

  return type_id;
}

const char *
takes_backend_state_to_string (TakesBackendState state)
{
  for (guint i = 0; state_values[i].value_nick != NULL; i++)
    if (state_values[i].value == (int)state)
      return state_values[i].value_nick;

  return "unknown";
}

/* ---- TakesBackendStatus --------------------------------------------------- */

G_DEFINE_BOXED_TYPE (TakesBackendStatus, takes_backend_status,
                     takes_backend_status_copy, takes_backend_status_free)

TakesBackendStatus *
takes_backend_status_new (TakesBackendState state)
{
  TakesBackendStatus *self = g_new0 (TakesBackendStatus, 1);

  self->state = state;
  self->progress = -1;
  self->cost = -1;
  self->error_code = TAKES_BACKEND_ERROR_FAILED;

  return self;
}

TakesBackendStatus *
takes_backend_status_copy (const TakesBackendStatus *self)
{
  TakesBackendStatus *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->message = g_strdup (self->message);
  copy->result_url = g_strdup (self->result_url);

  return copy;
}

void
takes_backend_status_free (TakesBackendStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->message);
  g_free (self->result_url);
  g_free (self);
}

gboolean
takes_backend_status_is_final (const TakesBackendStatus *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->state == TAKES_BACKEND_STATE_SUCCEEDED ||
         self->state == TAKES_BACKEND_STATE_FAILED ||
         self->state == TAKES_BACKEND_STATE_CANCELED;
}

/* ---- Defaults --------------------------------------------------------------- */

static const TakesBackendModel default_models[] = {
  { "default", N_("Default") },
  { NULL, NULL },
};

static const char * const default_aspect_ratios[] = { "16:9", "9:16", "1:1", NULL };
static const char * const default_resolutions[] = { "720p", NULL };
static const char * const no_credentials[] = { NULL };

static const TakesBackendModel *
takes_backend_real_get_models (TakesBackend *self)
{
  return default_models;
}

static TakesBackendModes
takes_backend_real_get_modes (TakesBackend *self)
{
  return TAKES_BACKEND_MODE_TEXT_TO_VIDEO;
}

static const double *
takes_backend_real_get_durations (TakesBackend *self,
                                  guint        *n_durations)
{
  *n_durations = 0;

  return NULL;
}

static void
takes_backend_real_get_duration_range (TakesBackend *self,
                                       double       *min_seconds,
                                       double       *max_seconds)
{
  *min_seconds = 1;
  *max_seconds = 10;
}

static const char * const *
takes_backend_real_get_aspect_ratios (TakesBackend *self)
{
  return default_aspect_ratios;
}

static const char * const *
takes_backend_real_get_resolutions (TakesBackend *self)
{
  return default_resolutions;
}

static gboolean
takes_backend_real_get_has_audio (TakesBackend *self)
{
  return FALSE;
}

static guint
takes_backend_real_get_concurrency_limit (TakesBackend *self)
{
  return 2;
}

static const char * const *
takes_backend_real_get_credential_names (TakesBackend *self)
{
  return no_credentials;
}

static const char *
takes_backend_real_get_default_base_url (TakesBackend *self)
{
  return NULL;
}

static gboolean
takes_backend_real_is_configured (TakesBackend *self)
{
  const char * const *names = takes_backend_get_credential_names (self);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *value = takes_backend_dup_credential (self, names[i]);

      if (value == NULL || value[0] == '\0')
        return FALSE;
    }

  return TRUE;
}

static double
takes_backend_real_estimate_cost (TakesBackend           *self,
                                  TakesGenerationRequest *request)
{
  return -1;
}

static gboolean
takes_backend_real_validate_request (TakesBackend            *self,
                                     TakesGenerationRequest  *request,
                                     GError                 **error)
{
  return TRUE;
}

static void
takes_backend_real_cancel_async (TakesBackend           *self,
                                 TakesGenerationRequest *request,
                                 const char             *task_id,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_task_report_new_error (self, callback, user_data, takes_backend_real_cancel_async,
                           G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("%s cannot stop a generation once it has started."),
                           takes_backend_get_display_name (self));
}

static gboolean
takes_backend_real_cancel_finish (TakesBackend  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The default download: http(s) through takes_http, file:// by copying
 * through the same ".part" name so a half-copied file is never taken for
 * a finished one. */

typedef struct
{
  GFile             *partial;
  GFile             *destination;
  TakesProgressFunc  progress;
  gpointer           progress_data;
  GDestroyNotify     progress_data_destroy;
} CopyData;

static void
copy_data_free (gpointer data)
{
  CopyData *copy = data;

  g_clear_object (&copy->partial);
  g_clear_object (&copy->destination);
  if (copy->progress_data_destroy != NULL)
    copy->progress_data_destroy (copy->progress_data);
  g_free (copy);
}

static void
on_copy_progress (goffset  current,
                  goffset  total,
                  gpointer user_data)
{
  CopyData *copy = user_data;

  if (copy->progress != NULL)
    copy->progress (current, total, copy->progress_data);
}

static void
on_copy_moved (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                               _("The clip could not be saved (%s). Check that the folder is writable."),
                               error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_copied (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyData *copy = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                                 _("Saving the clip was canceled."));
      else
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                                 _("The clip could not be copied (%s). Check that the folder is writable and the disk has space."),
                                 error->message);
      return;
    }

  g_file_move_async (copy->partial, copy->destination,
                     G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                     G_PRIORITY_DEFAULT, NULL, NULL, NULL,
                     on_copy_moved, g_steal_pointer (&task));
}

static void
on_http_downloaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!takes_http_download_finish (TAKES_HTTP (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
takes_backend_real_download_async (TakesBackend           *self,
                                   TakesGenerationRequest *request,
                                   const char             *task_id,
                                   const char             *result_url,
                                   GFile                  *destination,
                                   TakesProgressFunc       progress,
                                   gpointer                progress_data,
                                   GDestroyNotify          progress_data_destroy,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *scheme = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_backend_real_download_async);
  g_task_set_check_cancellable (task, FALSE);

  scheme = result_url != NULL ? g_uri_parse_scheme (result_url) : NULL;

  if (g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0)
    {
      g_autoptr(TakesHttpRequest) http_request = takes_http_request_new ("GET", result_url);

      takes_http_request_set_service_name (http_request, takes_backend_get_display_name (self));
      if (TAKES_BACKEND_GET_CLASS (self)->prepare_download != NULL)
        TAKES_BACKEND_GET_CLASS (self)->prepare_download (self, http_request);

      takes_http_download_async (takes_backend_get_http (self), http_request, destination,
                                 progress, progress_data, progress_data_destroy,
                                 cancellable, on_http_downloaded, g_steal_pointer (&task));
      return;
    }

  if (g_strcmp0 (scheme, "file") == 0)
    {
      g_autoptr(GFile) source = g_file_new_for_uri (result_url);
      CopyData *copy = g_new0 (CopyData, 1);

      copy->partial = takes_http_get_partial_file (destination);
      copy->destination = g_object_ref (destination);
      copy->progress = progress;
      copy->progress_data = progress_data;
      copy->progress_data_destroy = progress_data_destroy;
      g_task_set_task_data (task, copy, copy_data_free);

      g_file_copy_async (source, copy->partial, G_FILE_COPY_OVERWRITE,
                         G_PRIORITY_DEFAULT, cancellable,
                         on_copy_progress, copy,
                         on_copied, g_steal_pointer (&task));
      return;
    }

  if (progress_data_destroy != NULL)
    progress_data_destroy (progress_data);

  g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_SERVER,
                           _("%s gave no address to download the clip from. Try “Check again” later."),
                           takes_backend_get_display_name (self));
}

static gboolean
takes_backend_real_download_finish (TakesBackend  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
takes_backend_real_test_async (TakesBackend        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char * const *names;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_backend_real_test_async);

  names = takes_backend_get_credential_names (self);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *value = takes_backend_dup_credential (self, names[i]);

      if (value == NULL)
        {
          /* Translators: the first %s is a generator ("Kling"), the second the
           * name of a key such as KLING_ACCESS_KEY. */
          g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                                   _("%s needs %s. Enter it in Preferences."),
                                   takes_backend_get_display_name (self), names[i]);
          return;
        }
    }

  if (!takes_backend_is_configured (self))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                               _("%s is not set up yet. Enter its keys in Preferences."),
                               takes_backend_get_display_name (self));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
takes_backend_real_test_finish (TakesBackend  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------- */

static void
takes_backend_finalize (GObject *object)
{
  TakesBackend *self = (TakesBackend *)object;
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_clear_pointer (&priv->credentials, g_hash_table_unref);
  g_clear_pointer (&priv->base_url, g_free);
  g_clear_pointer (&priv->env_base_url, g_free);
  g_clear_object (&priv->http);
  if (priv->price_destroy != NULL)
    priv->price_destroy (priv->price_data);

  G_OBJECT_CLASS (takes_backend_parent_class)->finalize (object);
}

static void
takes_backend_class_init (TakesBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = takes_backend_finalize;

  klass->get_models = takes_backend_real_get_models;
  klass->get_modes = takes_backend_real_get_modes;
  klass->get_durations = takes_backend_real_get_durations;
  klass->get_duration_range = takes_backend_real_get_duration_range;
  klass->get_aspect_ratios = takes_backend_real_get_aspect_ratios;
  klass->get_resolutions = takes_backend_real_get_resolutions;
  klass->get_has_audio = takes_backend_real_get_has_audio;
  klass->get_concurrency_limit = takes_backend_real_get_concurrency_limit;
  klass->get_credential_names = takes_backend_real_get_credential_names;
  klass->get_default_base_url = takes_backend_real_get_default_base_url;
  klass->is_configured = takes_backend_real_is_configured;
  klass->estimate_cost = takes_backend_real_estimate_cost;
  klass->validate_request = takes_backend_real_validate_request;
  klass->cancel_async = takes_backend_real_cancel_async;
  klass->cancel_finish = takes_backend_real_cancel_finish;
  klass->download_async = takes_backend_real_download_async;
  klass->download_finish = takes_backend_real_download_finish;
  klass->test_async = takes_backend_real_test_async;
  klass->test_finish = takes_backend_real_test_finish;
}

static void
takes_backend_init (TakesBackend *self)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  priv->credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- Self-description ------------------------------------------------------- */

const char *
takes_backend_get_id (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);
  g_return_val_if_fail (TAKES_BACKEND_GET_CLASS (self)->get_id != NULL, NULL);

  return TAKES_BACKEND_GET_CLASS (self)->get_id (self);
}

const char *
takes_backend_get_display_name (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  if (TAKES_BACKEND_GET_CLASS (self)->get_display_name == NULL)
    return takes_backend_get_id (self);

  return TAKES_BACKEND_GET_CLASS (self)->get_display_name (self);
}

const TakesBackendModel *
takes_backend_get_models (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  return TAKES_BACKEND_GET_CLASS (self)->get_models (self);
}

const char *
takes_backend_get_default_model (TakesBackend *self)
{
  const TakesBackendModel *models;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  models = takes_backend_get_models (self);

  return models != NULL ? models[0].id : NULL;
}

TakesBackendModes
takes_backend_get_modes (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), 0);

  return TAKES_BACKEND_GET_CLASS (self)->get_modes (self);
}

const double *
takes_backend_get_durations (TakesBackend *self,
                             guint        *n_durations)
{
  guint n = 0;
  const double *durations;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  durations = TAKES_BACKEND_GET_CLASS (self)->get_durations (self, &n);
  if (n_durations != NULL)
    *n_durations = n;

  return durations;
}

void
takes_backend_get_duration_range (TakesBackend *self,
                                  double       *min_seconds,
                                  double       *max_seconds)
{
  double min = 0, max = 0;

  g_return_if_fail (TAKES_IS_BACKEND (self));

  TAKES_BACKEND_GET_CLASS (self)->get_duration_range (self, &min, &max);
  if (min_seconds != NULL)
    *min_seconds = min;
  if (max_seconds != NULL)
    *max_seconds = max;
}

const char * const *
takes_backend_get_aspect_ratios (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  return TAKES_BACKEND_GET_CLASS (self)->get_aspect_ratios (self);
}

const char * const *
takes_backend_get_resolutions (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  return TAKES_BACKEND_GET_CLASS (self)->get_resolutions (self);
}

gboolean
takes_backend_get_has_audio (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), FALSE);

  return TAKES_BACKEND_GET_CLASS (self)->get_has_audio (self);
}

guint
takes_backend_get_concurrency_limit (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), 1);

  return MAX (TAKES_BACKEND_GET_CLASS (self)->get_concurrency_limit (self), 1);
}

const char * const *
takes_backend_get_credential_names (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  return TAKES_BACKEND_GET_CLASS (self)->get_credential_names (self);
}

gboolean
takes_backend_is_configured (TakesBackend *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), FALSE);

  return TAKES_BACKEND_GET_CLASS (self)->is_configured (self);
}

double
takes_backend_estimate_cost (TakesBackend           *self,
                             TakesGenerationRequest *request)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_return_val_if_fail (TAKES_IS_BACKEND (self), -1);
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (request), -1);

  if (priv->price_func != NULL)
    {
      const char *model = takes_generation_request_get_model (request);
      const char *mode = takes_generation_request_get_extra_string (request, "mode");
      double price;

      if (model == NULL || model[0] == '\0')
        model = takes_backend_get_default_model (self);

      price = takes_backend_lookup_price (self, model, mode, TAKES_PRICE_SECONDS,
                                          takes_generation_request_get_duration (request));
      if (price >= 0)
        return price;
    }

  return TAKES_BACKEND_GET_CLASS (self)->estimate_cost (self, request);
}

void
takes_backend_set_price_func (TakesBackend          *self,
                              TakesBackendPriceFunc  func,
                              gpointer               user_data,
                              GDestroyNotify         destroy)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_return_if_fail (TAKES_IS_BACKEND (self));

  if (priv->price_destroy != NULL)
    priv->price_destroy (priv->price_data);

  priv->price_func = func;
  priv->price_data = user_data;
  priv->price_destroy = destroy;
}

double
takes_backend_lookup_price (TakesBackend   *self,
                            const char     *model,
                            const char     *mode,
                            TakesPriceUnit  unit,
                            double          quantity)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_return_val_if_fail (TAKES_IS_BACKEND (self), -1);

  if (priv->price_func == NULL)
    return -1;

  if (model == NULL || model[0] == '\0')
    model = takes_backend_get_default_model (self);
  if (mode != NULL && mode[0] == '\0')
    mode = NULL;

  return priv->price_func (self, model, mode, unit, quantity, priv->price_data);
}

static gboolean
strv_contains (const char * const *strv,
               const char         *str)
{
  return strv != NULL && str != NULL && g_strv_contains (strv, str);
}

static char *
join_strv (const char * const *strv)
{
  return g_strjoinv (", ", (char **)strv);
}

gboolean
takes_backend_validate_request (TakesBackend            *self,
                                TakesGenerationRequest  *request,
                                GError                 **error)
{
  TakesBackendClass *klass;
  TakesBackendModes modes;
  const double *durations;
  guint n_durations = 0;
  double duration;
  const char *name;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (TAKES_IS_GENERATION_REQUEST (request), FALSE);

  klass = TAKES_BACKEND_GET_CLASS (self);
  name = takes_backend_get_display_name (self);

  if (!takes_generation_request_validate (request, error))
    return FALSE;

  modes = takes_backend_get_modes (self);
  if (takes_generation_request_get_end_image (request) != NULL &&
      !(modes & TAKES_BACKEND_MODE_FIRST_LAST_FRAME))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("%s cannot end on a given last frame. Remove the end image or choose another backend."),
                   name);
      return FALSE;
    }
  if (takes_generation_request_get_image (request) != NULL &&
      !(modes & (TAKES_BACKEND_MODE_IMAGE_TO_VIDEO | TAKES_BACKEND_MODE_FIRST_LAST_FRAME)))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("%s cannot start from an image. Remove the image or choose another backend."),
                   name);
      return FALSE;
    }
  if (takes_generation_request_get_image (request) == NULL &&
      !(modes & TAKES_BACKEND_MODE_TEXT_TO_VIDEO))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("%s needs a first frame image. Add one to the shot."),
                   name);
      return FALSE;
    }

  duration = takes_generation_request_get_duration (request);
  durations = takes_backend_get_durations (self, &n_durations);
  if (n_durations > 0)
    {
      g_autoptr(GString) allowed = g_string_new (NULL);
      gboolean found = FALSE;

      for (guint i = 0; i < n_durations; i++)
        {
          if (fabs (durations[i] - duration) < 0.001)
            found = TRUE;
          g_string_append_printf (allowed, "%s%g", i > 0 ? ", " : "", durations[i]);
        }

      if (!found)
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("%s cannot make a %g s clip. Choose one of these lengths: %s seconds."),
                       name, duration, allowed->str);
          return FALSE;
        }
    }
  else
    {
      double min = 0, max = 0;

      takes_backend_get_duration_range (self, &min, &max);
      if (duration < min - 0.001 || duration > max + 0.001)
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("%s cannot make a %g s clip. Choose a length from %g to %g seconds."),
                       name, duration, min, max);
          return FALSE;
        }
    }

  if (!klass->any_frame_size)
    {
      const char * const *aspects = takes_backend_get_aspect_ratios (self);
      const char * const *resolutions = takes_backend_get_resolutions (self);
      const char *aspect = takes_generation_request_get_aspect_ratio (request);
      const char *resolution = takes_generation_request_get_resolution (request);

      if (aspects != NULL && aspects[0] != NULL && !strv_contains (aspects, aspect))
        {
          g_autofree char *allowed = join_strv (aspects);

          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("%s cannot make %s clips. Choose one of: %s."),
                       name, aspect, allowed);
          return FALSE;
        }

      if (resolutions != NULL && resolutions[0] != NULL && !strv_contains (resolutions, resolution))
        {
          g_autofree char *allowed = join_strv (resolutions);

          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                       _("%s cannot make clips at %s. Choose one of: %s."),
                       name, resolution, allowed);
          return FALSE;
        }
    }

  if (takes_generation_request_get_model (request) != NULL)
    {
      const TakesBackendModel *models = takes_backend_get_models (self);
      const char *model = takes_generation_request_get_model (request);
      gboolean known = FALSE;

      /* Providers add models faster than we ship: an unknown one is passed
       * through and left for the provider to judge, except for backends
       * that list nothing at all. */
      for (guint i = 0; models != NULL && models[i].id != NULL; i++)
        if (g_str_equal (models[i].id, model))
          known = TRUE;

      if (!known)
        g_debug ("%s: model “%s” is not in the known list; passing it through",
                 takes_backend_get_id (self), model);
    }

  return klass->validate_request (self, request, error);
}

JsonObject *
takes_backend_describe (TakesBackend *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const TakesBackendModel *models;
  const char * const *strv;
  const double *durations;
  guint n_durations = 0;
  TakesBackendModes modes;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, takes_backend_get_id (self));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, takes_backend_get_display_name (self));
  json_builder_set_member_name (builder, "configured");
  json_builder_add_boolean_value (builder, takes_backend_is_configured (self));

  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  models = takes_backend_get_models (self);
  for (guint i = 0; models != NULL && models[i].id != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, models[i].id);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, models[i].label != NULL ? _(models[i].label) : models[i].id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "modes");
  json_builder_begin_array (builder);
  modes = takes_backend_get_modes (self);
  for (guint i = 0; mode_values[i].value_nick != NULL; i++)
    if (modes & mode_values[i].value)
      json_builder_add_string_value (builder, mode_values[i].value_nick);
  json_builder_end_array (builder);

  durations = takes_backend_get_durations (self, &n_durations);
  if (n_durations > 0)
    {
      json_builder_set_member_name (builder, "durations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_durations; i++)
        json_builder_add_double_value (builder, durations[i]);
      json_builder_end_array (builder);
    }
  else
    {
      double min = 0, max = 0;

      takes_backend_get_duration_range (self, &min, &max);
      json_builder_set_member_name (builder, "duration_min");
      json_builder_add_double_value (builder, min);
      json_builder_set_member_name (builder, "duration_max");
      json_builder_add_double_value (builder, max);
    }

  json_builder_set_member_name (builder, "aspect_ratios");
  json_builder_begin_array (builder);
  strv = takes_backend_get_aspect_ratios (self);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "resolutions");
  json_builder_begin_array (builder);
  strv = takes_backend_get_resolutions (self);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "any_frame_size");
  json_builder_add_boolean_value (builder, TAKES_BACKEND_GET_CLASS (self)->any_frame_size);
  json_builder_set_member_name (builder, "audio");
  json_builder_add_boolean_value (builder, takes_backend_get_has_audio (self));
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, takes_backend_get_concurrency_limit (self));

  json_builder_set_member_name (builder, "credentials");
  json_builder_begin_array (builder);
  strv = takes_backend_get_credential_names (self);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);

  if (takes_backend_get_base_url (self) != NULL)
    {
      g_autofree char *redacted = takes_http_redact (takes_backend_get_base_url (self));

      json_builder_set_member_name (builder, "base_url");
      json_builder_add_string_value (builder, redacted);
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_object_ref (json_node_get_object (root));
}

/* ---- Credentials, base URL, HTTP ---------------------------------------------- */

void
takes_backend_set_credential (TakesBackend *self,
                              const char   *name,
                              const char   *value)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_return_if_fail (TAKES_IS_BACKEND (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    {
      g_hash_table_remove (priv->credentials, name);
      return;
    }

  takes_http_add_secret (value);
  g_hash_table_replace (priv->credentials, g_strdup (name), g_strdup (value));
}

char *
takes_backend_dup_credential (TakesBackend *self,
                              const char   *name)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);
  const char *value;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  value = g_hash_table_lookup (priv->credentials, name);
  if (value == NULL)
    value = g_getenv (name);
  if (value == NULL || value[0] == '\0')
    return NULL;

  takes_http_add_secret (value);

  return g_strdup (value);
}

const char *
takes_backend_get_base_url (TakesBackend *self)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);
  g_autofree char *variable = NULL;
  g_autofree char *upper = NULL;
  const char *env;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  upper = g_ascii_strup (takes_backend_get_id (self), -1);
  g_strdelimit (upper, "-.", '_');
  variable = g_strdup_printf ("TAKES_%s_BASE_URL", upper);
  env = g_getenv (variable);

  if (env != NULL && env[0] != '\0')
    {
      if (g_strcmp0 (priv->env_base_url, env) != 0)
        {
          g_free (priv->env_base_url);
          priv->env_base_url = g_strdup (env);
        }
      return priv->env_base_url;
    }

  if (priv->base_url != NULL)
    return priv->base_url;

  return TAKES_BACKEND_GET_CLASS (self)->get_default_base_url (self);
}

void
takes_backend_set_base_url (TakesBackend *self,
                            const char   *base_url)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_return_if_fail (TAKES_IS_BACKEND (self));

  g_free (priv->base_url);
  priv->base_url = g_strdup (base_url);
}

TakesHttp *
takes_backend_get_http (TakesBackend *self)
{
  TakesBackendPrivate *priv = takes_backend_get_instance_private (self);

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);

  if (priv->http == NULL)
    priv->http = takes_http_new ();

  return priv->http;
}

/* ---- Async wrappers ------------------------------------------------------------ */

void
takes_backend_submit_async (TakesBackend           *self,
                            TakesGenerationRequest *request,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_return_if_fail (TAKES_IS_BACKEND (self));
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (request));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  TAKES_BACKEND_GET_CLASS (self)->submit_async (self, request, cancellable, callback, user_data);
}

char *
takes_backend_submit_finish (TakesBackend        *self,
                             GAsyncResult        *result,
                             TakesBackendStatus **immediate,
                             GError             **error)
{
  TakesBackendStatus *status = NULL;
  char *task_id;

  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  task_id = TAKES_BACKEND_GET_CLASS (self)->submit_finish (self, result, &status, error);

  if (immediate != NULL)
    *immediate = status;
  else
    takes_backend_status_free (status);

  return task_id;
}

void
takes_backend_poll_async (TakesBackend           *self,
                          TakesGenerationRequest *request,
                          const char             *task_id,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  g_return_if_fail (TAKES_IS_BACKEND (self));
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (request));
  g_return_if_fail (task_id != NULL);

  TAKES_BACKEND_GET_CLASS (self)->poll_async (self, request, task_id, cancellable, callback, user_data);
}

TakesBackendStatus *
takes_backend_poll_finish (TakesBackend  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return TAKES_BACKEND_GET_CLASS (self)->poll_finish (self, result, error);
}

void
takes_backend_cancel_async (TakesBackend           *self,
                            TakesGenerationRequest *request,
                            const char             *task_id,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_return_if_fail (TAKES_IS_BACKEND (self));
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (request));
  g_return_if_fail (task_id != NULL);

  TAKES_BACKEND_GET_CLASS (self)->cancel_async (self, request, task_id, cancellable, callback, user_data);
}

gboolean
takes_backend_cancel_finish (TakesBackend  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAKES_BACKEND_GET_CLASS (self)->cancel_finish (self, result, error);
}

void
takes_backend_download_async (TakesBackend           *self,
                              TakesGenerationRequest *request,
                              const char             *task_id,
                              const char             *result_url,
                              GFile                  *destination,
                              TakesProgressFunc       progress,
                              gpointer                progress_data,
                              GDestroyNotify          progress_data_destroy,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  g_return_if_fail (TAKES_IS_BACKEND (self));
  g_return_if_fail (TAKES_IS_GENERATION_REQUEST (request));
  g_return_if_fail (G_IS_FILE (destination));

  TAKES_BACKEND_GET_CLASS (self)->download_async (self, request, task_id, result_url, destination,
                                                  progress, progress_data, progress_data_destroy,
                                                  cancellable, callback, user_data);
}

gboolean
takes_backend_download_finish (TakesBackend  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAKES_BACKEND_GET_CLASS (self)->download_finish (self, result, error);
}

void
takes_backend_test_async (TakesBackend        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (TAKES_IS_BACKEND (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  TAKES_BACKEND_GET_CLASS (self)->test_async (self, cancellable, callback, user_data);
}

gboolean
takes_backend_test_finish (TakesBackend  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TAKES_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAKES_BACKEND_GET_CLASS (self)->test_finish (self, result, error);
}
