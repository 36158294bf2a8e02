/* test-video-sink.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-video-sink"

#include "config.h"

#include <string.h>

#include <gst/gst.h>
#include <gtk/gtk.h>

#include "takes-video-paintable.h"
#include "takes-video-sink.h"

static GThread *main_thread;

typedef struct
{
  GstElement *pipeline;
  TakesVideoSink *sink;
  TakesVideoPaintable *paintable;
  guint frames_seen;
  guint wrong_thread;
  guint size_invalidations;
} Fixture;

static void
on_frame_shown (TakesVideoSink *sink,
                guint64         pts,
                gpointer        user_data)
{
  Fixture *f = user_data;

  /* The whole point of the sink: GTK objects are only touched here */
  if (g_thread_self () != main_thread)
    f->wrong_thread++;
  f->frames_seen++;
}

static void
on_invalidate_size (GdkPaintable *paintable,
                    gpointer      user_data)
{
  Fixture *f = user_data;

  if (g_thread_self () != main_thread)
    f->wrong_thread++;
  f->size_invalidations++;
}

static void
fixture_setup (Fixture    *f,
               const char *description)
{
  g_autoptr(GError) error = NULL;

  f->pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->pipeline);

  f->sink = TAKES_VIDEO_SINK (gst_bin_get_by_name (GST_BIN (f->pipeline), "sink"));
  g_assert_nonnull (f->sink);
  f->paintable = g_object_ref (takes_video_sink_get_paintable (f->sink));

  g_signal_connect (f->sink, "frame-shown", G_CALLBACK (on_frame_shown), f);
  g_signal_connect (f->paintable, "invalidate-size", G_CALLBACK (on_invalidate_size), f);
}

static void
fixture_teardown (Fixture *f)
{
  gst_element_set_state (f->pipeline, GST_STATE_NULL);
  /* Let the pending hand-over (it holds a reference) run out */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gst_clear_object (&f->sink);
  gst_clear_object (&f->pipeline);
  g_clear_object (&f->paintable);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @f has seen @n frames (or fails after 10 s) */
static void
wait_frames (Fixture *f,
             guint    n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, on_timeout, &timed_out);

  while (f->frames_seen < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static void
wait_state (Fixture    *f,
            GstMessageType type)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (f->pipeline);
  g_autoptr(GstMessage) message = NULL;

  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, type | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_error ("pipeline error: %s", error->message);
    }
}

static void
test_negotiation (void)
{
  Fixture f = { 0 };
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstStructure *s;
  int width, height;

  fixture_setup (&f,
                 "videotestsrc num-buffers=5 "
                 "! video/x-raw,format=I420,width=640,height=360,framerate=24/1 "
                 "! videoscale ! videoconvert ! takesvideosink name=sink width=320 height=240");

  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);

  pad = gst_element_get_static_pad (GST_ELEMENT (f.sink), "sink");
  caps = gst_pad_get_current_caps (pad);
  g_assert_nonnull (caps);
  s = gst_caps_get_structure (caps, 0);
  /* Packed BGR: GTK draws it without a float round trip */
  g_assert_cmpstr (gst_structure_get_string (s, "format"), ==, "BGR");
  g_assert_true (gst_structure_get_int (s, "width", &width));
  g_assert_true (gst_structure_get_int (s, "height", &height));
  /* Fitted inside 320x240 without changing the 16:9 shape */
  g_assert_cmpint (width, ==, 320);
  g_assert_cmpint (height, ==, 180);

  fixture_teardown (&f);
}

static void
test_preroll (void)
{
  Fixture f = { 0 };
  GdkTexture *texture;

  fixture_setup (&f,
                 "videotestsrc num-buffers=50 "
                 "! video/x-raw,width=640,height=360,framerate=24/1 "
                 "! videoscale ! videoconvert ! takesvideosink name=sink width=320 height=320");

  /* Paused, never played: the preroll frame must still be shown */
  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  wait_frames (&f, 1);

  g_assert_cmpuint (f.wrong_thread, ==, 0);
  texture = takes_video_paintable_get_texture (f.paintable);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (f.paintable)), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (f.paintable)), ==, 180);
  g_assert_cmpuint (f.size_invalidations, ==, 1);
  g_assert_cmpuint (takes_video_sink_get_last_pts (f.sink), ==, 0);
  g_assert_cmpuint (takes_video_sink_get_texture_pts (texture), ==, 0);
  g_assert_cmpuint (takes_video_sink_get_frames_shown (f.sink), ==, 1);

  fixture_teardown (&f);
}

