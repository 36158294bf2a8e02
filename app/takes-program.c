/* takes-program.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-program"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "takes-program.h"

#define POSITION_INTERVAL_MS 33

struct _TakesProgram
{
  GObject parent_instance;

  /* owned */
  TakesTimeline *timeline;
  GESPipeline *pipeline;
  GstElement *video_sink;
  guint bus_watch;
  guint position_timer;
  /* References to every layer, clip and track element the pipeline was
   * last committed with. The timeline's rebuild drops its own references
   * before the commit that takes their objects out of the compositions,
   * and streaming threads still call back into them until it is applied:
   * "held" keeps those of the running commit alive, "retired" those of
   * the previous one until its ASYNC_DONE. */
  GPtrArray *held;
  GPtrArray *retired;

  /* The pipeline has been asked to preroll (it stays in READY while the
   * cut is empty: an empty composition never prerolls). */
  gboolean started;
  /* A seek, a state change or a commit is in flight: ASYNC_DONE ends it */
  gboolean busy;
  gboolean commit_wanted;
  gint64 pending_seek;          /* -1: none */
  gboolean play_when_ready;

  gboolean playing;
  gboolean loop;
  gboolean prerolled;
  gint64 position;
  gint64 duration;
  guint n_commits;
};

G_DEFINE_FINAL_TYPE (TakesProgram, takes_program, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMELINE,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  PROP_LOOP,
  PROP_PREROLLED,
  PROP_BUSY,
  N_PROPS
};

