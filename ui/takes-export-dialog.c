/* takes-export-dialog.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-export-dialog"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "takes-export-dialog.h"
#include "takes-export.h"
#include "takes-otio.h"
#include "takes-window-private.h"

#define DIALOG_KEY "takes-export-dialog"

typedef struct
{
  int width;
  int height;
} Size;

/* After the project's own size, which comes first */
static const Size sizes[] = {
  { 3840, 2160 },
  { 1920, 1080 },
  { 1280, 720 },
  { 1080, 1920 },
  { 1080, 1080 },
  { 854, 480 },
};

static const double rates[] = { 24000.0 / 1001, 24, 25, 30000.0 / 1001, 30, 50, 60 };

struct _TakesExportDialog
{
  AdwWindow parent_instance;

  /* template widgets */
  GtkWidget *export_button;
  GtkStack *stack;
  AdwComboRow *preset_row;
  AdwComboRow *size_row;
  AdwComboRow *fps_row;
  AdwEntryRow *name_row;
  AdwActionRow *folder_row;
  GtkCheckButton *otio_check;
  GtkCheckButton *xges_check;
  GtkLabel *progress_title;
  GtkProgressBar *progress_bar;
  GtkLabel *remaining_label;
  AdwStatusPage *result_page;
  GtkWidget *open_button;
  GtkWidget *folder_button;
  GtkWidget *back_button;

  /* owned */
  TakesProject *project;
  GFile *folder;
  GFile *output;
  TakesExport *export;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;

  /* borrowed */
  GtkWindow *parent;

  TakesExportPreset preset;
  gboolean running;
};

G_DEFINE_FINAL_TYPE (TakesExportDialog, takes_export_dialog, ADW_TYPE_WINDOW)

static void
update_actions (TakesExportDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  gboolean settings = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "settings") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.start",
                                 settings && !self->running && name != NULL && name[0] != '\0' &&
                                 strchr (name, '/') == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose", !self->running);
  gtk_widget_set_visible (self->export_button, settings);
}

static char *
dup_base_name (TakesExportDialog *self)
{
  const char *title = takes_project_get_title (self->project);
  GFile *file = takes_project_get_file (self->project);
  g_autofree char *base = NULL;
  GString *clean;

  if (title != NULL && title[0] != '\0')
    base = g_strdup (title);
  else if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      char *dot = strrchr (name, '.');

      if (dot != NULL && dot != name)
        *dot = '\0';
      base = g_steal_pointer (&name);
    }
  else
    base = g_strdup (_("Film"));

  /* File names cannot hold slashes; other characters are fine */
  clean = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p++)
    g_string_append_c (clean, *p == '/' ? '-' : *p);

  return g_string_free (clean, FALSE);
}

static void
set_extension (TakesExportDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *extension = takes_export_preset_get_extension (self->preset);
  g_autofree char *stem = g_strdup (text);
  g_autofree char *name = NULL;
  char *dot = strrchr (stem, '.');

  if (dot != NULL && dot != stem &&
      (g_ascii_strcasecmp (dot, ".mp4") == 0 || g_ascii_strcasecmp (dot, ".webm") == 0 ||
       g_ascii_strcasecmp (dot, ".mov") == 0))
    *dot = '\0';

  name = g_strconcat (stem, extension, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

static void
update_folder_row (TakesExportDialog *self)
{
  g_autofree char *path = g_file_get_path (self->folder);

  adw_action_row_set_subtitle (self->folder_row, path != NULL ? path : "");
}

static void
preset_selected_cb (TakesExportDialog *self)
{
  self->preset = (TakesExportPreset) adw_combo_row_get_selected (self->preset_row);
  set_extension (self);
}

static void
name_changed_cb (TakesExportDialog *self)
{
  update_actions (self);
}

static GFile *
sibling_with_extension (GFile      *file,
                        const char *extension)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  char *dot = strrchr (name, '.');
  g_autofree char *sibling = NULL;

  if (dot != NULL && dot != name)
    *dot = '\0';
  sibling = g_strconcat (name, extension, NULL);

  return g_file_get_child (parent, sibling);
}

static char *
format_remaining (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup (_("Estimating the time left…"));
  if (seconds < 60)
    return g_strdup_printf (ngettext ("About %d second left", "About %d seconds left", (int) seconds),
                            (int) seconds);

  return g_strdup_printf (ngettext ("About %d minute left", "About %d minutes left",
                                    (int) ((seconds + 59) / 60)),
                          (int) ((seconds + 59) / 60));
}

static void
progress_cb (TakesExportDialog *self,
             double             fraction,
             gint64             remaining)
{
  g_autofree char *text = format_remaining (remaining);
  g_autofree char *percent = g_strdup_printf ("%d %%", (int) floor (fraction * 100));

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
  gtk_progress_bar_set_text (self->progress_bar, percent);
  gtk_label_set_text (self->remaining_label, text);
}

static void
launch_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open the exported file: %s", error->message);
}

