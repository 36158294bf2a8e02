/* takes-export.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "takes-export.h"

#define PROGRESS_INTERVAL_MS 250
/* Estimates from the first seconds swing wildly (preroll, discovery) */
#define ESTIMATE_AFTER_US    (3 * G_USEC_PER_SEC)

/* x264 at "superfast" with constant quality: on a 2-core machine it
 * exports faster than ffmpeg's default (libx264 medium, CRF 23) at an
 * SSIM above 0.99 against the takes (tests/bench/export-bench.sh). */
#define X264_SPEED_PRESET    "superfast"
#define X264_QUANTIZER       "20"
/* VP9 realtime at the fastest speed, bits per pixel per frame */
#define VP9_BITS_PER_PIXEL   0.1

G_DEFINE_QUARK (takes-export-error-quark, takes_export_error)

G_DEFINE_ENUM_TYPE (TakesExportPreset, takes_export_preset,
  G_DEFINE_ENUM_VALUE (TAKES_EXPORT_PRESET_MP4, "mp4"),
  G_DEFINE_ENUM_VALUE (TAKES_EXPORT_PRESET_WEBM, "webm"),
  G_DEFINE_ENUM_VALUE (TAKES_EXPORT_PRESET_MOV, "mov"))

typedef struct
{
  const char *factory;
  const char *package;
} Requirement;

typedef struct
{
  const char        *name;
  const char        *extension;
  const char        *label;
  Requirement        needs[4];
} PresetInfo;

static const PresetInfo presets[] = {
  [TAKES_EXPORT_PRESET_MP4] = {
    "mp4", ".mp4", N_("MP4 (H.264 + AAC)"),
    { { "x264enc", "gstreamer1.0-plugins-ugly" },
      { "voaacenc", "gstreamer1.0-plugins-bad" },
      { "mp4mux", "gstreamer1.0-plugins-good" },
      { NULL, NULL } },
  },
  [TAKES_EXPORT_PRESET_WEBM] = {
    "webm", ".webm", N_("WebM (VP9 + Opus)"),
    { { "vp9enc", "gstreamer1.0-plugins-good" },
      { "opusenc", "gstreamer1.0-plugins-base" },
      { "webmmux", "gstreamer1.0-plugins-good" },
      { NULL, NULL } },
  },
  [TAKES_EXPORT_PRESET_MOV] = {
    "mov", ".mov", N_("QuickTime (ProRes + PCM)"),
    { { "avenc_prores_ks", "gstreamer1.0-libav" },
      { "qtmux", "gstreamer1.0-plugins-good" },
      { NULL, NULL },
      { NULL, NULL } },
  },
};

struct _TakesExport
{
  GObject            parent_instance;

  /* owned */
  TakesProject      *project;
  GFile             *output;
  TakesTimeline     *timeline;
  GESPipeline       *pipeline;
  GTask             *task;
  char              *part_path;

  TakesExportPreset  preset;
  int                width;
  int                height;
  double             fps;
  gboolean           allow_smart;

  GstClockTime       position;
  GstClockTime       duration;
  double             progress;
  gint64             remaining;
  gint64             started_us;
  guint              bus_watch_id;
  guint              tick_id;
  gboolean           smart;
  gboolean           takes_match;
};