static void
test_preroll_not_twice (void)
{
  Fixture f = { 0 };

  fixture_setup (&f,
                 "videotestsrc num-buffers=5 "
                 "! video/x-raw,width=160,height=90,framerate=24/1 "
                 "! videoconvert ! takesvideosink name=sink sync=false");

  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  g_assert_cmpuint (takes_video_sink_get_frames_received (f.sink), ==, 1);

  /* Playing renders the prerolled buffer again; it is on screen already,
   * so five buffers make five frames, not six */
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  wait_state (&f, GST_MESSAGE_EOS);
  g_assert_cmpuint (takes_video_sink_get_frames_received (f.sink), ==, 5);

  fixture_teardown (&f);
}

static void
test_main_thread (void)
{
  Fixture f = { 0 };
  guint64 received;

  fixture_setup (&f,
                 "videotestsrc num-buffers=30 "
                 "! video/x-raw,width=160,height=90,framerate=24/1 "
                 "! videoconvert ! takesvideosink name=sink sync=false");

  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  wait_state (&f, GST_MESSAGE_EOS);

  /* Frames were rendered on the streaming thread while nobody ran the main
   * loop: they wait in the one-slot mailbox, behind a single idle. */
  received = takes_video_sink_get_frames_received (f.sink);
  g_assert_cmpuint (received, ==, 30);
  g_assert_cmpuint (f.frames_seen, ==, 0);

  wait_frames (&f, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpuint (f.wrong_thread, ==, 0);
  /* The latest frame won, and one idle carried it */
  g_assert_cmpuint (f.frames_seen, ==, 1);
  g_assert_cmpuint (takes_video_sink_get_last_pts (f.sink), ==,
                    gst_util_uint64_scale (29, GST_SECOND, 24));
  /* and the picture says which frame it shows */
  g_assert_cmpuint (takes_video_sink_get_texture_pts (takes_video_paintable_get_texture (f.paintable)), ==,
                    gst_util_uint64_scale (29, GST_SECOND, 24));

  fixture_teardown (&f);
}

static void
test_pixel_aspect (void)
{
  Fixture f = { 0 };

  fixture_setup (&f,
                 "videotestsrc num-buffers=5 "
                 "! video/x-raw,format=BGRA,width=160,height=90,pixel-aspect-ratio=2/1,framerate=24/1 "
                 "! takesvideosink name=sink");

  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  wait_frames (&f, 1);

  /* Pixels twice as wide as tall: shown twice as wide, never squeezed */
  g_assert_cmpfloat_with_epsilon (takes_video_paintable_get_pixel_aspect_ratio (f.paintable), 2.0, 1e-9);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (f.paintable)), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (f.paintable)), ==, 90);
  g_assert_cmpfloat_with_epsilon (gdk_paintable_get_intrinsic_aspect_ratio (GDK_PAINTABLE (f.paintable)),
                                  320.0 / 90.0, 1e-9);

  fixture_teardown (&f);
}

static void
check_pixels (const char *format)
{
  Fixture f = { 0 };
  g_autofree char *description = NULL;
  GdkTexture *texture;
  guchar *pixels;
  gsize stride;
  int width, height;

  /* pattern=red: the texture must read back as opaque red, so the memory
   * format matches what videoconvert wrote. 63 pixels wide: a packed
   * 24-bit row is then padded (189 bytes in a 192-byte stride), and a
   * wrong stride would shear every row after the first. */
  description = g_strdup_printf ("videotestsrc num-buffers=2 pattern=red "
                                 "! video/x-raw,width=63,height=36,framerate=24/1 "
                                 "! videoconvert ! video/x-raw,format=%s "
                                 "! takesvideosink name=sink", format);
  fixture_setup (&f, description);

  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  wait_frames (&f, 1);

  texture = takes_video_paintable_get_texture (f.paintable);
  g_assert_nonnull (texture);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, 63);
  g_assert_cmpint (height, ==, 36);
  stride = width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  /* cairo ARGB32, little endian: B G R A; first, last and a middle pixel */
  for (gsize offset = 0; offset < stride * height; offset += stride * height / 2 - 4)
    {
      g_assert_cmpuint (pixels[offset + 0], <, 8);
      g_assert_cmpuint (pixels[offset + 1], <, 8);
      g_assert_cmpuint (pixels[offset + 2], >, 240);
      g_assert_cmpuint (pixels[offset + 3], ==, 255);
    }
  g_free (pixels);

  fixture_teardown (&f);
}

