/* takes-window.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-window"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-backend-setup.h"
#include "takes-cost-label.h"
#include "takes-cut-pane.h"
#include "takes-export-dialog.h"
#include "takes-project-settings-dialog.h"
#include "takes-recent.h"
#include "takes-shot-editor.h"
#include "takes-shot-list.h"
#include "takes-take-gallery.h"
#include "takes-ui.h"
#include "takes-window-private.h"

G_DEFINE_FINAL_TYPE (TakesWindow, takes_window, ADW_TYPE_APPLICATION_WINDOW)

static TakesShot *
get_selected_shot (TakesWindow *self)
{
  if (self->shot_list == NULL)
    return NULL;

  return takes_shot_list_get_selected_shot (TAKES_SHOT_LIST (self->shot_list));
}

static gboolean
can_compare (TakesWindow *self)
{
  TakesTakeGallery *gallery;

  if (self->shot_editor == NULL)
    return FALSE;

  gallery = takes_shot_editor_get_take_gallery (TAKES_SHOT_EDITOR (self->shot_editor));

  return takes_take_gallery_can_compare (gallery);
}

/* The one place that decides what can be done right now. */
void
_takes_window_update_actions (TakesWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_project = self->project != NULL && !self->busy;
  TakesShot *shot = has_project ? get_selected_shot (self) : NULL;
  guint position = 0;
  guint n_shots = has_project ? takes_project_get_n_shots (self->project) : 0;
  gboolean has_position = FALSE;

  if (shot != NULL)
    has_position = takes_project_find_shot_position (self->project, shot, &position);

  gtk_widget_action_set_enabled (widget, "win.save", has_project);
  gtk_widget_action_set_enabled (widget, "win.save-as", has_project);
  gtk_widget_action_set_enabled (widget, "win.close-project", has_project);
  gtk_widget_action_set_enabled (widget, "win.project-settings", has_project);
  gtk_widget_action_set_enabled (widget, "win.undo",
                                 has_project && takes_history_can_undo (self->history));
  gtk_widget_action_set_enabled (widget, "win.redo",
                                 has_project && takes_history_can_redo (self->history));
  gtk_widget_action_set_enabled (widget, "win.add-shot", has_project);
  gtk_widget_action_set_enabled (widget, "win.generate", has_project && shot != NULL);
  gtk_widget_action_set_enabled (widget, "win.generate-all", has_project && n_shots > 0);
  gtk_widget_action_set_enabled (widget, "win.duplicate-shot", has_position);
  gtk_widget_action_set_enabled (widget, "win.delete-shot", has_position);
  gtk_widget_action_set_enabled (widget, "win.move-shot-up", has_position && position > 0);
  gtk_widget_action_set_enabled (widget, "win.move-shot-down",
                                 has_position && position + 1 < n_shots);
  gtk_widget_action_set_enabled (widget, "win.export", has_project && n_shots > 0);
  gtk_widget_action_set_enabled (widget, "win.compare", shot != NULL && can_compare (self));
}

void
_takes_window_update_title (TakesWindow *self)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *window_title = NULL;
  const char *title;
  GFile *file;

  if (self->project == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Takes"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Takes"));
      return;
    }

  title = takes_project_get_title (self->project);
  if (title == NULL || title[0] == '\0')
    title = _("Untitled Film");

  file = takes_project_get_file (self->project);
  if (file != NULL)
    subtitle = takes_ui_dup_display_path (file);
  else
    subtitle = g_strdup (_("Not saved"));

  if (takes_project_get_modified (self->project))
    {
      g_autofree char *path = g_steal_pointer (&subtitle);

      /* Translators: the window subtitle of a project with unsaved
       * changes; %s is its file, e.g. "• ~/Videos/Film.takes" */
      subtitle = g_strdup_printf (_("• %s"), path);
      /* Translators: the window title of a project with unsaved changes */
      window_title = g_strdup_printf (_("• %s"), title);
    }
  else
    window_title = g_strdup (title);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