static void
open_output (GtkWindow *parent,
             GFile     *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GdkAppLaunchContext *context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           launch_done_cb, NULL);
  g_object_unref (context);
}

static void
show_items_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply == NULL)
    {
      /* No file manager that can point at a file: open its folder */
      g_autoptr(GFile) folder = g_file_get_parent (file);
      g_autofree char *uri = g_file_get_uri (folder);

      g_debug ("ShowItems failed: %s", error->message);
      g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launch_done_cb, NULL);
    }
}

static void
show_in_folder (GFile *file)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *uri = g_file_get_uri (file);
  const char *uris[] = { uri, NULL };

  if (bus == NULL)
    {
      show_items_cb (NULL, NULL, g_object_ref (file));
      return;
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL,
                          G_DBUS_CALL_FLAGS_NONE,
                          5000, NULL,
                          show_items_cb, g_object_ref (file));
}

static void
toast_open_cb (AdwToast *toast,
               gpointer  user_data)
{
  GFile *file = g_object_get_data (G_OBJECT (toast), "file");
  GtkWindow *parent = g_object_get_data (G_OBJECT (toast), "window");

  if (file != NULL && parent != NULL)
    open_output (parent, file);
}

static void
announce (TakesExportDialog *self,
          const char        *message)
{
  AdwToast *toast;
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (!TAKES_IS_WINDOW (self->parent))
    return;

  /* A toast's title is markup: a file name may hold an ampersand */
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Open"));
  g_object_set_data_full (G_OBJECT (toast), "file", g_object_ref (self->output), g_object_unref);
  g_object_set_data (G_OBJECT (toast), "window", self->parent);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (toast_open_cb), NULL);
  adw_toast_overlay_add_toast (TAKES_WINDOW (self->parent)->toast_overlay, toast);
}