G_DEFINE_FINAL_TYPE (TakesExport, takes_export, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRESS,
  PROP_REMAINING,
  PROP_RUNNING,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
takes_export_preset_to_string (TakesExportPreset preset)
{
  g_return_val_if_fail (preset <= TAKES_EXPORT_PRESET_MOV, NULL);

  return presets[preset].name;
}

gboolean
takes_export_preset_from_string (const char        *str,
                                 TakesExportPreset *preset)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      if (g_strcmp0 (str, presets[i].name) == 0)
        {
          *preset = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
takes_export_preset_get_extension (TakesExportPreset preset)
{
  g_return_val_if_fail (preset <= TAKES_EXPORT_PRESET_MOV, NULL);

  return presets[preset].extension;
}

const char *
takes_export_preset_get_label (TakesExportPreset preset)
{
  g_return_val_if_fail (preset <= TAKES_EXPORT_PRESET_MOV, NULL);

  return _(presets[preset].label);
}

/* "2", "2 and 5", "2, 3 and 5" */
static char *
join_numbers (GArray *numbers)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < numbers->len; i++)
    {
      guint n = g_array_index (numbers, guint, i);

      if (i > 0 && i + 1 == numbers->len)
        /* Translators: between the last two shot numbers of a list, "2, 3 and 5" */
        g_string_append (out, _(" and "));
      else if (i > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%u", n);
    }

  return g_string_free (out, FALSE);
}

gboolean
takes_export_validate (TakesProject  *project,
                       GError       **error)
{
  g_autoptr(GArray) not_ready = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (TAKES_IS_PROJECT (project), FALSE);

  n = takes_project_get_n_shots (project);
  if (n == 0)
    {
      g_set_error_literal (error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_NOT_READY,
                           _("The project has no shots to export"));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);
      TakesTake *take = takes_shot_get_picked_take (shot);
      g_autoptr(GFile) file = NULL;

      if (take == NULL || takes_take_get_state (take) != TAKES_TAKE_READY ||
          takes_take_get_media (take) == NULL)
        {
          guint number = i + 1;

          g_array_append_val (not_ready, number);
          continue;
        }

      file = takes_project_resolve (project, takes_take_get_media (take));
      if (!g_file_query_exists (file, NULL))
        {
          g_autofree char *name = g_file_get_parse_name (file);

          if (missing->len > 0)
            g_string_append_c (missing, '\n');
          /* Translators: %u is a shot number, %s a file path */
          g_string_append_printf (missing, _("Shot %u: media file “%s” is missing"), i + 1, name);
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (takes_project_get_soundtrack (project)); i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (takes_project_get_soundtrack (project), i);
      g_autoptr(GFile) file = takes_project_resolve (project, takes_soundtrack_clip_get_media (clip));

      if (file != NULL && !g_file_query_exists (file, NULL))
        {
          g_autofree char *name = g_file_get_parse_name (file);

          if (missing->len > 0)
            g_string_append_c (missing, '\n');
          /* Translators: %s is a file path */
          g_string_append_printf (missing, _("Soundtrack: media file “%s” is missing"), name);
        }
    }

  if (not_ready->len > 0)
    {
      g_autofree char *list = join_numbers (not_ready);

      g_set_error (error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_NOT_READY,
                   /* Translators: %s is one shot number or a list ("2 and 5") */
                   ngettext ("Shot %s has no ready take", "Shots %s have no ready take",
                             not_ready->len),
                   list);
      if (missing->len > 0)
        g_prefix_error (error, "%s\n", missing->str);
      return FALSE;
    }

  if (missing->len > 0)
    {
      g_set_error_literal (error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_MEDIA_MISSING,
                           missing->str);
      return FALSE;
    }

  return TRUE;
}

gboolean
takes_export_check_plugins (TakesExportPreset   preset,
                            GError            **error)
{
  g_return_val_if_fail (preset <= TAKES_EXPORT_PRESET_MOV, FALSE);

  gst_init (NULL, NULL);

  for (guint i = 0; presets[preset].needs[i].factory != NULL; i++)
    {
      const Requirement *need = &presets[preset].needs[i];
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (need->factory);

      if (factory == NULL)
        {
          g_set_error (error, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_ENCODER_MISSING,
                       /* Translators: %s: the format ("MP4 (H.264 + AAC)"), a GStreamer
                        * element name, and the Debian package that has it */
                       _("%s export needs the GStreamer element “%s”; install the package %s"),
                       _(presets[preset].label), need->factory, need->package);
          return FALSE;
        }
    }

  return TRUE;
}

static GstEncodingProfile *
make_profile (TakesExport *self)
{
  g_autoptr(GstCaps) container_caps = NULL;
  g_autoptr(GstCaps) video_caps = NULL;
  g_autoptr(GstCaps) audio_caps = NULL;
  g_autoptr(GstCaps) raw_video = NULL;
  GstEncodingContainerProfile *container;
  GstEncodingVideoProfile *video;
  GstEncodingAudioProfile *audio;
  const char *video_factory = NULL;
  const char *audio_factory = NULL;

  switch (self->preset)
    {
    case TAKES_EXPORT_PRESET_MP4:
      container_caps = gst_caps_from_string ("video/quicktime,variant=iso");
      video_caps = gst_caps_from_string ("video/x-h264");
      audio_caps = gst_caps_from_string ("audio/mpeg,mpegversion=4");
      /* 4:2:0, which every player decodes; a 4:4:4 stream would be High 4:4:4 */
      raw_video = gst_caps_from_string ("video/x-raw,format=I420");
      video_factory = "x264enc";
      /* avenc_aac has rank none: encodebin never picks it */
      audio_factory = "voaacenc";
      break;
    case TAKES_EXPORT_PRESET_WEBM:
      container_caps = gst_caps_from_string ("video/webm");
      video_caps = gst_caps_from_string ("video/x-vp9");
      audio_caps = gst_caps_from_string ("audio/x-opus");
      raw_video = gst_caps_from_string ("video/x-raw,format=I420");
      video_factory = "vp9enc";
      audio_factory = "opusenc";
      break;
    case TAKES_EXPORT_PRESET_MOV:
    default:
      container_caps = gst_caps_from_string ("video/quicktime,variant=apple");
      video_caps = gst_caps_from_string ("video/x-prores");
      audio_caps = gst_caps_from_string ("audio/x-raw,format=S16LE,layout=interleaved");
      video_factory = "avenc_prores_ks";
      break;
    }

  container = gst_encoding_container_profile_new ("takes", NULL, container_caps, NULL);

  video = gst_encoding_video_profile_new (video_caps, NULL, raw_video, 0);
  /* The preset name picks the encoder factory; encodebin would otherwise
   * take whichever ranks highest (openh264enc, a hardware encoder…) */
  if (video_factory != NULL)
    gst_encoding_profile_set_preset_name (GST_ENCODING_PROFILE (video), video_factory);
  gst_encoding_container_profile_add_profile (container, GST_ENCODING_PROFILE (video));

  audio = gst_encoding_audio_profile_new (audio_caps, NULL, NULL, 0);
  if (audio_factory != NULL)
    gst_encoding_profile_set_preset_name (GST_ENCODING_PROFILE (audio), audio_factory);
  gst_encoding_container_profile_add_profile (container, GST_ENCODING_PROFILE (audio));

  return GST_ENCODING_PROFILE (container);
}

static void
on_deep_element_added (GstBin      *bin,
                       GstBin      *sub_bin,
                       GstElement  *element,
                       TakesExport *self)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory != NULL ? GST_OBJECT_NAME (factory) : NULL;

  if (name == NULL)
    return;

  /* Enum values given by nick need gst_util_set_object_arg(): the
   * encoding profile's element-properties would take them as strings
   * and silently keep the defaults. */
  if (g_str_equal (name, "x264enc"))
    {
      if (self->smart)
        {
          /* GOPs re-encoded at trims must fit between copied ones */
          gst_util_set_object_arg (G_OBJECT (element), "bframes", "0");
          return;
        }

      gst_util_set_object_arg (G_OBJECT (element), "speed-preset", X264_SPEED_PRESET);
      gst_util_set_object_arg (G_OBJECT (element), "pass", "qual");
      gst_util_set_object_arg (G_OBJECT (element), "quantizer", X264_QUANTIZER);
    }
  else if (g_str_equal (name, "vp9enc"))
    {
      int fps_n, fps_d;
      double fps;
      g_autofree char *bitrate = NULL;

      takes_timeline_get_framerate (self->timeline, &fps_n, &fps_d);
      fps = (double) fps_n / fps_d;
      bitrate = g_strdup_printf ("%d", (int) (takes_timeline_get_width (self->timeline) *
                                              takes_timeline_get_height (self->timeline) *
                                              fps * VP9_BITS_PER_PIXEL));

      gst_util_set_object_arg (G_OBJECT (element), "deadline", "1");
      gst_util_set_object_arg (G_OBJECT (element), "cpu-used", "8");
      gst_util_set_object_arg (G_OBJECT (element), "target-bitrate", bitrate);
      gst_util_set_object_arg (G_OBJECT (element), "threads", "0");
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "row-mt") != NULL)
        gst_util_set_object_arg (G_OBJECT (element), "row-mt", "true");
    }
  else if (g_str_equal (name, "opusenc"))
    {
      gst_util_set_object_arg (G_OBJECT (element), "bitrate", "128000");
    }
}

