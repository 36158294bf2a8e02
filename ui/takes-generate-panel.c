/* takes-generate-panel.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-generate-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-generate-panel.h"
#include "takes-generate-private.h"
#include "takes-ui.h"

#define MAX_TAKES 8

/* One backend's row: its tick, model and number of takes. */
typedef struct
{
  TakesGeneratePanel *panel;   /* borrowed */
  TakesBackend       *backend;
  char               *id;
  GtkWidget          *row;
  GtkCheckButton     *check;
  GtkDropDown        *model_dropdown;
  GtkSpinButton      *spin;
  GtkLabel           *takes_label;
  GtkWidget          *count_box;
  char              **model_ids;
  gboolean            configured;
} BackendRow;

struct _TakesGeneratePanel
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkListBox     *backends_list;
  GtkLabel       *cost_label;
  GtkButton      *generate_button;
  GtkLabel       *status_label;

  /* owned */
  TakesJobEngine *engine;
  TakesShot      *shot;
  GListModel     *backends;
  GPtrArray      *rows;           /* BackendRow */
  GHashTable     *active;         /* id → TRUE: what is ticked */
  GHashTable     *n_takes;        /* id → count */
  GHashTable     *models;         /* id → model id */

  /* borrowed */
  GtkWindow      *watched_window;

  guint           updating : 1;
  guint           can_generate : 1;
};

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_SHOT,
  PROP_CAN_GENERATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  GENERATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TakesGeneratePanel, takes_generate_panel, ADW_TYPE_BIN)

static void
backend_row_free (gpointer data)
{
  BackendRow *row = data;

  g_clear_object (&row->backend);
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->model_ids, g_strfreev);
  g_free (row);
}

static BackendRow *
find_row (TakesGeneratePanel *self,
          const char         *backend_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      BackendRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->id, backend_id) == 0)
        return row;
    }

  return NULL;
}

static gboolean
row_is_ticked (BackendRow *row)
{
  return row->configured && g_hash_table_contains (row->panel->active, row->id);
}

/* ------------------------------------------------------------------ */
/* Settings                                                           */

static void
load_settings (TakesGeneratePanel *self)
{
  GSettings *settings = takes_ui_get_settings ();
  g_auto(GStrv) enabled = NULL;
  g_autoptr(GVariant) models = NULL;
  GVariantIter iter;
  const char *id, *model;
  int n = 1;

  if (settings == NULL)
    {
      g_hash_table_add (self->active, g_strdup ("animatic"));
      return;
    }

  enabled = g_settings_get_strv (settings, "enabled-backends");
  for (guint i = 0; enabled[i] != NULL; i++)
    g_hash_table_add (self->active, g_strdup (enabled[i]));

  n = g_settings_get_int (settings, "default-takes-per-backend");
  g_object_set_data (G_OBJECT (self), "default-n-takes", GINT_TO_POINTER (CLAMP (n, 1, MAX_TAKES)));

  models = g_settings_get_value (settings, "backend-models");
  g_variant_iter_init (&iter, models);
  while (g_variant_iter_next (&iter, "{&s&s}", &id, &model))
    g_hash_table_insert (self->models, g_strdup (id), g_strdup (model));
}

static void
save_enabled (TakesGeneratePanel *self)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  if (settings == NULL)
    return;

  /* In the order the backends are shown, and keeping ticks of backends
   * this build does not have. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      BackendRow *row = g_ptr_array_index (self->rows, i);

      if (g_hash_table_contains (self->active, row->id))
        g_strv_builder_add (builder, row->id);
    }
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->active);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (find_row (self, key) == NULL)
        g_strv_builder_add (builder, key);
  }

  ids = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "enabled-backends", (const char * const *) ids);
}

static guint
default_n_takes (TakesGeneratePanel *self)
{
  int n = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "default-n-takes"));

  return n > 0 ? (guint) n : 1;
}

/* ------------------------------------------------------------------ */
/* Status and cost                                                    */

static void
show_status (TakesGeneratePanel *self,
             const char         *message,
             gboolean            is_error)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);

  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "generate-error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "generate-error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

static gboolean
all_offline (TakesGeneratePanel *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      BackendRow *row = g_ptr_array_index (self->rows, i);
      const char * const *credentials;

      if (!row_is_ticked (row))
        continue;

      any = TRUE;
      credentials = takes_backend_get_credential_names (row->backend);
      if (credentials != NULL && credentials[0] != NULL)
        return FALSE;
    }

  return any;
}

