/* takes-shot-editor.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-shot-editor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "takes-compare-view.h"
#include "takes-generate-panel.h"
#include "takes-generate-private.h"
#include "takes-player-view.h"
#include "takes-shot-editor.h"
#include "takes-shot-row.h"
#include "takes-take-gallery.h"
#include "takes-texture-loader.h"

#define PREVIEW_WIDTH  320
#define PREVIEW_HEIGHT 180

struct _TakesShotEditor
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkStack        *stack;
  GtkScrolledWindow *scrolled_window;
  GtkLabel        *heading_label;
  GtkLabel        *subtitle_label;
  GtkEntry        *title_entry;
  GtkTextView     *prompt_view;
  GtkTextView     *negative_view;
  GtkSpinButton   *duration_spin;
  GtkDropDown     *aspect_dropdown;
  GtkStringList   *aspect_model;
  GtkCheckButton  *seed_random_check;
  GtkSpinButton   *seed_spin;
  GtkWidget       *seed_roll_button;
  GtkStack        *reference_stack;
  GtkPicture      *reference_picture;
  GtkWidget       *reference_choose_button;
  GtkWidget       *reference_remove_button;
  GtkLabel        *reference_error_label;
  GtkTextView     *notes_view;
  TakesGeneratePanel *generate_panel;
  GtkWidget       *player_clamp;
  GtkLabel        *player_title_label;
  GtkLabel        *player_subtitle_label;
  TakesPlayerView *player_view;
  TakesTakeGallery *take_gallery;

  /* owned */
  TakesShot       *shot;
  TakesHistory    *history;
  TakesProject    *project;
  TakesJobEngine  *engine;
  GCancellable    *preview_cancellable;
  GCancellable    *import_cancellable;
  GtkNativeDialog *chooser;

  /* borrowed: GTK owns it; cleared by a weak pointer */
  GtkWindow       *compare_window;

  /* Set while the fields are filled from the model, so that filling
   * them is not recorded as an edit. */
  guint            updating : 1;
  /* The person chose what the player shows (Play on a card); until then
   * it follows the shot's picked take. */
  guint            player_chosen : 1;
  guint            player_watched : 1;
};

G_DEFINE_FINAL_TYPE (TakesShotEditor, takes_shot_editor, ADW_TYPE_BIN)

static const char * const image_mime_types[] = {
  "image/png",
  "image/jpeg",
  "image/webp",
};

/* ------------------------------------------------------------------ */
/* Model to fields                                                    */

static void
set_text_view_text (TakesShotEditor *self,
                    GtkTextView     *view,
                    const char      *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  g_autofree char *current = NULL;
  GtkTextIter start, end, cursor;
  int offset;

  if (text == NULL)
    text = "";

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  current = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);

  /* Our own edits come back as notifications; leaving an equal text
   * alone keeps the cursor and selection where the person left them. */
  if (g_strcmp0 (current, text) == 0)
    return;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  offset = gtk_text_iter_get_offset (&cursor);

  self->updating = TRUE;
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &cursor, offset);
  gtk_text_buffer_place_cursor (buffer, &cursor);
  self->updating = FALSE;
}

static char *
dup_text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
update_heading (TakesShotEditor *self)
{
  g_autofree char *heading = NULL;
  g_autofree char *title = NULL;
  guint position;

  if (self->shot == NULL)
    return;

  if (self->project != NULL &&
      takes_project_find_shot_position (self->project, self->shot, &position))
    heading = g_strdup_printf (_("Shot %u"), position + 1);
  else
    heading = g_strdup (_("Shot"));

  title = takes_shot_dup_display_title (self->shot);
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->subtitle_label, title);
}

static void
update_title (TakesShotEditor *self)
{
  const char *title = takes_shot_get_title (self->shot);

  if (title == NULL)
    title = "";

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->title_entry)), title) != 0)
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (self->title_entry));

      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title);
      gtk_editable_set_position (GTK_EDITABLE (self->title_entry), position);
      self->updating = FALSE;
    }

  update_heading (self);
}

static void
update_prompt (TakesShotEditor *self)
{
  set_text_view_text (self, self->prompt_view, takes_shot_get_prompt (self->shot));
  update_heading (self);
}

static void
update_negative_prompt (TakesShotEditor *self)
{
  set_text_view_text (self, self->negative_view, takes_shot_get_negative_prompt (self->shot));
}

static void
update_notes (TakesShotEditor *self)
{
  set_text_view_text (self, self->notes_view, takes_shot_get_notes (self->shot));
}

