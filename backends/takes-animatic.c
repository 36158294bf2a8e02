/* takes-animatic.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-animatic"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/controller/controller.h>

#include "takes-animatic.h"

#define SAMPLE_RATE      48000
#define MAX_MOOV_SIZE    (64 * 1024 * 1024)
#define MAX_PROMPT_CHARS 240

typedef enum
{
  JOB_STARTING,
  JOB_RUNNING,
  JOB_FINALIZING,
  JOB_SUCCEEDED,
  JOB_FAILED,
  JOB_CANCELED,
} JobState;

typedef struct
{
  char       *task_id;
  GstElement *pipeline;
  GSource    *bus_source;
  char       *partial_path;
  char       *output_path;
  gint64      n_frames;
  /* Shared with the encoder's pad probe, which may outlive the job while
   * a worker thread stops the pipeline. */
  int        *frames_done;
  JobState    state;
  char       *error;
} Job;

struct _TakesAnimatic
{
  TakesBackend  parent_instance;

  /* owned */
  char         *work_dir;
  GHashTable   *jobs;
};

G_DEFINE_FINAL_TYPE (TakesAnimatic, takes_animatic, TAKES_TYPE_BACKEND)

static void
drop_bus_watch (Job *job)
{
  if (job->bus_source != NULL)
    {
      g_source_destroy (job->bus_source);
      g_clear_pointer (&job->bus_source, g_source_unref);
    }
}

static void
job_free (gpointer data)
{
  Job *job = data;

  drop_bus_watch (job);
  if (job->pipeline != NULL)
    {
      /* Only reached with a live pipeline when the backend goes away. */
      gst_element_set_state (job->pipeline, GST_STATE_NULL);
      if (job->partial_path != NULL)
        g_unlink (job->partial_path);
    }
  g_clear_object (&job->pipeline);
  g_clear_pointer (&job->frames_done, g_atomic_rc_box_release);
  g_free (job->task_id);
  g_free (job->partial_path);
  g_free (job->output_path);
  g_free (job->error);
  g_free (job);
}

/* ---- MP4 time stamps ---------------------------------------------------------- */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static void
zero_times (guint8 *payload,
            gsize   length)
{
  /* Full box: version (1), flags (3), then creation and modification
   * time, 32-bit in version 0 and 64-bit in version 1. */
  gsize width;

  if (length < 4)
    return;

  width = payload[0] == 1 ? 8 : 4;
  if (length < 4 + 2 * width)
    return;

  memset (payload + 4, 0, 2 * width);
}

static gboolean
patch_boxes (guint8 *data,
             gsize   length,
             guint   depth)
{
  gsize offset = 0;

  if (depth > 8)
    return FALSE;

  while (offset + 8 <= length)
    {
      guint64 size = read_be32 (data + offset);
      gsize header = 8;
      const guint8 *type = data + offset + 4;

      if (size == 1)
        {
          if (offset + 16 > length)
            return FALSE;
          size = ((guint64)read_be32 (data + offset + 8) << 32) | read_be32 (data + offset + 12);
          header = 16;
        }
      else if (size == 0)
        size = length - offset;

      if (size < header || size > length - offset)
        return FALSE;

      if (memcmp (type, "mvhd", 4) == 0 || memcmp (type, "tkhd", 4) == 0 ||
          memcmp (type, "mdhd", 4) == 0)
        zero_times (data + offset + header, size - header);
      else if (memcmp (type, "trak", 4) == 0 || memcmp (type, "mdia", 4) == 0)
        {
          if (!patch_boxes (data + offset + header, size - header, depth + 1))
            return FALSE;
        }

      offset += size;
    }

  return offset == length;
}

gboolean
takes_animatic_patch_mp4_times (const char  *path,
                                GError     **error)
{
  g_autofree guint8 *moov = NULL;
  FILE *file;
  guint64 offset = 0, file_size;
  gboolean found = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (path != NULL, FALSE);

  file = g_fopen (path, "r+b");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open the rendered clip “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fseeko (file, 0, SEEK_END) != 0)
    ok = FALSE;
  file_size = ok ? (guint64)ftello (file) : 0;

  while (ok && offset + 8 <= file_size)
    {
      guint8 header[16];
      guint64 size;
      gsize header_size = 8;

      if (fseeko (file, (off_t)offset, SEEK_SET) != 0 || fread (header, 1, 8, file) != 8)
        {
          ok = FALSE;
          break;
        }

      size = read_be32 (header);
      if (size == 1)
        {
          if (fread (header + 8, 1, 8, file) != 8)
            {
              ok = FALSE;
              break;
            }
          size = ((guint64)read_be32 (header + 8) << 32) | read_be32 (header + 12);
          header_size = 16;
        }
      else if (size == 0)
        size = file_size - offset;

      if (size < header_size || size > file_size - offset)
        {
          ok = FALSE;
          break;
        }

      if (memcmp (header + 4, "moov", 4) == 0)
        {
          gsize payload = (gsize)(size - header_size);

          if (payload > MAX_MOOV_SIZE)
            {
              ok = FALSE;
              break;
            }

          moov = g_malloc (payload);
          if (fread (moov, 1, payload, file) != payload ||
              !patch_boxes (moov, payload, 0) ||
              fseeko (file, (off_t)(offset + header_size), SEEK_SET) != 0 ||
              fwrite (moov, 1, payload, file) != payload)
            {
              ok = FALSE;
              break;
            }
          found = TRUE;
        }

      offset += size;
    }

  if (fclose (file) != 0)
    ok = FALSE;

  if (!ok || !found || offset != file_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The rendered clip “%s” is not a complete MP4 file."), path);
      return FALSE;
    }

  return TRUE;
}

