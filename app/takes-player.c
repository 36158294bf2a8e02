/* takes-player.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-player"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "takes-player.h"

/* Added to the nice value of streaming threads (see on_stream_status) */
#define STREAMING_NICENESS 5

#define POSITION_INTERVAL_MS 33

typedef struct
{
  TakesPlayer *player;          /* borrowed */
  guint index;
  char *uri;
  char *display_name;

  /* owned by the pipeline */
  GstElement *decodebin;
  GstElement *video_scale;
  GstElement *video_convert;
  GstElement *video_queue;
  GstElement *video_sink;
  GstPad *mixer_pad;            /* owned; NULL without audio */

  double fps;                   /* main thread */
  gboolean video_linked;        /* under audio_lock */
} Source;

struct _TakesPlayer
{
  GObject parent_instance;

  char *video_sink_name;

  /* owned */
  GstElement *pipeline;
  GPtrArray *sources;           /* Source */
  guint bus_watch;
  guint position_timer;

  /* Guards the audio chain, which pad-added builds from streaming threads */
  GMutex audio_lock;
  GstElement *mixer;
  int audio_source;

  gboolean playing;
  gboolean play_when_ready;
  gboolean loop;
  gboolean prerolled;
  gboolean seeking;
  gint64 pending_seek;          /* -1: none */
  double rate;
  gint64 position;
  gint64 duration;
};

G_DEFINE_FINAL_TYPE (TakesPlayer, takes_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  PROP_LOOP,
  PROP_RATE,
  PROP_AUDIO_SOURCE,
  PROP_N_SOURCES,
  PROP_PREROLLED,
  N_PROPS
};

enum {
  ERROR,
  EOS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void do_seek (TakesPlayer *self,
                     gint64       position);

static void
source_free (gpointer data)
{
  Source *source = data;

  g_clear_object (&source->mixer_pad);
  g_free (source->uri);
  g_free (source->display_name);
  g_free (source);
}

static char *
dup_display_name (const char *uri)
{
  g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);

  if (path != NULL)
    return g_path_get_basename (path);

  return g_strdup (uri);
}

static void
set_position (TakesPlayer *self,
              gint64       position)
{
  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
set_duration (TakesPlayer *self,
              gint64       duration)
{
  if (self->duration == duration)
    return;

  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

static void
set_prerolled (TakesPlayer *self,
               gboolean     prerolled)
{
  if (self->prerolled == prerolled)
    return;

  self->prerolled = prerolled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREROLLED]);
}

static void
set_playing (TakesPlayer *self,
             gboolean     playing)
{
  if (self->playing == playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
query_position (TakesPlayer *self)
{
  gint64 position;

  if (self->pipeline == NULL || self->seeking)
    return;

  /* Asked of the first picture, not of the pipeline: the pipeline answers
   * with the furthest of its sinks, and the audio mixer's idea of time can
   * run ahead of what is shown. */
  if (self->sources->len > 0 &&
      gst_element_query_position (((Source *) g_ptr_array_index (self->sources, 0))->video_sink,
                                  GST_FORMAT_TIME, &position) &&
      position >= 0)
    {
      if (self->duration > 0)
        position = MIN (position, self->duration);
      set_position (self, position);
    }
}

static void
query_duration (TakesPlayer *self)
{
  gint64 duration;

  if (self->pipeline != NULL &&
      gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) &&
      duration > 0)
    set_duration (self, duration);
}

static void
query_fps (TakesPlayer *self)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *source = g_ptr_array_index (self->sources, i);
      g_autoptr(GstPad) pad = gst_element_get_static_pad (source->video_sink, "sink");
      g_autoptr(GstCaps) caps = pad != NULL ? gst_pad_get_current_caps (pad) : NULL;
      int num, den;

      if (caps == NULL)
        continue;

      if (gst_structure_get_fraction (gst_caps_get_structure (caps, 0), "framerate", &num, &den) &&
          num > 0 && den > 0)
        source->fps = (double) num / den;
    }
}

