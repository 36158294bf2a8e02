/* takes-video-paintable.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TAKES_TYPE_VIDEO_PAINTABLE (takes_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (TakesVideoPaintable, takes_video_paintable, TAKES, VIDEO_PAINTABLE, GObject)

/* Called (on the main thread) with the size, in pixels, the paintable was
 * last drawn at, so the producer can scale frames to it. */
typedef void (*TakesVideoPaintableSizeFunc) (TakesVideoPaintable *paintable,
                                             int                  width,
                                             int                  height,
                                             gpointer             user_data);

/* The latest frame of a video as a GdkPaintable. Main thread only.
 * Properties: "texture" (GdkTexture, may be NULL), "pixel-aspect-ratio"
 * (double), "scale-factor" (int, device pixels per logical pixel, for the
 * size hint). */
TakesVideoPaintable *takes_video_paintable_new              (void);

/* Shows @texture (NULL clears), whose pixels are @par wide (width/height
 * of one pixel; 1.0 for square pixels). */
void                 takes_video_paintable_set_texture      (TakesVideoPaintable *self,
                                                             GdkTexture          *texture,
                                                             double               par);
GdkTexture          *takes_video_paintable_get_texture      (TakesVideoPaintable *self);
double               takes_video_paintable_get_pixel_aspect_ratio (TakesVideoPaintable *self);
void                 takes_video_paintable_set_scale_factor (TakesVideoPaintable *self,
                                                             int                  scale_factor);
void                 takes_video_paintable_set_size_func    (TakesVideoPaintable *self,
                                                             TakesVideoPaintableSizeFunc func,
                                                             gpointer             user_data,
                                                             GDestroyNotify       destroy);
/* Held, a new frame waits until released, so that several pictures can
 * change together; a frame still waiting when the next one comes is shown
 * (held frames are late, never lost). Releasing shows the waiting frame,
 * if any, and stops holding. */
void                 takes_video_paintable_hold             (TakesVideoPaintable *self);
void                 takes_video_paintable_release          (TakesVideoPaintable *self);
gboolean             takes_video_paintable_get_held         (TakesVideoPaintable *self);
/* How many distinct frames were drawn at least once (for benchmarks) */
guint64              takes_video_paintable_get_n_painted    (TakesVideoPaintable *self);

G_END_DECLS
