/* takes-transport-bar.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-transport-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-transport-bar.h"

struct _TakesTransportBar
{
  GtkWidget parent_instance;

  /* children */
  GtkWidget *box;
  GtkWidget *play_button;
  GtkWidget *previous_button;
  GtkWidget *next_button;
  GtkWidget *loop_button;
  GtkWidget *scale;
  GtkWidget *timecode;
  GtkWidget *rate_label;

  /* owned */
  TakesPlayer *player;
  GSignalGroup *player_signals;

  gboolean updating;
};

G_DEFINE_FINAL_TYPE (TakesTransportBar, takes_transport_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
current_fps (TakesTransportBar *self)
{
  double fps = self->player != NULL ? takes_player_get_fps (self->player, 0) : 0.0;

  return fps > 0 ? fps : 24.0;
}

static void
update_timecode (TakesTransportBar *self)
{
  g_autofree char *text = NULL;
  gint64 position = self->player != NULL ? takes_player_get_position (self->player) : 0;

  text = takes_player_format_timecode (position, current_fps (self));
  gtk_label_set_text (GTK_LABEL (self->timecode), text);
}

static void
update_position (TakesTransportBar *self)
{
  gint64 position = self->player != NULL ? takes_player_get_position (self->player) : 0;

  self->updating = TRUE;
  gtk_range_set_value (GTK_RANGE (self->scale), (double) position / GST_SECOND);
  self->updating = FALSE;

  update_timecode (self);
}

static void
update_duration (TakesTransportBar *self)
{
  gint64 duration = self->player != NULL ? takes_player_get_duration (self->player) : -1;
  double fps = current_fps (self);
  double seconds = duration > 0 ? (double) duration / GST_SECOND : 0.0;

  self->updating = TRUE;
  /* Arrow keys on the bar move one frame, like the step buttons */
  gtk_range_set_range (GTK_RANGE (self->scale), 0.0, MAX (seconds, 0.001));
  gtk_range_set_increments (GTK_RANGE (self->scale), 1.0 / fps, 1.0);
  self->updating = FALSE;

  gtk_widget_set_sensitive (self->scale, duration > 0);
  update_position (self);
}

static void
update_playing (TakesTransportBar *self)
{
  gboolean playing = self->player != NULL && takes_player_get_playing (self->player);
  const char *label = playing ? _("Pause") : _("Play");

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
update_rate (TakesTransportBar *self)
{
  double rate = self->player != NULL ? takes_player_get_rate (self->player) : 1.0;
  gboolean playing = self->player != NULL && takes_player_get_playing (self->player);
  g_autofree char *text = NULL;

  if (rate != 1.0 && playing)
    {
      /* Translators: playback speed, e.g. "2×" or "−1×" */
      text = g_strdup_printf (_("%g×"), rate);
      gtk_label_set_text (GTK_LABEL (self->rate_label), text);
      gtk_widget_set_visible (self->rate_label, TRUE);
    }
  else
    gtk_widget_set_visible (self->rate_label, FALSE);
}

static void
update_loop (TakesTransportBar *self)
{
  gboolean loop = self->player != NULL && takes_player_get_loop (self->player);

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->loop_button)) != loop)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->loop_button), loop);
}

static void
update_all (TakesTransportBar *self)
{
  gboolean have = self->player != NULL;

  gtk_widget_set_sensitive (self->play_button, have);
  gtk_widget_set_sensitive (self->previous_button, have);
  gtk_widget_set_sensitive (self->next_button, have);
  gtk_widget_set_sensitive (self->loop_button, have);

  update_duration (self);
  update_playing (self);
  update_rate (self);
  update_loop (self);
}

static void
on_play_clicked (TakesTransportBar *self)
{
  if (self->player == NULL)
    return;

  takes_player_set_rate (self->player, 1.0);
  takes_player_toggle (self->player);
}

static void
step (TakesTransportBar *self,
      int                delta)
{
  if (self->player != NULL)
    takes_player_step (self->player, delta);
}

static void
on_previous_clicked (TakesTransportBar *self)
{
  step (self, -1);
}

static void
on_next_clicked (TakesTransportBar *self)
{
  step (self, 1);
}

static void
on_loop_toggled (TakesTransportBar *self)
{
  if (self->player != NULL)
    takes_player_set_loop (self->player,
                           gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->loop_button)));
}

static gboolean
on_change_value (TakesTransportBar *self,
                 GtkScrollType      scroll,
                 double             value)
{
  if (self->updating || self->player == NULL)
    return FALSE;

  /* The player keeps at most one seek in flight and the latest position:
   * dragging never queues up a backlog. */
  takes_player_seek (self->player, (gint64) (value * GST_SECOND));
  update_timecode (self);

  return FALSE;
}

