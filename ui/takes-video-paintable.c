/* takes-video-paintable.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-video-paintable"

#include "config.h"

#include <math.h>

#include "takes-video-paintable.h"

struct _TakesVideoPaintable
{
  GObject parent_instance;

  /* owned */
  GdkTexture *texture;
  GdkTexture *last_painted;
  GdkTexture *pending;          /* next frame, while texture awaits its paint */
  double pending_par;
  guint promote_id;
  gint64 last_snapshot;         /* monotonic time of the last paint */

  gboolean held;
  GdkTexture *held_texture;     /* the newest frame while held */
  double held_par;

  double par;
  int scale_factor;
  guint64 n_painted;

  int hint_width;
  int hint_height;
  TakesVideoPaintableSizeFunc size_func;
  gpointer size_data;
  GDestroyNotify size_destroy;
};

static void takes_video_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TakesVideoPaintable, takes_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      takes_video_paintable_paintable_init))

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_PIXEL_ASPECT_RATIO,
  PROP_SCALE_FACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Painted this recently, the paintable is on screen and being watched */
#define WATCHED_USEC (100 * G_TIME_SPAN_MILLISECOND)

static void apply_texture (TakesVideoPaintable *self,
                           GdkTexture          *texture,
                           double               par);

static int
takes_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0;

  return (int) round (gdk_texture_get_width (self->texture) * self->par);
}

static int
takes_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0;

  return gdk_texture_get_height (self->texture);
}

static double
takes_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (paintable);
  int height;

  if (self->texture == NULL)
    return 0.0;

  height = gdk_texture_get_height (self->texture);
  if (height <= 0)
    return 0.0;

  return gdk_texture_get_width (self->texture) * self->par / height;
}

static void
maybe_report_size (TakesVideoPaintable *self,
                   double               width,
                   double               height)
{
  /* Rounded down: a frame a little smaller than its place is enlarged
   * cheaply; one a little larger would be shrunk with a costly filter. */
  int w = (int) floor (width * self->scale_factor);
  int h = (int) floor (height * self->scale_factor);

  if (self->size_func == NULL || w <= 0 || h <= 0)
    return;

  /* Sub-pixel jitter during layout would renegotiate the stream for nothing */
  if (ABS (w - self->hint_width) <= 2 && ABS (h - self->hint_height) <= 2)
    return;

  self->hint_width = w;
  self->hint_height = h;
  self->size_func (self, w, h, self->size_data);
}

static gboolean
promote_pending (gpointer user_data)
{
  TakesVideoPaintable *self = user_data;
  g_autoptr(GdkTexture) pending = g_steal_pointer (&self->pending);

  self->promote_id = 0;
  if (pending != NULL)
    apply_texture (self, pending, self->pending_par);

  return G_SOURCE_REMOVE;
}

static void
takes_video_paintable_snapshot (GdkPaintable *paintable,
                                GdkSnapshot  *snapshot,
                                double        width,
                                double        height)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return;

  if (self->texture != self->last_painted)
    {
      g_set_object (&self->last_painted, self->texture);
      self->n_painted++;
    }
  self->last_snapshot = g_get_monotonic_time ();

  /* The frame that waited for this paint goes up right after it */
  if (self->pending != NULL && self->promote_id == 0)
    self->promote_id = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, promote_pending,
                                        g_object_ref (self), g_object_unref);

  {
    double tw = gdk_texture_get_width (self->texture) * self->par / self->scale_factor;
    double th = (double) gdk_texture_get_height (self->texture) / self->scale_factor;

    /* The frames are scaled upstream to about the size they are drawn at.
     * When they are within a pixel or two, draw them 1:1: a renderer
     * scaling by 0.998 resamples every pixel (slowly, on the CPU) for a
     * picture no one can tell apart. */
    if (self->par == 1.0 && ABS (tw - width) <= 2.0 && ABS (th - height) <= 2.0)
      {
        gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot),
                                     self->texture,
                                     &GRAPHENE_RECT_INIT (round ((width - tw) / 2),
                                                          round ((height - th) / 2),
                                                          tw, th));
      }
    else
      gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot),
                                   self->texture,
                                   &GRAPHENE_RECT_INIT (0, 0, width, height));
  }

  maybe_report_size (self, width, height);
}

static GdkPaintable *
takes_video_paintable_get_current_image (GdkPaintable *paintable)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));

  return gdk_paintable_new_empty (0, 0);
}

static void
takes_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = takes_video_paintable_snapshot;
  iface->get_current_image = takes_video_paintable_get_current_image;
  iface->get_intrinsic_width = takes_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = takes_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = takes_video_paintable_get_intrinsic_aspect_ratio;
}

static void
takes_video_paintable_dispose (GObject *object)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (object);

  g_clear_handle_id (&self->promote_id, g_source_remove);
  g_clear_object (&self->texture);
  g_clear_object (&self->last_painted);
  g_clear_object (&self->pending);
  g_clear_object (&self->held_texture);

  if (self->size_destroy != NULL)
    self->size_destroy (self->size_data);
  self->size_func = NULL;
  self->size_data = NULL;
  self->size_destroy = NULL;

  G_OBJECT_CLASS (takes_video_paintable_parent_class)->dispose (object);
}

