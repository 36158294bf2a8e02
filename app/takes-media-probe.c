/* takes-media-probe.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-media-probe"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "takes-media-probe.h"

#define PROBE_TIMEOUT_SECONDS 15
/* ftyp may follow a few small boxes some writers put first ("free",
 * "wide"), but never media data. */
#define FTYP_MAX_POSITION     3
/* A real clip has a handful of top-level boxes; fragmented ones have a
 * few per second. This only stops a hostile file from keeping us busy. */
#define MAX_TOP_LEVEL_BOXES   100000

G_DEFINE_BOXED_TYPE (TakesMediaInfo, takes_media_info, takes_media_info_copy, takes_media_info_free)

TakesMediaInfo *
takes_media_info_copy (const TakesMediaInfo *self)
{
  TakesMediaInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TakesMediaInfo, 1);
  *copy = *self;
  copy->video_codec = g_strdup (self->video_codec);
  copy->audio_codec = g_strdup (self->audio_codec);

  return copy;
}

void
takes_media_info_free (TakesMediaInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->video_codec);
  g_free (self->audio_codec);
  g_free (self);
}

static char *
file_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    return g_filename_display_name (path);

  return g_file_get_uri (file);
}

static void
ensure_gst (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      if (!gst_is_initialized ())
        gst_init_check (NULL, NULL, NULL);
      gst_pb_utils_init ();
      g_once_init_leave (&initialized, 1);
    }
}

static char *
describe_caps (GstCaps *caps)
{
  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return NULL;

  return gst_pb_utils_get_codec_description (caps);
}

static TakesMediaInfo *
info_from_discoverer (GFile              *file,
                      GstDiscovererInfo  *info,
                      const GError       *discover_error,
                      GError            **error)
{
  g_autofree char *name = file_display_name (file);
  g_autoptr(TakesMediaInfo) result = NULL;
  GList *video_streams, *audio_streams;
  GstDiscovererVideoInfo *video;
  GstClockTime duration;

  switch (info != NULL ? gst_discoverer_info_get_result (info) : GST_DISCOVERER_ERROR)
    {
    case GST_DISCOVERER_OK:
      break;

    case GST_DISCOVERER_TIMEOUT:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("Reading “%s” took too long; the file may be damaged."), name);
      return NULL;

    case GST_DISCOVERER_MISSING_PLUGINS:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” uses a format this computer cannot play. Install the GStreamer plugins for it."),
                   name);
      return NULL;

    case GST_DISCOVERER_URI_INVALID:
    case GST_DISCOVERER_ERROR:
    case GST_DISCOVERER_BUSY:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a playable video: %s"), name,
                   discover_error != NULL ? discover_error->message : _("it could not be read"));
      return NULL;
    }

  video_streams = gst_discoverer_info_get_video_streams (info);
  audio_streams = gst_discoverer_info_get_audio_streams (info);
  duration = gst_discoverer_info_get_duration (info);

  /* A still image is a video stream too; a take must move. */
  video = NULL;
  for (GList *l = video_streams; l != NULL; l = l->next)
    if (!gst_discoverer_video_info_is_image (l->data))
      {
        video = l->data;
        break;
      }

  if (video == NULL)
    {
      gst_discoverer_stream_info_list_free (video_streams);
      gst_discoverer_stream_info_list_free (audio_streams);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” has no video in it."), name);
      return NULL;
    }

  if (!GST_CLOCK_TIME_IS_VALID (duration) || duration == 0 ||
      gst_discoverer_video_info_get_width (video) == 0 ||
      gst_discoverer_video_info_get_height (video) == 0)
    {
      gst_discoverer_stream_info_list_free (video_streams);
      gst_discoverer_stream_info_list_free (audio_streams);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” does not say how long or how large its picture is; the file is damaged."),
                   name);
      return NULL;
    }

  result = g_new0 (TakesMediaInfo, 1);
  result->duration = (double)duration / GST_SECOND;
  result->width = (int)gst_discoverer_video_info_get_width (video);
  result->height = (int)gst_discoverer_video_info_get_height (video);
  if (gst_discoverer_video_info_get_framerate_denom (video) > 0)
    result->fps = (double)gst_discoverer_video_info_get_framerate_num (video) /
                  gst_discoverer_video_info_get_framerate_denom (video);

  {
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (video));

    result->video_codec = describe_caps (caps);
  }

  if (audio_streams != NULL)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (audio_streams->data);

      result->has_audio = TRUE;
      result->audio_codec = describe_caps (caps);
    }

  gst_discoverer_stream_info_list_free (video_streams);
  gst_discoverer_stream_info_list_free (audio_streams);

  return g_steal_pointer (&result);
}

TakesMediaInfo *
takes_media_probe (GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  ensure_gst ();

  if (!g_file_query_exists (file, cancellable))
    {
      g_autofree char *name = file_display_name (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” does not exist."), name);
      return NULL;
    }

  discoverer = gst_discoverer_new (PROBE_TIMEOUT_SECONDS * GST_SECOND, &local_error);
  if (discoverer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Videos cannot be inspected on this computer: %s"), local_error->message);
      return NULL;
    }

  uri = g_file_get_uri (file);
  info = gst_discoverer_discover_uri (discoverer, uri, &local_error);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return info_from_discoverer (file, info, local_error, error);
}

static void
probe_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  TakesMediaInfo *info;

  info = takes_media_probe (task_data, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify)takes_media_info_free);
}

