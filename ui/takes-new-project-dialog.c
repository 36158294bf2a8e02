/* takes-new-project-dialog.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-new-project-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-new-project-dialog.h"
#include "takes-ui.h"

struct _TakesNewProjectDialog
{
  AdwWindow             parent_instance;

  /* template widgets */
  AdwEntryRow          *title_row;
  AdwActionRow         *folder_row;
  AdwComboRow          *size_row;
  AdwComboRow          *fps_row;
  GtkButton            *create_button;
  GtkLabel             *error_label;

  /* owned */
  GFile                *folder;
  GtkFileChooserNative *chooser;
};

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TakesNewProjectDialog, takes_new_project_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  int         width;
  int         height;
  const char *label;
} SizePreset;

static const SizePreset size_presets[] = {
  { 1280,  720, N_("1280 × 720 (HD)") },
  { 1920, 1080, N_("1920 × 1080 (Full HD)") },
  { 3840, 2160, N_("3840 × 2160 (4K)") },
  { 1080, 1920, N_("1080 × 1920 (Vertical)") },
  { 1080, 1080, N_("1080 × 1080 (Square)") },
};
#define DEFAULT_SIZE_PRESET 1

static const int fps_presets[] = { 24, 25, 30, 60 };
#define DEFAULT_FPS_PRESET 0

static void
show_error (TakesNewProjectDialog *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
dup_trimmed_title (TakesNewProjectDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->title_row));

  return g_strstrip (g_strdup (text));
}

/* The title becomes a file name; only the characters no file system
 * accepts are replaced, so "Harbour: Dawn" stays readable. */
static char *
dup_file_name_for_title (const char *title)
{
  GString *name = g_string_new (NULL);

  for (const char *p = title; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c))
        g_string_append_c (name, '-');
      else
        g_string_append_unichar (name, c);
    }

  if (g_str_equal (name->str, ".") || g_str_equal (name->str, ".."))
    g_string_prepend (name, "_");

  g_string_append (name, TAKES_PROJECT_EXTENSION);
  return g_string_free (name, FALSE);
}

static void
update_create_button (TakesNewProjectDialog *self)
{
  g_autofree char *title = dup_trimmed_title (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            title[0] != '\0' && self->folder != NULL);
}

static void
title_changed_cb (TakesNewProjectDialog *self)
{
  show_error (self, NULL);
  update_create_button (self);
}

static void
chooser_response_cb (TakesNewProjectDialog *self,
                     int                    response,
                     GtkFileChooserNative  *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (folder != NULL)
        takes_new_project_dialog_set_folder (self, folder);
    }

  g_clear_object (&self->chooser);
}

static void
folder_clicked_cb (TakesNewProjectDialog *self)
{
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Choose a Folder for the Project"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (self->folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), self->folder, NULL);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
create_clicked_cb (TakesNewProjectDialog *self)
{
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesShot) shot = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = dup_trimmed_title (self);
  g_autofree char *name = NULL;
  const SizePreset *size;
  guint size_index, fps_index;

  if (title[0] == '\0' || self->folder == NULL)
    return;

  if (!g_file_make_directory_with_parents (self->folder, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      show_error (self, error->message);
      return;
    }
  g_clear_error (&error);

  name = dup_file_name_for_title (title);
  file = g_file_get_child (self->folder, name);

  /* Never overwrite someone's film with an empty one. */
  if (g_file_query_exists (file, NULL))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the project title the person typed */
      message = g_strdup_printf (_("A project called “%s” already exists in this folder. Choose another title or folder."),
                                 title);
      show_error (self, message);
      return;
    }

  size_index = MIN (adw_combo_row_get_selected (self->size_row), G_N_ELEMENTS (size_presets) - 1);
  fps_index = MIN (adw_combo_row_get_selected (self->fps_row), G_N_ELEMENTS (fps_presets) - 1);
  size = &size_presets[size_index];

  project = takes_project_new ();
  takes_project_set_title (project, title);
  takes_project_set_size (project, size->width, size->height);
  takes_project_set_fps (project, fps_presets[fps_index]);
  shot = takes_shot_new ();
  takes_project_append_shot (project, shot);

  if (!takes_project_save (project, file, &error))
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, project);
  gtk_window_destroy (GTK_WINDOW (self));
}