static void
test_pixels_bgr (void)
{
  check_pixels ("BGR");
}

static void
test_pixels_bgra (void)
{
  check_pixels ("BGRA");
}

static GdkTexture *
solid_texture (guchar value)
{
  g_autoptr(GBytes) bytes = NULL;
  guchar pixels[4 * 4 * 3];

  memset (pixels, value, sizeof pixels);
  bytes = g_bytes_new (pixels, sizeof pixels);

  return gdk_memory_texture_new (4, 4, GDK_MEMORY_B8G8R8, bytes, 4 * 3);
}

static void
paint (TakesVideoPaintable *paintable)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  gdk_paintable_snapshot (GDK_PAINTABLE (paintable), snapshot, 4, 4);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
}

static void
test_paintable_waits_for_paint (void)
{
  g_autoptr(TakesVideoPaintable) paintable = takes_video_paintable_new ();
  g_autoptr(GdkTexture) a = solid_texture (10);
  g_autoptr(GdkTexture) b = solid_texture (20);
  g_autoptr(GdkTexture) c = solid_texture (30);
  g_autoptr(GdkTexture) d = solid_texture (40);

  /* not made by a sink: no timestamp */
  g_assert_cmpuint (takes_video_sink_get_texture_pts (a), ==, GST_CLOCK_TIME_NONE);

  /* Not painted yet, nobody watching: the latest frame wins */
  takes_video_paintable_set_texture (paintable, a, 1.0);
  takes_video_paintable_set_texture (paintable, b, 1.0);
  g_assert_true (takes_video_paintable_get_texture (paintable) == b);

  /* Watched: a frame that missed its paint waits for the next one... */
  paint (paintable);
  g_assert_cmpuint (takes_video_paintable_get_n_painted (paintable), ==, 1);
  takes_video_paintable_set_texture (paintable, c, 1.0);
  g_assert_true (takes_video_paintable_get_texture (paintable) == c);
  takes_video_paintable_set_texture (paintable, d, 1.0);
  g_assert_true (takes_video_paintable_get_texture (paintable) == c);

  /* ... is painted, and the newer one follows right after */
  paint (paintable);
  g_assert_cmpuint (takes_video_paintable_get_n_painted (paintable), ==, 2);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (takes_video_paintable_get_texture (paintable) == d);
  paint (paintable);
  g_assert_cmpuint (takes_video_paintable_get_n_painted (paintable), ==, 3);

  /* Clearing never waits */
  takes_video_paintable_set_texture (paintable, a, 1.0);
  takes_video_paintable_set_texture (paintable, NULL, 1.0);
  g_assert_null (takes_video_paintable_get_texture (paintable));
}

static void
test_paintable_hold (void)
{
  g_autoptr(TakesVideoPaintable) paintable = takes_video_paintable_new ();
  g_autoptr(GdkTexture) a = solid_texture (10);
  g_autoptr(GdkTexture) b = solid_texture (20);
  g_autoptr(GdkTexture) c = solid_texture (30);

  /* Held, a frame waits for the release */
  takes_video_paintable_hold (paintable);
  g_assert_true (takes_video_paintable_get_held (paintable));
  takes_video_paintable_set_texture (paintable, a, 1.0);
  g_assert_null (takes_video_paintable_get_texture (paintable));
  takes_video_paintable_release (paintable);
  g_assert_false (takes_video_paintable_get_held (paintable));
  g_assert_true (takes_video_paintable_get_texture (paintable) == a);

  /* A frame still waiting when the next comes is shown, not lost */
  takes_video_paintable_hold (paintable);
  takes_video_paintable_set_texture (paintable, b, 1.0);
  g_assert_true (takes_video_paintable_get_texture (paintable) == a);
  takes_video_paintable_set_texture (paintable, c, 1.0);
  g_assert_true (takes_video_paintable_get_texture (paintable) == b);
  takes_video_paintable_release (paintable);
  g_assert_true (takes_video_paintable_get_texture (paintable) == c);

  /* Clearing does not wait, and forgets a waiting frame */
  takes_video_paintable_hold (paintable);
  takes_video_paintable_set_texture (paintable, b, 1.0);
  takes_video_paintable_set_texture (paintable, NULL, 1.0);
  g_assert_null (takes_video_paintable_get_texture (paintable));
  takes_video_paintable_release (paintable);
  g_assert_null (takes_video_paintable_get_texture (paintable));
}

