/* takes-wipe-view.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-wipe-view"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-wipe-view.h"

#define KEY_STEP 0.05

struct _TakesWipeView
{
  GtkWidget parent_instance;

  /* owned */
  GdkPaintable *a;
  GdkPaintable *b;

  double position;
  double drag_start;
};

G_DEFINE_FINAL_TYPE (TakesWipeView, takes_wipe_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_rtl (TakesWipeView *self)
{
  return gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
}

static void
snapshot_fitted (GdkPaintable *paintable,
                 GtkSnapshot  *snapshot,
                 double        width,
                 double        height)
{
  double aspect, w, h;

  if (paintable == NULL)
    return;

  aspect = gdk_paintable_get_intrinsic_aspect_ratio (paintable);
  if (aspect <= 0)
    aspect = width / MAX (height, 1);

  /* contain: the whole frame, undistorted, centred */
  if (aspect > width / MAX (height, 1))
    {
      w = width;
      h = width / aspect;
    }
  else
    {
      h = height;
      w = height * aspect;
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - w) / 2, (height - h) / 2));
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  gtk_snapshot_restore (snapshot);
}

static void
takes_wipe_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  TakesWipeView *self = TAKES_WIPE_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double split = is_rtl (self) ? width * (1.0 - self->position) : width * self->position;
  graphene_rect_t start_side, end_side;
  GdkRGBA black = { 0, 0, 0, 1 };
  GdkRGBA line = { 1, 1, 1, 0.9 };

  if (is_rtl (self))
    {
      start_side = GRAPHENE_RECT_INIT (split, 0, width - split, height);
      end_side = GRAPHENE_RECT_INIT (0, 0, split, height);
    }
  else
    {
      start_side = GRAPHENE_RECT_INIT (0, 0, split, height);
      end_side = GRAPHENE_RECT_INIT (split, 0, width - split, height);
    }

  gtk_snapshot_append_color (snapshot, &black, &GRAPHENE_RECT_INIT (0, 0, width, height));

  gtk_snapshot_push_clip (snapshot, &start_side);
  snapshot_fitted (self->a, snapshot, width, height);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_push_clip (snapshot, &end_side);
  snapshot_fitted (self->b, snapshot, width, height);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (split - 1, 0, 2, height));
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (split - 4, height / 2 - 20, 8, 40));

  if (gtk_widget_has_visible_focus (widget))
    {
      GdkRGBA focus = { 0.21, 0.52, 0.89, 1 };

      gtk_snapshot_append_color (snapshot, &focus,
                                 &GRAPHENE_RECT_INIT (split - 2, height / 2 - 22, 4, 44));
    }
}

static void
takes_wipe_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 90;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 360;
}

static void
set_from_x (TakesWipeView *self,
            double         x)
{
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);
  double position = x / width;

  takes_wipe_view_set_position (self, is_rtl (self) ? 1.0 - position : position);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TakesWipeView  *self)
{
  self->drag_start = x;
  set_from_x (self, x);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                TakesWipeView  *self)
{
  set_from_x (self, self->drag_start + offset_x);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TakesWipeView         *self)
{
  double towards_right = is_rtl (self) ? -KEY_STEP : KEY_STEP;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      takes_wipe_view_set_position (self, self->position - towards_right);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      takes_wipe_view_set_position (self, self->position + towards_right);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
takes_wipe_view_dispose (GObject *object)
{
  TakesWipeView *self = TAKES_WIPE_VIEW (object);

  takes_wipe_view_set_paintables (self, NULL, NULL);

  G_OBJECT_CLASS (takes_wipe_view_parent_class)->dispose (object);
}

static void
takes_wipe_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TakesWipeView *self = TAKES_WIPE_VIEW (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_wipe_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TakesWipeView *self = TAKES_WIPE_VIEW (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      takes_wipe_view_set_position (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_wipe_view_class_init (TakesWipeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_wipe_view_dispose;
  object_class->get_property = takes_wipe_view_get_property;
  object_class->set_property = takes_wipe_view_set_property;

  widget_class->snapshot = takes_wipe_view_snapshot;
  widget_class->measure = takes_wipe_view_measure;

  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL,
                         0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "wipeview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
takes_wipe_view_init (TakesWipeView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->position = 0.5;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "col-resize");

  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Wipe Position"),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 50.0,
                                  -1);
}

GtkWidget *
takes_wipe_view_new (void)
{
  return g_object_new (TAKES_TYPE_WIPE_VIEW, NULL);
}

static void
watch_paintable (TakesWipeView  *self,
                 GdkPaintable  **slot,
                 GdkPaintable   *paintable)
{
  if (*slot == paintable)
    return;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, self);

  g_set_object (slot, paintable);

  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-contents",
                                G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect_swapped (paintable, "invalidate-size",
                                G_CALLBACK (gtk_widget_queue_draw), self);
    }
}

void
takes_wipe_view_set_paintables (TakesWipeView *self,
                                GdkPaintable  *a,
                                GdkPaintable  *b)
{
  g_return_if_fail (TAKES_IS_WIPE_VIEW (self));

  watch_paintable (self, &self->a, a);
  watch_paintable (self, &self->b, b);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
takes_wipe_view_get_position (TakesWipeView *self)
{
  g_return_val_if_fail (TAKES_IS_WIPE_VIEW (self), 0.5);

  return self->position;
}

void
takes_wipe_view_set_position (TakesWipeView *self,
                              double         position)
{
  g_return_if_fail (TAKES_IS_WIPE_VIEW (self));

  position = CLAMP (position, 0.0, 1.0);
  if (self->position == position)
    return;

  self->position = position;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, position * 100.0,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}