enum {
  ERROR,
  EOS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void do_seek (TakesProgram *self,
                     gint64        position);

static GPtrArray *
collect_elements (TakesProgram *self)
{
  GESTimeline *timeline = takes_timeline_get_ges_timeline (self->timeline);
  GPtrArray *elements = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *layers = ges_timeline_get_layers (timeline);

  for (GList *l = layers; l != NULL; l = l->next)
    {
      GList *clips = ges_layer_get_clips (l->data);

      g_ptr_array_add (elements, gst_object_ref (l->data));
      for (GList *c = clips; c != NULL; c = c->next)
        {
          g_ptr_array_add (elements, c->data);   /* the list's reference */
          for (GList *t = GES_CONTAINER_CHILDREN (c->data); t != NULL; t = t->next)
            g_ptr_array_add (elements, gst_object_ref (t->data));
        }
      g_list_free (clips);
    }
  g_list_free_full (layers, gst_object_unref);

  return elements;
}

/* Called right before a commit: what the pipeline plays now becomes
 * "retired" and is released once the commit has been applied */
static void
hold_elements (TakesProgram *self)
{
  if (self->held != NULL)
    {
      if (self->retired == NULL)
        self->retired = g_steal_pointer (&self->held);
      else
        {
          for (guint i = 0; i < self->held->len; i++)
            g_ptr_array_add (self->retired, gst_object_ref (g_ptr_array_index (self->held, i)));
          g_clear_pointer (&self->held, g_ptr_array_unref);
        }
    }

  self->held = collect_elements (self);
}

static void
set_position (TakesProgram *self,
              gint64        position)
{
  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
set_duration (TakesProgram *self,
              gint64        duration)
{
  if (self->duration == duration)
    return;

  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

static void
set_playing (TakesProgram *self,
             gboolean      playing)
{
  if (self->playing == playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
set_prerolled (TakesProgram *self,
               gboolean      prerolled)
{
  if (self->prerolled == prerolled)
    return;

  self->prerolled = prerolled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREROLLED]);
}

static void
set_busy (TakesProgram *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gint64
last_frame_time (TakesProgram *self)
{
  gint64 frames;

  if (self->duration <= 0)
    return 0;

  /* Seeking to the very end would show nothing: the last picture is the
   * one that starts a frame before it. */
  frames = takes_timeline_time_to_frame (self->timeline, self->duration);
  return takes_timeline_frame_to_time (self->timeline, MAX (frames - 1, 0));
}

static void
query_position (TakesProgram *self)
{
  gint64 position;

  if (!self->started || self->busy)
    return;

  /* The picture's position, not the pipeline's: the audio branch runs
   * ahead of what is shown. */
  if (gst_element_query_position (self->video_sink, GST_FORMAT_TIME, &position) &&
      position >= 0)
    {
      if (self->duration > 0)
        position = MIN (position, self->duration);
      set_position (self, position);
    }
}

static gboolean
on_position_timer (gpointer user_data)
{
  query_position (TAKES_PROGRAM (user_data));

  return G_SOURCE_CONTINUE;
}

static void
update_position_timer (TakesProgram *self)
{
  if (self->playing && self->position_timer == 0)
    self->position_timer = g_timeout_add (POSITION_INTERVAL_MS, on_position_timer, self);
  else if (!self->playing)
    g_clear_handle_id (&self->position_timer, g_source_remove);
}

static void
sync_duration (TakesProgram *self)
{
  set_duration (self, (gint64) takes_timeline_get_duration (self->timeline));
}

static void
start (TakesProgram *self)
{
  GESTimeline *timeline = takes_timeline_get_ges_timeline (self->timeline);
  GstStateChangeReturn ret;

  if (self->started)
    return;

  /* Nothing plays while READY, so committing here disturbs nothing */
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  self->held = collect_elements (self);
  if (ges_timeline_commit (timeline))
    self->n_commits++;
  self->commit_wanted = FALSE;

  self->started = TRUE;
  set_busy (self, TRUE);
  ret = gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_FAILURE)
    {
      /* The error itself arrives on the bus */
      set_busy (self, FALSE);
    }
  else if (ret != GST_STATE_CHANGE_ASYNC)
    {
      set_busy (self, FALSE);
      set_prerolled (self, TRUE);
    }
}

static void
halt (TakesProgram *self)
{
  if (!self->started)
    return;

  gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_READY);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  self->started = FALSE;
  self->play_when_ready = FALSE;
  set_busy (self, FALSE);
  set_prerolled (self, FALSE);
  set_playing (self, FALSE);
  update_position_timer (self);
}

static void
on_timeline_updated (TakesTimeline *timeline,
                     TakesProgram  *self)
{
  sync_duration (self);

  if (self->duration <= 0)
    {
      /* An empty cut: nothing to show, and nothing prerolls */
      halt (self);
      if (ges_timeline_commit (takes_timeline_get_ges_timeline (self->timeline)))
        self->n_commits++;
      set_position (self, 0);
      return;
    }

  if (!self->started)
    {
      gint64 position = MIN (self->position, last_frame_time (self));

      start (self);
      if (position > 0)
        do_seek (self, position);
      return;
    }

  takes_program_commit (self);
}

static void
finish_async (TakesProgram *self)
{
  gint64 pending = self->pending_seek;

  set_busy (self, FALSE);

  /* Every commit so far has been applied */
  if (!self->commit_wanted)
    g_clear_pointer (&self->retired, g_ptr_array_unref);

  /* Pitivi's rule: edits made while the pipeline was busy are applied now
   * that it is idle, before anything else moves it. */
  if (self->commit_wanted)
    {
      self->commit_wanted = FALSE;
      if (takes_program_commit (self))
        return;
    }

  if (pending >= 0)
    {
      self->pending_seek = -1;
      do_seek (self, pending);
      return;
    }

  set_prerolled (self, TRUE);
  if (self->playing)
    query_position (self);

  if (self->play_when_ready)
    {
      self->play_when_ready = FALSE;
      if (self->playing)
        gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PLAYING);
    }
}

static void
handle_eos (TakesProgram *self)
{
  if (self->loop && self->playing)
    {
      do_seek (self, 0);
      return;
    }

  gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
  set_playing (self, FALSE);
  update_position_timer (self);
  set_position (self, self->duration > 0 ? self->duration : 0);
  g_signal_emit (self, signals[EOS], 0);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  TakesProgram *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ASYNC_DONE:
      finish_async (self);
      break;

    case GST_MESSAGE_EOS:
      handle_eos (self);
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        g_autofree char *text = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("%s (%s)", error->message, debug != NULL ? debug : "");
        /* Translators: %s is the reason given by the media framework */
        text = g_strdup_printf (_("Could not play the cut: %s"), error->message);

        gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
        self->pending_seek = -1;
        self->play_when_ready = FALSE;
        set_busy (self, FALSE);
        set_playing (self, FALSE);
        update_position_timer (self);
        g_signal_emit (self, signals[ERROR], 0, text);
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

  /* No sound device (CI, servers): the cut still plays, in time */
  if (sink != NULL && gst_element_set_state (sink, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (sink, GST_STATE_NULL);
      gst_clear_object (&sink);
    }

  if (sink != NULL)
    gst_element_set_state (sink, GST_STATE_NULL);
  else
    sink = gst_element_factory_make ("fakesink", NULL);

  if (sink != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "sync") != NULL)
    g_object_set (sink, "sync", TRUE, NULL);

  return sink;
}

static void
takes_program_dispose (GObject *object)
{
  TakesProgram *self = TAKES_PROGRAM (object);

  g_clear_handle_id (&self->position_timer, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);

  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);