/* J/K/L: J and L speed up each time they are pressed in their direction */
static void
shuttle (TakesTransportBar *self,
         int                direction)
{
  double rate;
  gboolean playing;

  if (self->player == NULL)
    return;

  rate = takes_player_get_rate (self->player);
  playing = takes_player_get_playing (self->player);

  if (direction == 0)
    {
      takes_player_pause (self->player);
      takes_player_set_rate (self->player, 1.0);
      return;
    }

  if (playing && (rate > 0) == (direction > 0))
    rate = CLAMP (rate * 2, -4.0, 4.0);
  else
    rate = direction;

  takes_player_set_rate (self->player, rate);
  if (!takes_player_get_playing (self->player))
    takes_player_play (self->player);
  update_rate (self);
}

static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  TakesTransportBar *self = TAKES_TRANSPORT_BAR (user_data);
  const char *what = NULL;
  int value = 0;
  gboolean rtl;

  if (self->player == NULL)
    return FALSE;

  g_variant_get (args, "(&si)", &what, &value);
  rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (g_str_equal (what, "toggle"))
    on_play_clicked (self);
  else if (g_str_equal (what, "arrow"))
    step (self, rtl ? -value : value);   /* the bar runs right to left there */
  else if (g_str_equal (what, "step"))
    step (self, value);
  else if (g_str_equal (what, "shuttle"))
    shuttle (self, value);
  else if (g_str_equal (what, "home"))
    takes_player_seek (self->player, 0);
  else if (g_str_equal (what, "end"))
    takes_player_step (self->player, G_MAXINT / 2);
  else
    return FALSE;

  return TRUE;
}

static void
add_shortcut (GtkShortcutController *controller,
              TakesTransportBar     *self,
              guint                  keyval,
              const char            *what,
              int                    value)
{
  GtkShortcut *shortcut;

  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                               gtk_callback_action_new (shortcut_cb, self, NULL));
  gtk_shortcut_set_arguments (shortcut, g_variant_new ("(si)", what, value));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static GtkWidget *
make_button (TakesTransportBar *self,
             GType              type,
             const char        *icon_name,
             const char        *label,
             GCallback          callback)
{
  GtkWidget *button = g_object_new (type,
                                    "icon-name", icon_name,
                                    "tooltip-text", label,
                                    "valign", GTK_ALIGN_CENTER,
                                    NULL);

  gtk_widget_add_css_class (button, "flat");
  /* GTK 4.8 does not turn a tooltip into an accessible name */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_signal_connect_swapped (button,
                            type == GTK_TYPE_TOGGLE_BUTTON ? "toggled" : "clicked",
                            callback, self);
  gtk_box_append (GTK_BOX (self->box), button);

  return button;
}

static void
takes_transport_bar_dispose (GObject *object)
{
  TakesTransportBar *self = TAKES_TRANSPORT_BAR (object);

  if (self->player_signals != NULL)
    g_signal_group_set_target (self->player_signals, NULL);
  g_clear_object (&self->player_signals);
  g_clear_object (&self->player);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (takes_transport_bar_parent_class)->dispose (object);
}