/* ---- The pipeline ---------------------------------------------------------------- */

static const char *
find_aac_encoder (void)
{
  gst_init_check (NULL, NULL, NULL);

  static const char * const candidates[] = { "avenc_aac", "voaacenc", "fdkaacenc", NULL };

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (candidates[i]);

      if (factory != NULL)
        return candidates[i];
    }

  return NULL;
}

static gboolean
check_elements (GError **error)
{
  gst_init_check (NULL, NULL, NULL);

  static const char * const needed[] = {
    "videotestsrc", "audiotestsrc", "textoverlay", "timeoverlay", "x264enc",
    "h264parse", "aacparse", "mp4mux", "audioconvert", "filesink", NULL
  };

  for (guint i = 0; needed[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (needed[i]);

      if (factory == NULL)
        {
          g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                       _("The animatic needs the GStreamer element “%s”, which is not installed. Install the GStreamer base, good and ugly plugins, then try again."),
                       needed[i]);
          return FALSE;
        }
    }

  if (find_aac_encoder () == NULL)
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                           _("The animatic needs an AAC encoder (avenc_aac or voaacenc), and none is installed. Install gstreamer1.0-libav, then try again."));
      return FALSE;
    }

  return TRUE;
}

static guint64
effective_seed (TakesGenerationRequest *request)
{
  gint64 seed = takes_generation_request_get_seed (request);
  const char *basis;

  if (seed >= 0)
    return (guint64)seed;

  /* "Random" but stable for one take, so a resumed render matches. */
  basis = takes_generation_request_get_client_request_id (request);
  if (basis == NULL)
    basis = takes_generation_request_get_prompt (request);

  return g_str_hash (basis);
}

static guint32
hsv_to_argb (double h,
             double s,
             double v)
{
  double r, g, b;

  {
    double c = v * s;
    double hp = fmod (h * 6.0, 6.0);
    double x = c * (1 - fabs (fmod (hp, 2.0) - 1));
    double m = v - c;

    if (hp < 1) { r = c; g = x; b = 0; }
    else if (hp < 2) { r = x; g = c; b = 0; }
    else if (hp < 3) { r = 0; g = c; b = x; }
    else if (hp < 4) { r = 0; g = x; b = c; }
    else if (hp < 5) { r = x; g = 0; b = c; }
    else { r = c; g = 0; b = x; }

    r += m;
    g += m;
    b += m;
  }

  return 0xff000000u |
         ((guint32)lround (r * 255) << 16) |
         ((guint32)lround (g * 255) << 8) |
         (guint32)lround (b * 255);
}