  if (self->pipeline != NULL)
    gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_NULL);
  gst_clear_object (&self->video_sink);
  gst_clear_object (&self->pipeline);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_object (&self->timeline);

  G_OBJECT_CLASS (takes_program_parent_class)->dispose (object);
}

static void
takes_program_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TakesProgram *self = TAKES_PROGRAM (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      g_value_set_object (value, self->timeline);
      break;

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

    case PROP_PREROLLED:
      g_value_set_boolean (value, self->prerolled);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_program_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TakesProgram *self = TAKES_PROGRAM (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      self->timeline = g_value_dup_object (value);
      break;

    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        takes_program_play (self);
      else
        takes_program_pause (self);
      break;

    case PROP_LOOP:
      takes_program_set_loop (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_program_class_init (TakesProgramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_program_dispose;
  object_class->get_property = takes_program_get_property;
  object_class->set_property = takes_program_set_property;

  properties[PROP_TIMELINE] =
    g_param_spec_object ("timeline", NULL, NULL, TAKES_TYPE_TIMELINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, rw);
  properties[PROP_PREROLLED] = g_param_spec_boolean ("prerolled", NULL, NULL, FALSE, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[EOS] =
    g_signal_new ("eos",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
takes_program_init (TakesProgram *self)
{
  self->pending_seek = -1;
}

TakesProgram *
takes_program_new (TakesTimeline *timeline,
                   const char    *video_sink_name)
{
  TakesProgram *self;
  GstElement *audio_sink;
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (TAKES_IS_TIMELINE (timeline), NULL);

  self = g_object_new (TAKES_TYPE_PROGRAM, "timeline", timeline, NULL);

  self->pipeline = gst_object_ref_sink (ges_pipeline_new ());
  if (video_sink_name != NULL)
    self->video_sink = gst_element_factory_make (video_sink_name, NULL);
  if (self->video_sink == NULL)
    {
      if (video_sink_name != NULL)
        g_warning ("No video sink element “%s”; frames are discarded", video_sink_name);
      self->video_sink = gst_element_factory_make ("fakesink", NULL);
      g_object_set (self->video_sink, "sync", TRUE, NULL);
    }
  gst_object_ref_sink (self->video_sink);

  audio_sink = make_audio_sink ();

  ges_pipeline_preview_set_video_sink (self->pipeline, self->video_sink);
  if (audio_sink != NULL)
    ges_pipeline_preview_set_audio_sink (self->pipeline, audio_sink);
  if (!ges_pipeline_set_timeline (self->pipeline, takes_timeline_get_ges_timeline (timeline)))
    g_warning ("Could not attach the timeline to the preview pipeline");

  bus = gst_element_get_bus (GST_ELEMENT (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);

  g_signal_connect (timeline, "updated", G_CALLBACK (on_timeline_updated), self);

  /* A timeline that was built before the program came */
  if (takes_timeline_get_duration (timeline) > 0)
    on_timeline_updated (timeline, self);

  return self;
}

TakesTimeline *
takes_program_get_timeline (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), NULL);

  return self->timeline;
}

GstElement *
takes_program_get_video_sink (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), NULL);

  return self->video_sink;
}

GstElement *
takes_program_get_pipeline (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), NULL);

  return GST_ELEMENT (self->pipeline);
}

void
takes_program_play (TakesProgram *self)
{
  g_return_if_fail (TAKES_IS_PROGRAM (self));

  if (self->playing)
    return;

  if (!self->started)
    {
      if (takes_timeline_get_duration (self->timeline) == 0)
        return;
      start (self);
    }

  /* Playing on from the very end starts again, as people expect */
  if (self->duration > 0 && self->position >= last_frame_time (self))
    do_seek (self, 0);

  set_playing (self, TRUE);
  if (self->busy)
    self->play_when_ready = TRUE;
  else
    gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PLAYING);
  update_position_timer (self);
}