static void
show_result (TakesExportDialog *self,
             gboolean           success,
             const char        *title,
             const char        *description)
{
  adw_status_page_set_icon_name (self->result_page,
                                 success ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  adw_status_page_set_title (self->result_page, title);
  adw_status_page_set_description (self->result_page, description);
  gtk_widget_set_visible (self->open_button, success);
  gtk_widget_set_visible (self->folder_button, success);
  gtk_widget_set_visible (self->back_button, !success);
  gtk_stack_set_visible_child_name (self->stack, "result");
  update_actions (self);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TakesExportDialog) self = user_data;
  TakesExport *export = TAKES_EXPORT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *name = g_file_get_basename (self->output);
  g_autofree char *title = NULL;
  gboolean ok;

  ok = takes_export_run_finish (export, result, &error);
  self->running = FALSE;
  g_clear_object (&self->cancellable);

  if (ok)
    {
      TakesTimeline *timeline = takes_export_get_timeline (export);

      /* The files for other editors describe exactly what was rendered */
      if (gtk_check_button_get_active (self->otio_check) && timeline != NULL)
        {
          g_autoptr(GFile) otio = sibling_with_extension (self->output, ".otio");
          g_autoptr(GError) otio_error = NULL;

          if (!takes_otio_write (timeline, otio, &otio_error))
            g_string_append_printf (problems, "%s\n", otio_error->message);
        }
      if (gtk_check_button_get_active (self->xges_check) && timeline != NULL)
        {
          g_autoptr(GFile) xges = sibling_with_extension (self->output, ".xges");
          g_autoptr(GError) xges_error = NULL;

          if (!takes_xges_write (timeline, xges, &xges_error))
            g_string_append_printf (problems, "%s\n", xges_error->message);
        }

      /* Translators: %s is the exported file's name */
      title = g_strdup_printf (_("Exported “%s”"), name);
      show_result (self, TRUE, title, problems->len > 0 ? problems->str : NULL);
      announce (self, title);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_stack_set_visible_child_name (self->stack, "settings");
      update_actions (self);
    }
  else
    {
      /* Translators: %s is the file that could not be exported */
      title = g_strdup_printf (_("Could Not Export “%s”"), name);
      show_result (self, FALSE, title, error->message);
      if (!gtk_widget_get_visible (GTK_WIDGET (self)) && TAKES_IS_WINDOW (self->parent))
        _takes_window_show_error (TAKES_WINDOW (self->parent), title, error->message);
    }

  g_clear_object (&self->export);

  /* Hidden while it ran: nothing more to show */
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  guint size_index = adw_combo_row_get_selected (self->size_row);
  guint fps_index = adw_combo_row_get_selected (self->fps_row);
  g_autofree char *title = NULL;
  g_autofree char *display = NULL;

  if (self->running || name == NULL || name[0] == '\0')
    return;

  g_clear_object (&self->output);
  self->output = g_file_get_child (self->folder, name);

  if (!takes_export_validate (self->project, &error) ||
      !takes_export_check_plugins (self->preset, &error))
    {
      show_result (self, FALSE, _("The Film Cannot Be Exported Yet"), error->message);
      return;
    }

  self->export = takes_export_new (self->project, self->output);
  takes_export_set_preset (self->export, self->preset);
  if (size_index > 0 && size_index <= G_N_ELEMENTS (sizes))
    takes_export_set_size (self->export, sizes[size_index - 1].width, sizes[size_index - 1].height);
  if (fps_index > 0 && fps_index <= G_N_ELEMENTS (rates))
    takes_export_set_fps (self->export, rates[fps_index - 1]);
  g_signal_connect_object (self->export, "progress", G_CALLBACK (progress_cb), self,
                           G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->running = TRUE;

  display = g_file_get_basename (self->output);
  /* Translators: %s is the file being written */
  title = g_strdup_printf (_("Exporting “%s”"), display);
  gtk_label_set_text (self->progress_title, title);
  progress_cb (self, 0, -1);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_actions (self);

  takes_export_run_async (self->export, self->cancellable, export_done_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (widget);

  gtk_stack_set_visible_child_name (self->stack, "settings");
  update_actions (self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (widget);

  if (self->output != NULL)
    open_output (GTK_WINDOW (self), self->output);
}

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (widget);

  if (self->output != NULL)
    show_in_folder (self->output);
}

static void
chooser_response_cb (TakesExportDialog    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GFile) folder = file != NULL ? g_file_get_parent (file) : NULL;

      if (folder != NULL)
        {
          g_autofree char *name = g_file_get_basename (file);

          g_set_object (&self->folder, folder);
          gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
          set_extension (self);
          update_folder_row (self);
        }
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Film As"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Choose"), _("_Cancel"));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), self->folder, &error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
takes_export_dialog_close_request (GtkWindow *window)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (window);

  /* The export goes on in the background; the window's toast tells when
   * it is done */
  if (self->running)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (takes_export_dialog_parent_class)->close_request (window);
}

static void
takes_export_dialog_dispose (GObject *object)
{
  TakesExportDialog *self = TAKES_EXPORT_DIALOG (object);

  if (self->parent != NULL &&
      g_object_get_data (G_OBJECT (self->parent), DIALOG_KEY) == self)
    g_object_set_data (G_OBJECT (self->parent), DIALOG_KEY, NULL);
  g_clear_weak_pointer (&self->parent);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->export);
  g_clear_object (&self->project);
  g_clear_object (&self->folder);
  g_clear_object (&self->output);

  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (takes_export_dialog_parent_class)->dispose (object);
}