static char *
wrap_text (const char *text,
           guint       columns,
           guint       max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  g_autofree char *clipped = NULL;
  guint line = 0;

  if (g_utf8_strlen (text, -1) > max_chars)
    {
      char *end = g_utf8_offset_to_pointer (text, max_chars);

      g_autofree char *head = g_strndup (text, end - text);

      clipped = g_strconcat (head, "…", NULL);
      text = clipped;
    }

  words = g_strsplit_set (text, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      guint length = g_utf8_strlen (words[i], -1);

      if (length == 0)
        continue;

      if (line > 0 && line + 1 + length > columns)
        {
          g_string_append_c (out, '\n');
          line = 0;
        }
      else if (line > 0)
        {
          g_string_append_c (out, ' ');
          line++;
        }

      g_string_append (out, words[i]);
      line += length;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Moves a compositor pad along a sine through a control source: the
 * aggregator applies it for each output frame from the stream time, so the
 * motion is the same on every run (properties set from a pad probe on a
 * textoverlay were not: its re-renders differ from run to run). */
static void
animate_pad_property (GstPad       *pad,
                      const char   *property,
                      GstClockTime  duration,
                      double        centre,
                      double        amplitude,
                      double        frequency,
                      double        phase)
{
  g_autoptr(GstControlSource) source = gst_interpolation_control_source_new ();
  GstTimedValueControlSource *timed = GST_TIMED_VALUE_CONTROL_SOURCE (source);
  GstControlBinding *binding;
  const GstClockTime step = GST_SECOND / 8;

  g_object_set (source, "mode", GST_INTERPOLATION_MODE_CUBIC_MONOTONIC, NULL);

  /* Keyframes of a sine, eight a second, smoothed between. */
  for (GstClockTime t = 0; t <= duration + step; t += step)
    {
      double seconds = (double)t / GST_SECOND;

      gst_timed_value_control_source_set (timed, t,
                                          centre + amplitude * sin (2 * G_PI * frequency * seconds + phase));
    }

  binding = gst_direct_control_binding_new_absolute (GST_OBJECT (pad), property, source);
  gst_object_add_control_binding (GST_OBJECT (pad), binding);
}

static GstPadProbeReturn
on_encoded_frame (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  int *frames_done = user_data;

  g_atomic_int_inc (frames_done);

  return GST_PAD_PROBE_OK;
}

static guint
pick_samples_per_buffer (guint64 total_samples)
{
  for (guint spb = 4096; spb >= 256; spb--)
    if (total_samples % spb == 0)
      return spb;

  return 0;
}

static GstElement *
build_pipeline (TakesAnimatic           *self,
                TakesGenerationRequest  *request,
                Job                     *job,
                GError                 **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) card = NULL;
  g_autoptr(GstElement) clock = NULL;
  g_autoptr(GstElement) encoder = NULL;
  g_autoptr(GstElement) compositor = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) card_pad = NULL;
  g_autoptr(GstPad) encoder_pad = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *description = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *card_font = NULL;
  g_autofree char *clock_font = NULL;
  g_autofree char *heading = NULL;
  const char *title;
  gint64 shot_number;
  guint64 seed, total_samples;
  guint32 seed_parts[2], background, ball, card_colour;
  GError *parse_error = NULL;
  int width, height, fps, card_width, card_height, font_pt, columns;
  guint spb, audio_buffers;
  double hue, frequency, period;
  int ball_motion;

  width = takes_generation_request_get_width (request);
  height = takes_generation_request_get_height (request);
  fps = takes_generation_request_get_fps (request);

  job->n_frames = MAX (1, (gint64)llround (takes_generation_request_get_duration (request) * fps));

  seed = effective_seed (request);
  seed_parts[0] = (guint32)(seed & 0xffffffff);
  seed_parts[1] = (guint32)(seed >> 32);
  rand = g_rand_new_with_seed_array (seed_parts, 2);

  hue = g_rand_double (rand);
  background = hsv_to_argb (hue, 0.55, 0.35);
  ball = hsv_to_argb (fmod (hue + 0.5, 1.0), 0.75, 0.95);
  card_colour = hsv_to_argb (fmod (hue + 0.08, 1.0), 0.45, 0.14);
  ball_motion = g_rand_int_range (rand, 0, 3);
  frequency = 220.0 + g_rand_int_range (rand, 0, 221);

  /* Audio as long as the video, to the sample: whole buffers of a size
   * that divides the total. */
  total_samples = (guint64)llround ((double)job->n_frames * SAMPLE_RATE / fps);
  spb = pick_samples_per_buffer (total_samples);
  if (spb == 0)
    {
      spb = 1024;
      audio_buffers = (guint)((total_samples + spb - 1) / spb);
    }
  else
    audio_buffers = (guint)(total_samples / spb);

  if (width >= height)
    {
      card_width = MAX (2, (int)(width * 0.60) & ~1);
      card_height = MAX (2, (int)(height * 0.42) & ~1);
    }
  else
    {
      card_width = MAX (2, (int)(width * 0.86) & ~1);
      card_height = MAX (2, (int)(height * 0.30) & ~1);
    }

  font_pt = MAX (5, MIN (width, height) / 30);

  description = g_strdup_printf (
    "compositor name=comp background=black"
    " ! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1"
    " ! timeoverlay name=clock auto-resize=false shaded-background=true time-mode=buffer-time"
    "   halignment=right valignment=bottom"
    " ! x264enc name=venc speed-preset=veryfast threads=1 key-int-max=%d"
    " ! h264parse ! queue ! mux."
    " videotestsrc pattern=ball animation-mode=frames motion=%d num-buffers=%" G_GINT64_FORMAT
    "   background-color=%u foreground-color=%u"
    " ! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1"
    " ! comp.sink_0"
    " videotestsrc pattern=solid-color num-buffers=%" G_GINT64_FORMAT " foreground-color=%u"
    " ! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1"
    " ! textoverlay name=card auto-resize=false halignment=left valignment=top"
    "   line-alignment=left wrap-mode=none xpad=%d ypad=%d"
    " ! comp.sink_1"
    " audiotestsrc wave=sine freq=%.1f volume=0.05 samplesperbuffer=%u num-buffers=%u"
    " ! audio/x-raw,rate=%d,channels=2"
    " ! audioconvert ! %s ! aacparse ! queue ! mux."
    " mp4mux name=mux faststart=true ! filesink name=sink",
    width, height, fps,
    MAX (fps * 2, 2),
    ball_motion, job->n_frames, background, ball, width, height, fps,
    job->n_frames, card_colour, card_width, card_height, fps,
    MAX (2, font_pt), MAX (2, font_pt),
    frequency, spb, audio_buffers, SAMPLE_RATE,
    find_aac_encoder ());

  pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &parse_error);
  if (pipeline == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                   _("The animatic could not set up its renderer (%s). Check the GStreamer installation."),
                   parse_error->message);
      g_clear_error (&parse_error);
      return NULL;
    }
  g_clear_error (&parse_error);
  gst_object_ref_sink (pipeline);

  card = gst_bin_get_by_name (GST_BIN (pipeline), "card");
  clock = gst_bin_get_by_name (GST_BIN (pipeline), "clock");
  encoder = gst_bin_get_by_name (GST_BIN (pipeline), "venc");
  compositor = gst_bin_get_by_name (GST_BIN (pipeline), "comp");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  title = takes_generation_request_get_extra_string (request, "title");
  shot_number = takes_generation_request_get_extra_int (request, "shot_number", 0);
  if (shot_number > 0 && title != NULL && title[0] != '\0')
    heading = g_strdup_printf (_("SHOT %lld · %s"), (long long) shot_number, title);
  else if (shot_number > 0)
    heading = g_strdup_printf (_("SHOT %lld"), (long long) shot_number);
  else if (title != NULL && title[0] != '\0')
    heading = g_strdup (title);
  else
    heading = g_strdup (_("ANIMATIC"));

  /* Roughly half an em per character, inside the card's padding. */
  columns = MAX (10, (int)((card_width - 2 * font_pt) / (font_pt * 0.62)));
  prompt = wrap_text (takes_generation_request_get_prompt (request), columns, MAX_PROMPT_CHARS);
  markup = g_markup_printf_escaped ("<b>%s</b>\n<span size='smaller'>%s</span>", heading, prompt);
  card_font = g_strdup_printf ("Sans %d", font_pt);
  clock_font = g_strdup_printf ("Monospace %d", MAX (5, font_pt * 4 / 5));

  g_object_set (card, "text", markup, "font-desc", card_font, NULL);
  g_object_set (clock, "font-desc", clock_font, NULL);
  g_object_set (sink, "location", job->partial_path, NULL);

  card_pad = gst_element_get_static_pad (compositor, "sink_1");
  if (card_pad == NULL)
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                           _("The animatic could not set up its renderer. Check the GStreamer installation."));
      return NULL;
    }

  /* One slow drift across the frame over the clip, whatever its length. */
  period = MAX (2.0, (double)job->n_frames / fps);
  g_object_set (card_pad, "alpha", 0.88, NULL);
  animate_pad_property (card_pad, "xpos", gst_util_uint64_scale (job->n_frames, GST_SECOND, fps),
                        (width - card_width) / 2.0, (width - card_width) / 2.0 * 0.9,
                        g_rand_double_range (rand, 0.5, 1.0) / period,
                        g_rand_double_range (rand, 0, 2 * G_PI));
  animate_pad_property (card_pad, "ypos", gst_util_uint64_scale (job->n_frames, GST_SECOND, fps),
                        (height - card_height) / 2.0, (height - card_height) / 2.0 * 0.9,
                        g_rand_double_range (rand, 0.4, 0.9) / period,
                        g_rand_double_range (rand, 0, 2 * G_PI));

  encoder_pad = gst_element_get_static_pad (encoder, "sink");
  gst_pad_add_probe (encoder_pad, GST_PAD_PROBE_TYPE_BUFFER, on_encoded_frame,
                     g_atomic_rc_box_acquire (job->frames_done),
                     (GDestroyNotify)g_atomic_rc_box_release);

  return g_steal_pointer (&pipeline);
}

