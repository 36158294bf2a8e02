/* takes-window-actions.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-window"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-demo.h"
#include "takes-new-project-dialog.h"
#include "takes-recent.h"
#include "takes-recovery-dialog.h"
#include "takes-shot-editor.h"
#include "takes-shot-list.h"
#include "takes-ui.h"
#include "takes-window-private.h"

/* Finding and choosing windows */

static TakesWindow *
find_window_for_file (TakesWindow *self,
                      GFile       *file)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GList *windows;
  GList fallback = { self, NULL, NULL };

  windows = app != NULL ? gtk_application_get_windows (app) : &fallback;

  for (const GList *l = windows; l != NULL; l = l->next)
    {
      TakesWindow *window = l->data;
      GFile *open_file;

      if (!TAKES_IS_WINDOW (window) || window->project == NULL)
        continue;

      open_file = takes_project_get_file (window->project);
      if (open_file != NULL && g_file_equal (open_file, file))
        return window;
    }

  return NULL;
}

TakesWindow *
takes_window_open_project (TakesWindow  *self,
                           TakesProject *project)
{
  GFile *file;
  TakesWindow *target = NULL;

  g_return_val_if_fail (TAKES_IS_WINDOW (self), NULL);
  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);

  file = takes_project_get_file (project);
  if (file != NULL)
    target = find_window_for_file (self, file);

  if (target != NULL)
    {
      /* A recovered copy replaces the same project shown unchanged; edits
       * already made in the open window are never thrown away. */
      if (target->project != project &&
          takes_project_get_modified (project) &&
          !takes_project_get_modified (target->project))
        _takes_window_set_project (target, project);
    }
  else if (self->project == NULL && !self->busy)
    {
      target = self;
      _takes_window_set_project (target, project);
    }
  else
    {
      target = takes_window_new (gtk_window_get_application (GTK_WINDOW (self)));
      _takes_window_set_project (target, project);
    }

  if (file != NULL)
    takes_recent_add (file);

  gtk_window_present (GTK_WINDOW (target));

  return target;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TakesWindow) self = user_data;
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;

  project = takes_project_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (project == NULL)
    {
      _takes_window_show_error (self, _("Could Not Open Project"), error->message);
      return;
    }

  /* A crash in the middle of a save leaves temporary files beside it. */
  if (takes_project_get_file (project) != NULL &&
      (dir = g_file_get_parent (takes_project_get_file (project))) != NULL)
    takes_project_sweep_orphans (dir);

  takes_window_open_project (self, project);
}

void
takes_window_open_file (TakesWindow *self,
                        GFile       *file)
{
  TakesWindow *existing;

  g_return_if_fail (TAKES_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if ((existing = find_window_for_file (self, file)) != NULL)
    {
      gtk_window_present (GTK_WINDOW (existing));
      return;
    }

  takes_project_load_async (file, self->cancellable, load_cb, g_object_ref (self));
}

/* Dialogs */

void
_takes_window_show_error (TakesWindow *self,
                          const char  *heading,
                          const char  *message)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  takes_ui_fix_response_names (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_project_created_cb (TakesWindow  *self,
                        TakesProject *project)
{
  takes_window_open_project (self, project);
}

void
takes_window_new_project (TakesWindow *self)
{
  GtkWidget *dialog;

  g_return_if_fail (TAKES_IS_WINDOW (self));

  dialog = takes_new_project_dialog_new (GTK_WINDOW (self));
  g_signal_connect_object (dialog, "created",
                           G_CALLBACK (new_project_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_project_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) projects = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (projects, _("Takes Projects"));
  gtk_file_filter_add_pattern (projects, "*" TAKES_PROJECT_EXTENSION);
  gtk_file_chooser_add_filter (chooser, projects);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);

  gtk_file_chooser_set_filter (chooser, projects);
}

/* File choosers start where the person last opened or saved a project. */
static void
set_start_folder (GtkFileChooser *chooser)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autofree char *uri = NULL;
  g_autoptr(GFile) folder = NULL;

  if (settings == NULL)
    return;

  uri = g_settings_get_string (settings, "last-folder");
  if (uri[0] == '\0')
    return;

  folder = g_file_new_for_uri (uri);
  if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static void
remember_folder (GFile *file)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = NULL;

  if (settings == NULL || folder == NULL)
    return;

  uri = g_file_get_uri (folder);
  g_settings_set_string (settings, "last-folder", uri);
}

static void
open_response_cb (TakesWindow          *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        {
          remember_folder (file);
          takes_window_open_file (self, file);
        }
    }

  g_clear_object (&self->chooser);
}