static void
set_progress (TakesExport  *self,
              GstClockTime  position)
{
  double progress = 0;
  gint64 remaining = -1;
  gint64 elapsed = g_get_monotonic_time () - self->started_us;

  if (GST_CLOCK_TIME_IS_VALID (position) && self->duration > 0)
    {
      self->position = MIN (position, self->duration);
      progress = (double) self->position / self->duration;
    }

  if (progress > 0.01 && elapsed > ESTIMATE_AFTER_US)
    remaining = (gint64) ceil (elapsed * (1 - progress) / progress / G_USEC_PER_SEC);

  g_object_freeze_notify (G_OBJECT (self));
  if (progress != self->progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (remaining != self->remaining)
    {
      self->remaining = remaining;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[PROGRESS], 0, self->progress, self->remaining);
}

static void
stop_pipeline (TakesExport *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->bus_watch_id, g_source_remove);

  if (self->pipeline != NULL)
    {
      gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_NULL);
      g_clear_pointer (&self->pipeline, gst_object_unref);
    }

  /* The timeline outlives the run (.otio, .xges): leave it as a
   * timeline that other editors can play and mix */
  if (self->smart && self->timeline != NULL)
    {
      GList *tracks = ges_timeline_get_tracks (takes_timeline_get_ges_timeline (self->timeline));

      for (GList *l = tracks; l != NULL; l = l->next)
        ges_track_set_mixing (l->data, TRUE);
      g_list_free_full (tracks, gst_object_unref);
    }
}