/* ---- Finishing and stopping in a worker thread ----------------------------------- */

typedef struct
{
  GstElement *pipeline;
  char       *partial_path;
  char       *output_path;
  char       *task_id;
} StopData;

static void
stop_data_free (gpointer data)
{
  StopData *stop = data;

  g_clear_object (&stop->pipeline);
  g_free (stop->partial_path);
  g_free (stop->output_path);
  g_free (stop->task_id);
  g_free (stop);
}

static StopData *
stop_data_new (Job *job)
{
  StopData *stop = g_new0 (StopData, 1);

  stop->pipeline = g_steal_pointer (&job->pipeline);
  stop->partial_path = g_strdup (job->partial_path);
  stop->output_path = g_strdup (job->output_path);
  stop->task_id = g_strdup (job->task_id);

  return stop;
}

static void
finalize_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StopData *stop = task_data;
  GError *error = NULL;

  gst_element_set_state (stop->pipeline, GST_STATE_NULL);

  if (!takes_animatic_patch_mp4_times (stop->partial_path, &error) ||
      g_rename (stop->partial_path, stop->output_path) != 0)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "%s", g_strerror (errno));
      g_unlink (stop->partial_path);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_finalized (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TakesAnimatic *self = TAKES_ANIMATIC (object);
  StopData *stop = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  Job *job;

  if (self->jobs == NULL)
    return;

  job = g_hash_table_lookup (self->jobs, stop->task_id);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job != NULL && job->state == JOB_FINALIZING)
        {
          job->state = JOB_FAILED;
          job->error = g_strdup_printf (_("The animatic could not finish the clip (%s). Check that the cache folder has space, then retry."),
                                        error->message);
        }
      return;
    }

  if (job == NULL || job->state == JOB_CANCELED)
    {
      /* Canceled while finishing: the clip is not wanted. */
      g_autoptr(GFile) output = g_file_new_for_path (stop->output_path);

      g_file_delete_async (output, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  job->state = JOB_SUCCEEDED;
  g_debug ("%s rendered", job->task_id);
}

static void
stop_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  StopData *stop = task_data;

  if (stop->pipeline != NULL)
    gst_element_set_state (stop->pipeline, GST_STATE_NULL);
  g_unlink (stop->partial_path);
  g_unlink (stop->output_path);

  g_task_return_boolean (task, TRUE);
}