static double
estimate_for_shot (TakesGeneratePanel *self,
                   TakesShot          *shot,
                   gboolean           *partly_unknown)
{
  double total = 0;

  *partly_unknown = FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      BackendRow *row = g_ptr_array_index (self->rows, i);
      double cost;

      if (!row_is_ticked (row))
        continue;

      cost = takes_job_engine_estimate (self->engine, shot, row->id,
                                        takes_generate_panel_get_model (self, row->id),
                                        takes_generate_panel_get_n_takes (self, row->id));
      if (cost < 0)
        *partly_unknown = TRUE;
      else
        total += cost;
    }

  return total;
}

static void
update_cost (TakesGeneratePanel *self)
{
  g_autofree char *text = NULL;
  g_autofree char *amount = NULL;
  gboolean unknown = FALSE;
  double total;

  if (self->engine == NULL || self->shot == NULL || !self->can_generate)
    {
      /* Translators: shown when nothing would be generated */
      gtk_label_set_text (self->cost_label, _("Estimated cost: —"));
      return;
    }

  total = estimate_for_shot (self, self->shot, &unknown);
  amount = _takes_ui_format_cost (total);

  if (unknown && total <= 0)
    text = g_strdup (_("Estimated cost: unknown"));
  else if (unknown)
    /* Translators: %s is an amount, "$1.20" */
    text = g_strdup_printf (_("Estimated cost: at least %s"), amount);
  else if (total <= 0 && all_offline (self))
    /* Translators: %s is an amount, "$0.00"; made on this computer */
    text = g_strdup_printf (_("Estimated cost: %s (offline)"), amount);
  else
    /* Translators: %s is an amount, "$1.20" */
    text = g_strdup_printf (_("Estimated cost: %s"), amount);

  gtk_label_set_text (self->cost_label, text);
}

static void
update_can_generate (TakesGeneratePanel *self)
{
  gboolean can_generate = FALSE;

  if (self->engine != NULL && self->shot != NULL)
    for (guint i = 0; i < self->rows->len && !can_generate; i++)
      can_generate = row_is_ticked (g_ptr_array_index (self->rows, i));

  gtk_widget_set_sensitive (GTK_WIDGET (self->generate_button), can_generate);

  if (self->can_generate != can_generate)
    {
      self->can_generate = can_generate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GENERATE]);
    }

  update_cost (self);
}

/* ------------------------------------------------------------------ */
/* Rows                                                               */

static void
update_row (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  gboolean ticked;
  guint n;
  g_autofree char *subtitle = NULL;

  row->configured = takes_backend_is_configured (row->backend);
  ticked = row_is_ticked (row);
  n = takes_generate_panel_get_n_takes (self, row->id);

  self->updating = TRUE;

  gtk_check_button_set_active (row->check, ticked);
  gtk_widget_set_sensitive (GTK_WIDGET (row->check), row->configured);
  gtk_spin_button_set_value (row->spin, n);
  gtk_label_set_text (row->takes_label, ngettext ("take", "takes", n));
  gtk_widget_set_visible (row->count_box, ticked);

  if (row->model_dropdown != NULL)
    {
      const char *model = takes_generate_panel_get_model (self, row->id);
      guint selected = 0;

      for (guint i = 0; row->model_ids[i] != NULL; i++)
        if (g_strcmp0 (row->model_ids[i], model) == 0)
          selected = i;

      gtk_drop_down_set_selected (row->model_dropdown, selected);
      gtk_widget_set_visible (GTK_WIDGET (row->model_dropdown), ticked);
    }

  self->updating = FALSE;

  if (!row->configured)
    subtitle = g_strdup (_("Set up in Preferences"));
  else if (row->model_dropdown == NULL && row->model_ids[0] != NULL)
    subtitle = _takes_ui_dup_model_label (row->backend, row->model_ids[0]);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle != NULL ? subtitle : "");
  gtk_widget_set_tooltip_text (row->row,
                               row->configured ? NULL
                                               : _("This backend needs an account. Add it in Preferences."));
}

