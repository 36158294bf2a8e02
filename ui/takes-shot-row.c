/* takes-shot-row.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-shot-row"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "takes-shot-row.h"
#include "takes-texture-loader.h"

/* Decoded at twice the displayed 64x36 so thumbnails stay sharp on
 * high-density screens. */
#define THUMB_WIDTH  128
#define THUMB_HEIGHT 72

struct _TakesShotRow
{
  GtkWidget     parent_instance;

  /* template widgets */
  GtkWidget    *box;
  GtkLabel     *number_label;
  GtkStack     *thumbnail_stack;
  GtkPicture   *thumbnail_picture;
  GtkLabel     *title_label;
  GtkLabel     *duration_label;
  GtkWidget    *takes_box;
  GtkImage     *takes_image;
  GtkLabel     *takes_label;

  /* owned */
  TakesShot    *shot;
  TakesProject *project;
  GCancellable *thumbnail_cancellable;
  GFile        *thumbnail_file;

  guint         number;
};

G_DEFINE_FINAL_TYPE (TakesShotRow, takes_shot_row, GTK_TYPE_WIDGET)

char *
_takes_format_seconds (double seconds)
{
  /* Whole seconds read better without a trailing ".0". */
  if (fabs (seconds - round (seconds)) < 0.05)
    return g_strdup_printf (_("%.0f s"), round (seconds));

  return g_strdup_printf (_("%.1f s"), seconds);
}

char *
_takes_format_seconds_spoken (double seconds)
{
  if (fabs (seconds - round (seconds)) < 0.05)
    {
      gulong whole = (gulong) round (seconds);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%lu second",
                                           "%lu seconds",
                                           whole),
                              whole);
    }

  /* Fractions take the plural form in the languages we know of. */
  return g_strdup_printf (_("%.1f seconds"), seconds);
}

void
_takes_shots_ensure_css (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GdkDisplay *display = gdk_display_get_default ();

      if (display != NULL)
        {
          g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

          gtk_css_provider_load_from_resource (provider,
                                               "/io/github/takesapp/Takes/takes-shots.css");
          gtk_style_context_add_provider_for_display (display,
                                                      GTK_STYLE_PROVIDER (provider),
                                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
        }

      g_once_init_leave (&initialized, 1);
    }
}

static void
update_accessible_label (TakesShotRow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *label = NULL;
  GtkWidget *parent;
  guint n_takes;

  if (self->shot == NULL)
    return;

  title = takes_shot_dup_display_title (self->shot);
  duration = _takes_format_seconds_spoken (takes_shot_get_duration (self->shot));
  n_takes = g_list_model_get_n_items (takes_shot_get_takes (self->shot));

  if (n_takes == 0)
    /* Translators: read by screen readers for a row of the shot list:
     * "Shot 3, Harbour at dawn, 5 seconds" */
    label = g_strdup_printf (_("Shot %u, %s, %s"), self->number, title, duration);
  else
    {
      g_autofree char *takes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u take",
                                                             "%u takes",
                                                             n_takes),
                                                n_takes);

      /* Translators: as "Shot %u, %s, %s" with the number of takes after */
      label = g_strdup_printf (_("Shot %u, %s, %s, %s"),
                               self->number, title, duration, takes);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  /* The list item around the row is what a screen reader lands on. */
  parent = gtk_widget_get_parent (GTK_WIDGET (self));
  if (parent != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
}

static void
update_title (TakesShotRow *self)
{
  g_autofree char *title = takes_shot_dup_display_title (self->shot);
  gboolean has_title;

  gtk_label_set_text (self->title_label, title);

  /* A title borrowed from the prompt is shown dimmed, like a hint. */
  has_title = takes_shot_get_title (self->shot) != NULL &&
              takes_shot_get_title (self->shot)[0] != '\0';
  if (has_title)
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "shot-title-from-prompt");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "shot-title-from-prompt");

  update_accessible_label (self);
}