static void
stop_job (TakesAnimatic       *self,
          Job                 *job,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  drop_bus_watch (job);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, stop_job);
  g_task_set_task_data (task, stop_data_new (job), stop_data_free);
  g_task_run_in_thread (task, stop_in_thread);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  Job *job = user_data;
  TakesAnimatic *self;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      {
        g_autoptr(GTask) task = NULL;

        self = g_object_get_data (G_OBJECT (job->pipeline), "takes-animatic");
        job->state = JOB_FINALIZING;
        drop_bus_watch (job);

        task = g_task_new (self, NULL, on_finalized, NULL);
        g_task_set_source_tag (task, on_bus_message);
        g_task_set_task_data (task, stop_data_new (job), stop_data_free);
        g_task_run_in_thread (task, finalize_in_thread);

        return G_SOURCE_REMOVE;
      }

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("%s failed: %s (%s)", job->task_id, error->message, debug ? debug : "");

        self = g_object_get_data (G_OBJECT (job->pipeline), "takes-animatic");
        job->state = JOB_FAILED;
        job->error = g_strdup_printf (_("The animatic could not render the clip (%s). Check the GStreamer installation, then retry."),
                                      error->message);
        stop_job (self, job, NULL, NULL);

        return G_SOURCE_REMOVE;
      }

    default:
      return G_SOURCE_CONTINUE;
    }
}

typedef struct
{
  TakesGenerationRequest *request;
  Job                    *scratch;
} StartData;

static void
start_data_free (gpointer data)
{
  StartData *start = data;

  g_clear_object (&start->request);
  g_clear_pointer (&start->scratch, job_free);
  g_free (start);
}

/* Building the pipeline loads plugins and fonts, and starting it opens the
 * output: neither belongs on the caller's main loop. */
static void
start_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  StartData *start = task_data;
  GError *error = NULL;

  start->scratch->pipeline = build_pipeline (source_object, start->request, start->scratch, &error);
  if (start->scratch->pipeline == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Messages wait on the bus until the watch is attached. */
  if (gst_element_set_state (start->scratch->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    g_debug ("%s: pipeline refused to start", start->scratch->task_id);

  g_task_return_boolean (task, TRUE);
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TakesAnimatic *self = TAKES_ANIMATIC (object);
  StartData *start = g_task_get_task_data (G_TASK (result));
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  Job *job = NULL;

  if (self->jobs != NULL)
    job = g_hash_table_lookup (self->jobs, start->scratch->task_id);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job != NULL && job->state == JOB_STARTING)
        {
          job->state = JOB_FAILED;
          job->error = g_strdup (error->message);
        }
      return;
    }

  if (job == NULL || job->state != JOB_STARTING)
    {
      /* Canceled (or forgotten) while starting: stop it and remove its
       * partial file, away from the main loop. */
      stop_job (self, start->scratch, NULL, NULL);
      return;
    }

  job->pipeline = g_steal_pointer (&start->scratch->pipeline);
  job->n_frames = start->scratch->n_frames;
  job->state = JOB_RUNNING;

  /* The watch lives on the caller's main context and sees the backend
   * only through this borrowed pointer, dropped with the job. */
  g_object_set_data (G_OBJECT (job->pipeline), "takes-animatic", self);
  bus = gst_element_get_bus (job->pipeline);
  job->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (job->bus_source, G_SOURCE_FUNC (on_bus_message), job, NULL);
  g_source_attach (job->bus_source, g_main_context_get_thread_default ());
}

static Job *
job_new (TakesAnimatic *self,
         const char    *task_id)
{
  g_autofree char *partial_name = g_strconcat (task_id, ".mp4.part", NULL);
  g_autofree char *output_name = g_strconcat (task_id, ".mp4", NULL);
  Job *job = g_new0 (Job, 1);

  job->task_id = g_strdup (task_id);
  job->partial_path = g_build_filename (self->work_dir, partial_name, NULL);
  job->output_path = g_build_filename (self->work_dir, output_name, NULL);
  job->frames_done = g_atomic_rc_box_new0 (int);
  job->n_frames = 1;

  return job;
}