static void
finish (TakesExport *self,
        GError      *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_pipeline (self);

  if (error != NULL && self->part_path != NULL)
    g_unlink (self->part_path);
  g_clear_pointer (&self->part_path, g_free);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
fail (TakesExport *self,
      GQuark       domain,
      int          code,
      const char  *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
fail (TakesExport *self,
      GQuark       domain,
      int          code,
      const char  *format,
      ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);

  finish (self, error);
}

static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

static void
complete (TakesExport *self)
{
  g_autofree char *output = g_file_get_path (self->output);
  g_autoptr(GError) error = NULL;
  int saved;

  /* The muxer is done once the pipeline is down */
  stop_pipeline (self);

  if (!sync_file (self->part_path, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_NO_SPACE,
              _("The disk is full: “%s” could not be written"), output);
      else
        fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_WRITE,
              _("“%s” could not be written: %s"), output, error->message);
      return;
    }

  if (g_rename (self->part_path, output) != 0)
    {
      saved = errno;
      fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_WRITE,
            _("“%s” could not be written: %s"), output, g_strerror (saved));
      return;
    }

  set_progress (self, self->duration);
  finish (self, NULL);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  TakesExport *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      self->bus_watch_id = 0;
      complete (self);
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;
        g_autofree char *output = g_file_get_parse_name (self->output);

        gst_message_parse_error (message, &gst_error, &debug);
        g_debug ("Export failed in %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
                 gst_error->message, debug != NULL ? debug : "");
        self->bus_watch_id = 0;

        if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT))
          fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_NO_SPACE,
                _("The disk is full: “%s” could not be written"), output);
        else if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE) ||
                 g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE) ||
                 g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE))
          fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_WRITE,
                _("“%s” could not be written: %s"), output, gst_error->message);
        else if (g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN) ||
                 (debug != NULL && strstr (debug, "Couldn't create encoder") != NULL))
          fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_ENCODER_MISSING,
                _("No encoder for %s is installed: %s"),
                takes_export_preset_get_label (self->preset), gst_error->message);
        else
          fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_FAILED,
                _("Export failed: %s"), gst_error->message);
      }
      return G_SOURCE_REMOVE;

    default:
      return G_SOURCE_CONTINUE;
    }
}

