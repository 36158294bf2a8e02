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
#include "takes-transport-bar.h"
#include "takes-video-sink.h"

struct _TakesPlayerView
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *box;
  GtkPicture *picture;
  GtkLabel *message_label;
  TakesTransportBar *transport;

  /* owned */
  TakesPlayer *player;
  TakesTake *take;
};

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

static void
takes_player_view_unmap (GtkWidget *widget)
{
  TakesPlayerView *self = TAKES_PLAYER_VIEW (widget);

  /* Nobody watches a hidden player: stop decoding */
  if (takes_player_get_playing (self->player))
    takes_player_pause (self->player);

  GTK_WIDGET_CLASS (takes_player_view_parent_class)->unmap (widget);
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

  G_OBJECT_CLASS (takes_player_view_parent_class)->dispose (object);
}

static void
takes_player_view_class_init (TakesPlayerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_player_view_dispose;
  widget_class->unmap = takes_player_view_unmap;

  g_type_ensure (TAKES_TYPE_TRANSPORT_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-player-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesPlayerView, box);
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

  takes_video_sink_register ();
  self->player = takes_player_new ("takesvideosink");
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);

  takes_transport_bar_set_player (self->transport, self->player);
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
  g_autoptr(GError) error = NULL;
  GstElement *sink;

  g_return_if_fail (TAKES_IS_PLAYER_VIEW (self));

  show_message (self, NULL);
  gtk_picture_set_paintable (self->picture, NULL);

  if (uri == NULL)
    {
      takes_player_stop (self->player);
      return;
    }

  {
    const char *uris[] = { uri, NULL };

    if (!takes_player_set_uris (self->player, uris, &error))
      {
        show_message (self, error->message);
        return;
      }
  }

  sink = takes_player_get_video_sink (self->player, 0);
  if (TAKES_IS_VIDEO_SINK (sink))
    {
      TakesVideoPaintable *paintable = takes_video_sink_get_paintable (TAKES_VIDEO_SINK (sink));

      takes_video_paintable_set_scale_factor (paintable,
                                              gtk_widget_get_scale_factor (GTK_WIDGET (self)));
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (paintable));
    }
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

  return self->player;
}