static void
takes_video_paintable_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    case PROP_PIXEL_ASPECT_RATIO:
      g_value_set_double (value, self->par);
      break;

    case PROP_SCALE_FACTOR:
      g_value_set_int (value, self->scale_factor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_video_paintable_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TakesVideoPaintable *self = TAKES_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_SCALE_FACTOR:
      takes_video_paintable_set_scale_factor (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_video_paintable_class_init (TakesVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_video_paintable_dispose;
  object_class->get_property = takes_video_paintable_get_property;
  object_class->set_property = takes_video_paintable_set_property;

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIXEL_ASPECT_RATIO] =
    g_param_spec_double ("pixel-aspect-ratio", NULL, NULL,
                         0.01, 100.0, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_FACTOR] =
    g_param_spec_int ("scale-factor", NULL, NULL,
                      1, 16, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
takes_video_paintable_init (TakesVideoPaintable *self)
{
  self->par = 1.0;
  self->scale_factor = 1;
}

TakesVideoPaintable *
takes_video_paintable_new (void)
{
  return g_object_new (TAKES_TYPE_VIDEO_PAINTABLE, NULL);
}

void
takes_video_paintable_set_texture (TakesVideoPaintable *self,
                                   GdkTexture          *texture,
                                   double               par)
{
  g_autoptr(GdkTexture) older = NULL;

  g_return_if_fail (TAKES_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (texture == NULL)
    g_clear_object (&self->held_texture);
  else if (self->held)
    {
      double older_par = self->held_par;

      older = g_steal_pointer (&self->held_texture);
      self->held_texture = g_object_ref (texture);
      self->held_par = par;
      if (older == NULL)
        return;

      /* Holding delays a frame, never loses one: a frame still waiting
       * when the next comes goes up now */
      texture = older;
      par = older_par;
    }

  /* Latest frame wins, except over one that has not been painted yet
   * while the picture is watched: a paint that came late (a busy main
   * loop, a slow X server) would otherwise lose that frame. It waits for
   * one paint instead, and the newest frame after it. Unwatched, there
   * is no paint to wait for. */
  if (texture != NULL && self->texture != NULL &&
      self->texture != self->last_painted &&
      g_get_monotonic_time () - self->last_snapshot < WATCHED_USEC)
    {
      g_set_object (&self->pending, texture);
      self->pending_par = par;
      return;
    }

  g_clear_object (&self->pending);
  apply_texture (self, texture, par);
}

static void
apply_texture (TakesVideoPaintable *self,
               GdkTexture          *texture,
               double               par)
{
  gboolean size_changed;

  if (par <= 0.0)
    par = 1.0;

  if (self->texture == texture && self->par == par)
    return;

  size_changed = (self->texture == NULL) != (texture == NULL) ||
                 self->par != par ||
                 (texture != NULL &&
                  (gdk_texture_get_width (texture) != gdk_texture_get_width (self->texture) ||
                   gdk_texture_get_height (texture) != gdk_texture_get_height (self->texture)));

  g_set_object (&self->texture, texture);

  if (self->par != par)
    {
      self->par = par;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXEL_ASPECT_RATIO]);
    }

  /* A new size relayouts the picture; a new frame of the same size only
   * redraws it. */
  if (size_changed)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

GdkTexture *
takes_video_paintable_get_texture (TakesVideoPaintable *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_PAINTABLE (self), NULL);

  return self->texture;
}

double
takes_video_paintable_get_pixel_aspect_ratio (TakesVideoPaintable *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_PAINTABLE (self), 1.0);

  return self->par;
}

void
takes_video_paintable_set_scale_factor (TakesVideoPaintable *self,
                                        int                  scale_factor)
{
  g_return_if_fail (TAKES_IS_VIDEO_PAINTABLE (self));

  scale_factor = MAX (scale_factor, 1);
  if (self->scale_factor == scale_factor)
    return;

  self->scale_factor = scale_factor;
  self->hint_width = self->hint_height = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_FACTOR]);
}

void
takes_video_paintable_set_size_func (TakesVideoPaintable        *self,
                                     TakesVideoPaintableSizeFunc func,
                                     gpointer                    user_data,
                                     GDestroyNotify              destroy)
{
  g_return_if_fail (TAKES_IS_VIDEO_PAINTABLE (self));

  if (self->size_destroy != NULL)
    self->size_destroy (self->size_data);

  self->size_func = func;
  self->size_data = user_data;
  self->size_destroy = destroy;
  self->hint_width = self->hint_height = 0;
}

guint64
takes_video_paintable_get_n_painted (TakesVideoPaintable *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_PAINTABLE (self), 0);

  return self->n_painted;
}

void
takes_video_paintable_hold (TakesVideoPaintable *self)
{
  g_return_if_fail (TAKES_IS_VIDEO_PAINTABLE (self));

  self->held = TRUE;
}

void
takes_video_paintable_release (TakesVideoPaintable *self)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_if_fail (TAKES_IS_VIDEO_PAINTABLE (self));

  self->held = FALSE;
  texture = g_steal_pointer (&self->held_texture);
  if (texture != NULL)
    takes_video_paintable_set_texture (self, texture, self->held_par);
}

gboolean
takes_video_paintable_get_held (TakesVideoPaintable *self)
{
  g_return_val_if_fail (TAKES_IS_VIDEO_PAINTABLE (self), FALSE);

  return self->held;
}