static void
on_check_toggled (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;

  if (self->updating)
    return;

  if (gtk_check_button_get_active (row->check))
    g_hash_table_add (self->active, g_strdup (row->id));
  else
    g_hash_table_remove (self->active, row->id);

  save_enabled (self);
  update_row (row);
  show_status (self, NULL, FALSE);
  update_can_generate (self);
}

static void
on_spin_changed (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  guint n;

  if (self->updating)
    return;

  n = (guint) gtk_spin_button_get_value_as_int (row->spin);
  takes_generate_panel_set_n_takes (self, row->id, n);
}

static void
on_model_selected (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  guint selected;

  if (self->updating || row->model_dropdown == NULL)
    return;

  selected = gtk_drop_down_get_selected (row->model_dropdown);
  if (selected >= g_strv_length (row->model_ids))
    return;

  g_hash_table_insert (self->models, g_strdup (row->id), g_strdup (row->model_ids[selected]));
  update_cost (self);
}

static void
name_inner_button (GtkWidget  *dropdown,
                   const char *label)
{
  /* GTK 4.8 leaves the drop-down's inner button unnamed; a screen reader
   * lands on it, so it gets the field's name. */
  for (GtkWidget *child = gtk_widget_get_first_child (dropdown);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
}

static BackendRow *
create_row (TakesGeneratePanel *self,
            TakesBackend       *backend)
{
  const TakesBackendModel *models = takes_backend_get_models (backend);
  const char *name = takes_backend_get_display_name (backend);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *spin_label = NULL;
  BackendRow *row = g_new0 (BackendRow, 1);
  GtkWidget *suffix;
  guint n_models = 0;

  row->panel = self;
  row->backend = g_object_ref (backend);
  row->id = g_strdup (takes_backend_get_id (backend));

  for (guint i = 0; models != NULL && models[i].id != NULL; i++, n_models++)
    g_strv_builder_add (ids, models[i].id);
  row->model_ids = g_strv_builder_end (ids);

  row->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), name);

  row->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->check), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  /* Lets tests and the window find a backend's tick. */
  g_object_set_data_full (G_OBJECT (row->check), "takes-backend-id", g_strdup (row->id), g_free);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row->row), GTK_WIDGET (row->check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->row), GTK_WIDGET (row->check));

  suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);

  if (n_models > 1)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      /* Translators: accessible name of a backend's model choice, "Model for Kling" */
      g_autofree char *model_label = g_strdup_printf (_("Model for %s"), name);

      for (guint i = 0; i < n_models; i++)
        gtk_string_list_append (labels, models[i].label != NULL ? _(models[i].label)
                                                                : models[i].id);

      row->model_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)),
                                                              NULL));
      gtk_widget_set_valign (GTK_WIDGET (row->model_dropdown), GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->model_dropdown), model_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->model_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, model_label,
                                      -1);
      name_inner_button (GTK_WIDGET (row->model_dropdown), model_label);
      g_signal_connect_swapped (row->model_dropdown, "notify::selected",
                                G_CALLBACK (on_model_selected), row);
      gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (row->model_dropdown));
    }

  row->count_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  row->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, MAX_TAKES, 1));
  gtk_spin_button_set_numeric (row->spin, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (row->spin), GTK_ALIGN_CENTER);
  /* Translators: accessible name of the number of takes, "Takes from Kling" */
  spin_label = g_strdup_printf (_("Takes from %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->spin), _("How many takes this backend makes"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spin_label,
                                  -1);
  g_signal_connect_swapped (row->spin, "value-changed", G_CALLBACK (on_spin_changed), row);
  g_object_set_data_full (G_OBJECT (row->spin), "takes-backend-id", g_strdup (row->id), g_free);
  gtk_box_append (GTK_BOX (row->count_box), GTK_WIDGET (row->spin));

  row->takes_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (row->takes_label), "dim-label");
  gtk_label_set_width_chars (row->takes_label, 5);
  gtk_label_set_xalign (row->takes_label, 0);
  gtk_box_append (GTK_BOX (row->count_box), GTK_WIDGET (row->takes_label));
  gtk_box_append (GTK_BOX (suffix), row->count_box);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), suffix);

  g_signal_connect_swapped (row->check, "toggled", G_CALLBACK (on_check_toggled), row);

  return row;
}

