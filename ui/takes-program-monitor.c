/* takes-program-monitor.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-program-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-player.h"
#include "takes-program-monitor.h"
#include "takes-transport-bar.h"
#include "takes-video-sink.h"

struct _TakesProgramMonitor
{
  GtkWidget parent_instance;

  /* children */
  GtkWidget *picture;
  GtkWidget *message;
  GtkWidget *play_button;
  GtkWidget *loop_button;
  GtkWidget *scale;
  GtkWidget *timecode;

  /* owned */
  TakesProgram *program;
  GSignalGroup *program_signals;

  gint64 position;
  guint updating : 1;
};

G_DEFINE_FINAL_TYPE (TakesProgramMonitor, takes_program_monitor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROGRAM,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
program_fps (TakesProgramMonitor *self)
{
  int n = 0, d = 1;

  if (self->program == NULL)
    return 24.0;

  takes_timeline_get_framerate (takes_program_get_timeline (self->program), &n, &d);
  return n > 0 && d > 0 ? (double) n / d : 24.0;
}

static void
update_timecode (TakesProgramMonitor *self)
{
  g_autofree char *position = takes_player_format_timecode (self->position, program_fps (self));
  g_autofree char *duration = NULL;
  g_autofree char *text = NULL;
  gint64 length = self->program != NULL ? takes_program_get_duration (self->program) : 0;

  duration = takes_player_format_timecode (length, program_fps (self));
  /* Translators: the program monitor's timecode, "position / length" */
  text = g_strdup_printf (_("%s / %s"), position, duration);
  gtk_label_set_text (GTK_LABEL (self->timecode), text);
}

static void
update_scale (TakesProgramMonitor *self)
{
  gint64 duration = self->program != NULL ? takes_program_get_duration (self->program) : 0;

  self->updating = TRUE;
  gtk_range_set_range (GTK_RANGE (self->scale), 0, MAX ((double) duration / GST_SECOND, 0.001));
  gtk_range_set_value (GTK_RANGE (self->scale), (double) self->position / GST_SECOND);
  self->updating = FALSE;
}

static void
set_position_internal (TakesProgramMonitor *self,
                       gint64               position)
{
  if (self->position == position)
    return;

  self->position = position;
  update_scale (self);
  update_timecode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
program_position_cb (TakesProgramMonitor *self)
{
  set_position_internal (self, takes_program_get_position (self->program));
}

static void
program_duration_cb (TakesProgramMonitor *self)
{
  gboolean empty = takes_program_get_duration (self->program) <= 0;

  gtk_widget_set_visible (self->message, empty);
  gtk_widget_set_sensitive (self->play_button, !empty);
  update_scale (self);
  update_timecode (self);
}

static void
program_playing_cb (TakesProgramMonitor *self)
{
  gboolean playing = self->program != NULL && takes_program_get_playing (self->program);
  const char *label = playing ? _("Pause") : _("Play");

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
program_loop_cb (TakesProgramMonitor *self)
{
  self->updating = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->loop_button),
                                takes_program_get_loop (self->program));
  self->updating = FALSE;
}

static void
play_clicked_cb (TakesProgramMonitor *self)
{
  if (self->program != NULL)
    takes_program_toggle (self->program);
}

static void
step_back_cb (TakesProgramMonitor *self)
{
  if (self->program != NULL)
    takes_program_step (self->program, -1);
}

static void
step_forward_cb (TakesProgramMonitor *self)
{
  if (self->program != NULL)
    takes_program_step (self->program, 1);
}

static void
loop_toggled_cb (TakesProgramMonitor *self)
{
  if (!self->updating && self->program != NULL)
    takes_program_set_loop (self->program,
                            gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->loop_button)));
}

static void
scale_changed_cb (TakesProgramMonitor *self)
{
  if (self->updating)
    return;

  /* The program keeps one seek in flight and the latest position */
  takes_program_monitor_set_position (self,
                                      (gint64) (gtk_range_get_value (GTK_RANGE (self->scale)) * GST_SECOND));
}

static GtkWidget *
icon_button (const char *icon,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");

  return button;
}

/* Direction is not inherited in GTK 4: the buttons' icons and the
 * timecode are set left to right one by one */
static void
set_ltr (GtkWidget *widget)
{
  gtk_widget_set_direction (widget, GTK_TEXT_DIR_LTR);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_ltr (child);
}

static void
takes_program_monitor_dispose (GObject *object)
{
  TakesProgramMonitor *self = TAKES_PROGRAM_MONITOR (object);
  GtkWidget *child;

  if (self->program_signals != NULL)
    g_signal_group_set_target (self->program_signals, NULL);
  g_clear_object (&self->program_signals);
  g_clear_object (&self->program);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (takes_program_monitor_parent_class)->dispose (object);
}