void
takes_window_choose_project (TakesWindow *self)
{
  g_return_if_fail (TAKES_IS_WINDOW (self));

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Open Project"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_project_filters (GTK_FILE_CHOOSER (self->chooser));
  set_start_folder (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (open_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Saving */

gboolean
_takes_window_save (TakesWindow *self)
{
  g_autoptr(GError) error = NULL;
  GFile *file;

  g_return_val_if_fail (self->project != NULL, FALSE);

  file = takes_project_get_file (self->project);
  if (file == NULL)
    {
      /* Only a recovered, never-saved project has no file. */
      _takes_window_save_as (self);
      return FALSE;
    }

  if (!takes_project_save (self->project, file, &error))
    {
      _takes_window_show_error (self, _("Could Not Save Project"), error->message);
      return FALSE;
    }

  takes_history_break_coalescing (self->history);
  takes_recent_add (file);
  takes_window_add_toast (self, _("Saved"));

  return TRUE;
}

/* Save As moves the project file; media paths are relative to it, so the
 * media folder comes along as NEW.media and paths into it are rewritten.
 * Files elsewhere stay where they are and are referenced from the new
 * place. */

typedef enum
{
  PATH_REFERENCE_IMAGE,
  PATH_TAKE_MEDIA,
  PATH_TAKE_THUMBNAIL,
  PATH_SOUNDTRACK_MEDIA,
} PathKind;

typedef struct
{
  GObject  *object;
  PathKind  kind;
  char     *old_value;
  char     *new_value;
} PathChange;

static void
path_change_free (gpointer data)
{
  PathChange *change = data;

  g_clear_object (&change->object);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

typedef struct
{
  TakesProject *project;
  GFile        *file;
  GFile        *old_media;
  GFile        *new_media;
  GPtrArray    *changes;
} SaveAsData;

static void
save_as_data_free (gpointer data)
{
  SaveAsData *save_as = data;

  g_clear_object (&save_as->project);
  g_clear_object (&save_as->file);
  g_clear_object (&save_as->old_media);
  g_clear_object (&save_as->new_media);
  g_clear_pointer (&save_as->changes, g_ptr_array_unref);
  g_free (save_as);
}

static void
set_path (PathChange *change,
          const char *value)
{
  switch (change->kind)
    {
    case PATH_REFERENCE_IMAGE:
      takes_shot_set_reference_image (TAKES_SHOT (change->object), value);
      break;
    case PATH_TAKE_MEDIA:
      takes_take_set_media (TAKES_TAKE (change->object), value);
      break;
    case PATH_TAKE_THUMBNAIL:
      takes_take_set_thumbnail (TAKES_TAKE (change->object), value);
      break;
    case PATH_SOUNDTRACK_MEDIA:
      takes_soundtrack_clip_set_media (TAKES_SOUNDTRACK_CLIP (change->object), value);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
plan_path (SaveAsData *save_as,
           GFile      *old_base,
           GFile      *new_base,
           gpointer    object,
           PathKind    kind,
           const char *value)
{
  g_autoptr(GFile) resolved = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *new_value = NULL;
  PathChange *change;

  if (value == NULL || value[0] == '\0' || g_path_is_absolute (value))
    return;

  resolved = g_file_resolve_relative_path (old_base, value);

  if (save_as->old_media != NULL && g_file_has_prefix (resolved, save_as->old_media))
    {
      g_autofree char *inside = g_file_get_relative_path (save_as->old_media, resolved);

      target = g_file_resolve_relative_path (save_as->new_media, inside);
    }
  else
    target = g_object_ref (resolved);

  new_value = g_file_get_relative_path (new_base, target);
  if (new_value == NULL)
    new_value = g_file_get_path (target);
  if (new_value == NULL || g_str_equal (new_value, value))
    return;

  change = g_new0 (PathChange, 1);
  change->object = g_object_ref (object);
  change->kind = kind;
  change->old_value = g_strdup (value);
  change->new_value = g_steal_pointer (&new_value);
  g_ptr_array_add (save_as->changes, change);
}

static void
plan_paths (SaveAsData *save_as,
            GFile      *old_base)
{
  g_autoptr(GFile) new_base = g_file_get_parent (save_as->file);
  guint n_shots = takes_project_get_n_shots (save_as->project);
  GListModel *soundtrack;
  guint n_clips;

  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (save_as->project, i);
      GListModel *takes = takes_shot_get_takes (shot);
      guint n_takes = g_list_model_get_n_items (takes);

      plan_path (save_as, old_base, new_base, shot, PATH_REFERENCE_IMAGE,
                 takes_shot_get_reference_image (shot));

      for (guint j = 0; j < n_takes; j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);

          plan_path (save_as, old_base, new_base, take, PATH_TAKE_MEDIA,
                     takes_take_get_media (take));
          plan_path (save_as, old_base, new_base, take, PATH_TAKE_THUMBNAIL,
                     takes_take_get_thumbnail (take));
        }
    }

  soundtrack = takes_project_get_soundtrack (save_as->project);
  n_clips = g_list_model_get_n_items (soundtrack);
  for (guint i = 0; i < n_clips; i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);

      plan_path (save_as, old_base, new_base, clip, PATH_SOUNDTRACK_MEDIA,
                 takes_soundtrack_clip_get_media (clip));
    }
}

static gboolean
copy_tree (GFile         *source,
           GFile         *destination,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_make_directory_with_parents (destination, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  enumerator = g_file_enumerate_children (source,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, error);
  if (enumerator == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info;
      GFile *child;
      g_autoptr(GFile) target = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        break;

      target = g_file_get_child (destination, g_file_info_get_name (info));

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (!copy_tree (child, target, cancellable, error))
            return FALSE;
        }
      else if (!g_file_copy (child, target,
                             G_FILE_COPY_OVERWRITE | G_FILE_COPY_ALL_METADATA,
                             cancellable, NULL, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static void
copy_media_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SaveAsData *save_as = task_data;
  g_autoptr(GError) error = NULL;

  if (!copy_tree (save_as->old_media, save_as->new_media, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_busy (TakesWindow *self,
          gboolean     busy)
{
  self->busy = !!busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
  _takes_window_update_actions (self);
}

static void
dismiss_copy_toast (TakesWindow *self)
{
  if (self->copy_toast != NULL)
    adw_toast_dismiss (self->copy_toast);
}

static void
finish_save_as (TakesWindow *self,
                SaveAsData  *save_as)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) old_file = NULL;

  /* The file first: whoever shows a path resolves it against the
   * project's folder as soon as the path changes. */
  g_set_object (&old_file, takes_project_get_file (save_as->project));
  takes_project_set_file (save_as->project, save_as->file);

  for (guint i = 0; i < save_as->changes->len; i++)
    {
      PathChange *change = g_ptr_array_index (save_as->changes, i);

      set_path (change, change->new_value);
    }

  if (!takes_project_save (save_as->project, save_as->file, &error))
    {
      takes_project_set_file (save_as->project, old_file);
      for (guint i = 0; i < save_as->changes->len; i++)
        {
          PathChange *change = g_ptr_array_index (save_as->changes, i);

          set_path (change, change->old_value);
        }

      self->pending = TAKES_WINDOW_PENDING_NONE;
      _takes_window_show_error (self, _("Could Not Save Project"), error->message);
      return;
    }

  takes_history_break_coalescing (self->history);
  takes_recent_add (save_as->file);
  remember_folder (save_as->file);
  takes_window_add_toast (self, _("Saved"));
  _takes_window_do_pending (self);
}

static void
copy_media_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TakesWindow *self = TAKES_WINDOW (object);
  GTask *task = G_TASK (result);
  SaveAsData *save_as = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      dismiss_copy_toast (self);
      self->pending = TAKES_WINDOW_PENDING_NONE;
      _takes_window_show_error (self, _("Could Not Copy the Media Folder"), error->message);
      return;
    }

  set_busy (self, FALSE);
  dismiss_copy_toast (self);

  /* The window may show another project by now only if it was closed. */
  if (self->project == save_as->project)
    finish_save_as (self, save_as);
}

static GFile *
dup_media_dir_for (GFile *file)
{
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *media = NULL;

  if (g_str_has_suffix (name, TAKES_PROJECT_EXTENSION))
    name[strlen (name) - strlen (TAKES_PROJECT_EXTENSION)] = '\0';
  media = g_strconcat (name, ".media", NULL);

  return g_file_get_child (dir, media);
}

static void
save_as_to (TakesWindow *self,
            GFile       *file)
{
  GFile *old_file = takes_project_get_file (self->project);
  g_autoptr(GFile) old_base = NULL;
  SaveAsData *save_as;

  if (old_file != NULL && g_file_equal (old_file, file))
    {
      if (_takes_window_save (self))
        _takes_window_do_pending (self);
      else
        self->pending = TAKES_WINDOW_PENDING_NONE;
      return;
    }

  save_as = g_new0 (SaveAsData, 1);
  save_as->project = g_object_ref (self->project);
  save_as->file = g_object_ref (file);
  save_as->new_media = dup_media_dir_for (file);
  save_as->changes = g_ptr_array_new_with_free_func (path_change_free);

  if (old_file != NULL)
    {
      old_base = g_file_get_parent (old_file);
      save_as->old_media = dup_media_dir_for (old_file);
      plan_paths (save_as, old_base);
    }

  if (save_as->old_media != NULL &&
      !g_file_equal (save_as->old_media, save_as->new_media) &&
      g_file_query_file_type (save_as->old_media, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, copy_media_cb, NULL);

      g_task_set_source_tag (task, save_as_to);
      g_task_set_task_data (task, save_as, save_as_data_free);
      set_busy (self, TRUE);
      self->copy_toast = adw_toast_new (_("Copying media…"));
      adw_toast_set_timeout (self->copy_toast, 0);
      g_object_add_weak_pointer (G_OBJECT (self->copy_toast), (gpointer *) &self->copy_toast);
      adw_toast_overlay_add_toast (self->toast_overlay, self->copy_toast);
      g_task_run_in_thread (task, copy_media_thread);
      return;
    }

  finish_save_as (self, save_as);
  save_as_data_free (save_as);
}

static void
save_as_response_cb (TakesWindow          *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file == NULL || self->project == NULL)
    {
      self->pending = TAKES_WINDOW_PENDING_NONE;
      return;
    }

  name = g_file_get_basename (file);
  if (name != NULL && !g_str_has_suffix (name, TAKES_PROJECT_EXTENSION))
    {
      g_autofree char *with_extension = g_strconcat (name, TAKES_PROJECT_EXTENSION, NULL);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autoptr(GFile) renamed = g_file_get_child (parent, with_extension);

      g_set_object (&file, renamed);
    }

  save_as_to (self, file);
}

void
_takes_window_save_as (TakesWindow *self)
{
  GFile *file;
  g_autofree char *name = NULL;
  const char *title;

  g_return_if_fail (self->project != NULL);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Save Project As"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_project_filters (GTK_FILE_CHOOSER (self->chooser));

  file = takes_project_get_file (self->project);
  if (file != NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), dir, NULL);
      name = g_file_get_basename (file);
    }
  else
    {
      set_start_folder (GTK_FILE_CHOOSER (self->chooser));
      title = takes_project_get_title (self->project);
      name = g_strconcat (title != NULL && title[0] != '\0' ? title : _("Untitled Film"),
                          TAKES_PROJECT_EXTENSION, NULL);
      g_strdelimit (name, "/", '-');
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (save_as_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Closing */

void
_takes_window_do_pending (TakesWindow *self)
{
  TakesWindowPending pending = self->pending;

  self->pending = TAKES_WINDOW_PENDING_NONE;

  switch (pending)
    {
    case TAKES_WINDOW_PENDING_CLOSE_WINDOW:
      self->closing = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;

    case TAKES_WINDOW_PENDING_CLOSE_PROJECT:
      _takes_window_set_project (self, NULL);
      break;

    case TAKES_WINDOW_PENDING_NONE:
    default:
      break;
    }
}

static void
save_changes_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          TakesWindow      *self)
{
  if (g_str_equal (response, "discard"))
    _takes_window_do_pending (self);
  else if (g_str_equal (response, "save"))
    {
      /* Without a file, Save As picks up the pending step when done. */
      if (_takes_window_save (self))
        _takes_window_do_pending (self);
    }
  else
    self->pending = TAKES_WINDOW_PENDING_NONE;
}

void
_takes_window_settle_then (TakesWindow        *self,
                           TakesWindowPending  pending)
{
  g_autofree char *body = NULL;
  const char *title;
  GtkWidget *dialog;

  self->pending = pending;

  if (self->project == NULL || !takes_project_get_modified (self->project))
    {
      _takes_window_do_pending (self);
      return;
    }

  title = takes_project_get_title (self->project);
  if (title == NULL || title[0] == '\0')
    title = _("Untitled Film");

  /* Translators: %s is the project title */
  body = g_strdup_printf (_("“%s” has unsaved changes. Changes you do not save will be lost."),
                          title);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  takes_ui_fix_response_names (dialog);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (save_changes_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Recovery */

static void
recovery_response_cb (TakesRecoveryDialog *dialog,
                      const char          *response,
                      TakesWindow         *self)
{
  GListModel *recoveries = takes_recovery_dialog_get_recoveries (dialog);
  guint n = g_list_model_get_n_items (recoveries);

  if (g_str_equal (response, TAKES_RECOVERY_RESPONSE_DISCARD))
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TakesRecovery) recovery = g_list_model_get_item (recoveries, i);

          takes_recovery_discard (recovery);
        }
    }
  else if (g_str_equal (response, TAKES_RECOVERY_RESPONSE_RECOVER))
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TakesRecovery) recovery = g_list_model_get_item (recoveries, i);
          g_autoptr(TakesProject) project = NULL;
          g_autoptr(GError) error = NULL;
          TakesWindow *target;

          project = takes_recovery_load (recovery, &error);
          if (project == NULL)
            {
              _takes_window_show_error (self, _("Could Not Recover Project"), error->message);
              continue;
            }

          /* The window's own autosave writes a fresh copy right away, so
           * the old one can go first. */
          takes_recovery_discard (recovery);
          target = takes_window_open_project (self, project);
          takes_window_add_toast (target, _("Recovered unsaved changes"));
        }
    }
}