static void
update_duration (TakesShotEditor *self)
{
  double duration = takes_shot_get_duration (self->shot);

  if (G_APPROX_VALUE (gtk_spin_button_get_value (self->duration_spin), duration, 1e-6))
    return;

  self->updating = TRUE;
  gtk_spin_button_set_value (self->duration_spin, duration);
  self->updating = FALSE;
}

static void
update_aspect (TakesShotEditor *self)
{
  const char *aspect = takes_shot_get_aspect (self->shot);
  GListModel *model = G_LIST_MODEL (self->aspect_model);
  guint n_items = g_list_model_get_n_items (model);
  guint found = GTK_INVALID_LIST_POSITION;

  if (aspect == NULL || aspect[0] == '\0')
    aspect = TAKES_SHOT_DEFAULT_ASPECT;

  for (guint i = 0; i < n_items; i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (self->aspect_model, i), aspect) == 0)
        {
          found = i;
          break;
        }
    }

  self->updating = TRUE;

  /* A ratio from another tool or an older file stays choosable. */
  if (found == GTK_INVALID_LIST_POSITION)
    {
      gtk_string_list_append (self->aspect_model, aspect);
      found = n_items;
    }

  if (gtk_drop_down_get_selected (self->aspect_dropdown) != found)
    gtk_drop_down_set_selected (self->aspect_dropdown, found);

  self->updating = FALSE;
}

static void
update_seed (TakesShotEditor *self)
{
  gint64 seed = takes_shot_get_seed (self->shot);
  gboolean random = seed < 0;

  self->updating = TRUE;

  gtk_check_button_set_active (self->seed_random_check, random);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seed_spin), !random);
  if (!random && (gint64) gtk_spin_button_get_value (self->seed_spin) != seed)
    gtk_spin_button_set_value (self->seed_spin, (double) seed);

  self->updating = FALSE;
}

static void
preview_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TakesShotEditor) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = _takes_texture_loader_load_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->reference_error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->reference_error_label), TRUE);
        }
      return;
    }

  gtk_picture_set_paintable (self->reference_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->reference_stack, "picture");
}

static void
update_reference_image (TakesShotEditor *self)
{
  const char *path = takes_shot_get_reference_image (self->shot);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);

  gtk_picture_set_paintable (self->reference_picture, NULL);
  gtk_stack_set_visible_child_name (self->reference_stack, "none");
  gtk_widget_set_sensitive (self->reference_remove_button, path != NULL && path[0] != '\0');

  if (path == NULL || path[0] == '\0' || self->project == NULL)
    return;

  file = takes_project_resolve (self->project, path);
  if (file == NULL)
    return;

  texture = _takes_texture_loader_lookup (file, PREVIEW_WIDTH, PREVIEW_HEIGHT);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->reference_picture, GDK_PAINTABLE (texture));
      gtk_stack_set_visible_child_name (self->reference_stack, "picture");
      return;
    }

  self->preview_cancellable = g_cancellable_new ();
  _takes_texture_loader_load_async (file,
                                    PREVIEW_WIDTH,
                                    PREVIEW_HEIGHT,
                                    self->preview_cancellable,
                                    preview_loaded_cb,
                                    g_object_ref (self));
}

static void
update_all (TakesShotEditor *self)
{
  update_title (self);
  update_prompt (self);
  update_negative_prompt (self);
  update_duration (self);
  update_aspect (self);
  update_seed (self);
  update_reference_image (self);
  update_notes (self);
}

/* ------------------------------------------------------------------ */
/* Fields to model                                                    */

static gboolean
can_edit (TakesShotEditor *self)
{
  return !self->updating && self->shot != NULL && self->history != NULL;
}

static void
on_title_changed (TakesShotEditor *self)
{
  if (!can_edit (self))
    return;

  takes_history_set_string (self->history, self->shot, "title",
                            gtk_editable_get_text (GTK_EDITABLE (self->title_entry)));
}

static void
on_prompt_changed (TakesShotEditor *self)
{
  g_autofree char *text = NULL;

  if (!can_edit (self))
    return;

  text = dup_text_view_text (self->prompt_view);
  takes_history_set_string (self->history, self->shot, "prompt", text);
}

static void
on_negative_prompt_changed (TakesShotEditor *self)
{
  g_autofree char *text = NULL;

  if (!can_edit (self))
    return;

  text = dup_text_view_text (self->negative_view);
  takes_history_set_string (self->history, self->shot, "negative-prompt", text);
}