static gboolean
on_tick (gpointer user_data)
{
  TakesExport *self = user_data;
  gint64 position = -1;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      self->tick_id = 0;
      fail (self, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The export was canceled"));
      return G_SOURCE_REMOVE;
    }

  /* Before preroll there is no position (GST_CLOCK_TIME_NONE) */
  if (gst_element_query_position (GST_ELEMENT (self->pipeline), GST_FORMAT_TIME, &position) &&
      position >= 0)
    set_progress (self, (GstClockTime) position);

  return G_SOURCE_CONTINUE;
}

static gboolean
caps_is (const GstCaps *caps,
         const char    *name)
{
  return caps != NULL && gst_caps_get_size (caps) > 0 &&
         gst_structure_has_name (gst_caps_get_structure (caps, 0), name);
}

/* The smart path copies compressed takes as they are, so they must be
 * what the export would produce: H.264 + AAC 48 kHz stereo at the output
 * size and rate, joined by cuts, with nothing to mix in. */
static gboolean
takes_match_output (TakesExport *self)
{
  GListModel *soundtrack = takes_project_get_soundtrack (self->project);
  int fps_n, fps_d;
  guint n = takes_timeline_get_n_shots (self->timeline);

  if (self->preset != TAKES_EXPORT_PRESET_MP4 || g_list_model_get_n_items (soundtrack) > 0)
    return FALSE;

  takes_timeline_get_framerate (self->timeline, &fps_n, &fps_d);

  for (guint i = 0; i < n; i++)
    {
      GESClip *clip = takes_timeline_get_shot_clip (self->timeline, i);
      GESAsset *asset;
      GstDiscovererInfo *info;
      GList *video, *audio;
      gboolean ok = FALSE;

      if (takes_timeline_shot_is_placeholder (self->timeline, i) ||
          takes_timeline_get_shot_overlap (self->timeline, i) > 0 ||
          !GES_IS_URI_CLIP (clip))
        return FALSE;

      asset = ges_extractable_get_asset (GES_EXTRACTABLE (clip));
      info = ges_uri_clip_asset_get_info (GES_URI_CLIP_ASSET (asset));
      if (info == NULL)
        return FALSE;

      video = gst_discoverer_info_get_video_streams (info);
      audio = gst_discoverer_info_get_audio_streams (info);

      if (video != NULL && video->next == NULL && audio != NULL && audio->next == NULL)
        {
          g_autoptr(GstCaps) vcaps = gst_discoverer_stream_info_get_caps (video->data);
          g_autoptr(GstCaps) acaps = gst_discoverer_stream_info_get_caps (audio->data);
          GstDiscovererVideoInfo *v = video->data;
          GstDiscovererAudioInfo *a = audio->data;

          ok = caps_is (vcaps, "video/x-h264") &&
               caps_is (acaps, "audio/mpeg") &&
               (int) gst_discoverer_video_info_get_width (v) == takes_timeline_get_width (self->timeline) &&
               (int) gst_discoverer_video_info_get_height (v) == takes_timeline_get_height (self->timeline) &&
               (int) gst_discoverer_video_info_get_framerate_num (v) * fps_d ==
               (int) gst_discoverer_video_info_get_framerate_denom (v) * fps_n &&
               gst_discoverer_audio_info_get_sample_rate (a) == TAKES_TIMELINE_AUDIO_RATE &&
               gst_discoverer_audio_info_get_channels (a) == TAKES_TIMELINE_AUDIO_CHANNELS;
        }

      gst_discoverer_stream_info_list_free (video);
      gst_discoverer_stream_info_list_free (audio);

      if (!ok)
        return FALSE;
    }

  return n > 0;
}