static Job *
start_job (TakesAnimatic           *self,
           TakesGenerationRequest  *request,
           const char              *task_id,
           GError                 **error)
{
  g_autoptr(GTask) task = NULL;
  StartData *start;
  Job *job;

  if (!check_elements (error))
    return NULL;

  if (g_mkdir_with_parents (self->work_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_FAILED,
                   _("The animatic could not create its folder “%s” (%s). Check the permissions of the cache folder."),
                   self->work_dir, g_strerror (saved_errno));
      return NULL;
    }

  job = job_new (self, task_id);
  job->state = JOB_STARTING;
  g_hash_table_replace (self->jobs, g_strdup (task_id), job);

  start = g_new0 (StartData, 1);
  start->request = g_object_ref (request);
  start->scratch = job_new (self, task_id);
  g_clear_pointer (&start->scratch->frames_done, g_atomic_rc_box_release);
  start->scratch->frames_done = g_atomic_rc_box_acquire (job->frames_done);

  task = g_task_new (self, NULL, on_started, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, start, start_data_free);
  g_task_run_in_thread (task, start_in_thread);

  return job;
}

static TakesBackendStatus *
job_status (Job *job)
{
  TakesBackendStatus *status;

  switch (job->state)
    {
    case JOB_STARTING:
      status = takes_backend_status_new (TAKES_BACKEND_STATE_QUEUED);
      status->progress = 0;
      break;

    case JOB_RUNNING:
      status = takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);
      status->progress = 0.95 * CLAMP ((double)g_atomic_int_get (job->frames_done) / job->n_frames, 0, 1);
      break;

    case JOB_FINALIZING:
      status = takes_backend_status_new (TAKES_BACKEND_STATE_RUNNING);
      status->progress = 0.97;
      break;

    case JOB_SUCCEEDED:
      status = takes_backend_status_new (TAKES_BACKEND_STATE_SUCCEEDED);
      status->progress = 1;
      status->result_url = g_filename_to_uri (job->output_path, NULL, NULL);
      break;

    case JOB_FAILED:
      status = takes_backend_status_new (TAKES_BACKEND_STATE_FAILED);
      status->message = g_strdup (job->error);
      status->error_code = TAKES_BACKEND_ERROR_FAILED;
      break;

    case JOB_CANCELED:
    default:
      status = takes_backend_status_new (TAKES_BACKEND_STATE_CANCELED);
      status->message = g_strdup (_("Canceled."));
      break;
    }

  status->cost = 0;

  return status;
}

/* ---- TakesBackend ------------------------------------------------------------------ */

static const TakesBackendModel animatic_models[] = {
  { "animatic", N_("Animatic card") },
  { NULL, NULL },
};

static const char * const animatic_aspects[] = { "16:9", "9:16", "1:1", "4:3", "21:9", NULL };
static const char * const animatic_resolutions[] = { "720p", "1080p", "480p", "360p", NULL };

static const char *
takes_animatic_get_id (TakesBackend *backend)
{
  return "animatic";
}

static const char *
takes_animatic_get_display_name (TakesBackend *backend)
{
  return _("Animatic (offline)");
}

static const TakesBackendModel *
takes_animatic_get_models (TakesBackend *backend)
{
  return animatic_models;
}

static TakesBackendModes
takes_animatic_get_modes (TakesBackend *backend)
{
  /* An image is accepted and ignored: the card stands in for it. */
  return TAKES_BACKEND_MODE_TEXT_TO_VIDEO |
         TAKES_BACKEND_MODE_IMAGE_TO_VIDEO |
         TAKES_BACKEND_MODE_FIRST_LAST_FRAME;
}

static void
takes_animatic_get_duration_range (TakesBackend *backend,
                                   double       *min_seconds,
                                   double       *max_seconds)
{
  *min_seconds = 0.5;
  *max_seconds = 120;
}

static const char * const *
takes_animatic_get_aspect_ratios (TakesBackend *backend)
{
  return animatic_aspects;
}

static const char * const *
takes_animatic_get_resolutions (TakesBackend *backend)
{
  return animatic_resolutions;
}

static gboolean
takes_animatic_get_has_audio (TakesBackend *backend)
{
  return TRUE;
}

static guint
takes_animatic_get_concurrency_limit (TakesBackend *backend)
{
  return MAX (1, g_get_num_processors () / 2);
}

static double
takes_animatic_estimate_cost (TakesBackend           *backend,
                              TakesGenerationRequest *request)
{
  return 0;
}

