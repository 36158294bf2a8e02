/* takes-provider-util.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-provider-util"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include "takes-backend-error.h"
#include "takes-http.h"
#include "takes-provider-util.h"

#define MAX_TEXT_CHARS 300

char *
takes_provider_dup_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

JsonObject *
takes_provider_get_object (JsonObject *object,
                           const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

gboolean
takes_provider_get_number (JsonObject *object,
                           const char *name,
                           double     *value)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = (double)json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        double number;

        if (text == NULL || text[0] == '\0')
          return FALSE;
        number = g_ascii_strtod (text, &end);
        if (end == NULL || *end != '\0')
          return FALSE;
        *value = number;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

char *
takes_provider_clip_text (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  g_strstrip (valid);
  if (g_utf8_strlen (valid, -1) > MAX_TEXT_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (valid, MAX_TEXT_CHARS);
      g_autofree char *longer = NULL;

      *end = '\0';
      longer = g_strconcat (valid, "…", NULL);
      return takes_http_redact (longer);
    }

  return takes_http_redact (valid);
}

gboolean
takes_provider_is_web_address (const char *text)
{
  return text != NULL &&
         (g_ascii_strncasecmp (text, "https://", 8) == 0 ||
          g_ascii_strncasecmp (text, "http://", 7) == 0);
}

/* ---- Images ------------------------------------------------------------------ */

typedef struct
{
  char  *display;
  char  *service;
  gsize  max_size;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->display);
  g_free (load->service);
  g_free (load);
}

static const char *
sniff_image (const guint8 *data,
             gsize         length)
{
  if (length >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";

  return NULL;
}

static void
on_image_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;
  GBytes *bytes;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED,
                                 _("Reading the image %s was canceled."), load->display);
      else
        g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                                 _("The image %s could not be read (%s). Choose another image."),
                                 load->display, error->message);
      return;
    }

  bytes = g_bytes_new_take (contents, length);

  if (length > load->max_size)
    {
      g_bytes_unref (bytes);
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("The image %s is larger than %s accepts (%zu MB at most). Use a smaller image."),
                               load->display, load->service, (size_t) (load->max_size / (1024 * 1024)));
      return;
    }

  if (sniff_image ((const guint8 *)contents, length) == NULL)
    {
      g_bytes_unref (bytes);
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                               _("The image %s is not a JPEG, PNG or WebP picture. Convert it, or choose another image."),
                               load->display);
      return;
    }

  g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

void
takes_provider_load_image_async (const char          *path,
                                 gsize                max_size,
                                 const char          *service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  LoadData *load;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_provider_load_image_async);
  g_task_set_check_cancellable (task, FALSE);

  load = g_new0 (LoadData, 1);
  load->display = g_filename_display_name (path);
  load->service = g_strdup (service);
  load->max_size = max_size;
  g_task_set_task_data (task, load, load_data_free);

  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, cancellable, on_image_loaded, g_steal_pointer (&task));
}

GBytes *
takes_provider_load_image_finish (GAsyncResult  *result,
                                  const char   **content_type,
                                  GError       **error)
{
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes != NULL && content_type != NULL)
    *content_type = sniff_image (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return bytes;
}

/* ---- Fitting an image to a size ---------------------------------------------- */

typedef struct
{
  GBytes *image;
  int     width;
  int     height;
} FitData;

static void
fit_data_free (gpointer data)
{
  FitData *fit = data;

  g_bytes_unref (fit->image);
  g_free (fit);
}

static GBytes *
fit_image (FitData  *fit,
           GError  **error)
{
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) parse_error = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *result = NULL;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  description = g_strdup_printf ("appsrc name=source ! decodebin ! videoconvert"
                                 " ! aspectratiocrop aspect-ratio=%d/%d ! videoscale"
                                 " ! video/x-raw,width=%d,height=%d,pixel-aspect-ratio=1/1"
                                 " ! videoconvert ! pngenc ! appsink name=sink sync=false",
                                 fit->width, fit->height, fit->width, fit->height);
  pipeline = gst_parse_launch (description, &parse_error);
  if (pipeline == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The reference image could not be prepared (%s). Check that GStreamer’s image plugins are installed."),
                   parse_error->message);
      return NULL;
    }
  gst_object_ref_sink (pipeline);

  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (GST_APP_SRC (source), gst_buffer_new_wrapped_bytes (fit->image));
  gst_app_src_end_of_stream (GST_APP_SRC (source));

  /* Wait for the picture, but not past a decoding error (which never
   * reaches the sink) or the end without one. */
  bus = gst_element_get_bus (pipeline);
  for (guint i = 0; i < 300 && sample == NULL; i++)
    {
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      if (sample == NULL &&
          ((message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR)) != NULL ||
           gst_app_sink_is_eos (GST_APP_SINK (sink))))
        break;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (sample == NULL ||
      (buffer = gst_sample_get_buffer (sample)) == NULL ||
      !gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                   _("The reference image could not be read as a picture. Choose another image."));
      return NULL;
    }

  result = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  return result;
}

static void
fit_image_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *result = fit_image (task_data, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)g_bytes_unref);
}

void
takes_provider_fit_image_async (GBytes              *image,
                                int                  width,
                                int                  height,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FitData *fit;

  g_return_if_fail (image != NULL);
  g_return_if_fail (width > 0 && height > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_provider_fit_image_async);
  /* The worker always finishes quickly; its answer is the one to give. */
  g_task_set_check_cancellable (task, FALSE);

  fit = g_new0 (FitData, 1);
  fit->image = g_bytes_ref (image);
  fit->width = width;
  fit->height = height;
  g_task_set_task_data (task, fit, fit_data_free);

  g_task_run_in_thread (task, fit_image_thread);
}

GBytes *
takes_provider_fit_image_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