static void
rebuild_rows (TakesGeneratePanel *self)
{
  GtkWidget *child;
  guint n_items;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->backends_list))) != NULL)
    gtk_list_box_remove (self->backends_list, child);
  g_ptr_array_set_size (self->rows, 0);

  n_items = self->backends != NULL ? g_list_model_get_n_items (self->backends) : 0;
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (self->backends, i);
      BackendRow *row = create_row (self, backend);

      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->backends_list, row->row);
      update_row (row);
    }

  update_can_generate (self);
}

static void
set_backends (TakesGeneratePanel *self,
              GListModel         *backends)
{
  if (self->backends == backends)
    return;

  if (self->backends != NULL)
    g_signal_handlers_disconnect_by_data (self->backends, self);
  g_set_object (&self->backends, backends);
  if (backends != NULL)
    g_signal_connect_object (backends, "items-changed",
                             G_CALLBACK (rebuild_rows), self, G_CONNECT_SWAPPED);

  rebuild_rows (self);
}

/* ------------------------------------------------------------------ */
/* Generating                                                         */

static gboolean
check_ready (TakesGeneratePanel  *self,
             TakesProject        *project,
             GError             **error)
{
  if (self->engine == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Open a project to generate takes."));
      return FALSE;
    }

  if (project == NULL || takes_project_get_file (project) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Save the project first: takes are kept in a media folder next to the project file."));
      return FALSE;
    }

  if (!self->can_generate && self->shot != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Tick at least one backend to generate takes."));
      return FALSE;
    }

  for (guint i = 0; i < self->rows->len; i++)
    if (row_is_ticked (g_ptr_array_index (self->rows, i)))
      return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Tick at least one backend to generate takes."));
  return FALSE;
}

/* Starts the ticked backends' takes of @shot; stops at the first backend
 * that refuses (budget, account, invalid request). */
static gboolean
generate_shot (TakesGeneratePanel  *self,
               TakesShot           *shot,
               GError             **error)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      BackendRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GPtrArray) takes = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!row_is_ticked (row))
        continue;

      takes = takes_job_engine_generate (self->engine, shot, row->id,
                                         takes_generate_panel_get_model (self, row->id),
                                         takes_generate_panel_get_n_takes (self, row->id),
                                         &local_error);
      if (takes == NULL)
        {
          /* Translators: "Kling: the project's budget would be passed" */
          g_set_error (error, local_error->domain, local_error->code,
                       C_("backend error", "%s: %s"),
                       takes_backend_get_display_name (row->backend),
                       local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
needs_confirmation (TakesGeneratePanel *self,
                    double              total,
                    gboolean            unknown)
{
  GSettings *settings = takes_ui_get_settings ();
  double limit;

  if (settings == NULL || all_offline (self))
    return FALSE;

  limit = g_settings_get_double (settings, "confirm-cost-above");

  if (unknown)
    return TRUE;

  return total > 0 && total > limit;
}

typedef void (*ConfirmedFunc) (TakesGeneratePanel *self);

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  TakesGeneratePanel *self = g_object_get_data (G_OBJECT (dialog), "panel");
  ConfirmedFunc confirmed = user_data;

  if (self != NULL && g_strcmp0 (response, "generate") == 0)
    confirmed (self);
}

static void
confirm_then (TakesGeneratePanel *self,
              double              total,
              gboolean            unknown,
              guint               n_shots,
              ConfirmedFunc       confirmed)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *amount = _takes_ui_format_cost (total);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (unknown)
    body = g_strdup (_("Some of the ticked backends cannot estimate their price. "
                       "These generations are paid by your accounts."));
  else
    /* Translators: %s is an amount, "$6.40" */
    body = g_strdup_printf (ngettext ("These generations are estimated to cost %s in total, "
                                      "paid by your accounts.",
                                      "The takes for these %2$u shots are estimated to cost %1$s "
                                      "in total, paid by your accounts.",
                                      n_shots),
                            amount, n_shots);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Generate Paid Takes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "generate", _("_Generate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "generate",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "panel", g_object_ref (self), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), confirmed);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
do_generate (TakesGeneratePanel  *self,
             GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->shot == NULL)
    return TRUE;

  if (!generate_shot (self, self->shot, &local_error))
    {
      show_status (self, local_error->message, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  show_status (self, NULL, FALSE);
  g_signal_emit (self, signals[GENERATED], 0);
  return TRUE;
}

static void
generate_confirmed (TakesGeneratePanel *self)
{
  do_generate (self, NULL);
}

gboolean
takes_generate_panel_generate (TakesGeneratePanel  *self,
                               GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  TakesProject *project;
  gboolean unknown = FALSE;
  double total;

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shot == NULL)
    return TRUE;

  project = self->engine != NULL ? takes_job_engine_get_project (self->engine) : NULL;
  if (!check_ready (self, project, &local_error))
    {
      show_status (self, local_error->message, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  total = estimate_for_shot (self, self->shot, &unknown);
  if (needs_confirmation (self, total, unknown))
    {
      confirm_then (self, total, unknown, 1, generate_confirmed);
      return TRUE;
    }

  return do_generate (self, error);
}

static gboolean
shot_needs_take (TakesShot *shot)
{
  GListModel *takes = takes_shot_get_takes (shot);
  guint n_items = g_list_model_get_n_items (takes);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);
      TakesTakeState state = takes_take_get_state (take);

      if (state != TAKES_TAKE_FAILED && state != TAKES_TAKE_CANCELED)
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
shots_needing_takes (TakesProject *project)
{
  GPtrArray *shots = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_shots = takes_project_get_n_shots (project);

  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);

      if (shot_needs_take (shot))
        g_ptr_array_add (shots, g_object_ref (shot));
    }

  return shots;
}

static gboolean
do_generate_all (TakesGeneratePanel  *self,
                 TakesProject        *project,
                 GError             **error)
{
  g_autoptr(GPtrArray) shots = shots_needing_takes (project);

  for (guint i = 0; i < shots->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!generate_shot (self, g_ptr_array_index (shots, i), &local_error))
        {
          g_autofree char *message = NULL;

          if (i > 0)
            /* Translators: "Takes were started for 3 of 5 shots. Kling: …" */
            message = g_strdup_printf (ngettext ("Takes were started for %u of %u shot. %s",
                                                 "Takes were started for %u of %u shots. %s",
                                                 shots->len),
                                       i, shots->len, local_error->message);
          else
            message = g_strdup (local_error->message);

          show_status (self, message, TRUE);
          g_set_error_literal (error, local_error->domain, local_error->code, message);
          return FALSE;
        }
    }

  if (shots->len == 0)
    show_status (self, _("Every shot already has a take."), FALSE);
  else
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("Takes were started for %u shot.",
                                   "Takes were started for %u shots.",
                                   shots->len),
                         shots->len);

      show_status (self, message, FALSE);
      g_signal_emit (self, signals[GENERATED], 0);
    }

  return TRUE;
}

