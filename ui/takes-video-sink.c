/* takes-video-sink.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-video-sink"

#include "config.h"

#include <gst/video/video.h>

#include "takes-video-sink.h"

/* Packed 24-bit BGR first. GTK 4.8 has a fast path from it to cairo's
 * ARGB32 (measured: 0.22 ms for a 551x310 frame), while its own
 * "native" premultiplied BGRA goes through floats on the way (1.28 ms):
 * with four takes at 30 fps that is the difference between 3 % and 15 %
 * of a core on the main thread under the cairo renderer. The frame is
 * also a quarter smaller. BGRA stays as a fallback for upstreams that
 * cannot pack 24-bit pixels (opaque alpha equals premultiplied). */
#define TAKES_VIDEO_SINK_CAPS \
  "video/x-raw, format = (string) { BGR, BGRA }, " \
  "width = (int) [ 1, 32767 ], height = (int) [ 1, 32767 ], " \
  "framerate = (fraction) [ 0, MAX ]"

struct _TakesVideoSink
{
  GstVideoSink parent_instance;

  /* Guards everything down to the mailbox: the streaming thread writes,
   * the main thread reads. */
  GMutex lock;
  GstVideoInfo info;
  gboolean have_info;
  int hint_width;
  int hint_height;
  GdkTexture *mailbox;
  GstClockTime mailbox_pts;
  double mailbox_par;
  gboolean idle_pending;
  guint64 frames_received;
  /* Only compared, never dereferenced: the buffer last shown */
  gconstpointer last_buffer;
  GstClockTime last_buffer_pts;

  /* main thread only */
  TakesVideoPaintable *paintable;
  GstClockTime last_pts;
  guint64 frames_shown;
};

G_DEFINE_FINAL_TYPE (TakesVideoSink, takes_video_sink, GST_TYPE_VIDEO_SINK)

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_LAST_PTS,
  PROP_FRAMES_RECEIVED,
  PROP_FRAMES_SHOWN,
  N_PROPS
};

enum {
  FRAME_SHOWN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GQuark pts_quark;

static GstStaticPadTemplate sink_template =
  GST_STATIC_PAD_TEMPLATE ("sink",
                           GST_PAD_SINK,
                           GST_PAD_ALWAYS,
                           GST_STATIC_CAPS (TAKES_VIDEO_SINK_CAPS));

static void
free_mapped_frame (gpointer data)
{
  GstVideoFrame *frame = data;

  gst_video_frame_unmap (frame);
  g_free (frame);
}

static GstCaps *
takes_video_sink_get_caps (GstBaseSink *sink,
                           GstCaps     *filter)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (sink);
  g_autoptr(GstCaps) caps = NULL;
  int width, height;

  g_mutex_lock (&self->lock);
  width = self->hint_width;
  height = self->hint_height;
  g_mutex_unlock (&self->lock);

  caps = gst_pad_get_pad_template_caps (GST_BASE_SINK_PAD (sink));
  caps = gst_caps_make_writable (caps);

  /* A range rather than a fixed size: videoscale then keeps the display
   * aspect ratio and picks the largest size that fits, and a smaller
   * source is not scaled up (GTK does that for free when drawing). */
  if (width > 0 && height > 0)
    gst_caps_set_simple (caps,
                         "width", GST_TYPE_INT_RANGE, 1, width,
                         "height", GST_TYPE_INT_RANGE, 1, height,
                         NULL);

  /* Square pixels first: otherwise videoscale is free to keep the shape
   * by stretching the pixels instead of choosing the size. Anything else
   * is still accepted and drawn with its pixel aspect ratio. */
  {
    GstStructure *square = gst_structure_copy (gst_caps_get_structure (caps, 0));

    gst_structure_set (square, "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
    GstCaps *preferred = gst_caps_new_full (square, NULL);

    caps = gst_caps_merge (preferred, g_steal_pointer (&caps));
  }

  if (filter != NULL)
    return gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);

  return g_steal_pointer (&caps);
}

