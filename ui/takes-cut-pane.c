/* takes-cut-pane.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-cut-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-cut-pane.h"
#include "takes-program-monitor.h"
#include "takes-timeline-view.h"
#include "takes-video-sink.h"

struct _TakesCutPane
{
  GtkWidget parent_instance;

  /* children */
  GtkWidget *paned;
  GtkWidget *monitor;
  GtkWidget *view;

  /* owned */
  TakesProject *project;
  TakesHistory *history;
  TakesTimeline *timeline;
  TakesProgram *program;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (TakesCutPane, takes_cut_pane, GTK_TYPE_WIDGET)

static TakesTimelineView *
get_view (TakesCutPane *self)
{
  return TAKES_TIMELINE_VIEW (self->view);
}

static void
update_actions (TakesCutPane *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int selected = takes_timeline_view_get_selected_clip (get_view (self));
  int n = self->timeline != NULL ? (int) takes_timeline_get_n_shots (self->timeline) : 0;
  gboolean editable = self->timeline != NULL && self->history != NULL;
  gboolean has_next = editable && selected >= 0 && selected + 1 < n;
  TakesShot *shot = editable && selected >= 0 && selected < n
                  ? takes_timeline_get_shot (self->timeline, selected) : NULL;
  gboolean crossfade = shot != NULL && takes_shot_get_transition (shot) == TAKES_TRANSITION_CROSSFADE;

  gtk_widget_action_set_enabled (widget, "timeline.move-earlier", editable && selected > 0);
  gtk_widget_action_set_enabled (widget, "timeline.move-later", has_next);
  gtk_widget_action_set_enabled (widget, "timeline.cut", has_next && crossfade);
  gtk_widget_action_set_enabled (widget, "timeline.crossfade", has_next);
  gtk_widget_action_set_enabled (widget, "timeline.add-music", self->project != NULL);
  gtk_widget_action_set_enabled (widget, "timeline.zoom-in", self->timeline != NULL);
  gtk_widget_action_set_enabled (widget, "timeline.zoom-out", self->timeline != NULL);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesCutPane *self = TAKES_CUT_PANE (widget);

  takes_timeline_view_move_selected (get_view (self),
                                     g_str_equal (action_name, "timeline.move-earlier") ? -1 : 1);
  gtk_widget_grab_focus (self->view);
  update_actions (self);
}

static void
cut_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TakesCutPane *self = TAKES_CUT_PANE (widget);

  takes_timeline_view_set_transition (get_view (self), TAKES_TRANSITION_CUT, 0);
  update_actions (self);
}

static void
crossfade_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TakesCutPane *self = TAKES_CUT_PANE (widget);
  int selected = takes_timeline_view_get_selected_clip (get_view (self));
  TakesShot *shot;
  double length;

  if (self->timeline == NULL || selected < 0 ||
      selected >= (int) takes_timeline_get_n_shots (self->timeline))
    return;

  shot = takes_timeline_get_shot (self->timeline, selected);
  length = takes_shot_get_transition_duration (shot);
  takes_timeline_view_set_transition (get_view (self), TAKES_TRANSITION_CROSSFADE,
                                      length > 0 ? length : 1.0);
  /* Then the length can be adjusted right there */
  takes_timeline_view_edit_transition (get_view (self));
  update_actions (self);
}

static void
chooser_response_cb (TakesCutPane         *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      double start = (double) takes_timeline_view_get_position (get_view (self)) / GST_SECOND;

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          takes_timeline_view_add_audio (get_view (self), file, start);
        }
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static void
add_music_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TakesCutPane *self = TAKES_CUT_PANE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) audio = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL || self->project == NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Add Music or Voice-Over"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (audio, _("Audio Files"));
  gtk_file_filter_add_mime_type (audio, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), audio);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesCutPane *self = TAKES_CUT_PANE (widget);

  takes_timeline_view_zoom (get_view (self),
                            g_str_equal (action_name, "timeline.zoom-in") ? 1.5 : 1 / 1.5);
}

static void
program_error_cb (TakesCutPane *self,
                  const char   *message)
{
  g_warning ("%s", message);
}

static void
timeline_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TakesCutPane) self = user_data;
  TakesTimeline *timeline = TAKES_TIMELINE (source);
  g_autoptr(GError) error = NULL;

  if (!takes_timeline_update_finish (timeline, result, &error) || timeline != self->timeline)
    return;

  /* The preview pipeline comes once there is something to preview: its
   * preroll is not on anyone's way to the first picture of the window */
  if (self->program == NULL)
    {
      takes_video_sink_register ();
      self->program = takes_program_new (timeline, "takesvideosink");
      g_signal_connect_object (self->program, "error", G_CALLBACK (program_error_cb), self,
                               G_CONNECT_SWAPPED);
      takes_program_monitor_set_program (TAKES_PROGRAM_MONITOR (self->monitor), self->program);
    }

  update_actions (self);
}

static void
teardown (TakesCutPane *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  takes_program_monitor_set_program (TAKES_PROGRAM_MONITOR (self->monitor), NULL);
  takes_timeline_view_set_timeline (get_view (self), NULL, NULL);

  if (self->program != NULL)
    takes_program_stop (self->program);
  g_clear_object (&self->program);
  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);
  g_clear_object (&self->timeline);
  g_clear_object (&self->history);
  g_clear_object (&self->project);
}

static void
takes_cut_pane_dispose (GObject *object)
{
  TakesCutPane *self = TAKES_CUT_PANE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (self->view != NULL)
    teardown (self);
  g_clear_pointer (&self->paned, gtk_widget_unparent);
  self->view = NULL;
  self->monitor = NULL;

  G_OBJECT_CLASS (takes_cut_pane_parent_class)->dispose (object);
}