static void
takes_transport_bar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TakesTransportBar *self = TAKES_TRANSPORT_BAR (object);

  switch (prop_id)
    {
    case PROP_PLAYER:
      g_value_set_object (value, self->player);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_transport_bar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TakesTransportBar *self = TAKES_TRANSPORT_BAR (object);

  switch (prop_id)
    {
    case PROP_PLAYER:
      takes_transport_bar_set_player (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_transport_bar_class_init (TakesTransportBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_transport_bar_dispose;
  object_class->get_property = takes_transport_bar_get_property;
  object_class->set_property = takes_transport_bar_set_property;

  properties[PROP_PLAYER] =
    g_param_spec_object ("player", NULL, NULL,
                         TAKES_TYPE_PLAYER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transportbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
takes_transport_bar_init (TakesTransportBar *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 6);
  gtk_widget_set_margin_end (self->box, 6);
  gtk_widget_set_margin_top (self->box, 4);
  gtk_widget_set_margin_bottom (self->box, 4);

  self->play_button = make_button (self, GTK_TYPE_BUTTON, "media-playback-start-symbolic",
                                   _("Play"), G_CALLBACK (on_play_clicked));
  self->previous_button = make_button (self, GTK_TYPE_BUTTON, "go-previous-symbolic",
                                       _("Previous Frame"), G_CALLBACK (on_previous_clicked));
  self->next_button = make_button (self, GTK_TYPE_BUTTON, "go-next-symbolic",
                                   _("Next Frame"), G_CALLBACK (on_next_clicked));

  self->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 1.0, 0.04);
  gtk_scale_set_draw_value (GTK_SCALE (self->scale), FALSE);
  gtk_widget_set_hexpand (self->scale, TRUE);
  gtk_widget_set_valign (self->scale, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->scale, _("Position"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Position"),
                                  -1);
  g_signal_connect_swapped (self->scale, "change-value", G_CALLBACK (on_change_value), self);
  gtk_box_append (GTK_BOX (self->box), self->scale);

  self->rate_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->rate_label, "dim-label");
  gtk_widget_add_css_class (self->rate_label, "numeric");
  gtk_widget_set_visible (self->rate_label, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->rate_label);

  self->timecode = gtk_label_new ("00:00:00:00");
  gtk_widget_add_css_class (self->timecode, "monospace");
  gtk_widget_add_css_class (self->timecode, "numeric");
  /* Timecode reads left to right in every language */
  gtk_widget_set_direction (self->timecode, GTK_TEXT_DIR_LTR);
  gtk_widget_set_tooltip_text (self->timecode, _("Timecode (hours:minutes:seconds:frames)"));
  gtk_box_append (GTK_BOX (self->box), self->timecode);

  self->loop_button = make_button (self, GTK_TYPE_TOGGLE_BUTTON, "media-playlist-repeat-symbolic",
                                   _("Loop"), G_CALLBACK (on_loop_toggled));

  self->player_signals = g_signal_group_new (TAKES_TYPE_PLAYER);
  g_signal_group_connect_swapped (self->player_signals, "notify::position",
                                  G_CALLBACK (update_position), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::duration",
                                  G_CALLBACK (update_duration), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::prerolled",
                                  G_CALLBACK (update_duration), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::playing",
                                  G_CALLBACK (update_playing), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::playing",
                                  G_CALLBACK (update_rate), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::rate",
                                  G_CALLBACK (update_rate), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::loop",
                                  G_CALLBACK (update_loop), self);

  update_all (self);
}

GtkWidget *
takes_transport_bar_new (void)
{
  return g_object_new (TAKES_TYPE_TRANSPORT_BAR, NULL);
}

void
takes_transport_bar_set_player (TakesTransportBar *self,
                                TakesPlayer       *player)
{
  g_return_if_fail (TAKES_IS_TRANSPORT_BAR (self));
  g_return_if_fail (player == NULL || TAKES_IS_PLAYER (player));

  if (!g_set_object (&self->player, player))
    return;

  g_signal_group_set_target (self->player_signals, player);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYER]);
}

TakesPlayer *
takes_transport_bar_get_player (TakesTransportBar *self)
{
  g_return_val_if_fail (TAKES_IS_TRANSPORT_BAR (self), NULL);

  return self->player;
}

void
takes_transport_bar_add_shortcuts (TakesTransportBar *self,
                                   GtkWidget         *widget)
{
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  g_return_if_fail (TAKES_IS_TRANSPORT_BAR (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  controller = gtk_shortcut_controller_new ();
  shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_LOCAL);

  add_shortcut (shortcuts, self, GDK_KEY_space, "toggle", 0);
  add_shortcut (shortcuts, self, GDK_KEY_k, "shuttle", 0);
  add_shortcut (shortcuts, self, GDK_KEY_j, "shuttle", -1);
  add_shortcut (shortcuts, self, GDK_KEY_l, "shuttle", 1);
  add_shortcut (shortcuts, self, GDK_KEY_Left, "arrow", -1);
  add_shortcut (shortcuts, self, GDK_KEY_Right, "arrow", 1);
  add_shortcut (shortcuts, self, GDK_KEY_comma, "step", -1);
  add_shortcut (shortcuts, self, GDK_KEY_period, "step", 1);
  add_shortcut (shortcuts, self, GDK_KEY_Home, "home", 0);
  add_shortcut (shortcuts, self, GDK_KEY_End, "end", 0);

  gtk_widget_add_controller (widget, controller);
}

void
_takes_media_ensure_style (void)
{
  static GdkDisplay *styled;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || display == styled)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
    ".takes-video { background-color: black; }\n"
    ".takes-video-message { color: white; }\n"
    ".takes-compare-picked { box-shadow: inset 0 0 0 2px @accent_bg_color; }\n"
    ".takes-compare-speaker { color: white; background-color: alpha(black, 0.55);"
    "  border-radius: 999px; padding: 5px; }\n"
    ".takes-wipe-label { color: white; background-color: alpha(black, 0.6);"
    "  padding: 2px 8px; border-radius: 6px; }\n",
    -1);
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  styled = display;
}
