/* takes-recovery-dialog.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-recovery-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-autosave.h"
#include "takes-recovery-dialog.h"
#include "takes-ui.h"

struct _TakesRecoveryDialog
{
  AdwMessageDialog  parent_instance;

  /* owned */
  GListModel       *recoveries;
};

G_DEFINE_FINAL_TYPE (TakesRecoveryDialog, takes_recovery_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
dup_when (gint64 unix_seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_seconds);

  if (when == NULL)
    return g_strdup ("");

  /* Translators: date and time of an autosaved copy; see the
   * g_date_time_format() documentation for the codes */
  return g_date_time_format (when, _("%e %B %Y, %H:%M"));
}

static GtkWidget *
create_row (TakesRecovery *recovery)
{
  GFile *original = takes_recovery_get_original (recovery);
  const char *title = takes_recovery_get_title (recovery);
  g_autofree char *where = NULL;
  g_autofree char *when = dup_when (takes_recovery_get_modified (recovery));
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (original != NULL)
    where = takes_ui_dup_display_path (original);
  else
    where = g_strdup (_("Never saved"));

  /* Translators: "~/Videos/Film.takes · 3 March 2026, 14:05" */
  subtitle = g_strdup_printf (_("%s · %s"), where, g_strstrip (when));

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 title != NULL && title[0] != '\0' ? title : _("Untitled Film"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("document-revert-symbolic"));

  return row;
}

static void
takes_recovery_dialog_dispose (GObject *object)
{
  TakesRecoveryDialog *self = TAKES_RECOVERY_DIALOG (object);

  g_clear_object (&self->recoveries);

  G_OBJECT_CLASS (takes_recovery_dialog_parent_class)->dispose (object);
}

static void
takes_recovery_dialog_class_init (TakesRecoveryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_recovery_dialog_dispose;
}

static void
takes_recovery_dialog_init (TakesRecoveryDialog *self)
{
}

GtkWidget *
takes_recovery_dialog_new (GtkWindow  *parent,
                           GListModel *recoveries)
{
  TakesRecoveryDialog *self;
  AdwMessageDialog *dialog;
  GtkWidget *list, *scroller;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (recoveries), NULL);

  n = g_list_model_get_n_items (recoveries);

  self = g_object_new (TAKES_TYPE_RECOVERY_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", _("Recover Unsaved Work?"),
                       "body", g_dngettext (GETTEXT_PACKAGE,
                                            "Takes did not close properly last time. This project has changes that were never saved:",
                                            "Takes did not close properly last time. These projects have changes that were never saved:",
                                            n),
                       NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->recoveries = g_object_ref (recoveries);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Unsaved Projects"),
                                  -1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesRecovery) recovery = g_list_model_get_item (recoveries, i);

      gtk_list_box_append (GTK_LIST_BOX (list), create_row (recovery));
    }

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  adw_message_dialog_set_extra_child (dialog, scroller);

  adw_message_dialog_add_responses (dialog,
                                    TAKES_RECOVERY_RESPONSE_DISCARD, _("_Discard"),
                                    TAKES_RECOVERY_RESPONSE_RECOVER, _("_Recover"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, TAKES_RECOVERY_RESPONSE_DISCARD,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, TAKES_RECOVERY_RESPONSE_RECOVER,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, TAKES_RECOVERY_RESPONSE_RECOVER);
  adw_message_dialog_set_close_response (dialog, TAKES_RECOVERY_RESPONSE_LATER);
  takes_ui_fix_response_names (dialog);

  return GTK_WIDGET (self);
}

GListModel *
takes_recovery_dialog_get_recoveries (TakesRecoveryDialog *self)
{
  g_return_val_if_fail (TAKES_IS_RECOVERY_DIALOG (self), NULL);

  return self->recoveries;
}