static gboolean
on_position_timer (gpointer user_data)
{
  TakesPlayer *self = user_data;

  query_position (self);

  return G_SOURCE_CONTINUE;
}

static void
update_position_timer (TakesPlayer *self)
{
  if (self->playing && self->position_timer == 0)
    self->position_timer = g_timeout_add (POSITION_INTERVAL_MS, on_position_timer, self);
  else if (!self->playing)
    g_clear_handle_id (&self->position_timer, g_source_remove);
}

static int
source_index_of_element (TakesPlayer *self,
                         GstObject   *object)
{
  for (GstObject *o = object; o != NULL; o = GST_OBJECT_PARENT (o))
    {
      for (guint i = 0; i < self->sources->len; i++)
        {
          Source *source = g_ptr_array_index (self->sources, i);

          if (o == GST_OBJECT (source->decodebin) ||
              o == GST_OBJECT (source->video_scale) ||
              o == GST_OBJECT (source->video_convert) ||
              o == GST_OBJECT (source->video_queue) ||
              o == GST_OBJECT (source->video_sink))
            return i;
        }
    }

  return -1;
}

static void
finish_seek (TakesPlayer *self)
{
  gint64 pending = self->pending_seek;

  self->seeking = FALSE;

  if (pending >= 0)
    {
      /* Scrubbing: only the latest position asked for while the previous
       * seek was in flight is sent. */
      self->pending_seek = -1;
      do_seek (self, pending);
      return;
    }

  query_fps (self);
  query_duration (self);
  if (self->playing)
    query_position (self);
  set_prerolled (self, TRUE);

  /* Play asked for while the files were still opening: every branch,
   * the sound included, is now linked and prerolled, so all start on the
   * same base time instead of the late ones catching up. */
  if (self->play_when_ready)
    {
      self->play_when_ready = FALSE;
      if (self->playing)
        gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
    }
}

static void
handle_eos (TakesPlayer *self)
{
  if (self->loop)
    {
      do_seek (self, self->rate < 0 ? MAX (self->duration, 0) : 0);
      return;
    }

  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_playing (self, FALSE);
  update_position_timer (self);
  if (self->duration > 0)
    set_position (self, self->rate < 0 ? 0 : self->duration);
  g_signal_emit (self, signals[EOS], 0);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  TakesPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ASYNC_DONE:
      finish_seek (self);
      break;

    case GST_MESSAGE_EOS:
      handle_eos (self);
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      query_duration (self);
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        g_autofree char *text = NULL;
        int index;

        gst_message_parse_error (message, &error, &debug);
        index = source_index_of_element (self, GST_MESSAGE_SRC (message));
        g_debug ("%s (%s)", error->message, debug ? debug : "");

        if (index >= 0)
          {
            Source *source = g_ptr_array_index (self->sources, index);
            /* Translators: the first %s is a file name, the second the reason */
            text = g_strdup_printf (_("Could not play “%s”: %s"),
                                    source->display_name, error->message);
          }
        else
          text = g_strdup_printf (_("Could not play: %s"), error->message);

        gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
        self->seeking = FALSE;
        self->pending_seek = -1;
        set_playing (self, FALSE);
        update_position_timer (self);
        g_signal_emit (self, signals[ERROR], 0, (guint) MAX (index, 0), text);
      }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static GstElement *
make_audio_sink (void)
{
  const char *name = g_getenv ("TAKES_AUDIO_SINK");
  GstElement *sink = NULL;

  if (name != NULL && *name != '\0')
    sink = gst_element_factory_make (name, NULL);

  if (sink == NULL)
    sink = gst_element_factory_make ("autoaudiosink", NULL);

  /* Machines without a sound device (CI, servers) still play, in time with
   * the clock: a sink that cannot even open is replaced by a fake one. */
  if (sink != NULL && gst_element_set_state (sink, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (sink, GST_STATE_NULL);
      gst_clear_object (&sink);
    }

  if (sink == NULL)
    sink = gst_element_factory_make ("fakesink", NULL);

  /* Sound, real or not, is what paces playback when it is the clock */
  if (sink != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "sync") != NULL)
    g_object_set (sink, "sync", TRUE, NULL);

  return sink;
}