static gboolean
takes_video_sink_set_caps (GstBaseSink *sink,
                           GstCaps     *caps)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (sink);
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, caps))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->info = info;
  self->have_info = TRUE;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static gboolean
takes_video_sink_propose_allocation (GstBaseSink *sink,
                                     GstQuery    *query)
{
  /* Strided or offset planes are fine: the frame is mapped with its meta. */
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);

  return TRUE;
}

static gboolean
deliver_on_main_thread (gpointer user_data)
{
  TakesVideoSink *self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  GstClockTime pts;
  double par;

  g_mutex_lock (&self->lock);
  texture = g_steal_pointer (&self->mailbox);
  pts = self->mailbox_pts;
  par = self->mailbox_par;
  self->idle_pending = FALSE;
  g_mutex_unlock (&self->lock);

  if (texture == NULL)
    return G_SOURCE_REMOVE;

  takes_video_paintable_set_texture (self->paintable, texture, par);
  self->last_pts = pts;
  self->frames_shown++;

  g_signal_emit (self, signals[FRAME_SHOWN], 0, (guint64) pts);

  return G_SOURCE_REMOVE;
}

static GstFlowReturn
takes_video_sink_show_frame (GstVideoSink *video_sink,
                             GstBuffer    *buffer)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (video_sink);
  g_autoptr(GdkTexture) replaced = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  GstVideoFrame *frame;
  GstVideoInfo info;
  gboolean need_idle;
  double par;
  gsize stride;
  int width, height;

  g_mutex_lock (&self->lock);
  if (!self->have_info)
    {
      g_mutex_unlock (&self->lock);
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL), ("a frame came before caps"));
      return GST_FLOW_NOT_NEGOTIATED;
    }
  info = self->info;
  /* The preroll frame comes again as the first one rendered when playing
   * starts; it is on screen already. */
  if (self->last_buffer == (gconstpointer) buffer &&
      self->last_buffer_pts == GST_BUFFER_PTS (buffer))
    {
      g_mutex_unlock (&self->lock);
      return GST_FLOW_OK;
    }
  self->last_buffer = buffer;
  self->last_buffer_pts = GST_BUFFER_PTS (buffer);
  g_mutex_unlock (&self->lock);

  frame = g_new0 (GstVideoFrame, 1);
  if (!gst_video_frame_map (frame, &info, buffer, GST_MAP_READ))
    {
      g_free (frame);
      GST_ELEMENT_ERROR (self, RESOURCE, READ, (NULL), ("could not map a video frame"));
      return GST_FLOW_ERROR;
    }

  width = GST_VIDEO_FRAME_WIDTH (frame);
  height = GST_VIDEO_FRAME_HEIGHT (frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);

  /* No copy: the bytes point into the mapped buffer, which stays mapped
   * (and referenced) until GTK lets go of the texture. */
  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (frame, 0),
                                      stride * height,
                                      free_mapped_frame,
                                      frame);
  texture = gdk_memory_texture_new (width, height,
                                    GST_VIDEO_FRAME_FORMAT (frame) == GST_VIDEO_FORMAT_BGR
                                    ? GDK_MEMORY_B8G8R8
                                    : GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                    bytes, stride);

  par = (double) GST_VIDEO_INFO_PAR_N (&info) / MAX (GST_VIDEO_INFO_PAR_D (&info), 1);

  /* Which frame a picture shows, for whoever checks what is on screen */
  {
    GstClockTime *pts = g_new (GstClockTime, 1);

    *pts = GST_BUFFER_PTS (buffer);
    g_object_set_qdata_full (G_OBJECT (texture), pts_quark, pts, g_free);
  }

  g_mutex_lock (&self->lock);
  /* Latest frame wins: a frame the main thread had no time for is dropped
   * here rather than queued behind. */
  replaced = g_steal_pointer (&self->mailbox);
  self->mailbox = texture;
  self->mailbox_pts = GST_BUFFER_PTS (buffer);
  self->mailbox_par = par;
  self->frames_received++;
  need_idle = !self->idle_pending;
  self->idle_pending = TRUE;
  g_mutex_unlock (&self->lock);

  /* Not g_main_context_invoke(): a streaming thread that finds the
   * default context free would acquire it and run GTK code itself. */
  if (need_idle)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_on_main_thread,
                             gst_object_ref (self), gst_object_unref);
      g_source_set_static_name (source, "[takes] video frame");
      g_source_attach (source, NULL);
      g_source_unref (source);
    }

  return GST_FLOW_OK;
}