static void
generate_all_confirmed (TakesGeneratePanel *self)
{
  if (self->engine != NULL)
    do_generate_all (self, takes_job_engine_get_project (self->engine), NULL);
}

gboolean
takes_generate_panel_generate_all (TakesGeneratePanel  *self,
                                   TakesProject        *project,
                                   GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) shots = NULL;
  gboolean unknown = FALSE;
  double total = 0;

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), FALSE);
  g_return_val_if_fail (TAKES_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_ready (self, project, &local_error))
    {
      show_status (self, local_error->message, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (self->engine != NULL && takes_job_engine_get_project (self->engine) != project)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "The project is not the one of the panel's engine");
      return FALSE;
    }

  shots = shots_needing_takes (project);
  for (guint i = 0; i < shots->len; i++)
    {
      gboolean shot_unknown = FALSE;

      total += estimate_for_shot (self, g_ptr_array_index (shots, i), &shot_unknown);
      unknown |= shot_unknown;
    }

  if (shots->len > 0 && needs_confirmation (self, total, unknown))
    {
      confirm_then (self, total, unknown, shots->len, generate_all_confirmed);
      return TRUE;
    }

  return do_generate_all (self, project, error);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

static void
on_shot_notify (TakesGeneratePanel *self,
                GParamSpec         *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  /* Only what changes the request changes the price. */
  if (g_str_equal (name, "notes") || g_str_equal (name, "title") ||
      g_str_equal (name, "picked-take-id") || g_str_equal (name, "trim-in") ||
      g_str_equal (name, "trim-out"))
    return;

  update_cost (self);
}