static void
start_render (TakesExport *self)
{
  g_autoptr(GstEncodingProfile) profile = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *part_uri = NULL;
  GESTimeline *timeline = takes_timeline_get_ges_timeline (self->timeline);

  self->duration = takes_timeline_get_duration (self->timeline);
  self->takes_match = takes_match_output (self);
  self->smart = self->allow_smart && self->takes_match;

  if (self->smart)
    {
      GList *tracks = ges_timeline_get_tracks (timeline);

      /* A mixing track refuses smart sources (ges-source.c) */
      for (GList *l = tracks; l != NULL; l = l->next)
        ges_track_set_mixing (l->data, FALSE);
      g_list_free_full (tracks, gst_object_unref);
    }

  ges_timeline_commit (timeline);

  self->pipeline = gst_object_ref_sink (ges_pipeline_new ());
  if (!ges_pipeline_set_timeline (self->pipeline, timeline))
    {
      fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_FAILED,
            _("Export failed: the timeline could not be set up"));
      return;
    }

  g_signal_connect (self->pipeline, "deep-element-added", G_CALLBACK (on_deep_element_added), self);

  part_uri = gst_filename_to_uri (self->part_path, NULL);
  profile = make_profile (self);

  /* Render settings first: set_mode() applies them */
  if (!ges_pipeline_set_render_settings (self->pipeline, part_uri, profile) ||
      !ges_pipeline_set_mode (self->pipeline, self->smart ? GES_PIPELINE_MODE_SMART_RENDER
                                                          : GES_PIPELINE_MODE_RENDER))
    {
      fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_FAILED,
            _("Export failed: the encoders could not be set up"));
      return;
    }

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch_id = gst_bus_add_watch (bus, on_bus_message, self);

  self->started_us = g_get_monotonic_time ();
  self->tick_id = g_timeout_add (PROGRESS_INTERVAL_MS, on_tick, self);

  if (gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autofree char *output = g_file_get_parse_name (self->output);
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      /* The bus usually holds the reason (a folder that cannot be
       * written, a missing encoder) */
      if (message != NULL)
        {
          g_clear_handle_id (&self->bus_watch_id, g_source_remove);
          on_bus_message (bus, message, self);
          return;
        }

      fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_FAILED,
            _("Export of “%s” could not start"), output);
    }
}

static void
on_timeline_updated (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TakesExport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) not_ready = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n;

  if (!takes_timeline_update_finish (TAKES_TIMELINE (source), result, &error))
    {
      finish (self, g_steal_pointer (&error));
      return;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      fail (self, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The export was canceled"));
      return;
    }

  /* Validation ran before discovery; a file can still turn out to be
   * unreadable, or change meanwhile. */
  n = takes_timeline_get_n_shots (self->timeline);
  for (guint i = 0; i < n; i++)
    {
      const char *problem = takes_timeline_get_shot_problem (self->timeline, i);

      if (problem != NULL)
        {
          if (problems->len > 0)
            g_string_append_c (problems, '\n');
          /* Translators: %u is a shot number, %s what is wrong with its take */
          g_string_append_printf (problems, _("Shot %u: %s"), i + 1, problem);
        }
      else if (takes_timeline_shot_is_placeholder (self->timeline, i))
        {
          guint number = i + 1;

          g_array_append_val (not_ready, number);
        }
    }

  if (problems->len > 0)
    {
      fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_MEDIA_MISSING, "%s", problems->str);
      return;
    }

  if (not_ready->len > 0)
    {
      g_autofree char *list = join_numbers (not_ready);

      fail (self, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_NOT_READY,
            ngettext ("Shot %s has no ready take", "Shots %s have no ready take", not_ready->len),
            list);
      return;
    }

  start_render (self);
}