static void
takes_export_dialog_class_init (TakesExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = takes_export_dialog_dispose;
  window_class->close_request = takes_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, preset_row);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, fps_row);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, otio_check);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, xges_check);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, remaining_label);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, folder_button);
  gtk_widget_class_bind_template_child (widget_class, TakesExportDialog, back_button);

  gtk_widget_class_install_action (widget_class, "export.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "export.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "export.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "export.show-in-folder", NULL, show_in_folder_action);
  gtk_widget_class_install_action (widget_class, "export.choose", NULL, choose_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
takes_export_dialog_init (TakesExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
  g_signal_connect_swapped (self->preset_row, "notify::selected",
                            G_CALLBACK (preset_selected_cb), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
}

static void
fill_rows (TakesExportDialog *self)
{
  g_autoptr(GtkStringList) presets = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) size_list = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) fps_list = gtk_string_list_new (NULL);
  g_autofree char *project_size = NULL;
  g_autofree char *project_fps = NULL;

  for (int p = TAKES_EXPORT_PRESET_MP4; p <= TAKES_EXPORT_PRESET_MOV; p++)
    gtk_string_list_append (presets, takes_export_preset_get_label (p));

  /* Translators: the project's own output size, e.g. "Project (1920 × 1080)" */
  project_size = g_strdup_printf (_("Project (%d × %d)"),
                                  takes_project_get_width (self->project),
                                  takes_project_get_height (self->project));
  gtk_string_list_append (size_list, project_size);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *label = g_strdup_printf ("%d × %d", sizes[i].width, sizes[i].height);

      gtk_string_list_append (size_list, label);
    }

  /* Translators: the project's own frame rate, e.g. "Project (24 fps)" */
  project_fps = g_strdup_printf (_("Project (%.5g fps)"), takes_project_get_fps (self->project));
  gtk_string_list_append (fps_list, project_fps);
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      /* Translators: a frame rate, e.g. "25 fps" */
      g_autofree char *label = g_strdup_printf (_("%.5g fps"), rates[i]);

      gtk_string_list_append (fps_list, label);
    }

  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (presets));
  adw_combo_row_set_model (self->size_row, G_LIST_MODEL (size_list));
  adw_combo_row_set_model (self->fps_row, G_LIST_MODEL (fps_list));
}

TakesExportDialog *
takes_export_dialog_present (GtkWindow    *parent,
                             TakesProject *project)
{
  TakesExportDialog *self;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);

  self = g_object_get_data (G_OBJECT (parent), DIALOG_KEY);
  if (self != NULL && self->project == project)
    {
      gtk_window_present (GTK_WINDOW (self));
      return self;
    }

  self = g_object_new (TAKES_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "application", gtk_window_get_application (parent),
                       /* Closing the project's window (or quitting)
                        * cancels a running export, which leaves no file */
                       "destroy-with-parent", TRUE,
                       NULL);
  self->project = g_object_ref (project);
  g_set_weak_pointer (&self->parent, parent);
  g_object_set_data (G_OBJECT (parent), DIALOG_KEY, self);

  /* Next to the project by default: where its media already are */
  self->folder = takes_project_get_base_dir (project);
  if (self->folder == NULL)
    self->folder = g_file_new_for_path (g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS) != NULL
                                        ? g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS)
                                        : g_get_home_dir ());

  fill_rows (self);
  base = dup_base_name (self);
  name = g_strconcat (base, takes_export_preset_get_extension (TAKES_EXPORT_PRESET_MP4), NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->preset = TAKES_EXPORT_PRESET_MP4;
  adw_combo_row_set_selected (self->preset_row, TAKES_EXPORT_PRESET_MP4);
  update_folder_row (self);
  update_actions (self);

  gtk_window_present (GTK_WINDOW (self));

  return self;
}

GFile *
takes_export_dialog_get_output (TakesExportDialog *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT_DIALOG (self), NULL);

  return self->output;
}

gboolean
takes_export_dialog_get_running (TakesExportDialog *self)
{
  g_return_val_if_fail (TAKES_IS_EXPORT_DIALOG (self), FALSE);

  return self->running;
}
