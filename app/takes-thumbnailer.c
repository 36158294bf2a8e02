/* takes-thumbnailer.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-thumbnailer"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "takes-thumbnailer.h"

#define THUMBNAIL_TIMEOUT_SECONDS 30
#define PREFERRED_POSITION        GST_SECOND

typedef struct
{
  GTask       *task;          /* owned while running: breaks when done */
  GFile       *video;
  GFile       *png;
  GFile       *partial;
  GstElement  *pipeline;
  GstElement  *sink;          /* borrowed from the pipeline */
  GstElement  *capsfilter;    /* borrowed from the pipeline */
  GstElement  *convert;       /* borrowed from the pipeline */
  GstBus      *bus;
  int          max_width;
  GSource     *timeout;
  gulong       cancelled_id;
  gboolean     seeked;
  gboolean     done;
} ThumbData;

static void
thumb_data_free (gpointer data)
{
  ThumbData *thumb = data;

  g_assert (thumb->task == NULL);

  if (thumb->pipeline != NULL)
    gst_element_set_state (thumb->pipeline, GST_STATE_NULL);
  g_clear_object (&thumb->pipeline);
  g_clear_object (&thumb->bus);
  g_clear_object (&thumb->video);
  g_clear_object (&thumb->png);
  g_clear_object (&thumb->partial);
  g_free (thumb);
}

static char *
file_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    return g_filename_display_name (path);

  return g_file_get_uri (file);
}

/* Stops the pipeline and watchers; the task is returned by the caller. */
static GTask *
thumb_stop (ThumbData *thumb)
{
  GCancellable *cancellable = g_task_get_cancellable (thumb->task);

  thumb->done = TRUE;

  if (thumb->bus != NULL)
    gst_bus_remove_watch (thumb->bus);
  if (thumb->timeout != NULL)
    {
      g_source_destroy (thumb->timeout);
      g_clear_pointer (&thumb->timeout, g_source_unref);
    }
  if (thumb->cancelled_id != 0)
    {
      /* Not g_cancellable_disconnect(): we may be inside the handler. */
      g_signal_handler_disconnect (cancellable, thumb->cancelled_id);
      thumb->cancelled_id = 0;
    }
  if (thumb->pipeline != NULL)
    gst_element_set_state (thumb->pipeline, GST_STATE_NULL);

  return g_steal_pointer (&thumb->task);
}

static void
thumb_fail (ThumbData *thumb,
            GError    *error)
{
  g_autoptr(GTask) task = NULL;

  if (thumb->done)
    {
      g_error_free (error);
      return;
    }

  task = thumb_stop (thumb);
  g_file_delete (thumb->partial, NULL, NULL);
  g_task_return_error (task, error);
}

static void
on_partial_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ThumbData *thumb = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error) ||
      !g_file_move (thumb->partial, thumb->png, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_autofree char *name = file_display_name (thumb->png);

      g_file_delete (thumb->partial, NULL, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The thumbnail “%s” could not be written: %s"), name, error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_converted (GstSample *sample,
              GError    *error,
              gpointer   user_data)
{
  g_autoptr(GTask) task = user_data;
  ThumbData *thumb = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GCancellable *cancellable;
  GstBuffer *buffer;
  GstMapInfo map;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL ||
      !gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_autofree char *name = file_display_name (thumb->video);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("No picture could be made from “%s”: %s"), name,
                               error != NULL ? error->message : _("the frame could not be converted"));
      return;
    }

  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  cancellable = g_task_get_cancellable (task);
  g_file_replace_contents_bytes_async (thumb->partial, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                       on_partial_written, g_steal_pointer (&task));
}

