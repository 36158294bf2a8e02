/* takes-take-details-dialog.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-take-details-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-generate-private.h"
#include "takes-take-details-dialog.h"

struct _TakesTakeDetailsDialog
{
  AdwWindow     parent_instance;

  /* borrowed */
  GtkWidget    *content;
  GtkTextView  *request_view;

  /* owned */
  TakesTake    *take;
  TakesProject *project;
  guint         rebuild_id;
};

G_DEFINE_FINAL_TYPE (TakesTakeDetailsDialog, takes_take_details_dialog, ADW_TYPE_WINDOW)

static GtkWidget *
add_group (TakesTakeDetailsDialog *self,
           const char             *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (GTK_BOX (self->content), group);

  return group;
}

static void
add_row (GtkWidget  *group,
         const char *title,
         const char *value)
{
  GtkWidget *row;
  GtkWidget *label;

  if (value == NULL || value[0] == '\0')
    value = C_("no value", "—");

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  label = gtk_label_new (value);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 44);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  /* Screen readers read the row as "title, value". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) when = NULL;

  if (unix_time <= 0)
    return NULL;

  when = g_date_time_new_from_unix_local (unix_time);
  if (when == NULL)
    return NULL;

  /* Translators: a date and time as strftime() format, e.g. "3 May 2026, 14:05:09" */
  return g_date_time_format (when, _("%e %B %Y, %H:%M:%S"));
}

/* How long after @since @unix_time was, or NULL when either is unknown */
static char *
dup_elapsed (gint64 unix_time,
             gint64 since)
{
  if (unix_time <= 0 || since <= 0 || unix_time < since)
    return NULL;

  return _takes_ui_format_duration (unix_time - since);
}

static char *
format_cost (double usd)
{
  if (usd < 0)
    return g_strdup (_("Unknown"));

  return _takes_ui_format_cost (usd);
}

static char *
dup_request_text (TakesTake *take)
{
  JsonObject *request = takes_take_get_request (take);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (request == NULL)
    return g_strdup (_("No request was recorded for this take."));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, request);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

static char *
dup_seed (TakesTake *take)
{
  JsonObject *request = takes_take_get_request (take);
  JsonNode *seed;

  if (request == NULL || (seed = json_object_get_member (request, "seed")) == NULL ||
      json_node_get_value_type (seed) != G_TYPE_INT64)
    return NULL;

  if (json_node_get_int (seed) < 0)
    return g_strdup (_("Chosen by the backend"));

  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (seed));
}