static void
update_duration (TakesShotRow *self)
{
  g_autofree char *text = _takes_format_seconds (takes_shot_get_duration (self->shot));

  gtk_label_set_text (self->duration_label, text);
  update_accessible_label (self);
}

static void
update_takes (TakesShotRow *self)
{
  GListModel *takes = takes_shot_get_takes (self->shot);
  guint n_takes = g_list_model_get_n_items (takes);
  guint n_in_flight = 0;
  guint n_ready = 0;
  guint n_failed = 0;
  g_autofree char *count = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon_name;
  const char *state;

  gtk_widget_set_visible (self->takes_box, n_takes > 0);
  gtk_widget_remove_css_class (self->takes_box, "success");
  gtk_widget_remove_css_class (self->takes_box, "warning");
  gtk_widget_remove_css_class (self->takes_box, "accent");

  if (n_takes == 0)
    return;

  for (guint i = 0; i < n_takes; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);
      TakesTakeState take_state = takes_take_get_state (take);

      if (takes_take_state_is_in_flight (take_state))
        n_in_flight++;
      else if (take_state == TAKES_TAKE_READY)
        n_ready++;
      else if (take_state == TAKES_TAKE_FAILED || take_state == TAKES_TAKE_UNKNOWN)
        n_failed++;
    }

  if (takes_shot_get_picked_take (self->shot) != NULL)
    {
      icon_name = "emblem-ok-symbolic";
      state = _("picked");
      gtk_widget_add_css_class (self->takes_box, "success");
    }
  else if (n_in_flight > 0)
    {
      icon_name = "content-loading-symbolic";
      state = _("generating");
      gtk_widget_add_css_class (self->takes_box, "accent");
    }
  else if (n_failed > 0 && n_ready == 0)
    {
      icon_name = "dialog-warning-symbolic";
      state = _("failed");
      gtk_widget_add_css_class (self->takes_box, "warning");
    }
  else
    {
      icon_name = "camera-video-symbolic";
      state = _("none picked");
    }

  count = g_strdup_printf ("%u", n_takes);
  gtk_image_set_from_icon_name (self->takes_image, icon_name);
  gtk_label_set_text (self->takes_label, count);

  tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: "3 takes, picked" */
                                          "%u take, %s",
                                          "%u takes, %s",
                                          n_takes),
                             n_takes, state);
  gtk_widget_set_tooltip_text (self->takes_box, tooltip);
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TakesShotRow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = _takes_texture_loader_load_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }

  /* The row may have been recycled while the file was decoding. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  gtk_picture_set_paintable (self->thumbnail_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->thumbnail_stack, "picture");
}

static GFile *
dup_thumbnail_file (TakesShotRow *self)
{
  TakesTake *take = takes_shot_get_picked_take (self->shot);
  const char *thumbnail;

  if (take == NULL || self->project == NULL)
    return NULL;

  thumbnail = takes_take_get_thumbnail (take);
  if (thumbnail == NULL || thumbnail[0] == '\0')
    return NULL;

  return takes_project_resolve (self->project, thumbnail);
}

static void
update_thumbnail (TakesShotRow *self)
{
  g_autoptr(GFile) file = dup_thumbnail_file (self);
  g_autoptr(GdkTexture) texture = NULL;

  if (file == self->thumbnail_file ||
      (file != NULL && self->thumbnail_file != NULL &&
       g_file_equal (file, self->thumbnail_file)))
    return;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_set_object (&self->thumbnail_file, file);

  gtk_picture_set_paintable (self->thumbnail_picture, NULL);
  gtk_stack_set_visible_child_name (self->thumbnail_stack, "placeholder");

  if (file == NULL)
    return;

  texture = _takes_texture_loader_lookup (file, THUMB_WIDTH, THUMB_HEIGHT);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->thumbnail_picture, GDK_PAINTABLE (texture));
      gtk_stack_set_visible_child_name (self->thumbnail_stack, "picture");
      return;
    }

  self->thumbnail_cancellable = g_cancellable_new ();
  _takes_texture_loader_load_async (file,
                                    THUMB_WIDTH,
                                    THUMB_HEIGHT,
                                    self->thumbnail_cancellable,
                                    thumbnail_loaded_cb,
                                    g_object_ref (self));
}

static void
on_shot_title_changed (TakesShotRow *self)
{
  update_title (self);
}

static void
on_shot_duration_changed (TakesShotRow *self)
{
  update_duration (self);
}

/* Take states, picks and thumbnails change on objects the row does not
 * hold; the project's "changed" covers them all and the checks are cheap. */