static void
takes_program_monitor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TakesProgramMonitor *self = TAKES_PROGRAM_MONITOR (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      g_value_set_object (value, self->program);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_program_monitor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TakesProgramMonitor *self = TAKES_PROGRAM_MONITOR (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      takes_program_monitor_set_program (self, g_value_get_object (value));
      break;
    case PROP_POSITION:
      takes_program_monitor_set_position (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_program_monitor_class_init (TakesProgramMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_program_monitor_dispose;
  object_class->get_property = takes_program_monitor_get_property;
  object_class->set_property = takes_program_monitor_set_property;

  properties[PROP_PROGRAM] = g_param_spec_object ("program", NULL, NULL, TAKES_TYPE_PROGRAM, rw);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "takesprogrammonitor");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
takes_program_monitor_init (TakesProgramMonitor *self)
{
  GtkWidget *overlay, *transport, *button;

  _takes_media_ensure_style ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Program Monitor"),
                                  -1);

  overlay = gtk_overlay_new ();
  gtk_widget_add_css_class (overlay, "takes-video");
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_widget_set_parent (overlay, GTK_WIDGET (self));

  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_widget_set_size_request (self->picture, 160, 90);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The cut"),
                                  -1);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->picture);

  self->message = gtk_label_new (_("Add shots to see the film here"));
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->message), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->message, "takes-video-message");
  gtk_widget_add_css_class (self->message, "dim-label");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->message);

  self->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.01);
  gtk_scale_set_draw_value (GTK_SCALE (self->scale), FALSE);
  gtk_widget_set_direction (self->scale, GTK_TEXT_DIR_LTR);
  gtk_widget_set_margin_start (self->scale, 4);
  gtk_widget_set_margin_end (self->scale, 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Position in the Cut"),
                                  -1);
  g_signal_connect_swapped (self->scale, "value-changed", G_CALLBACK (scale_changed_cb), self);
  gtk_widget_set_parent (self->scale, GTK_WIDGET (self));

  transport = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  gtk_widget_set_margin_start (transport, 4);
  gtk_widget_set_margin_end (transport, 4);
  gtk_widget_set_margin_top (transport, 2);
  gtk_widget_set_margin_bottom (transport, 2);
  gtk_widget_set_parent (transport, GTK_WIDGET (self));

  /* Transport buttons keep their order and arrows in every language:
   * they move through time, which runs left to right on the timeline. */
  gtk_widget_set_direction (transport, GTK_TEXT_DIR_LTR);

  button = icon_button ("media-skip-backward-symbolic", _("Previous Frame"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (step_back_cb), self);
  gtk_box_append (GTK_BOX (transport), button);

  self->play_button = icon_button ("media-playback-start-symbolic", _("Play"));
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (play_clicked_cb), self);
  gtk_box_append (GTK_BOX (transport), self->play_button);

  button = icon_button ("media-skip-forward-symbolic", _("Next Frame"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (step_forward_cb), self);
  gtk_box_append (GTK_BOX (transport), button);

  self->loop_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->loop_button), "media-playlist-repeat-symbolic");
  gtk_widget_set_tooltip_text (self->loop_button, _("Loop"));
  gtk_widget_add_css_class (self->loop_button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->loop_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loop"),
                                  -1);
  g_signal_connect_swapped (self->loop_button, "toggled", G_CALLBACK (loop_toggled_cb), self);
  gtk_box_append (GTK_BOX (transport), self->loop_button);

  self->timecode = gtk_label_new (NULL);
  gtk_widget_set_hexpand (self->timecode, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->timecode), 1.0);
  gtk_widget_add_css_class (self->timecode, "numeric");
  gtk_widget_add_css_class (self->timecode, "caption");
  gtk_box_append (GTK_BOX (transport), self->timecode);
  set_ltr (transport);

  self->program_signals = g_signal_group_new (TAKES_TYPE_PROGRAM);
  g_signal_group_connect_swapped (self->program_signals, "notify::position",
                                  G_CALLBACK (program_position_cb), self);
  g_signal_group_connect_swapped (self->program_signals, "notify::duration",
                                  G_CALLBACK (program_duration_cb), self);
  g_signal_group_connect_swapped (self->program_signals, "notify::playing",
                                  G_CALLBACK (program_playing_cb), self);
  g_signal_group_connect_swapped (self->program_signals, "notify::loop",
                                  G_CALLBACK (program_loop_cb), self);

  gtk_widget_set_sensitive (self->play_button, FALSE);
  update_timecode (self);
}

GtkWidget *
takes_program_monitor_new (void)
{
  return g_object_new (TAKES_TYPE_PROGRAM_MONITOR, NULL);
}

void
takes_program_monitor_set_program (TakesProgramMonitor *self,
                                   TakesProgram        *program)
{
  GstElement *sink;

  g_return_if_fail (TAKES_IS_PROGRAM_MONITOR (self));
  g_return_if_fail (program == NULL || TAKES_IS_PROGRAM (program));

  if (!g_set_object (&self->program, program))
    return;

  g_signal_group_set_target (self->program_signals, program);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);

  sink = program != NULL ? takes_program_get_video_sink (program) : NULL;
  if (sink != NULL && TAKES_IS_VIDEO_SINK (sink))
    {
      TakesVideoPaintable *paintable = takes_video_sink_get_paintable (TAKES_VIDEO_SINK (sink));

      takes_video_paintable_set_scale_factor (paintable,
                                              gtk_widget_get_scale_factor (GTK_WIDGET (self)));
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (paintable));
    }

  if (program != NULL)
    {
      program_duration_cb (self);
      program_playing_cb (self);
      program_loop_cb (self);
      /* Where the playhead already was */
      if (self->position > 0)
        takes_program_seek (program, self->position);
    }
  else
    {
      gtk_widget_set_visible (self->message, TRUE);
      gtk_widget_set_sensitive (self->play_button, FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM]);
}

TakesProgram *
takes_program_monitor_get_program (TakesProgramMonitor *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM_MONITOR (self), NULL);

  return self->program;
}

gint64
takes_program_monitor_get_position (TakesProgramMonitor *self)
{
  g_return_val_if_fail (TAKES_IS_PROGRAM_MONITOR (self), 0);

  return self->position;
}

void
takes_program_monitor_set_position (TakesProgramMonitor *self,
                                    gint64               position)
{
  g_return_if_fail (TAKES_IS_PROGRAM_MONITOR (self));

  position = MAX (position, 0);
  if (self->program != NULL && takes_program_get_position (self->program) != position)
    {
      /* The program clamps to the cut and notifies where it went */
      takes_program_seek (self->program, position);
      position = takes_program_get_position (self->program);
    }

  set_position_internal (self, position);
}