history_changed_cb (TakesWindow *self)
{
  _takes_window_update_actions (self);
}

static void
project_changed_cb (TakesWindow *self)
{
  _takes_window_update_title (self);
  _takes_window_update_actions (self);
}

static void
selected_shot_changed_cb (TakesWindow *self)
{
  TakesShot *shot = get_selected_shot (self);

  if (self->shot_editor != NULL)
    takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (self->shot_editor),
                                self->project != NULL ? shot : NULL,
                                self->history);
  _takes_window_update_actions (self);
}

static gboolean
autosave_enabled (void)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return TRUE;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "autosave"))
    return TRUE;

  return g_settings_get_boolean (settings, "autosave");
}

/* Called when the project or the autosave preference changes. */
void
_takes_window_update_autosave (TakesWindow *self)
{
  gboolean wanted = self->project != NULL && autosave_enabled ();

  if (!wanted && self->autosave != NULL)
    {
      /* Turning autosave off must not leave a stale copy that the next
       * start would offer. */
      takes_autosave_discard (self->autosave);
      g_clear_object (&self->autosave);
    }
  else if (wanted && self->autosave == NULL)
    {
      self->autosave = takes_autosave_new (self->project, NULL);

      /* A recovered project is modified before any edit: keep its copy. */
      if (takes_project_get_modified (self->project))
        {
          g_autoptr(GError) error = NULL;

          if (!takes_autosave_flush (self->autosave, &error))
            g_warning ("Could not write the autosave copy: %s", error->message);
        }
    }
}

static void
resume_engine (GObject *engine)
{
  takes_job_engine_resume (TAKES_JOB_ENGINE (engine));
}

static void
engine_save_failed_cb (TakesWindow  *self,
                       const GError *error)
{
  /* Nothing was sent: a generation is only requested once its state is
   * safely on disk. */
  _takes_window_show_error (self, _("Could Not Start Generating"), error->message);
}

/* The project view (shot list, editor, cut pane) is built when the first
 * project opens, not at start-up: the welcome page must show fast. */