static void
takes_cut_pane_class_init (TakesCutPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_cut_pane_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "takescutpane");

  gtk_widget_class_install_action (widget_class, "timeline.move-earlier", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "timeline.move-later", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "timeline.cut", NULL, cut_action);
  gtk_widget_class_install_action (widget_class, "timeline.crossfade", NULL, crossfade_action);
  gtk_widget_class_install_action (widget_class, "timeline.add-music", NULL, add_music_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_action);
}

/* Direction is not inherited in GTK 4: the icon inside is set too */
static void
set_ltr (GtkWidget *widget)
{
  gtk_widget_set_direction (widget, GTK_TEXT_DIR_LTR);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_ltr (child);
}

static GtkWidget *
tool_button (const char *icon,
             const char *label,
             const char *action,
             gboolean    keep_ltr)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  /* "Earlier" points left because time runs left to right on the
   * timeline, in Arabic too */
  if (keep_ltr)
    set_ltr (button);

  return button;
}

static GtkWidget *
text_button (const char *label,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");

  return button;
}

static void
takes_cut_pane_init (TakesCutPane *self)
{
  GtkWidget *box, *toolbar, *scrolled, *label, *spacer, *arrows;

  self->paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_position (GTK_PANED (self->paned), 340);
  gtk_paned_set_shrink_start_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_resize_start_child (GTK_PANED (self->paned), FALSE);
  gtk_widget_set_parent (self->paned, GTK_WIDGET (self));

  self->monitor = takes_program_monitor_new ();
  gtk_widget_set_size_request (self->monitor, 220, -1);
  gtk_paned_set_start_child (GTK_PANED (self->paned), self->monitor);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_paned_set_end_child (GTK_PANED (self->paned), box);

  toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  gtk_widget_add_css_class (toolbar, "toolbar");
  gtk_box_append (GTK_BOX (box), toolbar);

  label = gtk_label_new (_("Timeline"));
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_box_append (GTK_BOX (toolbar), label);

  /* Earlier, then later, as on the timeline itself */
  arrows = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  gtk_widget_set_direction (arrows, GTK_TEXT_DIR_LTR);
  gtk_box_append (GTK_BOX (arrows),
                  tool_button ("go-previous-symbolic", _("Move Clip Earlier"), "timeline.move-earlier", TRUE));
  gtk_box_append (GTK_BOX (arrows),
                  tool_button ("go-next-symbolic", _("Move Clip Later"), "timeline.move-later", TRUE));
  gtk_box_append (GTK_BOX (toolbar), arrows);
  gtk_box_append (GTK_BOX (toolbar), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (toolbar),
                  text_button (_("C_ut"), _("Cut straight to the next shot"), "timeline.cut"));
  gtk_box_append (GTK_BOX (toolbar),
                  text_button (_("Cross_fade"), _("Blend into the next shot"), "timeline.crossfade"));
  gtk_box_append (GTK_BOX (toolbar), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (toolbar),
                  text_button (_("Add _Music…"), _("Add music or voice-over to the soundtrack"),
                               "timeline.add-music"));

  spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (toolbar), spacer);

  gtk_box_append (GTK_BOX (toolbar),
                  tool_button ("zoom-out-symbolic", _("Zoom Out"), "timeline.zoom-out", FALSE));
  gtk_box_append (GTK_BOX (toolbar),
                  tool_button ("zoom-in-symbolic", _("Zoom In"), "timeline.zoom-in", FALSE));

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_widget_set_vexpand (scrolled, TRUE);
  /* Time runs left to right: the scrollbar's start is the film's start */
  gtk_widget_set_direction (scrolled, GTK_TEXT_DIR_LTR);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->view = takes_timeline_view_new ();
  gtk_widget_set_vexpand (self->view, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->view);

  g_object_bind_property (self->monitor, "position", self->view, "position",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->view, "notify::selected-clip",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  update_actions (self);
}

GtkWidget *
takes_cut_pane_new (void)
{
  return g_object_new (TAKES_TYPE_CUT_PANE, NULL);
}

void
takes_cut_pane_set_project (TakesCutPane *self,
                            TakesProject *project,
                            TakesHistory *history)
{
  g_return_if_fail (TAKES_IS_CUT_PANE (self));
  g_return_if_fail (project == NULL || TAKES_IS_PROJECT (project));

  if (self->project == project)
    {
      g_set_object (&self->history, history);
      takes_timeline_view_set_timeline (get_view (self), self->timeline, history);
      update_actions (self);
      return;
    }

  teardown (self);

  if (project != NULL)
    {
      self->project = g_object_ref (project);
      self->history = history != NULL ? g_object_ref (history) : NULL;
      self->cancellable = g_cancellable_new ();
      self->timeline = takes_timeline_new (project);
      g_signal_connect_object (self->timeline, "updated", G_CALLBACK (update_actions), self,
                               G_CONNECT_SWAPPED);
      takes_timeline_view_set_timeline (get_view (self), self->timeline, history);
      /* Media are discovered off the main loop's way; the first picture
       * arrives when they are */
      takes_timeline_update_async (self->timeline, self->cancellable,
                                   timeline_ready_cb, g_object_ref (self));
    }

  update_actions (self);
}

TakesTimeline *
takes_cut_pane_get_timeline (TakesCutPane *self)
{
  g_return_val_if_fail (TAKES_IS_CUT_PANE (self), NULL);

  return self->timeline;
}

TakesProgram *
takes_cut_pane_get_program (TakesCutPane *self)
{
  g_return_val_if_fail (TAKES_IS_CUT_PANE (self), NULL);

  return self->program;
}

GtkWidget *
takes_cut_pane_get_timeline_view (TakesCutPane *self)
{
  g_return_val_if_fail (TAKES_IS_CUT_PANE (self), NULL);

  return self->view;
}