static void
on_notes_changed (TakesShotEditor *self)
{
  g_autofree char *text = NULL;

  if (!can_edit (self))
    return;

  text = dup_text_view_text (self->notes_view);
  takes_history_set_string (self->history, self->shot, "notes", text);
}

static void
on_duration_changed (TakesShotEditor *self)
{
  double duration;

  if (!can_edit (self))
    return;

  duration = gtk_spin_button_get_value (self->duration_spin);
  if (G_APPROX_VALUE (duration, takes_shot_get_duration (self->shot), 1e-6))
    return;

  takes_history_set_double (self->history, self->shot, "duration", duration);
}

static void
on_aspect_changed (TakesShotEditor *self)
{
  guint selected;
  const char *aspect;

  if (!can_edit (self))
    return;

  selected = gtk_drop_down_get_selected (self->aspect_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION)
    return;

  aspect = gtk_string_list_get_string (self->aspect_model, selected);
  if (g_strcmp0 (aspect, takes_shot_get_aspect (self->shot)) == 0)
    return;

  takes_history_break_coalescing (self->history);
  takes_history_set_string (self->history, self->shot, "aspect", aspect);
}

static void
set_seed (TakesShotEditor *self,
          gint64           seed)
{
  if (seed == takes_shot_get_seed (self->shot))
    return;

  takes_history_set_int64 (self->history, self->shot, "seed", seed);
}

static void
on_seed_changed (TakesShotEditor *self)
{
  if (!can_edit (self) || gtk_check_button_get_active (self->seed_random_check))
    return;

  set_seed (self, (gint64) gtk_spin_button_get_value (self->seed_spin));
}

static void
on_seed_random_toggled (TakesShotEditor *self)
{
  gboolean random;

  if (!can_edit (self))
    return;

  random = gtk_check_button_get_active (self->seed_random_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seed_spin), !random);

  takes_history_break_coalescing (self->history);
  set_seed (self, random ? -1 : (gint64) gtk_spin_button_get_value (self->seed_spin));
}

static void
on_seed_roll_clicked (TakesShotEditor *self)
{
  gint64 seed;

  if (!can_edit (self))
    return;

  seed = g_random_int_range (0, G_MAXINT32);

  /* One undo step for the new seed, not one per widget that shows it. */
  takes_history_break_coalescing (self->history);
  set_seed (self, seed);
  takes_history_break_coalescing (self->history);
}

static void
on_field_focus_leave (TakesShotEditor *self)
{
  /* Typing into a field is one undo step per visit, not one forever. */
  if (self->history != NULL)
    takes_history_break_coalescing (self->history);
}

/* ------------------------------------------------------------------ */
/* Reference image                                                    */

typedef struct
{
  TakesShotEditor *editor;
  TakesShot       *shot;
  TakesHistory    *history;
  TakesProject    *project;
  GFile           *source;
  GFile           *destination;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->editor);
  g_clear_object (&data->shot);
  g_clear_object (&data->history);
  g_clear_object (&data->project);
  g_clear_object (&data->source);
  g_clear_object (&data->destination);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
show_error (TakesShotEditor *self,
            const char      *message)
{
  gtk_label_set_text (self->reference_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->reference_error_label), message != NULL);
}

static void
store_reference (ImportData *data,
                 GFile      *file)
{
  g_autofree char *relative = takes_project_relativize (data->project, file);

  /* Outside the project folder (or not saved yet): keep it absolute. */
  if (relative == NULL)
    relative = g_file_get_path (file);

  /* The shot may no longer be the one shown: the history still knows it. */
  takes_history_break_coalescing (data->history);
  takes_history_set_string (data->history, data->shot, "reference-image", relative);
  takes_history_break_coalescing (data->history);
}

static void
copy_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    {
      g_autofree char *name = g_file_get_basename (data->source);
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not copy “%s” into the project: %s"),
                                 name, error->message);
      show_error (data->editor, message);
      return;
    }

  store_reference (data, data->destination);
}

static char *
make_destination_name (TakesShot *shot,
                       GFile     *source)
{
  g_autofree char *basename = g_file_get_basename (source);

  /* Keep the name a plain file name whatever the source was called. */
  g_strdelimit (basename, "/\\", '_');

  return g_strdup_printf ("ref-%s-%s", takes_shot_get_id (shot), basename);
}