/* Called with audio_lock held, from a streaming thread */
static GstElement *
ensure_mixer (TakesPlayer *self)
{
  GstElement *convert, *resample, *sink;

  if (self->mixer != NULL)
    return self->mixer;

  self->mixer = gst_element_factory_make ("audiomixer", "mixer");
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  sink = make_audio_sink ();

  if (self->mixer == NULL || convert == NULL || resample == NULL || sink == NULL)
    {
      g_warning ("Missing audio elements (audiomixer, audioconvert, audioresample)");
      gst_clear_object (&self->mixer);
      gst_clear_object (&convert);
      gst_clear_object (&resample);
      gst_clear_object (&sink);
      return NULL;
    }

  gst_bin_add_many (GST_BIN (self->pipeline), self->mixer, convert, resample, sink, NULL);
  gst_element_link_many (self->mixer, convert, resample, sink, NULL);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (resample);
  gst_element_sync_state_with_parent (convert);
  gst_element_sync_state_with_parent (self->mixer);

  return self->mixer;
}

static void
link_audio (TakesPlayer *self,
            Source      *source,
            GstPad      *pad)
{
  GstElement *mixer, *convert, *resample;
  g_autoptr(GstPad) convert_pad = NULL;
  g_autoptr(GstPad) resample_pad = NULL;
  GstPad *mixer_pad;

  g_mutex_lock (&self->audio_lock);

  /* Only the first audio stream of a file is heard */
  if (source->mixer_pad != NULL || (mixer = ensure_mixer (self)) == NULL)
    {
      g_mutex_unlock (&self->audio_lock);
      return;
    }

  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), convert, resample, NULL);
  gst_element_link (convert, resample);

  mixer_pad = gst_element_request_pad_simple (mixer, "sink_%u");
  resample_pad = gst_element_get_static_pad (resample, "src");
  gst_pad_link (resample_pad, mixer_pad);
  g_object_set (mixer_pad, "mute", (int) source->index != self->audio_source, NULL);
  source->mixer_pad = mixer_pad;

  gst_element_sync_state_with_parent (resample);
  gst_element_sync_state_with_parent (convert);

  convert_pad = gst_element_get_static_pad (convert, "sink");
  if (GST_PAD_LINK_FAILED (gst_pad_link (pad, convert_pad)))
    g_warning ("Could not link the audio of %s", source->display_name);

  g_mutex_unlock (&self->audio_lock);
}

static void
on_pad_added (GstElement *decodebin,
              GstPad     *pad,
              gpointer    user_data)
{
  Source *source = user_data;
  TakesPlayer *self = source->player;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *media;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_is_empty (caps))
    return;

  media = gst_structure_get_name (gst_caps_get_structure (caps, 0));

  if (g_str_has_prefix (media, "video/"))
    {
      g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (source->video_scale, "sink");
      gboolean first;

      g_mutex_lock (&self->audio_lock);
      first = !source->video_linked;
      source->video_linked = TRUE;
      g_mutex_unlock (&self->audio_lock);

      if (first && GST_PAD_LINK_FAILED (gst_pad_link (pad, sink_pad)))
        g_warning ("Could not link the video of %s", source->display_name);
    }
  else if (g_str_has_prefix (media, "audio/"))
    {
      link_audio (self, source, pad);
    }
}