void
takes_generate_panel_set_shot (TakesGeneratePanel *self,
                               TakesShot          *shot)
{
  g_return_if_fail (TAKES_IS_GENERATE_PANEL (self));
  g_return_if_fail (!shot || TAKES_IS_SHOT (shot));

  if (self->shot == shot)
    return;

  if (self->shot != NULL)
    g_signal_handlers_disconnect_by_data (self->shot, self);
  g_set_object (&self->shot, shot);
  if (shot != NULL)
    g_signal_connect_object (shot, "notify",
                             G_CALLBACK (on_shot_notify), self, G_CONNECT_SWAPPED);

  show_status (self, NULL, FALSE);
  update_can_generate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOT]);
}

TakesShot *
takes_generate_panel_get_shot (TakesGeneratePanel *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), NULL);

  return self->shot;
}

void
takes_generate_panel_set_engine (TakesGeneratePanel *self,
                                 TakesJobEngine     *engine)
{
  g_return_if_fail (TAKES_IS_GENERATE_PANEL (self));
  g_return_if_fail (!engine || TAKES_IS_JOB_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;

  set_backends (self, takes_backend_registry_get_backends (_takes_ui_get_registry (engine)));
  show_status (self, NULL, FALSE);
  update_can_generate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

TakesJobEngine *
takes_generate_panel_get_engine (TakesGeneratePanel *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), NULL);

  return self->engine;
}

gboolean
takes_generate_panel_get_can_generate (TakesGeneratePanel *self)
{
  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), FALSE);

  return self->can_generate;
}

char **
takes_generate_panel_dup_backend_ids (TakesGeneratePanel *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      BackendRow *row = g_ptr_array_index (self->rows, i);

      if (row_is_ticked (row))
        g_strv_builder_add (builder, row->id);
    }

  return g_strv_builder_end (builder);
}

void
takes_generate_panel_set_backend_active (TakesGeneratePanel *self,
                                         const char         *backend_id,
                                         gboolean            active)
{
  BackendRow *row;

  g_return_if_fail (TAKES_IS_GENERATE_PANEL (self));
  g_return_if_fail (backend_id != NULL);

  if (active == g_hash_table_contains (self->active, backend_id))
    return;

  if (active)
    g_hash_table_add (self->active, g_strdup (backend_id));
  else
    g_hash_table_remove (self->active, backend_id);

  save_enabled (self);
  if ((row = find_row (self, backend_id)) != NULL)
    update_row (row);
  update_can_generate (self);
}

guint
takes_generate_panel_get_n_takes (TakesGeneratePanel *self,
                                  const char         *backend_id)
{
  gpointer n;

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), 1);

  n = g_hash_table_lookup (self->n_takes, backend_id);

  return n != NULL ? GPOINTER_TO_UINT (n) : default_n_takes (self);
}

void
takes_generate_panel_set_n_takes (TakesGeneratePanel *self,
                                  const char         *backend_id,
                                  guint               n_takes)
{
  BackendRow *row;

  g_return_if_fail (TAKES_IS_GENERATE_PANEL (self));
  g_return_if_fail (backend_id != NULL);

  n_takes = CLAMP (n_takes, 1, MAX_TAKES);
  g_hash_table_insert (self->n_takes, g_strdup (backend_id), GUINT_TO_POINTER (n_takes));

  if ((row = find_row (self, backend_id)) != NULL)
    update_row (row);
  update_cost (self);
}

const char *
takes_generate_panel_get_model (TakesGeneratePanel *self,
                                const char         *backend_id)
{
  const char *model;
  BackendRow *row;

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), NULL);

  model = g_hash_table_lookup (self->models, backend_id);
  if (model == NULL)
    return NULL;

  /* A model remembered from an older version of the backend falls back
   * to its default. */
  row = find_row (self, backend_id);
  if (row != NULL && !g_strv_contains ((const char * const *) row->model_ids, model))
    return NULL;

  return model;
}

double
takes_generate_panel_estimate (TakesGeneratePanel *self)
{
  gboolean unknown = FALSE;
  double total;

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), -1);

  if (self->engine == NULL || self->shot == NULL)
    return -1;

  total = estimate_for_shot (self, self->shot, &unknown);

  return unknown ? -1 : total;
}

void
takes_generate_panel_refresh (TakesGeneratePanel *self)
{
  g_return_if_fail (TAKES_IS_GENERATE_PANEL (self));

  for (guint i = 0; i < self->rows->len; i++)
    update_row (g_ptr_array_index (self->rows, i));

  update_can_generate (self);
}