static void
copy_into_project (ImportData *data)
{
  g_autoptr(GFile) media_dir = takes_project_get_media_dir (data->project);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  /* An unsaved project has nowhere to keep media yet: refer to the image
   * where it is; saving relativizes what it can. */
  if (media_dir == NULL)
    {
      store_reference (data, data->source);
      import_data_free (data);
      return;
    }

  if (!g_file_make_directory_with_parents (media_dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the media folder: %s"),
                                                  error->message);
      show_error (data->editor, message);
      import_data_free (data);
      return;
    }

  name = make_destination_name (data->shot, data->source);
  data->destination = g_file_get_child (media_dir, name);

  if (g_file_equal (data->source, data->destination))
    {
      store_reference (data, data->destination);
      import_data_free (data);
      return;
    }

  g_file_copy_async (data->source,
                     data->destination,
                     G_FILE_COPY_OVERWRITE,
                     G_PRIORITY_DEFAULT,
                     data->editor->import_cancellable,
                     NULL, NULL,
                     copy_done_cb,
                     data);
}

static gboolean
is_supported_image (const char *content_type)
{
  g_autofree char *mime = NULL;

  if (content_type == NULL)
    return FALSE;

  mime = g_content_type_get_mime_type (content_type);
  for (guint i = 0; i < G_N_ELEMENTS (image_mime_types); i++)
    if (g_strcmp0 (mime, image_mime_types[i]) == 0 ||
        g_content_type_is_a (content_type, image_mime_types[i]))
      return TRUE;

  return FALSE;
}

static void
query_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (data->source);

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (info == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not read “%s”: %s"), name, error->message);
      show_error (data->editor, message);
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      !is_supported_image (g_file_info_get_content_type (info)))
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not an image Takes can use. Choose a PNG, JPEG or WebP file."),
                         name);

      show_error (data->editor, message);
      return;
    }

  copy_into_project (g_steal_pointer (&data));
}

static void
import_image (TakesShotEditor *self,
              GFile           *file)
{
  ImportData *data;

  if (self->shot == NULL || self->history == NULL || self->project == NULL)
    return;

  show_error (self, NULL);

  data = g_new0 (ImportData, 1);
  data->editor = g_object_ref (self);
  data->shot = g_object_ref (self->shot);
  data->history = g_object_ref (self->history);
  data->project = g_object_ref (self->project);
  data->source = g_object_ref (file);

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT,
                           self->import_cancellable,
                           query_info_cb,
                           data);
}