void
takes_program_pause (TakesProgram *self)
{
  g_return_if_fail (TAKES_IS_PROGRAM (self));

  self->play_when_ready = FALSE;
  if (!self->playing)
    return;

  if (self->started)
    gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
  query_position (self);
  set_playing (self, FALSE);
  update_position_timer (self);
}

void
takes_program_toggle (TakesProgram *self)
{
  g_return_if_fail (TAKES_IS_PROGRAM (self));

  if (self->playing)
    takes_program_pause (self);
  else
    takes_program_play (self);
}

gboolean
takes_program_get_playing (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), FALSE);

  return self->playing;
}

static void
do_seek (TakesProgram *self,
         gint64        position)
{
  position = CLAMP (position, 0, last_frame_time (self));

  if (!self->started || self->busy)
    {
      /* Scrubbing: only the latest position counts */
      self->pending_seek = position;
      set_position (self, position);
      return;
    }

  if (!gst_element_seek_simple (GST_ELEMENT (self->pipeline), GST_FORMAT_TIME,
                                GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, position))
    {
      g_debug ("Seek to %" GST_TIME_FORMAT " refused", GST_TIME_ARGS (position));
      return;
    }

  set_busy (self, TRUE);
  set_position (self, position);
}

void
takes_program_seek (TakesProgram *self,
                    gint64        position)
{
  g_return_if_fail (TAKES_IS_PROGRAM (self));

  do_seek (self, position);
}

void
takes_program_step (TakesProgram *self,
                    int           delta)
{
  gint64 frame;

  g_return_if_fail (TAKES_IS_PROGRAM (self));

  takes_program_pause (self);

  frame = takes_timeline_time_to_frame (self->timeline, self->position) + delta;
  do_seek (self, takes_timeline_frame_to_time (self->timeline, MAX (frame, 0)));
}

gint64
takes_program_get_position (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), 0);

  return self->position;
}

gint64
takes_program_get_duration (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), 0);

  return self->duration;
}

gboolean
takes_program_get_prerolled (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), FALSE);

  return self->prerolled;
}

gboolean
takes_program_get_busy (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), FALSE);

  return self->busy;
}

void
takes_program_set_loop (TakesProgram *self,
                        gboolean      loop)
{
  g_return_if_fail (TAKES_IS_PROGRAM (self));

  loop = !!loop;
  if (self->loop == loop)
    return;

  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

gboolean
takes_program_get_loop (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), FALSE);

  return self->loop;
}

gboolean
takes_program_commit (TakesProgram *self)
{
  GESTimeline *timeline;

  g_return_val_if_fail (TAKES_IS_PROGRAM (self), FALSE);

  timeline = takes_timeline_get_ges_timeline (self->timeline);

  if (self->busy)
    {
      self->commit_wanted = TRUE;
      return FALSE;
    }

  self->commit_wanted = FALSE;
  if (self->started)
    hold_elements (self);
  if (!ges_timeline_commit (timeline))
    return FALSE;

  self->n_commits++;
  sync_duration (self);

  /* A commit while prerolled makes the compositions seek to where they
   * are: the pipeline is busy until that settles. */
  if (self->started)
    {
      GstState state, pending;

      gst_element_get_state (GST_ELEMENT (self->pipeline), &state, &pending, 0);
      if (state >= GST_STATE_PAUSED || pending >= GST_STATE_PAUSED)
        set_busy (self, TRUE);
      if (self->position > last_frame_time (self))
        do_seek (self, last_frame_time (self));
    }

  return TRUE;
}

gboolean
takes_program_get_commit_pending (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), FALSE);

  return self->commit_wanted;
}

guint
takes_program_get_n_commits (TakesProgram *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM (self), 0);

  return self->n_commits;
}

void
takes_program_stop (TakesProgram *self)
{
  g_return_if_fail (TAKES_IS_PROGRAM (self));

  halt (self);
}