static void
ensure_project_view (TakesWindow *self)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  if (self->shot_list != NULL)
    return;

  self->shot_list = takes_shot_list_new ();
  self->shot_editor = takes_shot_editor_new ();
  gtk_widget_set_size_request (self->shot_list, 260, -1);
  gtk_paned_set_start_child (self->paned, self->shot_list);
  gtk_paned_set_end_child (self->paned, self->shot_editor);
  /* Under the shot editor: the program monitor and the timeline */
  self->cut_pane = takes_cut_pane_new ();
  gtk_widget_set_size_request (self->cut_pane, -1, 200);
  gtk_paned_set_end_child (self->cut_paned, self->cut_pane);

  g_signal_connect_object (self->shot_list, "notify::selected-shot",
                           G_CALLBACK (selected_shot_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (takes_shot_editor_get_take_gallery (TAKES_SHOT_EDITOR (self->shot_editor)),
                           "notify::can-compare",
                           G_CALLBACK (_takes_window_update_actions), self,
                           G_CONNECT_SWAPPED);

  /* Delete alone removes a shot only while the list has the focus: in the
   * editor it must keep deleting characters. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_LOCAL);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                               gtk_named_action_new ("win.delete-shot"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Delete, 0),
                               gtk_named_action_new ("win.delete-shot"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (self->shot_list, controller);
}

void
_takes_window_set_project (TakesWindow  *self,
                           TakesProject *project)
{
  g_return_if_fail (TAKES_IS_WINDOW (self));
  g_return_if_fail (!project || TAKES_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (project != NULL)
    ensure_project_view (self);

  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->project, self);
      g_signal_handlers_disconnect_by_data (takes_project_get_shots (self->project), self);
      g_signal_handlers_disconnect_by_data (self->history, self);
    }

  /* The person closed the project deliberately: no copy to recover. */
  if (self->autosave != NULL)
    takes_autosave_discard (self->autosave);
  g_clear_object (&self->autosave);

  if (self->shot_editor != NULL)
    {
      takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (self->shot_editor), NULL, NULL);
      takes_shot_editor_set_engine (TAKES_SHOT_EDITOR (self->shot_editor), NULL);
    }
  if (self->shot_list != NULL)
    takes_shot_list_set_history (TAKES_SHOT_LIST (self->shot_list), NULL);

  /* In-flight takes keep their state on disk: the next open resumes them. */
  if (self->engine != NULL)
    takes_job_engine_shutdown (self->engine);
  g_clear_object (&self->engine);

  g_clear_object (&self->history);
  g_set_object (&self->project, project);

  if (project != NULL)
    {
      self->history = takes_history_new (project);
      self->engine = takes_job_engine_new (project, takes_backend_registry_get_default ());
      g_signal_connect_object (self->engine, "save-failed",
                               G_CALLBACK (engine_save_failed_cb), self, G_CONNECT_SWAPPED);
      if (self->shot_editor != NULL)
        takes_shot_editor_set_engine (TAKES_SHOT_EDITOR (self->shot_editor), self->engine);
      /* Takes that were generating when the project was last closed (or
       * when Takes crashed) pick up where they were, once the keyring's
       * keys are in the backends. */
      takes_backend_setup_when_ready (G_OBJECT (self->engine), resume_engine);

      g_signal_connect_object (project, "changed",
                               G_CALLBACK (project_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "notify::title",
                               G_CALLBACK (project_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "notify::modified",
                               G_CALLBACK (project_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "notify::file",
                               G_CALLBACK (project_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (takes_project_get_shots (project), "items-changed",
                               G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->history, "notify::can-undo",
                               G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->history, "notify::can-redo",
                               G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);

      if (self->shot_list != NULL)
        {
          takes_shot_list_set_history (TAKES_SHOT_LIST (self->shot_list), self->history);
          if (takes_project_get_n_shots (project) > 0)
            takes_shot_list_select (TAKES_SHOT_LIST (self->shot_list), 0);
        }

      _takes_window_update_autosave (self);

      gtk_stack_set_visible_child_name (self->stack, "project");
      if (self->shot_list != NULL)
        gtk_widget_grab_focus (self->shot_list);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "welcome");
    }

  gtk_widget_set_visible (self->edit_box, project != NULL);
  gtk_widget_set_visible (self->save_button, project != NULL);
  gtk_widget_set_visible (self->export_button, project != NULL);
  /* The timeline is built (asynchronously) only for an open project */
  if (self->cut_pane != NULL)
    takes_cut_pane_set_project (TAKES_CUT_PANE (self->cut_pane), project, self->history);
  takes_cost_label_set_project (TAKES_COST_LABEL (self->cost_label), project);

  selected_shot_changed_cb (self);
  _takes_window_update_title (self);
  _takes_window_update_actions (self);
}

static void
save_window_state (TakesWindow *self)
{
  GSettings *settings = takes_ui_get_settings ();
  int width, height;

  if (settings == NULL)
    return;

  g_settings_set_int (settings, "shot-list-width",
                      CLAMP (gtk_paned_get_position (self->paned), 160, 800));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
}

static void
restore_window_state (TakesWindow *self)
{
  GSettings *settings = takes_ui_get_settings ();
  int width, height;

  if (settings == NULL)
    return;

  width = g_settings_get_int (settings, "window-width");
  height = g_settings_get_int (settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_paned_set_position (self->paned, g_settings_get_int (settings, "shot-list-width"));
}

static gboolean
takes_window_close_request (GtkWindow *window)
{
  TakesWindow *self = TAKES_WINDOW (window);

  if (self->busy)
    return TRUE;

  if (!self->closing &&
      self->project != NULL &&
      takes_project_get_modified (self->project))
    {
      _takes_window_settle_then (self, TAKES_WINDOW_PENDING_CLOSE_WINDOW);
      return TRUE;
    }

  save_window_state (self);
  _takes_window_set_project (self, NULL);

  return GTK_WINDOW_CLASS (takes_window_parent_class)->close_request (window);
}

static void
settings_autosave_changed_cb (TakesWindow *self)
{
  _takes_window_update_autosave (self);
}

static void
takes_window_constructed (GObject *object)
{
  TakesWindow *self = TAKES_WINDOW (object);

  G_OBJECT_CLASS (takes_window_parent_class)->constructed (object);

  restore_window_state (self);
}

static void
takes_window_dispose (GObject *object)
{
  TakesWindow *self = TAKES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);

  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->project, self);
      g_signal_handlers_disconnect_by_data (takes_project_get_shots (self->project), self);
    }
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->shot_list != NULL)
    g_signal_handlers_disconnect_by_data (self->shot_list, self);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_WINDOW);
  self->shot_list = NULL;
  self->shot_editor = NULL;
  self->cut_pane = NULL;

  g_clear_object (&self->autosave);
  if (self->engine != NULL)
    takes_job_engine_shutdown (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->history);
  g_clear_object (&self->project);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (takes_window_parent_class)->dispose (object);
}