static gboolean
takes_video_sink_stop (GstBaseSink *sink)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (sink);
  g_autoptr(GdkTexture) texture = NULL;

  g_mutex_lock (&self->lock);
  texture = g_steal_pointer (&self->mailbox);
  self->have_info = FALSE;
  self->last_buffer = NULL;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static void
on_paintable_size (TakesVideoPaintable *paintable,
                   int                  width,
                   int                  height,
                   gpointer             user_data)
{
  takes_video_sink_set_size_hint (TAKES_VIDEO_SINK (user_data), width, height);
}

static void
takes_video_sink_dispose (GObject *object)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (object);

  if (self->paintable != NULL)
    takes_video_paintable_set_size_func (self->paintable, NULL, NULL, NULL);
  g_clear_object (&self->paintable);

  g_mutex_lock (&self->lock);
  g_clear_object (&self->mailbox);
  g_mutex_unlock (&self->lock);

  G_OBJECT_CLASS (takes_video_sink_parent_class)->dispose (object);
}

static void
takes_video_sink_finalize (GObject *object)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (object);

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (takes_video_sink_parent_class)->finalize (object);
}

static void
takes_video_sink_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;

    case PROP_WIDTH:
      g_mutex_lock (&self->lock);
      g_value_set_int (value, self->hint_width);
      g_mutex_unlock (&self->lock);
      break;

    case PROP_HEIGHT:
      g_mutex_lock (&self->lock);
      g_value_set_int (value, self->hint_height);
      g_mutex_unlock (&self->lock);
      break;

    case PROP_LAST_PTS:
      g_value_set_uint64 (value, self->last_pts);
      break;

    case PROP_FRAMES_RECEIVED:
      g_value_set_uint64 (value, takes_video_sink_get_frames_received (self));
      break;

    case PROP_FRAMES_SHOWN:
      g_value_set_uint64 (value, self->frames_shown);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_video_sink_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TakesVideoSink *self = TAKES_VIDEO_SINK (object);
  int width, height;

  g_mutex_lock (&self->lock);
  width = self->hint_width;
  height = self->hint_height;
  g_mutex_unlock (&self->lock);

  switch (prop_id)
    {
    case PROP_WIDTH:
      takes_video_sink_set_size_hint (self, g_value_get_int (value), height);
      break;

    case PROP_HEIGHT:
      takes_video_sink_set_size_hint (self, width, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_video_sink_class_init (TakesVideoSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *base_sink_class = GST_BASE_SINK_CLASS (klass);
  GstVideoSinkClass *video_sink_class = GST_VIDEO_SINK_CLASS (klass);

  object_class->dispose = takes_video_sink_dispose;
  object_class->finalize = takes_video_sink_finalize;
  object_class->get_property = takes_video_sink_get_property;
  object_class->set_property = takes_video_sink_set_property;

  base_sink_class->get_caps = takes_video_sink_get_caps;
  base_sink_class->set_caps = takes_video_sink_set_caps;
  base_sink_class->propose_allocation = takes_video_sink_propose_allocation;
  base_sink_class->stop = takes_video_sink_stop;

  /* GstVideoSink routes preroll through show_frame too
   * ("show-preroll-frame", on by default): a paused seek shows its frame. */
  video_sink_class->show_frame = takes_video_sink_show_frame;

  pts_quark = g_quark_from_static_string ("takes-video-sink-pts");

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
                                         "Takes video sink",
                                         "Sink/Video",
                                         "Shows video frames in a GdkPaintable",
                                         "The Takes authors");

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL,
                         TAKES_TYPE_VIDEO_PAINTABLE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL,
                      0, 32767, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL,
                      0, 32767, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_PTS] =
    g_param_spec_uint64 ("last-pts", NULL, NULL,
                         0, G_MAXUINT64, GST_CLOCK_TIME_NONE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMES_RECEIVED] =
    g_param_spec_uint64 ("frames-received", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMES_SHOWN] =
    g_param_spec_uint64 ("frames-shown", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FRAME_SHOWN] =
    g_signal_new ("frame-shown",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void
takes_video_sink_init (TakesVideoSink *self)
{
  g_mutex_init (&self->lock);
  gst_video_info_init (&self->info);
  self->last_pts = GST_CLOCK_TIME_NONE;
  self->mailbox_pts = GST_CLOCK_TIME_NONE;
  self->mailbox_par = 1.0;

  self->paintable = takes_video_paintable_new ();
  takes_video_paintable_set_size_func (self->paintable, on_paintable_size, self, NULL);
}

void
takes_video_sink_register (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      /* The first view that plays video brings GStreamer up, so start-up
       * never pays for it. */
      if (!gst_is_initialized ())
        gst_init (NULL, NULL);
      /* No plugin file: the element lives in this binary. */
      if (!gst_element_register (NULL, "takesvideosink", GST_RANK_NONE, TAKES_TYPE_VIDEO_SINK))
        g_critical ("Could not register the takesvideosink element");
      g_once_init_leave (&registered, 1);
    }
}

GstElement *
takes_video_sink_new (void)
{
  return g_object_new (TAKES_TYPE_VIDEO_SINK, NULL);
}

TakesVideoPaintable *
takes_video_sink_get_paintable (TakesVideoSink *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_SINK (self), NULL);

  return self->paintable;
}