static void
on_chooser_response (TakesShotEditor      *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        import_image (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
on_reference_choose_clicked (TakesShotEditor *self)
{
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (self->chooser);
      return;
    }

  gtk_file_filter_set_name (images, _("Images (PNG, JPEG, WebP)"));
  for (guint i = 0; i < G_N_ELEMENTS (image_mime_types); i++)
    gtk_file_filter_add_mime_type (images, image_mime_types[i]);
  /* Portals without MIME sniffing still match by name. */
  gtk_file_filter_add_suffix (images, "png");
  gtk_file_filter_add_suffix (images, "jpg");
  gtk_file_filter_add_suffix (images, "jpeg");
  gtk_file_filter_add_suffix (images, "webp");

  chooser = gtk_file_chooser_native_new (_("Choose a Reference Image"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
on_reference_remove_clicked (TakesShotEditor *self)
{
  if (!can_edit (self))
    return;

  show_error (self, NULL);
  takes_history_break_coalescing (self->history);
  takes_history_set_string (self->history, self->shot, "reference-image", NULL);
  takes_history_break_coalescing (self->history);
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         TakesShotEditor *self)
{
  GFile *file = NULL;

  if (self->shot == NULL)
    return FALSE;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      if (files != NULL)
        file = files->data;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;

  import_image (self, file);

  return TRUE;
}

static GdkDragAction
on_drop_enter (GtkDropTarget   *target,
               double           x,
               double           y,
               TakesShotEditor *self)
{
  return self->shot != NULL ? GDK_ACTION_COPY : 0;
}

/* ------------------------------------------------------------------ */
/* The shot's player                                                  */

static gboolean
is_playable (TakesTake *take)
{
  return take != NULL &&
         takes_take_get_state (take) == TAKES_TAKE_READY &&
         takes_take_get_media (take) != NULL;
}

static gboolean
find_take (TakesShot *shot,
           TakesTake *take,
           guint     *position)
{
  GListModel *takes = takes_shot_get_takes (shot);
  guint n_items = g_list_model_get_n_items (takes);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) item = g_list_model_get_item (takes, i);

      if (item == take)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
shot_has_take (TakesShot *shot,
               TakesTake *take)
{
  return find_take (shot, take, NULL);
}

/* The picked take, or else the first ready one */
static TakesTake *
default_take (TakesShot *shot)
{
  TakesTake *picked = takes_shot_get_picked_take (shot);
  GListModel *takes = takes_shot_get_takes (shot);
  guint n_items = g_list_model_get_n_items (takes);

  if (is_playable (picked))
    return picked;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      if (is_playable (take))
        return take;
    }

  return NULL;
}

static void
update_player_heading (TakesShotEditor *self)
{
  TakesTake *take = takes_player_view_get_take (self->player_view);
  g_autofree char *title = NULL;
  g_autofree char *backend = NULL;
  g_autofree char *subtitle = NULL;
  const char *picked;
  guint position = 0;

  if (take == NULL || self->shot == NULL)
    return;

  find_take (self->shot, take, &position);
  title = g_strdup_printf (_("Take %u"), position + 1);
  backend = _takes_ui_dup_backend_name (self->engine, takes_take_get_backend (take));
  picked = takes_shot_get_picked_take_id (self->shot);

  if (g_strcmp0 (picked, takes_take_get_id (take)) == 0)
    /* Translators: under the shot's player: the backend of the take
     * shown, and that it is the shot's pick, "Animatic · Picked" */
    subtitle = g_strdup_printf (_("%s · Picked"), backend);
  else
    subtitle = g_steal_pointer (&backend);

  gtk_label_set_text (self->player_title_label, title);
  gtk_label_set_text (self->player_subtitle_label, subtitle);
}

static gboolean
player_is_playing (TakesShotEditor *self)
{
  TakesPlayer *player = takes_player_view_peek_player (self->player_view);

  return player != NULL && takes_player_get_playing (player);
}

static TakesPlayer *
compare_player (TakesShotEditor *self)
{
  TakesCompareView *view;

  if (self->compare_window == NULL)
    return NULL;

  view = takes_compare_window_get_view (self->compare_window);

  return view != NULL ? takes_compare_view_get_player (view) : NULL;
}

static void
on_player_playing_changed (TakesShotEditor *self,
                           GParamSpec      *pspec,
                           TakesPlayer     *player)
{
  TakesPlayer *other = compare_player (self);

  if (!takes_player_get_playing (player))
    return;

  /* One thing sounds at a time: the player silences the card previews
   * and an open comparison. */
  takes_take_gallery_stop_previews (self->take_gallery);
  if (other != NULL && takes_player_get_playing (other))
    takes_player_pause (other);
}

static void
on_compare_playing_changed (TakesShotEditor *self,
                            GParamSpec      *pspec,
                            TakesPlayer     *compare)
{
  TakesPlayer *player = takes_player_view_peek_player (self->player_view);

  if (takes_player_get_playing (compare) && player != NULL && takes_player_get_playing (player))
    takes_player_pause (player);
}

static void
show_in_player (TakesShotEditor *self,
                TakesTake       *take)
{
  if (takes_player_view_get_take (self->player_view) != take)
    takes_player_view_set_take (self->player_view, take != NULL ? self->project : NULL, take);

  /* The player exists once something was shown in it */
  if (!self->player_watched && takes_player_view_peek_player (self->player_view) != NULL)
    {
      self->player_watched = TRUE;
      g_signal_connect_object (takes_player_view_peek_player (self->player_view), "notify::playing",
                               G_CALLBACK (on_player_playing_changed), self, G_CONNECT_SWAPPED);
    }

  gtk_widget_set_visible (self->player_clamp, take != NULL);
  update_player_heading (self);
}

/* Keeps the player on a take of this shot that can play: what the person
 * chose while it lasts, otherwise the picked take. Never starts playing. */
static void
update_player (TakesShotEditor *self)
{
  TakesTake *shown = takes_player_view_get_take (self->player_view);

  if (self->shot == NULL || self->project == NULL)
    {
      self->player_chosen = FALSE;
      show_in_player (self, NULL);
      return;
    }

  if (shown != NULL && (!shot_has_take (self->shot, shown) || !is_playable (shown)))
    self->player_chosen = FALSE;
  else if (shown != NULL && self->player_chosen)
    {
      show_in_player (self, shown);
      return;
    }

  /* A take being watched stays until it is stopped, even when another
   * is picked meanwhile. */
  if (shown != NULL && is_playable (shown) && shot_has_take (self->shot, shown) &&
      player_is_playing (self))
    {
      update_player_heading (self);
      return;
    }

  show_in_player (self, default_take (self->shot));
}

static void
watch_takes (TakesShotEditor *self)
{
  GListModel *takes = takes_shot_get_takes (self->shot);
  guint n_items = g_list_model_get_n_items (takes);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      g_signal_handlers_disconnect_by_data (take, self);
      g_signal_connect_object (take, "notify::state",
                               G_CALLBACK (update_player), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (take, "notify::media",
                               G_CALLBACK (update_player), self, G_CONNECT_SWAPPED);
    }
}

static void
unwatch_takes (TakesShotEditor *self)
{
  GListModel *takes;
  guint n_items;

  if (self->shot == NULL)
    return;

  takes = takes_shot_get_takes (self->shot);
  n_items = g_list_model_get_n_items (takes);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      g_signal_handlers_disconnect_by_data (take, self);
    }
}

static void
on_shot_takes_changed (TakesShotEditor *self)
{
  watch_takes (self);
  update_player (self);
}

static gboolean
on_take_activated (TakesShotEditor  *self,
                   TakesTake        *take,
                   TakesTakeGallery *gallery)
{
  if (self->project == NULL || !is_playable (take))
    return FALSE;

  self->player_chosen = TRUE;
  show_in_player (self, take);

  /* The keyboard follows, so Space and J/K/L work on it at once; the
   * column scrolls to the focused player. */
  gtk_widget_grab_focus (GTK_WIDGET (self->player_view));
  takes_player_play (takes_player_view_get_player (self->player_view));
  takes_take_gallery_stop_previews (self->take_gallery);

  return TRUE;
}


static void
on_gallery_compare (TakesShotEditor *self)
{
  takes_shot_editor_compare (self);
}

static void
close_compare_window (TakesShotEditor *self)
{
  if (self->compare_window == NULL)
    return;

  g_object_remove_weak_pointer (G_OBJECT (self->compare_window),
                                (gpointer *) &self->compare_window);
  gtk_window_destroy (self->compare_window);
  self->compare_window = NULL;
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

static void
disconnect_shot (TakesShotEditor *self)
{
  unwatch_takes (self);
  if (self->shot != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->shot, self);
      g_signal_handlers_disconnect_by_data (takes_shot_get_takes (self->shot), self);
    }
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (takes_project_get_shots (self->project), self);
}

void
takes_shot_editor_set_shot (TakesShotEditor *self,
                            TakesShot       *shot,
                            TakesHistory    *history)
{
  static const struct {
    const char *signal;
    void (*update) (TakesShotEditor *self);
  } notifications[] = {
    { "notify::title", update_title },
    { "notify::prompt", update_prompt },
    { "notify::negative-prompt", update_negative_prompt },
    { "notify::duration", update_duration },
    { "notify::aspect", update_aspect },
    { "notify::seed", update_seed },
    { "notify::reference-image", update_reference_image },
    { "notify::notes", update_notes },
  };
  TakesProject *project;

  g_return_if_fail (TAKES_IS_SHOT_EDITOR (self));
  g_return_if_fail (!shot || TAKES_IS_SHOT (shot));
  g_return_if_fail (!history || TAKES_IS_HISTORY (history));

  if (self->shot == shot && self->history == history)
    return;

  disconnect_shot (self);
  if (self->history != NULL)
    takes_history_break_coalescing (self->history);

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  show_error (self, NULL);

  /* Another project's comparison has nothing to say about this one */
  if (self->history != history)
    close_compare_window (self);

  /* The old shot's take leaves the player (and its pipeline) at once */
  self->player_chosen = FALSE;
  show_in_player (self, NULL);

  g_set_object (&self->shot, shot);
  g_set_object (&self->history, history);
  project = history != NULL ? takes_history_get_project (history) : NULL;
  g_set_object (&self->project, project);

  takes_generate_panel_set_history (self->generate_panel, history);
  takes_generate_panel_set_shot (self->generate_panel, shot);
  takes_take_gallery_set_shot (self->take_gallery, shot, history);

  if (shot == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  g_signal_connect_object (shot, "notify::picked-take-id",
                           G_CALLBACK (update_player), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (takes_shot_get_takes (shot), "items-changed",
                           G_CALLBACK (on_shot_takes_changed), self, G_CONNECT_SWAPPED);
  watch_takes (self);

  for (guint i = 0; i < G_N_ELEMENTS (notifications); i++)
    g_signal_connect_object (shot, notifications[i].signal,
                             G_CALLBACK (notifications[i].update), self,
                             G_CONNECT_SWAPPED);
  if (self->project != NULL)
    g_signal_connect_object (takes_project_get_shots (self->project), "items-changed",
                             G_CALLBACK (update_heading), self,
                             G_CONNECT_SWAPPED);

  update_all (self);
  update_player (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), history != NULL);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

TakesShot *
takes_shot_editor_get_shot (TakesShotEditor *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), NULL);

  return self->shot;
}

/* The new cards appear below the form: bring them into view, so that
 * Ctrl+Return in the prompt visibly does something. */
static void
reveal_takes (TakesShotEditor *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->scrolled_window);
  graphene_point_t top = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t at;
  double page = gtk_adjustment_get_page_size (vadjustment);
  double value = gtk_adjustment_get_value (vadjustment);

  if (viewport == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self->generate_panel), viewport, &top, &at))
    return;

  /* Already on screen: leave the view where the person put it. */
  if (at.y >= 0 && at.y < page * 0.75)
    return;

  gtk_adjustment_set_value (vadjustment, MAX (0, value + at.y - 12));
}