/* Nothing to reach and no key: the animatic always works offline. */
static void
takes_animatic_test_async (TakesBackend        *backend,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);

  g_task_set_source_tag (task, takes_animatic_test_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
takes_animatic_test_finish (TakesBackend  *backend,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
takes_animatic_submit_async (TakesBackend           *backend,
                             TakesGenerationRequest *request,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  TakesAnimatic *self = TAKES_ANIMATIC (backend);
  g_autoptr(GTask) task = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *task_id = NULL;
  GError *error = NULL;
  Job *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_animatic_submit_async);

  if (!takes_backend_validate_request (backend, request, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  uuid = g_uuid_string_random ();
  task_id = g_strconcat ("animatic-", uuid, NULL);

  job = start_job (self, request, task_id, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, job_status (job), (GDestroyNotify)takes_backend_status_free);
  g_task_return_pointer (task, g_steal_pointer (&task_id), g_free);
}

static char *
takes_animatic_submit_finish (TakesBackend        *backend,
                              GAsyncResult        *result,
                              TakesBackendStatus **immediate,
                              GError             **error)
{
  char *task_id = g_task_propagate_pointer (G_TASK (result), error);

  if (task_id != NULL && immediate != NULL)
    *immediate = takes_backend_status_copy (g_task_get_task_data (G_TASK (result)));

  return task_id;
}

typedef struct
{
  TakesGenerationRequest *request;
  char                   *task_id;
  char                   *output_path;
} PollData;

static void
poll_data_free (gpointer data)
{
  PollData *poll = data;

  g_clear_object (&poll->request);
  g_free (poll->task_id);
  g_free (poll->output_path);
  g_free (poll);
}

static gboolean
task_id_is_valid (const char *task_id)
{
  if (!g_str_has_prefix (task_id, "animatic-") || strlen (task_id) > 64)
    return FALSE;

  /* It becomes a file name: no separators, no dots. */
  for (const char *p = task_id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

static void
on_output_info (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesAnimatic *self = g_task_get_source_object (task);
  PollData *poll = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;
  Job *job;

  info = g_file_query_info_finish (G_FILE (object), result, NULL);

  /* Another poll may have restarted it meanwhile. */
  job = g_hash_table_lookup (self->jobs, poll->task_id);
  if (job != NULL)
    {
      g_task_return_pointer (task, job_status (job), (GDestroyNotify)takes_backend_status_free);
      return;
    }

  if (info != NULL)
    {
      TakesBackendStatus *status = takes_backend_status_new (TAKES_BACKEND_STATE_SUCCEEDED);

      status->progress = 1;
      status->cost = 0;
      status->result_url = g_filename_to_uri (poll->output_path, NULL, NULL);
      g_task_return_pointer (task, status, (GDestroyNotify)takes_backend_status_free);
      return;
    }

  /* Unknown here (the app was restarted): rendering is free and
   * deterministic, so render it again under the same id. */
  job = start_job (self, poll->request, poll->task_id, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, job_status (job), (GDestroyNotify)takes_backend_status_free);
}

static void
takes_animatic_poll_async (TakesBackend           *backend,
                           TakesGenerationRequest *request,
                           const char             *task_id,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  TakesAnimatic *self = TAKES_ANIMATIC (backend);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) output = NULL;
  g_autofree char *output_name = NULL;
  PollData *poll;
  Job *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_animatic_poll_async);

  job = g_hash_table_lookup (self->jobs, task_id);
  if (job != NULL)
    {
      g_task_return_pointer (task, job_status (job), (GDestroyNotify)takes_backend_status_free);
      return;
    }

  if (!task_id_is_valid (task_id))
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                               _("The animatic has no task “%s”. Generate the take again."),
                               task_id);
      return;
    }

  poll = g_new0 (PollData, 1);
  poll->request = g_object_ref (request);
  poll->task_id = g_strdup (task_id);
  output_name = g_strconcat (task_id, ".mp4", NULL);
  poll->output_path = g_build_filename (self->work_dir, output_name, NULL);
  g_task_set_task_data (task, poll, poll_data_free);

  output = g_file_new_for_path (poll->output_path);
  g_file_query_info_async (output, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, NULL, on_output_info, g_steal_pointer (&task));
}

static TakesBackendStatus *
takes_animatic_poll_finish (TakesBackend  *backend,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_job_stopped (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_propagate_boolean (G_TASK (result), NULL);
  g_task_return_boolean (task, TRUE);
}

static void
takes_animatic_cancel_async (TakesBackend           *backend,
                             TakesGenerationRequest *request,
                             const char             *task_id,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  TakesAnimatic *self = TAKES_ANIMATIC (backend);
  g_autoptr(GTask) task = NULL;
  Job *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_animatic_cancel_async);

  job = g_hash_table_lookup (self->jobs, task_id);
  if (job == NULL)
    {
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                               _("The animatic has no task “%s” to cancel."), task_id);
      return;
    }

  if (job->state == JOB_SUCCEEDED || job->state == JOB_FAILED || job->state == JOB_CANCELED)
    {
      if (job->state == JOB_SUCCEEDED)
        {
          g_autoptr(GFile) output = g_file_new_for_path (job->output_path);

          job->state = JOB_CANCELED;
          g_file_delete_async (output, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  job->state = JOB_CANCELED;
  stop_job (self, job, on_job_stopped, g_steal_pointer (&task));
}

static gboolean
takes_animatic_cancel_finish (TakesBackend  *backend,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char *task_id;
  char *output_path;
} DownloadData;

static void
download_data_free (gpointer data)
{
  DownloadData *download = data;

  g_free (download->task_id);
  g_free (download->output_path);
  g_free (download);
}

static void
on_copied_out (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesAnimatic *self = g_task_get_source_object (task);
  DownloadData *download = g_task_get_task_data (task);
  g_autoptr(GFile) output = NULL;
  GError *error = NULL;
  TakesBackendClass *parent = TAKES_BACKEND_CLASS (takes_animatic_parent_class);

  if (!parent->download_finish (TAKES_BACKEND (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Delivered: the cache copy is no longer needed. */
  output = g_file_new_for_path (download->output_path);
  g_file_delete_async (output, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_hash_table_remove (self->jobs, download->task_id);

  g_task_return_boolean (task, TRUE);
}

static void
takes_animatic_download_async (TakesBackend           *backend,
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
  TakesAnimatic *self = TAKES_ANIMATIC (backend);
  g_autoptr(GTask) task = NULL;
  g_autofree char *output_name = NULL;
  g_autofree char *uri = NULL;
  DownloadData *download;
  Job *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_animatic_download_async);
  g_task_set_check_cancellable (task, FALSE);

  job = task_id != NULL ? g_hash_table_lookup (self->jobs, task_id) : NULL;
  if (task_id == NULL || !task_id_is_valid (task_id) ||
      (job != NULL && job->state != JOB_SUCCEEDED))
    {
      if (progress_data_destroy != NULL)
        progress_data_destroy (progress_data);
      g_task_return_new_error (task, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                               _("The animatic clip is not ready yet. Wait until the take is finished."));
      return;
    }

  /* The clip is always taken from our own folder, whatever @result_url
   * says, so a stored URL can never make us copy another file. */
  download = g_new0 (DownloadData, 1);
  download->task_id = g_strdup (task_id);
  output_name = g_strconcat (task_id, ".mp4", NULL);
  download->output_path = g_build_filename (self->work_dir, output_name, NULL);
  g_task_set_task_data (task, download, download_data_free);

  uri = g_filename_to_uri (download->output_path, NULL, NULL);
  TAKES_BACKEND_CLASS (takes_animatic_parent_class)->download_async (backend, request, task_id, uri,
                                                                    destination, progress,
                                                                    progress_data, progress_data_destroy,
                                                                    cancellable, on_copied_out,
                                                                    g_steal_pointer (&task));
}

static gboolean
takes_animatic_download_finish (TakesBackend  *backend,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
takes_animatic_dispose (GObject *object)
{
  TakesAnimatic *self = (TakesAnimatic *)object;

  g_clear_pointer (&self->jobs, g_hash_table_unref);

  G_OBJECT_CLASS (takes_animatic_parent_class)->dispose (object);
}

static void
takes_animatic_finalize (GObject *object)
{
  TakesAnimatic *self = (TakesAnimatic *)object;

  g_clear_pointer (&self->work_dir, g_free);

  G_OBJECT_CLASS (takes_animatic_parent_class)->finalize (object);
}

static void
takes_animatic_class_init (TakesAnimaticClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TakesBackendClass *backend_class = TAKES_BACKEND_CLASS (klass);

  object_class->dispose = takes_animatic_dispose;
  object_class->finalize = takes_animatic_finalize;

  backend_class->get_id = takes_animatic_get_id;
  backend_class->get_display_name = takes_animatic_get_display_name;
  backend_class->get_models = takes_animatic_get_models;
  backend_class->get_modes = takes_animatic_get_modes;
  backend_class->get_duration_range = takes_animatic_get_duration_range;
  backend_class->get_aspect_ratios = takes_animatic_get_aspect_ratios;
  backend_class->get_resolutions = takes_animatic_get_resolutions;
  backend_class->get_has_audio = takes_animatic_get_has_audio;
  backend_class->get_concurrency_limit = takes_animatic_get_concurrency_limit;
  backend_class->estimate_cost = takes_animatic_estimate_cost;
  backend_class->submit_async = takes_animatic_submit_async;
  backend_class->submit_finish = takes_animatic_submit_finish;
  backend_class->poll_async = takes_animatic_poll_async;
  backend_class->poll_finish = takes_animatic_poll_finish;
  backend_class->cancel_async = takes_animatic_cancel_async;
  backend_class->cancel_finish = takes_animatic_cancel_finish;
  backend_class->download_async = takes_animatic_download_async;
  backend_class->download_finish = takes_animatic_download_finish;
  backend_class->test_async = takes_animatic_test_async;
  backend_class->test_finish = takes_animatic_test_finish;
  backend_class->any_frame_size = TRUE;
}

static void
takes_animatic_init (TakesAnimatic *self)
{
  self->work_dir = g_build_filename (g_get_user_cache_dir (), "takes", "animatic", NULL);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, job_free);
}

TakesAnimatic *
takes_animatic_new (void)
{
  /* GStreamer comes up with the first clip (check_elements), not here:
   * the registry is built while the window starts. */
  return g_object_new (TAKES_TYPE_ANIMATIC, NULL);
}

const char *
takes_animatic_get_work_dir (TakesAnimatic *self)
{
  g_return_val_if_fail (TAKES_IS_ANIMATIC (self), NULL);

  return self->work_dir;
}

void
takes_animatic_set_work_dir (TakesAnimatic *self,
                             const char    *work_dir)
{
  g_return_if_fail (TAKES_IS_ANIMATIC (self));
  g_return_if_fail (work_dir != NULL);

  g_free (self->work_dir);
  self->work_dir = g_strdup (work_dir);
}
