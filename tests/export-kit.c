/* export-kit.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "export-kit"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "export-kit.h"

char *
export_kit_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("takes-export-XXXXXX", &error);
  char real[PATH_MAX];

  g_assert_no_error (error);
  g_assert_nonnull (realpath (dir, real));

  return g_strdup (real);
}

void
export_kit_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            export_kit_remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static void
run_pipeline (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);

  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_error ("Making test media failed: %s", gst_error->message);
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
}

char *
export_kit_make_clip (const char          *dir,
                      const char          *name,
                      const ExportKitClip *clip)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;
  g_autofree char *audio = NULL;

  gst_init (NULL, NULL);

  /* Whole frames of audio at 48 kHz: exactly as long as the video */
  if (clip->audio)
    audio = g_strdup_printf (" audiotestsrc wave=sine freq=440 volume=0.3 num-buffers=%d "
                             "samplesperbuffer=%d ! audio/x-raw,rate=48000,channels=2 ! "
                             "audioconvert ! avenc_aac ! aacparse ! queue ! mux.",
                             clip->frames, 48000 / clip->fps);

  description = g_strdup_printf ("videotestsrc pattern=%s num-buffers=%d ! "
                                 "video/x-raw,width=%d,height=%d,framerate=%d/1 ! "
                                 "timeoverlay ! videoconvert ! "
                                 "x264enc speed-preset=ultrafast key-int-max=%d ! "
                                 "video/x-h264,profile=high ! h264parse ! queue ! "
                                 "mp4mux name=mux ! filesink location=\"%s\"%s",
                                 clip->pattern != NULL ? clip->pattern : "ball",
                                 clip->frames, clip->width, clip->height, clip->fps,
                                 clip->fps, path, audio != NULL ? audio : "");
  run_pipeline (description);

  return g_steal_pointer (&path);
}

char *
export_kit_make_tone (const char *dir,
                      const char *name,
                      double      seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;

  gst_init (NULL, NULL);

  description = g_strdup_printf ("audiotestsrc wave=sine freq=220 volume=0.3 num-buffers=%d "
                                 "samplesperbuffer=4800 ! audio/x-raw,rate=48000,channels=2 ! "
                                 "audioconvert ! vorbisenc ! oggmux ! filesink location=\"%s\"",
                                 (int) (seconds * 10), path);
  run_pipeline (description);

  return g_steal_pointer (&path);
}

TakesProject *
export_kit_project (const char *dir,
                    int         width,
                    int         height,
                    double      fps)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autofree char *path = g_build_filename (dir, "Film.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  takes_project_set_title (project, "Test Film");
  takes_project_set_size (project, width, height);
  takes_project_set_fps (project, fps);
  takes_project_set_file (project, file);

  return g_steal_pointer (&project);
}

TakesShot *
export_kit_add_shot (TakesProject *project,
                     const char   *title,
                     double        duration,
                     const char   *media)
{
  g_autoptr(TakesShot) shot = takes_shot_new ();

  takes_shot_set_title (shot, title);
  takes_shot_set_prompt (shot, "A gull over the harbour, \"golden\" light");
  takes_shot_set_negative_prompt (shot, "text, watermark");
  takes_shot_set_duration (shot, duration);

  if (media != NULL)
    {
      g_autoptr(TakesTake) take = takes_take_new ("animatic", "animatic-1");
      g_autoptr(GFile) file = takes_project_resolve (project, media);
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(JsonObject) request = json_object_new ();
      ExportKitInfo info = { 0, };

      takes_take_set_media (take, media);
      takes_take_set_state (take, TAKES_TAKE_READY);
      takes_take_set_remote_id (take, "remote-42");
      takes_take_set_cost_actual (take, 0.25);
      json_object_set_int_member (request, "seed", 1234);
      takes_take_set_request (take, request);

      if (export_kit_discover (path, &info))
        takes_take_set_probe (take, (double) info.duration / GST_SECOND, info.width, info.height,
                              info.fps_d > 0 ? (double) info.fps_n / info.fps_d : 0,
                              "H.264", info.audio_caps != NULL ? "AAC" : NULL,
                              info.audio_caps != NULL);
      export_kit_info_clear (&info);

      takes_shot_add_take (shot, take);
      takes_shot_set_picked_take_id (shot, takes_take_get_id (take));
    }

  takes_project_append_shot (project, shot);

  return shot;
}

void
export_kit_wait (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!*flag)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting");
    }
}

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  g_assert_true (takes_timeline_update_finish (TAKES_TIMELINE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

void
export_kit_update (TakesTimeline *timeline)
{
  gboolean done = FALSE;

  takes_timeline_update_async (timeline, NULL, on_updated, &done);
  export_kit_wait (&done);
}

gboolean
export_kit_discover (const char    *path,
                     ExportKitInfo *info)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) result = NULL;
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  GstDiscovererStreamInfo *container;
  GList *streams;

  gst_init (NULL, NULL);
  memset (info, 0, sizeof *info);

  discoverer = gst_discoverer_new (30 * GST_SECOND, NULL);
  result = gst_discoverer_discover_uri (discoverer, uri, NULL);
  if (result == NULL || gst_discoverer_info_get_result (result) != GST_DISCOVERER_OK)
    return FALSE;

  info->duration = gst_discoverer_info_get_duration (result);

  container = gst_discoverer_info_get_stream_info (result);
  if (container != NULL)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (container);

      if (caps != NULL)
        info->container = gst_caps_to_string (caps);
      gst_discoverer_stream_info_unref (container);
    }

  streams = gst_discoverer_info_get_video_streams (result);
  if (streams != NULL)
    {
      GstDiscovererVideoInfo *video = streams->data;
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (streams->data);

      info->width = gst_discoverer_video_info_get_width (video);
      info->height = gst_discoverer_video_info_get_height (video);
      info->fps_n = gst_discoverer_video_info_get_framerate_num (video);
      info->fps_d = gst_discoverer_video_info_get_framerate_denom (video);
      info->video_caps = gst_caps_to_string (caps);
    }
  gst_discoverer_stream_info_list_free (streams);

  streams = gst_discoverer_info_get_audio_streams (result);
  if (streams != NULL)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (streams->data);

      info->audio_rate = gst_discoverer_audio_info_get_sample_rate (streams->data);
      info->audio_caps = gst_caps_to_string (caps);
    }
  gst_discoverer_stream_info_list_free (streams);

  return TRUE;
}

void
export_kit_info_clear (ExportKitInfo *info)
{
  g_clear_pointer (&info->container, g_free);
  g_clear_pointer (&info->video_caps, g_free);
  g_clear_pointer (&info->audio_caps, g_free);
}