/* ------------------------------------------------------------------ */
/* Class                                                              */

static void
on_generate_clicked (TakesGeneratePanel *self)
{
  takes_generate_panel_generate (self, NULL);
}

static void
on_window_active (TakesGeneratePanel *self)
{
  /* Coming back from Preferences, a backend may have got its account. */
  if (self->watched_window != NULL && gtk_window_is_active (self->watched_window))
    takes_generate_panel_refresh (self);
}

static void
takes_generate_panel_root (GtkWidget *widget)
{
  TakesGeneratePanel *self = TAKES_GENERATE_PANEL (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (takes_generate_panel_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->watched_window = GTK_WINDOW (root);
      g_signal_connect_object (root, "notify::is-active",
                               G_CALLBACK (on_window_active), self, G_CONNECT_SWAPPED);
    }
}

static void
takes_generate_panel_unroot (GtkWidget *widget)
{
  TakesGeneratePanel *self = TAKES_GENERATE_PANEL (widget);

  if (self->watched_window != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_window, on_window_active, self);
  self->watched_window = NULL;

  GTK_WIDGET_CLASS (takes_generate_panel_parent_class)->unroot (widget);
}

static void
takes_generate_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TakesGeneratePanel *self = TAKES_GENERATE_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_SHOT:
      g_value_set_object (value, self->shot);
      break;
    case PROP_CAN_GENERATE:
      g_value_set_boolean (value, self->can_generate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_generate_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TakesGeneratePanel *self = TAKES_GENERATE_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      takes_generate_panel_set_engine (self, g_value_get_object (value));
      break;
    case PROP_SHOT:
      takes_generate_panel_set_shot (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_generate_panel_dispose (GObject *object)
{
  TakesGeneratePanel *self = (TakesGeneratePanel *)object;

  if (self->shot != NULL)
    g_signal_handlers_disconnect_by_data (self->shot, self);
  if (self->backends != NULL)
    g_signal_handlers_disconnect_by_data (self->backends, self);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_GENERATE_PANEL);

  g_clear_object (&self->engine);
  g_clear_object (&self->shot);
  g_clear_object (&self->backends);

  G_OBJECT_CLASS (takes_generate_panel_parent_class)->dispose (object);
}

static void
takes_generate_panel_finalize (GObject *object)
{
  TakesGeneratePanel *self = (TakesGeneratePanel *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->n_takes, g_hash_table_unref);
  g_clear_pointer (&self->models, g_hash_table_unref);

  G_OBJECT_CLASS (takes_generate_panel_parent_class)->finalize (object);
}

static void
takes_generate_panel_class_init (TakesGeneratePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = takes_generate_panel_get_property;
  object_class->set_property = takes_generate_panel_set_property;
  object_class->dispose = takes_generate_panel_dispose;
  object_class->finalize = takes_generate_panel_finalize;

  widget_class->root = takes_generate_panel_root;
  widget_class->unroot = takes_generate_panel_unroot;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         TAKES_TYPE_JOB_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOT] =
    g_param_spec_object ("shot", NULL, NULL,
                         TAKES_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_GENERATE] =
    g_param_spec_boolean ("can-generate", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Takes were started (after any confirmation) */
  signals[GENERATED] =
    g_signal_new ("generated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-generate-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesGeneratePanel, backends_list);
  gtk_widget_class_bind_template_child (widget_class, TakesGeneratePanel, cost_label);
  gtk_widget_class_bind_template_child (widget_class, TakesGeneratePanel, generate_button);
  gtk_widget_class_bind_template_child (widget_class, TakesGeneratePanel, status_label);

  gtk_widget_class_set_css_name (widget_class, "generatepanel");
}

static void
takes_generate_panel_init (TakesGeneratePanel *self)
{
  _takes_ui_ensure_generate_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func (backend_row_free);
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->n_takes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  load_settings (self);

  g_signal_connect_object (self->generate_button, "clicked",
                           G_CALLBACK (on_generate_clicked), self, G_CONNECT_SWAPPED);

  /* Without an engine the panel still lists what could be used. */
  set_backends (self, takes_backend_registry_get_backends (_takes_ui_get_registry (NULL)));
}

GtkWidget *
takes_generate_panel_new (void)
{
  return g_object_new (TAKES_TYPE_GENERATE_PANEL, NULL);
}