/* Runs on the thread that posts: a streaming thread starting up. */
static GstBusSyncReply
on_stream_status (GstBus     *bus,
                  GstMessage *message,
                  gpointer    user_data)
{
  GstStreamStatusType type;
  GstElement *owner = NULL;
  const char *klass;
  int niceness = GPOINTER_TO_INT (user_data) + STREAMING_NICENESS;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_STREAM_STATUS)
    return GST_BUS_PASS;

  gst_message_parse_stream_status (message, &type, &owner);
  if (type != GST_STREAM_STATUS_TYPE_ENTER || owner == NULL)
    return GST_BUS_PASS;

  /* Decoding runs ahead of the clock with frames queued to spare, while
   * the main thread has one frame period to take each frame to the
   * screen. When the cores are busy, the scheduler should favour the one
   * with the deadline, so streaming threads run a little nicer; threads
   * the decoders start later inherit it. Not the audio sink's: it has a
   * deadline of its own (and pooled threads move between tasks, so it is
   * set back rather than left alone). */
  klass = gst_element_get_metadata (owner, GST_ELEMENT_METADATA_KLASS);
  if (klass != NULL && strstr (klass, "Sink") != NULL && strstr (klass, "Audio") != NULL)
    niceness = GPOINTER_TO_INT (user_data);

  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), niceness) != 0)
    g_debug ("Could not lower the priority of a streaming thread: %s", g_strerror (errno));

  return GST_BUS_PASS;
}

static gboolean
build_source (TakesPlayer *self,
              Source      *source,
              GError     **error)
{
  source->decodebin = gst_element_factory_make ("uridecodebin", NULL);
  source->video_scale = gst_element_factory_make ("videoscale", NULL);
  source->video_convert = gst_element_factory_make ("videoconvert", NULL);
  source->video_queue = gst_element_factory_make ("queue", NULL);
  source->video_sink = gst_element_factory_make (self->video_sink_name, NULL);

  if (source->video_sink == NULL)
    {
      g_warning ("No video sink element “%s”; frames are discarded", self->video_sink_name);
      source->video_sink = gst_element_factory_make ("fakesink", NULL);
    }

  if (source->decodebin == NULL || source->video_scale == NULL ||
      source->video_convert == NULL || source->video_queue == NULL ||
      source->video_sink == NULL)
    {
      gst_clear_object (&source->decodebin);
      gst_clear_object (&source->video_scale);
      gst_clear_object (&source->video_convert);
      gst_clear_object (&source->video_queue);
      gst_clear_object (&source->video_sink);
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                   _("GStreamer is missing elements needed for playback (uridecodebin, videoscale, videoconvert)"));
      return FALSE;
    }

  g_object_set (source->decodebin, "uri", source->uri, NULL);
  /* A few decoded frames of slack, so a slow frame (a keyframe, a busy
   * moment on the other files) does not make the sink late. The frames
   * are already scaled to the screen, so this is cheap. */
  g_object_set (source->video_queue,
                "max-size-buffers", 3,
                "max-size-bytes", 0,
                "max-size-time", (guint64) 0,
                NULL);

  gst_bin_add_many (GST_BIN (self->pipeline),
                    source->decodebin,
                    source->video_scale,
                    source->video_convert,
                    source->video_queue,
                    source->video_sink,
                    NULL);

  /* Scale before converting: the colour conversion then works on the
   * small frame. */
  if (!gst_element_link_many (source->video_scale,
                              source->video_convert,
                              source->video_queue,
                              source->video_sink,
                              NULL))
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                   _("Could not link the video branch of “%s”"), source->display_name);
      return FALSE;
    }

  g_signal_connect (source->decodebin, "pad-added", G_CALLBACK (on_pad_added), source);

  return TRUE;
}

static void
teardown (TakesPlayer *self)
{
  g_clear_handle_id (&self->position_timer, g_source_remove);

  if (self->pipeline != NULL)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      gst_bus_remove_watch (bus);
      self->bus_watch = 0;
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
    }

  g_ptr_array_set_size (self->sources, 0);

  g_mutex_lock (&self->audio_lock);
  self->mixer = NULL;
  g_mutex_unlock (&self->audio_lock);

  gst_clear_object (&self->pipeline);

  self->seeking = FALSE;
  self->pending_seek = -1;
  self->play_when_ready = FALSE;
}

static void
takes_player_dispose (GObject *object)
{
  TakesPlayer *self = TAKES_PLAYER (object);

  teardown (self);

  G_OBJECT_CLASS (takes_player_parent_class)->dispose (object);
}