void
takes_shot_editor_set_engine (TakesShotEditor *self,
                              TakesJobEngine  *engine)
{
  g_return_if_fail (TAKES_IS_SHOT_EDITOR (self));
  g_return_if_fail (!engine || TAKES_IS_JOB_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;

  takes_generate_panel_set_engine (self->generate_panel, engine);
  takes_take_gallery_set_engine (self->take_gallery, engine);
  update_player_heading (self);
}

TakesJobEngine *
takes_shot_editor_get_engine (TakesShotEditor *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), NULL);

  return self->engine;
}

void
takes_shot_editor_generate (TakesShotEditor *self)
{
  g_return_if_fail (TAKES_IS_SHOT_EDITOR (self));

  if (self->shot == NULL)
    return;

  /* A prompt being typed is one undo step; what is generated from it
   * starts a new one. */
  if (self->history != NULL)
    takes_history_break_coalescing (self->history);

  /* Failures are shown in the panel, in words; new takes are revealed
   * through the panel's "generated". */
  takes_generate_panel_generate (self->generate_panel, NULL);
}

TakesGeneratePanel *
takes_shot_editor_get_generate_panel (TakesShotEditor *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), NULL);

  return self->generate_panel;
}

TakesTakeGallery *
takes_shot_editor_get_take_gallery (TakesShotEditor *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), NULL);

  return self->take_gallery;
}