static void
project_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->history == NULL)
    return;

  gtk_window_present (GTK_WINDOW (takes_project_settings_dialog_new (GTK_WINDOW (self),
                                                                     self->history)));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->project != NULL)
    takes_export_dialog_present (GTK_WINDOW (self), self->project);
}

static void
takes_window_class_init (TakesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = takes_window_constructed;
  object_class->dispose = takes_window_dispose;
  window_class->close_request = takes_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, edit_box);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, cut_paned);
  gtk_widget_class_bind_template_child (widget_class, TakesWindow, export_button);

  _takes_window_class_actions_init (klass);
  gtk_widget_class_install_action (widget_class, "win.project-settings", NULL,
                                   project_settings_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
}

static void
takes_window_init (TakesWindow *self)
{
  GSettings *settings = takes_ui_get_settings ();
  GtkEventController *controller;
  GtkShortcut *shortcut;

  self->cancellable = g_cancellable_new ();

  /* Keys, endpoints and prices are in place before any engine starts. */
  takes_backend_setup_init ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cost_label = takes_cost_label_new ();
  adw_header_bar_pack_end (self->header_bar, self->cost_label);


  /* Ctrl+Delete deletes a word in a text field; only when no field takes
   * it (bubble phase, after the focus widget) does it delete the shot.
   * As an application accelerator it would win over the text field. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, GDK_CONTROL_MASK),
                               gtk_named_action_new ("win.delete-shot"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Delete, GDK_CONTROL_MASK),
                               gtk_named_action_new ("win.delete-shot"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  if (settings != NULL)
    g_signal_connect_object (settings, "changed::autosave",
                             G_CALLBACK (settings_autosave_changed_cb), self,
                             G_CONNECT_SWAPPED);

  gtk_widget_set_visible (self->edit_box, FALSE);
  gtk_widget_set_visible (self->save_button, FALSE);
  gtk_widget_set_visible (self->export_button, FALSE);
  _takes_window_update_actions (self);
}

TakesWindow *
takes_window_new (GtkApplication *application)
{
  return g_object_new (TAKES_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

TakesProject *
takes_window_get_project (TakesWindow *self)
{
  g_return_val_if_fail (TAKES_IS_WINDOW (self), NULL);

  return self->project;
}

TakesHistory *
takes_window_get_history (TakesWindow *self)
{
  g_return_val_if_fail (TAKES_IS_WINDOW (self), NULL);

  return self->history;
}

void
takes_window_add_toast (TakesWindow *self,
                        const char  *message)
{
  AdwToast *toast;

  g_return_if_fail (TAKES_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