static void
rebuild (TakesTakeDetailsDialog *self)
{
  TakesTake *take = self->take;
  TakesTakeState state = takes_take_get_state (take);
  TakesBackend *backend = _takes_ui_lookup_backend (NULL, takes_take_get_backend (take));
  g_autofree char *backend_name = _takes_ui_dup_backend_name (NULL, takes_take_get_backend (take));
  g_autofree char *model = _takes_ui_dup_model_label (backend, takes_take_get_model (take));
  g_autofree char *seed = dup_seed (take);
  g_autofree char *created = format_time (takes_take_get_created (take));
  g_autofree char *submitted = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *estimate = format_cost (takes_take_get_cost_estimate (take));
  g_autofree char *actual = format_cost (takes_take_get_cost_actual (take));
  g_autofree char *media_path = NULL;
  g_autofree char *request = dup_request_text (take);
  GtkWidget *group;
  GtkWidget *child;
  GtkWidget *scrolled;
  GtkWidget *view;

  submitted = format_time (takes_take_get_submitted (take));
  elapsed = dup_elapsed (takes_take_get_submitted (take), takes_take_get_created (take));
  if (submitted != NULL && elapsed != NULL)
    {
      /* Translators: "when (after how long)", e.g. "3 May 2026, 14:05:09 (after 2 s)" */
      g_autofree char *text = g_strdup_printf (_("%s (after %s)"), submitted, elapsed);

      g_free (submitted);
      submitted = g_steal_pointer (&text);
    }
  g_clear_pointer (&elapsed, g_free);

  finished = format_time (takes_take_get_finished (take));
  elapsed = dup_elapsed (takes_take_get_finished (take),
                         takes_take_get_submitted (take) > 0
                           ? takes_take_get_submitted (take)
                           : takes_take_get_created (take));
  if (finished != NULL && elapsed != NULL)
    {
      /* Translators: "when (how long it took)", e.g. "3 May 2026, 14:06:01 (took 52 s)" */
      g_autofree char *text = g_strdup_printf (_("%s (took %s)"), finished, elapsed);

      g_free (finished);
      finished = g_steal_pointer (&text);
    }

  if (takes_take_get_media (take) != NULL && self->project != NULL)
    {
      g_autoptr(GFile) file = takes_project_resolve (self->project, takes_take_get_media (take));

      if (file != NULL)
        media_path = g_file_get_path (file);
    }
  if (media_path == NULL)
    media_path = g_strdup (takes_take_get_media (take));

  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);

  group = add_group (self, _("Generation"));
  add_row (group, _("Backend"), backend_name);
  add_row (group, _("Model"), model != NULL ? model : takes_take_get_model (take));
  add_row (group, _("State"), takes_take_state_get_label (state));
  add_row (group, _("Seed"), seed);
  add_row (group, _("Remote task id"), takes_take_get_remote_id (take));
  add_row (group, _("Client request id"), takes_take_get_client_request_id (take));

  if (takes_take_get_error (take) != NULL && takes_take_get_error (take)[0] != '\0')
    {
      group = add_group (self, _("Error"));
      add_row (group, _("Reason"), takes_take_get_error (take));
    }

  group = add_group (self, _("Timings"));
  add_row (group, _("Created"), created);
  add_row (group, _("Submitted"), submitted);
  add_row (group, _("Finished"), finished);

  group = add_group (self, _("Cost"));
  add_row (group, _("Estimated"), estimate);
  add_row (group, _("Actual"), actual);

  group = add_group (self, _("Clip"));
  add_row (group, _("Media file"), media_path);
  if (takes_take_get_duration (take) > 0)
    {
      g_autofree char *length = _takes_ui_format_seconds (takes_take_get_duration (take));
      g_autofree char *size = g_strdup_printf (C_("frame size", "%d×%d"),
                                               takes_take_get_width (take),
                                               takes_take_get_height (take));
      /* Translators: frames per second, "24 fps" */
      g_autofree char *fps = g_strdup_printf (_("%.3g fps"), takes_take_get_fps (take));
      const char *audio = takes_take_get_has_audio (take)
                            ? takes_take_get_audio_codec (take)
                            : _("None");

      add_row (group, _("Length"), length);
      add_row (group, _("Size"), size);
      add_row (group, _("Frame rate"), fps);
      add_row (group, _("Video"), takes_take_get_video_codec (take));
      add_row (group, _("Audio"), audio != NULL ? audio : _("Yes"));
    }

  group = add_group (self, _("Request Sent"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Exactly what was sent to the backend, to reproduce this take"));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_widget_add_css_class (scrolled, "card");
  view = gtk_text_view_new ();
  self->request_view = GTK_TEXT_VIEW (view);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_NONE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  /* JSON reads left to right whatever the interface's direction. */
  gtk_widget_set_direction (view, GTK_TEXT_DIR_LTR);
  gtk_widget_add_css_class (view, "request-json");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), request, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Request Sent"),
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), scrolled);
}

static gboolean
rebuild_idle (gpointer user_data)
{
  TakesTakeDetailsDialog *self = user_data;

  self->rebuild_id = 0;
  rebuild (self);

  return G_SOURCE_REMOVE;
}

static void
on_take_notify (TakesTakeDetailsDialog *self,
                GParamSpec             *pspec)
{
  /* Progress ticks often and is not shown here. */
  if (g_str_equal (g_param_spec_get_name (pspec), "progress"))
    return;

  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_idle, self);
}

static void
takes_take_details_dialog_dispose (GObject *object)
{
  TakesTakeDetailsDialog *self = (TakesTakeDetailsDialog *)object;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->take != NULL)
    g_signal_handlers_disconnect_by_data (self->take, self);
  g_clear_object (&self->take);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (takes_take_details_dialog_parent_class)->dispose (object);
}

static void
takes_take_details_dialog_class_init (TakesTakeDetailsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_take_details_dialog_dispose;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
takes_take_details_dialog_init (TakesTakeDetailsDialog *self)
{
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *scrolled;
  GtkWidget *clamp;

  gtk_window_set_title (GTK_WINDOW (self), _("Take Details"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);

  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (self->content, 18);
  gtk_widget_set_margin_bottom (self->content, 24);
  gtk_widget_set_margin_start (self->content, 12);
  gtk_widget_set_margin_end (self->content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->content);

  adw_window_set_content (ADW_WINDOW (self), box);
}

GtkWidget *
takes_take_details_dialog_new (GtkWindow    *parent,
                               TakesTake    *take,
                               TakesProject *project)
{
  TakesTakeDetailsDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TAKES_IS_TAKE (take), NULL);
  g_return_val_if_fail (!project || TAKES_IS_PROJECT (project), NULL);

  self = g_object_new (TAKES_TYPE_TAKE_DETAILS_DIALOG,
                       "transient-for", parent,
                       "modal", FALSE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->take = g_object_ref (take);
  self->project = project != NULL ? g_object_ref (project) : NULL;
  g_signal_connect_object (take, "notify",
                           G_CALLBACK (on_take_notify), self, G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}