void
takes_window_offer_recovery (TakesWindow *self)
{
  g_autoptr(GListModel) recoveries = NULL;
  GtkWidget *dialog;

  g_return_if_fail (TAKES_IS_WINDOW (self));

  recoveries = takes_recovery_list (NULL);
  if (recoveries == NULL || g_list_model_get_n_items (recoveries) == 0)
    return;

  dialog = takes_recovery_dialog_new (GTK_WINDOW (self), recoveries);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (recovery_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  takes_window_new_project (TAKES_WINDOW (widget));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  takes_window_choose_project (TAKES_WINDOW (widget));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  file = takes_demo_ensure (&error);
  if (file == NULL)
    {
      _takes_window_show_error (self, _("Could Not Create the Demo Film"), error->message);
      return;
    }

  takes_window_open_file (self, file);
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  takes_window_open_file (TAKES_WINDOW (widget), file);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->project != NULL && !self->busy)
    _takes_window_save (self);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->project != NULL && !self->busy)
    _takes_window_save_as (self);
}

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _takes_window_settle_then (TAKES_WINDOW (widget), TAKES_WINDOW_PENDING_CLOSE_PROJECT);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->history != NULL)
    takes_history_undo (self->history);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->history != NULL)
    takes_history_redo (self->history);
}

static void
shot_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);
  TakesShotList *list = TAKES_SHOT_LIST (self->shot_list);

  if (self->project == NULL || list == NULL)
    return;

  if (g_str_equal (action_name, "win.add-shot"))
    takes_shot_list_add_shot (list);
  else if (g_str_equal (action_name, "win.duplicate-shot"))
    takes_shot_list_duplicate_selected (list);
  else if (g_str_equal (action_name, "win.delete-shot"))
    takes_shot_list_delete_selected (list);
  else if (g_str_equal (action_name, "win.move-shot-up"))
    takes_shot_list_move_selected (list, -1);
  else if (g_str_equal (action_name, "win.move-shot-down"))
    takes_shot_list_move_selected (list, 1);

  _takes_window_update_actions (self);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->project == NULL || self->shot_editor == NULL)
    return;

  takes_shot_editor_generate (TAKES_SHOT_EDITOR (self->shot_editor));
}

static void
generate_all_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || self->shot_editor == NULL)
    return;

  if (!takes_shot_editor_generate_all (TAKES_SHOT_EDITOR (self->shot_editor), &error))
    _takes_window_show_error (self, _("Could Not Generate All Takes"), error->message);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TakesWindow *self = TAKES_WINDOW (widget);

  if (self->project == NULL || self->shot_editor == NULL)
    return;

  takes_shot_editor_compare (TAKES_SHOT_EDITOR (self->shot_editor));
}

void
_takes_window_class_actions_init (TakesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.open-file", "s", open_file_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.add-shot", NULL, shot_action);
  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.generate-all", NULL, generate_all_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-shot", NULL, shot_action);
  gtk_widget_class_install_action (widget_class, "win.delete-shot", NULL, shot_action);
  gtk_widget_class_install_action (widget_class, "win.move-shot-up", NULL, shot_action);
  gtk_widget_class_install_action (widget_class, "win.move-shot-down", NULL, shot_action);
}
