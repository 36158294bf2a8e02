/* takes-player-view.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-player-view"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-player-view.h"
#include "takes-timeline.h"         /* ges_init(), with GES's headers tamed */
#include "takes-transport-bar.h"
#include "takes-video-sink.h"

struct _TakesPlayerView
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *box;
  GtkWidget *video_frame;
  GtkPicture *picture;
  GtkLabel *message_label;
  TakesTransportBar *transport;

  /* owned */
  TakesPlayer *player;
  TakesTake *take;
  char *uri;

  /* Where a released pipeline was, to come back there when shown again */
  gint64 resume_position;
  guint released : 1;
};

/* What the video area asks for with nothing to go by */
#define NATURAL_WIDTH 640

G_DEFINE_FINAL_TYPE (TakesPlayerView, takes_player_view, GTK_TYPE_WIDGET)

static void
show_message (TakesPlayerView *self,
              const char      *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
on_player_error (TakesPlayer     *player,
                 guint            index,
                 const char      *message,
                 TakesPlayerView *self)
{
  show_message (self, message);
}

/* GStreamer stays off the start-up path: the player (and GStreamer with
 * it) is made when there is something to play. GES is initialised first:
 * ges_init() loads plugins while it holds the type lock, and a pipeline
 * of ours loading a plugin in a streaming thread at that moment (when
 * the timeline is made while a take prerolls) would deadlock with it. */
static TakesPlayer *
ensure_player (TakesPlayerView *self)
{
  if (self->player != NULL)
    return self->player;

  gst_init (NULL, NULL);
  ges_init ();
  takes_video_sink_register ();

  self->player = takes_player_new ("takesvideosink");
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);
  takes_transport_bar_set_player (self->transport, self->player);

  return self->player;
}

static void
show_sink (TakesPlayerView *self)
{
  GstElement *sink = takes_player_get_video_sink (self->player, 0);

  if (TAKES_IS_VIDEO_SINK (sink))
    {
      TakesVideoPaintable *paintable = takes_video_sink_get_paintable (TAKES_VIDEO_SINK (sink));

      takes_video_paintable_set_scale_factor (paintable,
                                              gtk_widget_get_scale_factor (GTK_WIDGET (self)));
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (paintable));
    }
  else
    gtk_picture_set_paintable (self->picture, NULL);
}

/* Builds the pipeline for self->uri, paused on its first frame (or on
 * @position). */
static void
load (TakesPlayerView *self,
      gint64           position)
{
  const char *uris[] = { self->uri, NULL };
  g_autoptr(GError) error = NULL;

  self->released = FALSE;
  gtk_picture_set_paintable (self->picture, NULL);

  if (!takes_player_set_uris (ensure_player (self), uris, &error))
    {
      show_message (self, error->message);
      return;
    }

  show_sink (self);
  if (position > 0)
    takes_player_seek (self->player, position);
}

/* Nobody watches a hidden player: it gives its pipeline (decoders,
 * buffers, the audio device) back until it is shown again. */
static void
release (TakesPlayerView *self)
{
  if (self->uri == NULL || self->released || self->player == NULL)
    return;

  self->resume_position = takes_player_get_n_sources (self->player) > 0
                          ? takes_player_get_position (self->player) : 0;
  self->released = TRUE;
  gtk_picture_set_paintable (self->picture, NULL);
  takes_player_stop (self->player);
}

static void
takes_player_view_map (GtkWidget *widget)
{
  TakesPlayerView *self = TAKES_PLAYER_VIEW (widget);

  GTK_WIDGET_CLASS (takes_player_view_parent_class)->map (widget);

  if (self->uri != NULL && self->released)
    load (self, self->resume_position);
}

static void
takes_player_view_unmap (GtkWidget *widget)
{
  TakesPlayerView *self = TAKES_PLAYER_VIEW (widget);

  release (self);

  GTK_WIDGET_CLASS (takes_player_view_parent_class)->unmap (widget);
}

/* The video area is 16:9 of its width; other aspects are letterboxed
 * inside it by the picture. */