static void
test_resize (void)
{
  Fixture f = { 0 };
  GdkTexture *texture;
  guint seen;

  fixture_setup (&f,
                 "videotestsrc num-buffers=100 "
                 "! video/x-raw,width=640,height=360,framerate=24/1 "
                 "! videoscale ! videoconvert ! takesvideosink name=sink width=320 height=320");

  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  wait_frames (&f, 1);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (f.paintable)), ==, 320);

  /* The widget got smaller: the next frame comes smaller, scaled upstream */
  takes_video_sink_set_size_hint (f.sink, 160, 160);
  seen = f.frames_seen;
  g_assert_true (gst_element_seek_simple (f.pipeline, GST_FORMAT_TIME,
                                          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                          GST_SECOND));
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  wait_frames (&f, seen + 1);

  texture = takes_video_paintable_get_texture (f.paintable);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 160);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 90);
  g_assert_cmpuint (f.size_invalidations, ==, 2);

  fixture_teardown (&f);
}

static void
on_buffer_freed (gpointer     user_data,
                 GstMiniObject *where_the_object_was)
{
  guint *freed = user_data;

  (*freed)++;
}

static GstPadProbeReturn
watch_buffer (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint *watched = user_data;

  gst_mini_object_weak_ref (GST_MINI_OBJECT (buffer), on_buffer_freed, &watched[1]);
  watched[0]++;

  return GST_PAD_PROBE_OK;
}

static void
test_releases_buffers (void)
{
  Fixture f = { 0 };
  g_autoptr(GstPad) pad = NULL;
  guint watched[2] = { 0, 0 };   /* seen, freed */

  fixture_setup (&f,
                 "videotestsrc num-buffers=3 "
                 "! video/x-raw,width=64,height=36,framerate=24/1 "
                 "! videoconvert ! takesvideosink name=sink");

  pad = gst_element_get_static_pad (GST_ELEMENT (f.sink), "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, watch_buffer, watched, NULL);

  gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  wait_state (&f, GST_MESSAGE_ASYNC_DONE);
  wait_frames (&f, 1);
  g_assert_cmpuint (watched[0], >=, 1);

  /* The texture on screen keeps its buffer mapped ... */
  g_assert_cmpuint (watched[1], <, watched[0]);

  /* ... and lets go of it with the texture: nothing mapped leaks */
  g_clear_object (&pad);
  fixture_teardown (&f);
  g_assert_cmpuint (watched[1], ==, watched[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  /* Render node types are registered on first use of one: the paintable
   * is snapshotted here without GTK being initialised (no display) */
  g_type_ensure (GSK_TYPE_TEXTURE_NODE);
  main_thread = g_thread_self ();

  takes_video_sink_register ();

  g_test_add_func ("/Takes/VideoSink/negotiation", test_negotiation);
  g_test_add_func ("/Takes/VideoSink/preroll-shown-when-paused", test_preroll);
  g_test_add_func ("/Takes/VideoSink/preroll-frame-not-shown-twice", test_preroll_not_twice);
  g_test_add_func ("/Takes/VideoSink/hands-textures-to-main-thread", test_main_thread);
  g_test_add_func ("/Takes/VideoSink/pixel-aspect-ratio", test_pixel_aspect);
  g_test_add_func ("/Takes/VideoSink/pixels-bgr", test_pixels_bgr);
  g_test_add_func ("/Takes/VideoSink/pixels-bgra", test_pixels_bgra);
  g_test_add_func ("/Takes/VideoSink/resize-renegotiates", test_resize);
  g_test_add_func ("/Takes/VideoPaintable/late-paint-keeps-the-frame", test_paintable_waits_for_paint);
  g_test_add_func ("/Takes/VideoPaintable/hold-and-release", test_paintable_hold);
  g_test_add_func ("/Takes/VideoSink/releases-buffers", test_releases_buffers);

  return g_test_run ();
}