static GFile *
default_folder (void)
{
  const char *videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);

  if (videos != NULL && g_file_test (videos, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (videos);

  return g_file_new_for_path (g_get_home_dir ());
}

/* "Untitled Film", or "Untitled Film 2" when that one exists already, so
 * that pressing Create straight away just works. */
static char *
dup_unused_title (GFile *folder)
{
  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GFile) file = NULL;

      if (i == 1)
        title = g_strdup (_("Untitled Film"));
      else
        /* Translators: a default project title when "Untitled Film" is
         * taken; %u is a number from 2 */
        title = g_strdup_printf (_("Untitled Film %u"), i);

      name = dup_file_name_for_title (title);
      file = g_file_get_child (folder, name);
      if (!g_file_query_exists (file, NULL))
        return g_steal_pointer (&title);
    }

  return g_strdup (_("Untitled Film"));
}

static void
takes_new_project_dialog_dispose (GObject *object)
{
  TakesNewProjectDialog *self = TAKES_NEW_PROJECT_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_NEW_PROJECT_DIALOG);

  G_OBJECT_CLASS (takes_new_project_dialog_parent_class)->dispose (object);
}

static void
takes_new_project_dialog_finalize (GObject *object)
{
  TakesNewProjectDialog *self = TAKES_NEW_PROJECT_DIALOG (object);

  g_clear_object (&self->folder);

  G_OBJECT_CLASS (takes_new_project_dialog_parent_class)->finalize (object);
}

static void
takes_new_project_dialog_class_init (TakesNewProjectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_new_project_dialog_dispose;
  object_class->finalize = takes_new_project_dialog_finalize;

  /**
   * TakesNewProjectDialog::created:
   * @project: the saved project
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAKES_TYPE_PROJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-new-project-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesNewProjectDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, TakesNewProjectDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, TakesNewProjectDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, TakesNewProjectDialog, fps_row);
  gtk_widget_class_bind_template_child (widget_class, TakesNewProjectDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, TakesNewProjectDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
}

static void
takes_new_project_dialog_init (TakesNewProjectDialog *self)
{
  g_autoptr(GtkStringList) sizes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) rates = gtk_string_list_new (NULL);
  g_autoptr(GFile) folder = default_folder ();
  g_autofree char *title = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (size_presets); i++)
    gtk_string_list_append (sizes, _(size_presets[i].label));
  adw_combo_row_set_model (self->size_row, G_LIST_MODEL (sizes));
  adw_combo_row_set_selected (self->size_row, DEFAULT_SIZE_PRESET);

  for (guint i = 0; i < G_N_ELEMENTS (fps_presets); i++)
    {
      g_autofree char *label = NULL;

      /* Translators: a frame rate, e.g. "24 fps" */
      label = g_strdup_printf (_("%d fps"), fps_presets[i]);
      gtk_string_list_append (rates, label);
    }
  adw_combo_row_set_model (self->fps_row, G_LIST_MODEL (rates));
  adw_combo_row_set_selected (self->fps_row, DEFAULT_FPS_PRESET);

  takes_new_project_dialog_set_folder (self, folder);
  title = dup_unused_title (folder);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

GtkWidget *
takes_new_project_dialog_new (GtkWindow *parent)
{
  return g_object_new (TAKES_TYPE_NEW_PROJECT_DIALOG,
                       "transient-for", parent,
                       NULL);
}

void
takes_new_project_dialog_set_folder (TakesNewProjectDialog *self,
                                     GFile                 *folder)
{
  g_autofree char *display = NULL;

  g_return_if_fail (TAKES_IS_NEW_PROJECT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (folder));

  g_set_object (&self->folder, folder);

  display = takes_ui_dup_display_path (folder);
  adw_action_row_set_subtitle (self->folder_row, display);
  show_error (self, NULL);
  update_create_button (self);
}
