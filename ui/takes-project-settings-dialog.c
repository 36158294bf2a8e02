/* takes-project-settings-dialog.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-project-settings-dialog"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "takes-cost-label.h"
#include "takes-pricing.h"
#include "takes-project-settings-dialog.h"

struct _TakesProjectSettingsDialog
{
  AdwWindow      parent_instance;

  /* template widgets */
  AdwEntryRow   *title_row;
  GtkSpinButton *width_spin;
  GtkSpinButton *height_spin;
  GtkSpinButton *fps_spin;
  GtkSpinButton *budget_spin;
  AdwActionRow  *spent_row;
  GtkButton     *apply_button;

  /* owned */
  TakesHistory  *history;
};

G_DEFINE_FINAL_TYPE (TakesProjectSettingsDialog, takes_project_settings_dialog, ADW_TYPE_WINDOW)

void
takes_project_settings_dialog_apply (TakesProjectSettingsDialog *self)
{
  TakesProject *project;
  g_autofree char *title = NULL;
  int width, height;
  double fps, budget;
  gboolean began = FALSE;

  g_return_if_fail (TAKES_IS_PROJECT_SETTINGS_DIALOG (self));

  project = takes_history_get_project (self->history);
  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  width = gtk_spin_button_get_value_as_int (self->width_spin) & ~1;
  height = gtk_spin_button_get_value_as_int (self->height_spin) & ~1;
  fps = gtk_spin_button_get_value (self->fps_spin);
  budget = gtk_spin_button_get_value (self->budget_spin);

#define BEGIN() G_STMT_START { if (!began) { takes_history_begin (self->history, _("Change Project Settings")); began = TRUE; } } G_STMT_END

  if (g_strcmp0 (title, takes_project_get_title (project)) != 0)
    {
      BEGIN ();
      takes_history_set_string (self->history, project, "title", title);
    }
  if (width != takes_project_get_width (project))
    {
      BEGIN ();
      takes_history_set_int64 (self->history, project, "width", width);
    }
  if (height != takes_project_get_height (project))
    {
      BEGIN ();
      takes_history_set_int64 (self->history, project, "height", height);
    }
  if (fabs (fps - takes_project_get_fps (project)) > 0.0005)
    {
      BEGIN ();
      takes_history_set_double (self->history, project, "fps", fps);
    }
  if (fabs (budget - takes_project_get_budget (project)) > 0.0005)
    {
      BEGIN ();
      takes_history_set_double (self->history, project, "budget", budget);
    }

#undef BEGIN

  if (began)
    takes_history_end (self->history);
}

static void
apply_clicked_cb (TakesProjectSettingsDialog *self)
{
  takes_project_settings_dialog_apply (self);
  gtk_window_close (GTK_WINDOW (self));
}

static void
takes_project_settings_dialog_dispose (GObject *object)
{
  TakesProjectSettingsDialog *self = TAKES_PROJECT_SETTINGS_DIALOG (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (takes_project_settings_dialog_parent_class)->dispose (object);
}

static void
takes_project_settings_dialog_class_init (TakesProjectSettingsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_project_settings_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-project-settings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, height_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, fps_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, spent_row);
  gtk_widget_class_bind_template_child (widget_class, TakesProjectSettingsDialog, apply_button);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
takes_project_settings_dialog_init (TakesProjectSettingsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->apply_button, "clicked",
                            G_CALLBACK (apply_clicked_cb), self);
}

GtkWidget *
takes_project_settings_dialog_new (GtkWindow    *parent,
                                   TakesHistory *history)
{
  TakesProjectSettingsDialog *self;
  TakesProject *project;
  g_autofree char *spent = NULL;

  g_return_val_if_fail (TAKES_IS_HISTORY (history), NULL);

  self = g_object_new (TAKES_TYPE_PROJECT_SETTINGS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->history = g_object_ref (history);
  project = takes_history_get_project (history);

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), takes_project_get_title (project));
  gtk_spin_button_set_value (self->width_spin, takes_project_get_width (project));
  gtk_spin_button_set_value (self->height_spin, takes_project_get_height (project));
  gtk_spin_button_set_value (self->fps_spin, takes_project_get_fps (project));
  gtk_spin_button_set_value (self->budget_spin, takes_project_get_budget (project));

  spent = takes_format_usd (takes_pricing_get_project_spending (project, NULL));
  adw_action_row_set_subtitle (self->spent_row, spent);

  return GTK_WIDGET (self);
}