TakesPlayerView *
takes_shot_editor_get_player_view (TakesShotEditor *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), NULL);

  return self->player_view;
}

GtkWindow *
takes_shot_editor_compare (TakesShotEditor *self)
{
  g_autoptr(GPtrArray) selection = NULL;
  GtkRoot *root;

  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), NULL);

  if (self->shot == NULL || self->project == NULL ||
      !takes_take_gallery_can_compare (self->take_gallery))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return NULL;
    }

  /* The comparison has the sound now */
  if (takes_player_view_peek_player (self->player_view) != NULL)
    takes_player_pause (takes_player_view_peek_player (self->player_view));
  takes_take_gallery_stop_previews (self->take_gallery);

  /* One comparison at a time: two would play over each other */
  close_compare_window (self);

  selection = takes_take_gallery_dup_selection (self->take_gallery);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->compare_window = takes_compare_window_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       self->project,
                                                       self->shot,
                                                       selection->len > 0 ? selection : NULL,
                                                       self->history);
  g_object_add_weak_pointer (G_OBJECT (self->compare_window),
                             (gpointer *) &self->compare_window);
  if (compare_player (self) != NULL)
    g_signal_connect_object (compare_player (self), "notify::playing",
                             G_CALLBACK (on_compare_playing_changed), self, G_CONNECT_SWAPPED);

  return self->compare_window;
}

gboolean
takes_shot_editor_generate_all (TakesShotEditor  *self,
                                GError          **error)
{
  g_return_val_if_fail (TAKES_IS_SHOT_EDITOR (self), FALSE);

  if (self->engine == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Open a project to generate takes."));
      return FALSE;
    }

  return takes_generate_panel_generate_all (self->generate_panel,
                                            takes_job_engine_get_project (self->engine),
                                            error);
}

/* ------------------------------------------------------------------ */
/* Class                                                              */

static void
watch_focus (TakesShotEditor *self,
             gpointer         widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "leave",
                           G_CALLBACK (on_field_focus_leave), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (widget), focus);
}