void
takes_video_sink_set_size_hint (TakesVideoSink *self,
                                int             width,
                                int             height)
{
  gboolean width_changed, height_changed;

  g_return_if_fail (TAKES_IS_VIDEO_SINK (self));

  width = CLAMP (width, 0, 32767);
  height = CLAMP (height, 0, 32767);

  g_mutex_lock (&self->lock);
  width_changed = self->hint_width != width;
  height_changed = self->hint_height != height;
  self->hint_width = width;
  self->hint_height = height;
  g_mutex_unlock (&self->lock);

  if (!width_changed && !height_changed)
    return;

  /* Upstream (videoscale) asks for caps again before its next frame. */
  gst_pad_push_event (GST_BASE_SINK_PAD (self), gst_event_new_reconfigure ());

  if (width_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
  if (height_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
}

GstClockTime
takes_video_sink_get_last_pts (TakesVideoSink *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_SINK (self), GST_CLOCK_TIME_NONE);

  return self->last_pts;
}

guint64
takes_video_sink_get_frames_received (TakesVideoSink *self)
{
  guint64 n;

  g_return_val_if_fail (TAKES_IS_VIDEO_SINK (self), 0);

  g_mutex_lock (&self->lock);
  n = self->frames_received;
  g_mutex_unlock (&self->lock);

  return n;
}

guint64
takes_video_sink_get_frames_shown (TakesVideoSink *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_SINK (self), 0);

  return self->frames_shown;
}

/**
 * takes_video_sink_get_texture_pts:
 * @texture: a texture
 *
 * Returns: the timestamp of the frame in @texture, when a #TakesVideoSink
 *   made it; otherwise %GST_CLOCK_TIME_NONE
 */
GstClockTime
takes_video_sink_get_texture_pts (GdkTexture *texture)
{
  GstClockTime *pts;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), GST_CLOCK_TIME_NONE);

  pts = g_object_get_qdata (G_OBJECT (texture), pts_quark);

  return pts != NULL ? *pts : GST_CLOCK_TIME_NONE;
}