static void
thumb_grab (ThumbData *thumb)
{
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GstCaps) png_caps = NULL;
  g_autoptr(GTask) task = NULL;

  g_object_get (thumb->sink, "last-sample", &sample, NULL);
  if (sample == NULL)
    {
      g_autofree char *name = file_display_name (thumb->video);

      thumb_fail (thumb, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                      _("“%s” has no picture to show."), name));
      return;
    }

  task = thumb_stop (thumb);
  png_caps = gst_caps_new_empty_simple ("image/png");

  /* The conversion runs in its own small pipeline and calls back once on
   * our thread-default main context; the callback owns the task (1.22
   * may drop the user data before calling back, so no destroy notify). */
  gst_video_convert_sample_async (sample, png_caps, THUMBNAIL_TIMEOUT_SECONDS * GST_SECOND,
                                  on_converted, g_steal_pointer (&task), NULL);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  ThumbData *thumb = user_data;

  if (thumb->done)
    return G_SOURCE_REMOVE;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *name = file_display_name (thumb->video);

        gst_message_parse_error (message, &gst_error, NULL);
        thumb_fail (thumb, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                        _("No picture could be made from “%s”: %s"), name,
                                        gst_error->message));
        return G_SOURCE_REMOVE;
      }

    case GST_MESSAGE_ASYNC_DONE:
      if (GST_MESSAGE_SRC (message) != GST_OBJECT (thumb->pipeline))
        break;

      if (!thumb->seeked)
        {
          gint64 duration = -1;
          gint64 position = 0;

          thumb->seeked = TRUE;

          if (gst_element_query_duration (thumb->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
            position = duration >= 2 * PREFERRED_POSITION ? PREFERRED_POSITION : duration / 2;

          if (position > 0 &&
              gst_element_seek_simple (thumb->pipeline, GST_FORMAT_TIME,
                                       GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, position))
            break;

          /* No seek possible: the first frame will do. */
        }

      thumb_grab (thumb);
      return G_SOURCE_REMOVE;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  ThumbData *thumb = user_data;
  g_autofree char *name = file_display_name (thumb->video);

  thumb_fail (thumb, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                  _("Making a thumbnail of “%s” took too long."), name));

  return G_SOURCE_REMOVE;
}

static gboolean
fail_cancelled_idle (gpointer user_data)
{
  ThumbData *thumb = g_task_get_task_data (user_data);

  thumb_fail (thumb, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("Making the thumbnail was canceled.")));

  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  ThumbData *thumb = user_data;

  /* The handler may run on any thread; finish on ours. The task keeps
   * the data alive until then. */
  if (thumb->task != NULL)
    g_main_context_invoke_full (g_task_get_context (thumb->task), G_PRIORITY_DEFAULT,
                                fail_cancelled_idle, g_object_ref (thumb->task), g_object_unref);
}

static void
on_pad_added (GstElement *decodebin,
              GstPad     *pad,
              gpointer    user_data)
{
  ThumbData *thumb = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) sink_pad = NULL;
  GstVideoInfo info;
  const char *media;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_is_empty (caps))
    return;

  media = gst_structure_get_name (gst_caps_get_structure (caps, 0));

  if (g_str_has_prefix (media, "video/x-raw"))
    {
      sink_pad = gst_element_get_static_pad (thumb->convert, "sink");
      if (gst_pad_is_linked (sink_pad))
        return;

      if (gst_video_info_from_caps (&info, caps) && info.width > 0 && info.height > 0)
        {
          g_autoptr(GstCaps) target = NULL;
          double display_width = (double)info.width * MAX (info.par_n, 1) / MAX (info.par_d, 1);
          int width = (int)MIN ((double)thumb->max_width, display_width);
          int height;

          width = MAX (2, width & ~1);
          height = MAX (2, ((int)lround (width * (double)info.height / display_width)) & ~1);

          target = gst_caps_new_simple ("video/x-raw",
                                        "format", G_TYPE_STRING, "RGB",
                                        "width", G_TYPE_INT, width,
                                        "height", G_TYPE_INT, height,
                                        "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                        NULL);
          g_object_set (thumb->capsfilter, "caps", target, NULL);
        }

      gst_pad_link (pad, sink_pad);
      return;
    }

  /* Sound and anything else drains into a sink that does not wait for
   * preroll, so the picture alone decides when we are ready. */
  {
    GstElement *drain = gst_element_factory_make ("fakesink", NULL);

    if (drain == NULL)
      return;

    g_object_set (drain, "async", FALSE, "sync", FALSE, NULL);
    gst_bin_add (GST_BIN (thumb->pipeline), drain);
    gst_element_sync_state_with_parent (drain);
    sink_pad = gst_element_get_static_pad (drain, "sink");
    gst_pad_link (pad, sink_pad);
  }
}