static void
takes_player_finalize (GObject *object)
{
  TakesPlayer *self = TAKES_PLAYER (object);

  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_free (self->video_sink_name);
  g_mutex_clear (&self->audio_lock);

  G_OBJECT_CLASS (takes_player_parent_class)->finalize (object);
}

static void
takes_player_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TakesPlayer *self = TAKES_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;

    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;

    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;

    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;

    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;

    case PROP_AUDIO_SOURCE:
      g_value_set_int (value, self->audio_source);
      break;

    case PROP_N_SOURCES:
      g_value_set_uint (value, self->sources->len);
      break;

    case PROP_PREROLLED:
      g_value_set_boolean (value, self->prerolled);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_player_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TakesPlayer *self = TAKES_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        takes_player_play (self);
      else
        takes_player_pause (self);
      break;

    case PROP_LOOP:
      takes_player_set_loop (self, g_value_get_boolean (value));
      break;

    case PROP_RATE:
      takes_player_set_rate (self, g_value_get_double (value));
      break;

    case PROP_AUDIO_SOURCE:
      takes_player_set_audio_source (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_player_class_init (TakesPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_player_dispose;
  object_class->finalize = takes_player_finalize;
  object_class->get_property = takes_player_get_property;
  object_class->set_property = takes_player_set_property;

  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, -1, G_MAXINT64, 0, ro);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, rw);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, -16.0, 16.0, 1.0, rw);
  properties[PROP_AUDIO_SOURCE] = g_param_spec_int ("audio-source", NULL, NULL,
                                                    -1, TAKES_PLAYER_MAX_SOURCES - 1, 0, rw);
  properties[PROP_N_SOURCES] = g_param_spec_uint ("n-sources", NULL, NULL,
                                                  0, TAKES_PLAYER_MAX_SOURCES, 0, ro);
  properties[PROP_PREROLLED] = g_param_spec_boolean ("prerolled", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[EOS] =
    g_signal_new ("eos",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
takes_player_init (TakesPlayer *self)
{
  g_mutex_init (&self->audio_lock);
  self->sources = g_ptr_array_new_with_free_func (source_free);
  self->pending_seek = -1;
  self->rate = 1.0;
  self->duration = -1;
  self->audio_source = 0;
}

TakesPlayer *
takes_player_new (const char *video_sink_name)
{
  TakesPlayer *self;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  self = g_object_new (TAKES_TYPE_PLAYER, NULL);
  self->video_sink_name = g_strdup (video_sink_name != NULL ? video_sink_name : "fakesink");

  return self;
}

gboolean
takes_player_set_uris (TakesPlayer         *self,
                       const char * const  *uris,
                       GError             **error)
{
  g_autoptr(GstBus) bus = NULL;
  int main_niceness;
  guint n;

  g_return_val_if_fail (TAKES_IS_PLAYER (self), FALSE);
  g_return_val_if_fail (uris != NULL, FALSE);

  teardown (self);
  set_playing (self, FALSE);
  set_prerolled (self, FALSE);
  set_duration (self, -1);
  set_position (self, 0);
  update_position_timer (self);

  n = g_strv_length ((char **) uris);
  if (n == 0 || n > TAKES_PLAYER_MAX_SOURCES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Between one and %d takes can be played together"),
                   TAKES_PLAYER_MAX_SOURCES);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);
      return FALSE;
    }

  self->pipeline = gst_pipeline_new ("takes-player");

  for (guint i = 0; i < n; i++)
    {
      Source *source = g_new0 (Source, 1);

      source->player = self;
      source->index = i;
      source->uri = g_strdup (uris[i]);
      source->display_name = dup_display_name (uris[i]);
      g_ptr_array_add (self->sources, source);

      if (!build_source (self, source, error))
        {
          teardown (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);
          return FALSE;
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);

  bus = gst_element_get_bus (self->pipeline);
  /* The main thread's own nice value, the one streaming threads relate to */
  errno = 0;
  main_niceness = getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
  if (errno != 0)
    main_niceness = 0;
  gst_bus_set_sync_handler (bus, on_stream_status, GINT_TO_POINTER (main_niceness), NULL);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);

  /* The first preroll counts as a seek in flight: seeks asked for before
   * it completes wait for it. */
  self->seeking = TRUE;
  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      /* The bus has the error with the file's name; it arrives as "error". */
      self->seeking = FALSE;
    }

  return TRUE;
}