static void
on_project_changed (TakesShotRow *self)
{
  update_takes (self);
  update_thumbnail (self);
}

void
takes_shot_row_bind (TakesShotRow *self,
                     TakesShot    *shot,
                     TakesProject *project)
{
  g_return_if_fail (TAKES_IS_SHOT_ROW (self));
  g_return_if_fail (TAKES_IS_SHOT (shot));
  g_return_if_fail (!project || TAKES_IS_PROJECT (project));

  if (self->shot != NULL)
    takes_shot_row_unbind (self);

  self->shot = g_object_ref (shot);
  g_set_object (&self->project, project);

  g_signal_connect_object (shot, "notify::title",
                           G_CALLBACK (on_shot_title_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (shot, "notify::prompt",
                           G_CALLBACK (on_shot_title_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (shot, "notify::duration",
                           G_CALLBACK (on_shot_duration_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (takes_shot_get_takes (shot), "items-changed",
                           G_CALLBACK (on_project_changed), self,
                           G_CONNECT_SWAPPED);
  if (project != NULL)
    g_signal_connect_object (project, "changed",
                             G_CALLBACK (on_project_changed), self,
                             G_CONNECT_SWAPPED);

  update_title (self);
  update_duration (self);
  update_takes (self);
  update_thumbnail (self);
}

void
takes_shot_row_unbind (TakesShotRow *self)
{
  g_return_if_fail (TAKES_IS_SHOT_ROW (self));

  if (self->shot != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->shot, self);
      g_signal_handlers_disconnect_by_data (takes_shot_get_takes (self->shot), self);
    }
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_file);
  g_clear_object (&self->shot);
  g_clear_object (&self->project);

  gtk_picture_set_paintable (self->thumbnail_picture, NULL);
  gtk_stack_set_visible_child_name (self->thumbnail_stack, "placeholder");
}

TakesShot *
takes_shot_row_get_shot (TakesShotRow *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_ROW (self), NULL);

  return self->shot;
}

void
takes_shot_row_set_number (TakesShotRow *self,
                           guint         number)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TAKES_IS_SHOT_ROW (self));

  if (self->number == number)
    return;

  self->number = number;
  text = g_strdup_printf ("%u", number);
  gtk_label_set_text (self->number_label, text);
  update_accessible_label (self);
}

guint
takes_shot_row_get_number (TakesShotRow *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_ROW (self), 0);

  return self->number;
}

static void
takes_shot_row_dispose (GObject *object)
{
  TakesShotRow *self = (TakesShotRow *)object;

  takes_shot_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_SHOT_ROW);

  G_OBJECT_CLASS (takes_shot_row_parent_class)->dispose (object);
}

static void
takes_shot_row_class_init (TakesShotRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_shot_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-shot-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, box);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, thumbnail_picture);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, takes_box);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, takes_image);
  gtk_widget_class_bind_template_child (widget_class, TakesShotRow, takes_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "shotrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
takes_shot_row_init (TakesShotRow *self)
{
  _takes_shots_ensure_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
takes_shot_row_new (void)
{
  return g_object_new (TAKES_TYPE_SHOT_ROW, NULL);
}