void
takes_export_run_async (TakesExport         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *output = NULL;

  g_return_if_fail (TAKES_IS_EXPORT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_export_run_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("An export is already running"));
      return;
    }

  if (!takes_export_validate (self->project, &error) ||
      !takes_export_check_plugins (self->preset, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  output = g_file_get_path (self->output);
  parent = g_file_get_parent (self->output);
  if (output == NULL || parent == NULL ||
      !g_file_query_exists (parent, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (self->output);

      g_task_return_new_error (task, TAKES_EXPORT_ERROR, TAKES_EXPORT_ERROR_WRITE,
                               _("“%s” could not be written: the folder does not exist"), name);
      return;
    }

  self->task = g_steal_pointer (&task);
  self->part_path = g_strconcat (output, ".part", NULL);
  self->smart = FALSE;
  self->takes_match = FALSE;
  self->position = 0;
  self->progress = 0;
  self->remaining = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  /* A fresh timeline: it holds the cut as it is now, whatever happens to
   * the project while this runs. */
  g_clear_object (&self->timeline);
  self->timeline = takes_timeline_new (self->project);
  takes_timeline_set_follow_changes (self->timeline, FALSE);
  takes_timeline_set_format (self->timeline, self->width, self->height, self->fps);

  takes_timeline_update_async (self->timeline, cancellable, on_timeline_updated, g_object_ref (self));
}

gboolean
takes_export_run_finish (TakesExport   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
takes_export_dispose (GObject *object)
{
  TakesExport *self = (TakesExport *) object;

  stop_pipeline (self);
  if (self->part_path != NULL)
    g_unlink (self->part_path);

  g_clear_object (&self->timeline);
  g_clear_object (&self->project);
  g_clear_object (&self->output);

  G_OBJECT_CLASS (takes_export_parent_class)->dispose (object);
}

static void
takes_export_finalize (GObject *object)
{
  TakesExport *self = (TakesExport *) object;

  g_free (self->part_path);

  G_OBJECT_CLASS (takes_export_parent_class)->finalize (object);
}

static void
takes_export_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TakesExport *self = TAKES_EXPORT (object);

  switch (prop_id)
    {
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_REMAINING:
      g_value_set_int64 (value, self->remaining);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->task != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_export_class_init (TakesExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_export_dispose;
  object_class->finalize = takes_export_finalize;
  object_class->get_property = takes_export_get_property;

  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_REMAINING] = g_param_spec_int64 ("remaining", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROGRESS] = g_signal_new ("progress",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_INT64);
}

static void
takes_export_init (TakesExport *self)
{
  self->remaining = -1;
  self->preset = TAKES_EXPORT_PRESET_MP4;
}

TakesExport *
takes_export_new (TakesProject *project,
                  GFile        *output)
{
  TakesExport *self;

  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);
  g_return_val_if_fail (G_IS_FILE (output), NULL);

  gst_init (NULL, NULL);
  ges_init ();

  self = g_object_new (TAKES_TYPE_EXPORT, NULL);
  self->project = g_object_ref (project);
  self->output = g_object_ref (output);

  return self;
}

TakesProject *
takes_export_get_project (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), NULL);

  return self->project;
}

GFile *
takes_export_get_output (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), NULL);

  return self->output;
}

TakesExportPreset
takes_export_get_preset (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), TAKES_EXPORT_PRESET_MP4);

  return self->preset;
}

void
takes_export_set_preset (TakesExport       *self,
                         TakesExportPreset  preset)
{
  g_return_if_fail (TAKES_IS_EXPORT (self));
  g_return_if_fail (preset <= TAKES_EXPORT_PRESET_MOV);

  self->preset = preset;
}

void
takes_export_set_size (TakesExport *self,
                       int          width,
                       int          height)
{
  g_return_if_fail (TAKES_IS_EXPORT (self));
  g_return_if_fail (width >= 0 && height >= 0);

  self->width = width;
  self->height = height;
}

void
takes_export_set_fps (TakesExport *self,
                      double       fps)
{
  g_return_if_fail (TAKES_IS_EXPORT (self));
  g_return_if_fail (isfinite (fps) && fps >= 0);

  self->fps = fps;
}

void
takes_export_set_allow_smart (TakesExport *self,
                              gboolean     allow_smart)
{
  g_return_if_fail (TAKES_IS_EXPORT (self));

  self->allow_smart = !!allow_smart;
}

double
takes_export_get_progress (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), 0);

  return self->progress;
}

GstClockTime
takes_export_get_position (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), 0);

  return self->position;
}

GstClockTime
takes_export_get_duration (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), 0);

  return self->duration;
}

gint64
takes_export_get_remaining (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), -1);

  return self->remaining;
}

gboolean
takes_export_get_running (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), FALSE);

  return self->task != NULL;
}

gboolean
takes_export_get_smart (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), FALSE);

  return self->smart;
}

gboolean
takes_export_get_takes_match (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), FALSE);

  return self->takes_match;
}

TakesTimeline *
takes_export_get_timeline (TakesExport *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT (self), NULL);

  return self->timeline;
}