guint
takes_player_get_n_sources (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), 0);

  return self->sources->len;
}

GstElement *
takes_player_get_video_sink (TakesPlayer *self,
                             guint        index)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), NULL);

  if (index >= self->sources->len)
    return NULL;

  return ((Source *) g_ptr_array_index (self->sources, index))->video_sink;
}

GstElement *
takes_player_get_pipeline (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), NULL);

  return self->pipeline;
}

void
takes_player_play (TakesPlayer *self)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  if (self->pipeline == NULL)
    return;

  /* Playing on from the very end starts again, as people expect */
  if (!self->playing && self->rate > 0 && self->duration > 0 &&
      self->position >= self->duration - GST_MSECOND)
    do_seek (self, 0);

  if (!self->prerolled)
    self->play_when_ready = TRUE;
  else
    gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  set_playing (self, TRUE);
  update_position_timer (self);
}

void
takes_player_pause (TakesPlayer *self)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  if (self->pipeline == NULL)
    return;

  self->play_when_ready = FALSE;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  query_position (self);
  set_playing (self, FALSE);
  update_position_timer (self);
}

void
takes_player_toggle (TakesPlayer *self)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  if (self->playing)
    takes_player_pause (self);
  else
    takes_player_play (self);
}

gboolean
takes_player_get_playing (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), FALSE);

  return self->playing;
}

void
takes_player_stop (TakesPlayer *self)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  teardown (self);
  set_playing (self, FALSE);
  set_prerolled (self, FALSE);
  update_position_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);
}

static void
do_seek (TakesPlayer *self,
         gint64       position)
{
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE;
  gboolean ok;

  if (self->pipeline == NULL)
    return;

  position = MAX (position, 0);
  if (self->duration > 0)
    position = MIN (position, self->duration);

  if (self->seeking)
    {
      self->pending_seek = position;
      set_position (self, position);
      return;
    }

  if (self->rate >= 0)
    ok = gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME, flags,
                           GST_SEEK_TYPE_SET, position,
                           GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
  else
    ok = gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME, flags,
                           GST_SEEK_TYPE_SET, 0,
                           GST_SEEK_TYPE_SET, position);

  if (!ok)
    {
      g_debug ("Seek to %" GST_TIME_FORMAT " at rate %.1f refused",
               GST_TIME_ARGS (position), self->rate);
      return;
    }

  self->seeking = TRUE;
  set_position (self, position);
}

void
takes_player_seek (TakesPlayer *self,
                   gint64       position)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  do_seek (self, position);
}

static double
reference_fps (TakesPlayer *self)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *source = g_ptr_array_index (self->sources, i);

      if (source->fps > 0)
        return source->fps;
    }

  return 0.0;
}

void
takes_player_step (TakesPlayer *self,
                   int          delta)
{
  double fps;
  gint64 frame, last_frame, target;

  g_return_if_fail (TAKES_IS_PLAYER (self));

  if (self->pipeline == NULL)
    return;

  if (self->playing)
    takes_player_pause (self);

  if (self->rate != 1.0)
    {
      self->rate = 1.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }

  fps = reference_fps (self);
  if (fps <= 0)
    fps = 24.0;

  /* A step is a seek to the middle of the next frame: landing exactly on a
   * frame's start could round to the end of the one before it. */
  frame = (gint64) floor ((double) self->position * fps / GST_SECOND + 1e-3);
  frame += delta;
  last_frame = self->duration > 0 ? (gint64) ceil ((double) self->duration * fps / GST_SECOND) - 1 : G_MAXINT32;
  frame = CLAMP (frame, 0, MAX (last_frame, 0));
  target = (gint64) ((frame + 0.5) * GST_SECOND / fps);

  do_seek (self, target);
}

