/* takes-video-sink.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/video/gstvideosink.h>

#include "takes-video-paintable.h"

G_BEGIN_DECLS

#define TAKES_TYPE_VIDEO_SINK (takes_video_sink_get_type ())
G_DECLARE_FINAL_TYPE (TakesVideoSink, takes_video_sink, TAKES, VIDEO_SINK, GstVideoSink)

/* A video sink that shows frames in a TakesVideoPaintable.
 *
 * It accepts BGRA frames in system memory and wraps each one, without
 * copying, in a GdkMemoryTexture (the texture keeps the buffer mapped until
 * GTK drops it). Frames are rendered on the streaming thread into a
 * one-slot mailbox (the latest wins) and handed to the main thread by at
 * most one pending idle; only the main thread touches the paintable.
 *
 * Properties:
 *   "paintable"   TakesVideoPaintable (read-only; created with the sink)
 *   "width", "height"  the largest frame size wanted (0: any). Upstream
 *                 videoscale then scales to fit, keeping the aspect ratio;
 *                 the paintable updates these to the size it is drawn at.
 *   "last-pts"    PTS of the frame shown last (main thread view), or
 *                 GST_CLOCK_TIME_NONE
 *   "frames-received"  frames rendered by GStreamer (streaming side)
 *   "frames-shown"     frames handed to the paintable
 *
 * Signals:
 *   "frame-shown" (guint64 pts): on the main thread, after the paintable
 *                 got a new frame.
 */

/* Registers the "takesvideosink" element factory (idempotent). */
void                 takes_video_sink_register      (void);

GstElement          *takes_video_sink_new           (void);
TakesVideoPaintable *takes_video_sink_get_paintable (TakesVideoSink *self);
void                 takes_video_sink_set_size_hint (TakesVideoSink *self,
                                                     int             width,
                                                     int             height);
GstClockTime         takes_video_sink_get_last_pts  (TakesVideoSink *self);
guint64              takes_video_sink_get_frames_received (TakesVideoSink *self);
guint64              takes_video_sink_get_frames_shown    (TakesVideoSink *self);

GstClockTime         takes_video_sink_get_texture_pts     (GdkTexture     *texture);

G_END_DECLS