void
takes_thumbnail_create_async (GFile               *video,
                              GFile               *png,
                              int                  max_width,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *partial_path = NULL;
  ThumbData *thumb;
  GstElement *source, *scale;

  g_return_if_fail (G_IS_FILE (video));
  g_return_if_fail (G_IS_FILE (png));
  g_return_if_fail (max_width > 1);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_thumbnail_create_async);

  if (!gst_is_initialized ())
    gst_init_check (NULL, NULL, NULL);

  thumb = g_new0 (ThumbData, 1);
  thumb->video = g_object_ref (video);
  thumb->png = g_object_ref (png);
  thumb->max_width = max_width;
  png_path = g_file_get_path (png);
  partial_path = g_strconcat (png_path != NULL ? png_path : "thumbnail.png", ".part", NULL);
  thumb->partial = g_file_new_for_path (partial_path);
  g_task_set_task_data (task, thumb, thumb_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  thumb->pipeline = gst_pipeline_new ("takes-thumbnailer");
  gst_object_ref_sink (thumb->pipeline);
  source = gst_element_factory_make ("uridecodebin", NULL);
  thumb->convert = gst_element_factory_make ("videoconvert", NULL);
  scale = gst_element_factory_make ("videoscale", NULL);
  thumb->capsfilter = gst_element_factory_make ("capsfilter", NULL);
  thumb->sink = gst_element_factory_make ("fakesink", NULL);

  if (source == NULL || thumb->convert == NULL || scale == NULL || thumb->capsfilter == NULL ||
      thumb->sink == NULL)
    {
      g_clear_object (&source);
      g_clear_object (&thumb->convert);
      g_clear_object (&scale);
      g_clear_object (&thumb->capsfilter);
      g_clear_object (&thumb->sink);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Thumbnails cannot be made: GStreamer's base plugins are missing."));
      return;
    }

  uri = g_file_get_uri (video);
  g_object_set (source, "uri", uri, NULL);
  g_object_set (thumb->sink, "sync", FALSE, "enable-last-sample", TRUE, NULL);

  gst_bin_add_many (GST_BIN (thumb->pipeline), source, thumb->convert, scale,
                    thumb->capsfilter, thumb->sink, NULL);
  gst_element_link_many (thumb->convert, scale, thumb->capsfilter, thumb->sink, NULL);
  g_signal_connect (source, "pad-added", G_CALLBACK (on_pad_added), thumb);

  thumb->task = g_object_ref (task);
  thumb->bus = gst_pipeline_get_bus (GST_PIPELINE (thumb->pipeline));
  /* The watch lives on the thread-default context, like the task. */
  gst_bus_add_watch (thumb->bus, on_bus_message, thumb);
  thumb->timeout = g_timeout_source_new_seconds (THUMBNAIL_TIMEOUT_SECONDS);
  g_source_set_callback (thumb->timeout, on_timeout, thumb, NULL);
  g_source_attach (thumb->timeout, g_task_get_context (task));
  if (cancellable != NULL)
    thumb->cancelled_id = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_cancelled), thumb);

  if (gst_element_set_state (thumb->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      g_autofree char *name = file_display_name (video);

      thumb_fail (thumb, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                      _("No picture could be made from “%s”: it cannot be opened."), name));
    }
}

gboolean
takes_thumbnail_create_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