void
takes_media_probe_async (GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  /* GstDiscoverer's synchronous mode runs its own loop; in a worker it
   * costs the caller's main loop nothing, and its timeout bounds it. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_media_probe_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, probe_in_thread);
}

TakesMediaInfo *
takes_media_probe_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The box walk ---------------------------------------------------------- */

static gboolean
read_exactly (GInputStream *stream,
              void         *buffer,
              gsize         count)
{
  gsize n = 0;

  return g_input_stream_read_all (stream, buffer, count, &n, NULL, NULL) && n == count;
}

static gboolean
looks_like_text_page (const guint8 *head,
                      gsize         length)
{
  g_autofree char *lower = NULL;
  gsize i = 0;

  /* Skip a byte order mark and leading blanks. */
  if (length >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
    i = 3;
  while (i < length && g_ascii_isspace (head[i]))
    i++;

  if (i >= length)
    return FALSE;

  lower = g_ascii_strdown ((const char *)head + i, MIN (length - i, 16));

  return g_str_has_prefix (lower, "<!doctype") || g_str_has_prefix (lower, "<html") ||
         g_str_has_prefix (lower, "<?xml") || g_str_has_prefix (lower, "<head") ||
         lower[0] == '{' || lower[0] == '[';
}

static gboolean
type_is_printable (const char type[4])
{
  for (guint i = 0; i < 4; i++)
    if ((guchar)type[i] < 0x20 || (guchar)type[i] > 0x7e)
      return FALSE;

  return TRUE;
}

gboolean
takes_media_check_container (GFile   *file,
                             GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 head[32];
  goffset file_size, offset = 0;
  gboolean have_ftyp = FALSE, have_moov = FALSE, have_mdat = FALSE;
  guint n_boxes = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = file_display_name (file);

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                                      ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED,
                   _("“%s” could not be read: %s"), name, local_error->message);
      return FALSE;
    }

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” could not be read: %s"), name, local_error->message);
      return FALSE;
    }

  file_size = g_file_info_get_size (info);
  if (file_size == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is empty: nothing was downloaded."), name);
      return FALSE;
    }

  {
    gsize n = 0;

    g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &n, NULL, NULL);
    if (looks_like_text_page (head, n))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("“%s” is a web page or a message, not a video: the server sent an error instead of the clip."),
                     name);
        return FALSE;
      }
  }

  while (offset < file_size)
    {
      guint64 box_size;
      guint header_size = 8;
      char type[5] = { 0 };

      if (++n_boxes > MAX_TOP_LEVEL_BOXES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not a valid MP4 file: it has too many parts."), name);
          return FALSE;
        }

      if (file_size - offset < 8)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is cut short: it ends in the middle of a box header."), name);
          return FALSE;
        }

      if (!g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, NULL, NULL) ||
          !read_exactly (G_INPUT_STREAM (stream), head, 8))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("“%s” could not be read to the end."), name);
          return FALSE;
        }

      box_size = ((guint64)head[0] << 24) | ((guint64)head[1] << 16) | ((guint64)head[2] << 8) | head[3];
      memcpy (type, head + 4, 4);

      if (!type_is_printable (type))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not an MP4 video (unreadable data at byte %lld)."),
                       name, (long long) offset);
          return FALSE;
        }

      if (box_size == 1)
        {
          guint8 large[8];

          header_size = 16;
          if (file_size - offset < 16 || !read_exactly (G_INPUT_STREAM (stream), large, 8))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“%s” is cut short: it ends in the middle of a box header."), name);
              return FALSE;
            }

          box_size = 0;
          for (guint i = 0; i < 8; i++)
            box_size = (box_size << 8) | large[i];
        }
      else if (box_size == 0)
        {
          /* "Extends to the end of the file": only the last box may. */
          box_size = file_size - offset;
        }

      if (box_size < header_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not a valid MP4 file: box “%s” has an impossible size."), name, type);
          return FALSE;
        }

      if (box_size > (guint64)(file_size - offset))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is cut short: box “%s” needs %llu bytes but only %lld are left. "
                         "The download did not finish."),
                       name, type, (unsigned long long) box_size, (long long) (file_size - offset));
          return FALSE;
        }

      if (g_str_equal (type, "ftyp"))
        {
          if (n_boxes > FTYP_MAX_POSITION || have_moov || have_mdat)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“%s” is not a valid MP4 file: its “ftyp” box comes too late."), name);
              return FALSE;
            }
          have_ftyp = TRUE;
        }
      else if (g_str_equal (type, "moov"))
        have_moov = TRUE;
      else if (g_str_equal (type, "mdat"))
        have_mdat = TRUE;

      if (!have_ftyp && (n_boxes >= FTYP_MAX_POSITION || have_moov || have_mdat))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not an MP4 video: it does not start with an “ftyp” box."), name);
          return FALSE;
        }

      offset += box_size;
    }

  if (!have_ftyp)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not an MP4 video: it does not start with an “ftyp” box."), name);
      return FALSE;
    }

  if (!have_moov)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is incomplete: it has no “moov” box (the index of the video)."), name);
      return FALSE;
    }

  if (!have_mdat)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is incomplete: it has no “mdat” box (the video data)."), name);
      return FALSE;
    }

  return TRUE;
}