static void
video_frame_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_min = 0, child_nat = 0;

  if (child != NULL)
    gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = child_min;
      *natural = MAX (child_min, NATURAL_WIDTH);
    }
  else if (for_size > 0)
    {
      /* A scrolled column gives its content the minimum height, so the
       * 16:9 is the minimum as well. */
      *minimum = *natural = MAX (child_min, for_size * 9 / 16);
    }
  else
    {
      *minimum = child_min;
      *natural = MAX (child_min, NATURAL_WIDTH * 9 / 16);
    }
}

static void
video_frame_allocate (GtkWidget *widget,
                      int        width,
                      int        height,
                      int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, -1, NULL);
}

static void
takes_player_view_dispose (GObject *object)
{
  TakesPlayerView *self = TAKES_PLAYER_VIEW (object);

  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      takes_player_stop (self->player);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_PLAYER_VIEW);

  g_clear_object (&self->player);
  g_clear_object (&self->take);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (takes_player_view_parent_class)->dispose (object);
}

static void
takes_player_view_class_init (TakesPlayerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_player_view_dispose;
  widget_class->map = takes_player_view_map;
  widget_class->unmap = takes_player_view_unmap;

  g_type_ensure (TAKES_TYPE_TRANSPORT_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-player-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesPlayerView, box);
  gtk_widget_class_bind_template_child (widget_class, TakesPlayerView, video_frame);
  gtk_widget_class_bind_template_child (widget_class, TakesPlayerView, picture);
  gtk_widget_class_bind_template_child (widget_class, TakesPlayerView, message_label);
  gtk_widget_class_bind_template_child (widget_class, TakesPlayerView, transport);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "playerview");
}

static void
takes_player_view_init (TakesPlayerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _takes_media_ensure_style ();
  gtk_widget_set_layout_manager (self->video_frame,
                                 gtk_custom_layout_new (NULL,
                                                        video_frame_measure,
                                                        video_frame_allocate));

  /* The player itself comes with the first file (ensure_player()) */
  takes_transport_bar_add_shortcuts (self->transport, GTK_WIDGET (self));

  /* Clicking the picture gives the view the keyboard, for Space and J/K/L */
  {
    GtkGesture *click = gtk_gesture_click_new ();

    g_signal_connect_swapped (click, "pressed", G_CALLBACK (gtk_widget_grab_focus), self);
    gtk_widget_add_controller (GTK_WIDGET (self->picture), GTK_EVENT_CONTROLLER (click));
  }
}

GtkWidget *
takes_player_view_new (void)
{
  return g_object_new (TAKES_TYPE_PLAYER_VIEW, NULL);
}

void
takes_player_view_set_uri (TakesPlayerView *self,
                           const char      *uri)
{
  g_return_if_fail (TAKES_IS_PLAYER_VIEW (self));

  show_message (self, NULL);
  gtk_picture_set_paintable (self->picture, NULL);
  g_free (self->uri);
  self->uri = g_strdup (uri);
  self->resume_position = 0;

  /* The old file goes at once, shown or not */
  if (self->player != NULL)
    takes_player_stop (self->player);
  self->released = TRUE;

  if (uri != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self, 0);
}

void
takes_player_view_set_take (TakesPlayerView *self,
                            TakesProject    *project,
                            TakesTake       *take)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (TAKES_IS_PLAYER_VIEW (self));
  g_return_if_fail (project == NULL || TAKES_IS_PROJECT (project));
  g_return_if_fail (take == NULL || TAKES_IS_TAKE (take));

  if (!g_set_object (&self->take, take))
    return;

  if (take == NULL || project == NULL || takes_take_get_media (take) == NULL)
    {
      takes_player_view_set_uri (self, NULL);
      if (take != NULL)
        show_message (self, _("This take has no video yet"));
      return;
    }

  file = takes_project_resolve (project, takes_take_get_media (take));
  uri = g_file_get_uri (file);
  takes_player_view_set_uri (self, uri);
}

TakesTake *
takes_player_view_get_take (TakesPlayerView *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER_VIEW (self), NULL);

  return self->take;
}

TakesPlayer *
takes_player_view_get_player (TakesPlayerView *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER_VIEW (self), NULL);

  return ensure_player (self);
}

TakesPlayer *
takes_player_view_peek_player (TakesPlayerView *self)
{
  g_return_val_if_fail (TAKES_IS_PLAYER_VIEW (self), NULL);

  return self->player;
}