gboolean
takes_player_get_seeking (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), FALSE);

  return self->seeking;
}

gint64
takes_player_get_position (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), 0);

  return self->position;
}

gint64
takes_player_get_duration (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), -1);

  return self->duration;
}

double
takes_player_get_fps (TakesPlayer *self,
                      guint        index)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), 0.0);

  if (index >= self->sources->len)
    return 0.0;

  return ((Source *) g_ptr_array_index (self->sources, index))->fps;
}

gboolean
takes_player_get_prerolled (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), FALSE);

  return self->prerolled;
}

void
takes_player_set_loop (TakesPlayer *self,
                       gboolean     loop)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  loop = !!loop;
  if (self->loop == loop)
    return;

  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

gboolean
takes_player_get_loop (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), FALSE);

  return self->loop;
}

void
takes_player_set_rate (TakesPlayer *self,
                       double       rate)
{
  double old_rate;

  g_return_if_fail (TAKES_IS_PLAYER (self));

  if (rate == 0.0 || self->rate == rate)
    return;

  old_rate = self->rate;
  self->rate = rate;

  if (self->pipeline != NULL && !self->seeking)
    {
      GstSeekFlags flags = GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE;
      gint64 position = self->position;
      gboolean ok;

      query_position (self);
      position = self->position;

      if (rate > 0)
        ok = gst_element_seek (self->pipeline, rate, GST_FORMAT_TIME, flags,
                               GST_SEEK_TYPE_SET, position,
                               GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
      else
        ok = gst_element_seek (self->pipeline, rate, GST_FORMAT_TIME, flags,
                               GST_SEEK_TYPE_SET, 0,
                               GST_SEEK_TYPE_SET, position);

      if (!ok)
        {
          /* Some files cannot play backwards: a step back is the most a
           * person gets, as in other editors. */
          self->rate = old_rate;
          if (rate < 0)
            takes_player_step (self, -1);
          return;
        }

      self->seeking = TRUE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

double
takes_player_get_rate (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), 1.0);

  return self->rate;
}

void
takes_player_set_audio_source (TakesPlayer *self,
                               int          index)
{
  g_return_if_fail (TAKES_IS_PLAYER (self));

  index = CLAMP (index, -1, TAKES_PLAYER_MAX_SOURCES - 1);

  g_mutex_lock (&self->audio_lock);
  if (self->audio_source == index)
    {
      g_mutex_unlock (&self->audio_lock);
      return;
    }

  self->audio_source = index;
  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *source = g_ptr_array_index (self->sources, i);

      if (source->mixer_pad != NULL)
        g_object_set (source->mixer_pad, "mute", (int) i != index, NULL);
    }
  g_mutex_unlock (&self->audio_lock);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SOURCE]);
}

int
takes_player_get_audio_source (TakesPlayer *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER (self), -1);

  return self->audio_source;
}

gboolean
takes_player_source_has_audio (TakesPlayer *self,
                               guint        index)
{
  gboolean has_audio;

  g_return_val_if_fail (TAKES_IS_PLAYER (self), FALSE);

  if (index >= self->sources->len)
    return FALSE;

  g_mutex_lock (&self->audio_lock);
  has_audio = ((Source *) g_ptr_array_index (self->sources, index))->mixer_pad != NULL;
  g_mutex_unlock (&self->audio_lock);

  return has_audio;
}

char *
takes_player_format_timecode (gint64 position,
                              double fps)
{
  gint64 frames, fps_int, seconds;

  if (position < 0)
    position = 0;
  if (fps <= 0)
    fps = 24.0;

  /* Non-drop-frame: 29.97 counts as 30 frames a second, as editors do */
  fps_int = (gint64) round (fps);
  frames = (gint64) floor ((double) position * fps / GST_SECOND + 1e-3);
  seconds = frames / fps_int;

  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          seconds / 3600,
                          (seconds / 60) % 60,
                          seconds % 60,
                          frames % fps_int);
}