static void
setup_text_view (TakesShotEditor *self,
                 GtkTextView     *view,
                 GCallback        changed)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  /* The project history is the one undo; the buffer's own would let
   * Ctrl+Z diverge from it. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  g_signal_connect_object (buffer, "changed", changed, self, G_CONNECT_SWAPPED);
  watch_focus (self, view);
}

static gboolean
on_generate_shortcut (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  TakesShotEditor *self = TAKES_SHOT_EDITOR (widget);

  if (self->shot == NULL)
    return FALSE;

  takes_shot_editor_generate (self);

  return TRUE;
}

static void
takes_shot_editor_dispose (GObject *object)
{
  TakesShotEditor *self = (TakesShotEditor *)object;

  g_cancellable_cancel (self->import_cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  disconnect_shot (self);
  close_compare_window (self);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  /* AdwBin unparents its child itself; let it do so before the template
   * drops its references, or it would unparent a widget twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_SHOT_EDITOR);

  g_clear_object (&self->shot);
  g_clear_object (&self->history);
  g_clear_object (&self->project);
  g_clear_object (&self->engine);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->import_cancellable);

  G_OBJECT_CLASS (takes_shot_editor_parent_class)->dispose (object);
}

static void
takes_shot_editor_class_init (TakesShotEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_shot_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-shot-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, title_entry);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, negative_view);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, aspect_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, aspect_model);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, seed_random_check);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, seed_roll_button);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, reference_stack);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, reference_picture);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, reference_choose_button);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, reference_remove_button);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, reference_error_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, generate_panel);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, player_clamp);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, player_title_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, player_subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, player_view);
  gtk_widget_class_bind_template_child (widget_class, TakesShotEditor, take_gallery);

  gtk_widget_class_set_css_name (widget_class, "shoteditor");
}

static void
takes_shot_editor_init (TakesShotEditor *self)
{
  GtkDropTarget *drop_target;
  GtkEventController *shortcuts;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  _takes_shots_ensure_css ();
  g_type_ensure (TAKES_TYPE_GENERATE_PANEL);
  g_type_ensure (TAKES_TYPE_TAKE_GALLERY);
  g_type_ensure (TAKES_TYPE_PLAYER_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->import_cancellable = g_cancellable_new ();

  g_signal_connect_object (self->generate_panel, "generated",
                           G_CALLBACK (reveal_takes), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->take_gallery, "take-activated",
                           G_CALLBACK (on_take_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->take_gallery, "compare",
                           G_CALLBACK (on_gallery_compare), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->title_entry, "changed",
                           G_CALLBACK (on_title_changed), self, G_CONNECT_SWAPPED);
  watch_focus (self, self->title_entry);

  setup_text_view (self, self->prompt_view, G_CALLBACK (on_prompt_changed));
  setup_text_view (self, self->negative_view, G_CALLBACK (on_negative_prompt_changed));
  setup_text_view (self, self->notes_view, G_CALLBACK (on_notes_changed));

  g_signal_connect_object (self->duration_spin, "value-changed",
                           G_CALLBACK (on_duration_changed), self, G_CONNECT_SWAPPED);
  watch_focus (self, self->duration_spin);
  /* GTK 4.8 leaves the drop-down's inner button unnamed; a screen reader
   * lands on it, so it gets the field's name. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->aspect_dropdown));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Aspect Ratio"),
                                      -1);

  g_signal_connect_object (self->aspect_dropdown, "notify::selected",
                           G_CALLBACK (on_aspect_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->seed_spin, "value-changed",
                           G_CALLBACK (on_seed_changed), self, G_CONNECT_SWAPPED);
  watch_focus (self, self->seed_spin);
  g_signal_connect_object (self->seed_random_check, "toggled",
                           G_CALLBACK (on_seed_random_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->seed_roll_button, "clicked",
                           G_CALLBACK (on_seed_roll_clicked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reference_choose_button, "clicked",
                           G_CALLBACK (on_reference_choose_clicked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reference_remove_button, "clicked",
                           G_CALLBACK (on_reference_remove_clicked), self, G_CONNECT_SWAPPED);

  drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop_target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  /* Ctrl+Return generates from anywhere in the editor, also from inside
   * the prompt, which would otherwise take it as a new line. The
   * window's own accelerator for win.generate, when it has one, runs
   * first and this one never sees the key. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_generate_shortcut,
                                                                                   NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_generate_shortcut,
                                                                                   NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
takes_shot_editor_new (void)
{
  return g_object_new (TAKES_TYPE_SHOT_EDITOR, NULL);
}
