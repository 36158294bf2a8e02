/* takes-generate-panel.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-generate-panel"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "takes-generate-panel.h"
#include "takes-generate-private.h"
#include "takes-ui.h"
#include "takes-comfyui-workflow.h"
#include "takes-window.h"
#include "takes-workflow-mapping-dialog.h"

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

  /* Options, for the backends that have them */
  GtkWidget          *options_row;
  GtkExpander        *expander;
  GtkLabel           *option_error;
  GtkDropDown        *kling_mode;
  GtkDropDown        *kling_camera;
  GtkWidget          *kling_simple_box;
  GtkDropDown        *kling_axis;
  GtkWidget          *kling_amount;
  GtkWidget          *kling_cfg;
  GtkLabel           *kling_end_label;
  GtkButton          *kling_end_remove;
  GtkDropDown        *sora_size;
  GtkDropDown        *sora_seconds;
  GtkDropDown        *comfyui_workflow;
  GPtrArray          *workflow_ids;   /* NULL first: automatic */
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
  TakesHistory   *history;
  GtkNativeDialog *chooser;
  GCancellable   *import_cancellable;
  GHashTable     *imported_workflows; /* path → mapping (nullable) */

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
  g_clear_pointer (&row->workflow_ids, g_ptr_array_unref);
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

  if (row->options_row != NULL)
    gtk_widget_set_visible (row->options_row, ticked);

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

/* ------------------------------------------------------------------ */
/* Per-backend options, kept in the shot's "backend-params"           */

static const char * const kling_modes[] = { "std", "pro", NULL };
static const char * const kling_cameras[] = {
  NULL, "simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward"
};
static const char * const kling_axes[] = {
  "horizontal", "vertical", "pan", "tilt", "roll", "zoom", NULL
};
static const char * const sora_sizes[] = {
  NULL, "1280x720", "720x1280", "1792x1024", "1024x1792"
};
static const char * const sora_seconds[] = { NULL, "4", "8", "12" };

static TakesHistory *
get_history (TakesGeneratePanel *self)
{
  GtkRoot *root;

  if (self->history != NULL)
    return self->history;

  /* Placed in a project window without being told: that window's
   * history is the one of the shot shown. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (TAKES_IS_WINDOW (root))
    return takes_window_get_history (TAKES_WINDOW (root));

  return NULL;
}

static void
break_coalescing (TakesGeneratePanel *self)
{
  TakesHistory *history = get_history (self);

  if (history != NULL)
    takes_history_break_coalescing (history);
}

static void
mapping_free (gpointer data)
{
  if (data != NULL)
    json_object_unref (data);
}

static TakesProject *
get_project (TakesGeneratePanel *self)
{
  TakesHistory *history = get_history (self);

  if (history != NULL)
    return takes_history_get_project (history);
  if (self->engine != NULL)
    return takes_job_engine_get_project (self->engine);

  return NULL;
}

/* The shot's options for @backend_id (borrowed), or NULL */
static JsonObject *
get_params (TakesShot  *shot,
            const char *backend_id)
{
  JsonObject *all = shot != NULL ? takes_shot_get_backend_params (shot) : NULL;
  JsonNode *node;

  if (all == NULL || !json_object_has_member (all, backend_id))
    return NULL;

  node = json_object_get_member (all, backend_id);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
get_param_string (TakesShot  *shot,
                  const char *backend_id,
                  const char *key)
{
  JsonObject *params = get_params (shot, backend_id);
  JsonNode *node;

  if (params == NULL || !json_object_has_member (params, key))
    return NULL;

  node = json_object_get_member (params, key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) copy = NULL;

  if (object == NULL)
    return json_object_new ();

  /* A deep copy: the old value stays untouched for undo. */
  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  copy = json_from_string (text, NULL);
  if (copy == NULL || !JSON_NODE_HOLDS_OBJECT (copy))
    return json_object_new ();

  return json_object_ref (json_node_get_object (copy));
}

/* Sets members of the shot's options for @backend_id as one undoable
 * edit: pairs of key and JsonNode (taken; NULL removes the key), ending
 * with NULL. */
static void
edit_params (TakesGeneratePanel *self,
             const char         *backend_id,
             const char         *first_key,
             ...)
{
  TakesHistory *history = get_history (self);
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonObject) params = NULL;
  GValue value = G_VALUE_INIT;
  const char *key;
  va_list args;

  va_start (args, first_key);
  if (self->shot == NULL || history == NULL)
    {
      for (key = first_key; key != NULL; key = va_arg (args, const char *))
        {
          JsonNode *node = va_arg (args, JsonNode *);

          if (node != NULL)
            json_node_unref (node);
        }
      va_end (args);
      return;
    }

  all = copy_object (takes_shot_get_backend_params (self->shot));
  params = copy_object (get_params (self->shot, backend_id));

  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      JsonNode *node = va_arg (args, JsonNode *);

      if (node != NULL)
        json_object_set_member (params, key, node);
      else if (json_object_has_member (params, key))
        json_object_remove_member (params, key);
    }
  va_end (args);

  if (json_object_get_size (params) > 0)
    json_object_set_object_member (all, backend_id, json_object_ref (params));
  else if (json_object_has_member (all, backend_id))
    json_object_remove_member (all, backend_id);

  g_value_init (&value, JSON_TYPE_OBJECT);
  g_value_set_boxed (&value, all);
  takes_history_set (history, self->shot, "backend-params", &value);
  g_value_unset (&value);
}

static JsonNode *
string_node (const char *value)
{
  return value != NULL ? json_node_init_string (json_node_alloc (), value) : NULL;
}

static guint
index_of (const char * const *values,
          guint               n_values,
          const char         *value)
{
  for (guint i = 0; i < n_values; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;

  return 0;
}

static GtkDropDown *
new_dropdown (const char * const *labels,
              const char         *accessible_name,
              const char         *option)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (labels));

  gtk_widget_set_valign (GTK_WIDGET (dropdown), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  name_inner_button (GTK_WIDGET (dropdown), accessible_name);
  g_object_set_data (G_OBJECT (dropdown), "takes-option", (gpointer) option);

  return dropdown;
}

static GtkWidget *
option_line (GtkWidget  *box,
             const char *label,
             GtkWidget  *control)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (line), title);
  gtk_box_append (GTK_BOX (line), control);
  gtk_box_append (GTK_BOX (box), line);

  return line;
}

static GtkLabel *
caption_label (GtkWidget  *box,
               const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);

  return GTK_LABEL (label);
}

static void
show_option_error (BackendRow *row,
                   const char *message)
{
  if (row->option_error == NULL)
    return;

  gtk_label_set_text (row->option_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (row->option_error), message != NULL);
}

/* ---- Kling ---- */

static JsonNode *
kling_camera_node (BackendRow *row)
{
  guint type = gtk_drop_down_get_selected (row->kling_camera);
  g_autoptr(JsonObject) camera = NULL;

  if (type == 0 || type >= G_N_ELEMENTS (kling_cameras))
    return NULL;

  camera = json_object_new ();
  json_object_set_string_member (camera, "type", kling_cameras[type]);
  if (g_str_equal (kling_cameras[type], "simple"))
    {
      JsonObject *config = json_object_new ();
      guint axis = gtk_drop_down_get_selected (row->kling_axis);

      for (guint i = 0; kling_axes[i] != NULL; i++)
        json_object_set_double_member (config, kling_axes[i],
                                       i == axis ? gtk_range_get_value (GTK_RANGE (row->kling_amount)) : 0);
      json_object_set_object_member (camera, "config", config);
    }

  return json_node_init_object (json_node_alloc (), camera);
}

static void
on_kling_mode (BackendRow *row)
{
  guint selected = gtk_drop_down_get_selected (row->kling_mode);

  if (row->panel->updating || selected >= 2)
    return;

  break_coalescing (row->panel);
  edit_params (row->panel, row->id, "mode", string_node (kling_modes[selected]), NULL);
  break_coalescing (row->panel);
}

static void
on_kling_camera (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  gboolean simple = gtk_drop_down_get_selected (row->kling_camera) == 1;

  gtk_widget_set_visible (row->kling_simple_box, simple);

  if (self->updating)
    return;

  /* A simple move needs exactly one axis away from zero. */
  if (simple && gtk_range_get_value (GTK_RANGE (row->kling_amount)) == 0)
    {
      self->updating = TRUE;
      gtk_range_set_value (GTK_RANGE (row->kling_amount), 5);
      self->updating = FALSE;
    }

  break_coalescing (self);
  edit_params (self, row->id, "camera_control", kling_camera_node (row), NULL);
  break_coalescing (self);
}

static void
on_kling_amount (BackendRow *row)
{
  if (row->panel->updating || gtk_drop_down_get_selected (row->kling_camera) != 1)
    return;

  /* Dragging the slider is one step; it coalesces in the history. */
  if (gtk_range_get_value (GTK_RANGE (row->kling_amount)) == 0)
    return;

  edit_params (row->panel, row->id, "camera_control", kling_camera_node (row), NULL);
}

static void
on_kling_cfg (BackendRow *row)
{
  double value = gtk_range_get_value (GTK_RANGE (row->kling_cfg));

  if (row->panel->updating)
    return;

  edit_params (row->panel, row->id, "cfg_scale",
               json_node_init_double (json_node_alloc (), round (value * 100) / 100), NULL);
}

static void
sync_kling (BackendRow *row)
{
  TakesShot *shot = row->panel->shot;
  JsonObject *params = get_params (shot, row->id);
  const char *mode = get_param_string (shot, row->id, "mode");
  const char *end = get_param_string (shot, row->id, "end_image");
  JsonObject *camera = NULL;
  double cfg = 0.5;
  guint type = 0, axis = 0;
  double amount = 0;

  if (params != NULL && json_object_has_member (params, "camera_control") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "camera_control")))
    camera = json_object_get_object_member (params, "camera_control");

  if (camera != NULL)
    {
      const char *name = json_object_get_string_member_with_default (camera, "type", NULL);

      for (guint i = 1; i < G_N_ELEMENTS (kling_cameras); i++)
        if (g_strcmp0 (kling_cameras[i], name) == 0)
          type = i;

      if (type == 1 && json_object_has_member (camera, "config") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (camera, "config")))
        {
          JsonObject *config = json_object_get_object_member (camera, "config");

          for (guint i = 0; kling_axes[i] != NULL; i++)
            {
              double v = json_object_get_double_member_with_default (config, kling_axes[i], 0);

              if (v != 0)
                {
                  axis = i;
                  amount = v;
                  break;
                }
            }
        }
    }

  if (params != NULL && json_object_has_member (params, "cfg_scale"))
    cfg = json_object_get_double_member_with_default (params, "cfg_scale", 0.5);

  gtk_drop_down_set_selected (row->kling_mode, g_strcmp0 (mode, "pro") == 0 ? 1 : 0);
  gtk_drop_down_set_selected (row->kling_camera, type);
  gtk_widget_set_visible (row->kling_simple_box, type == 1);
  gtk_drop_down_set_selected (row->kling_axis, axis);
  gtk_range_set_value (GTK_RANGE (row->kling_amount), amount);
  gtk_range_set_value (GTK_RANGE (row->kling_cfg), CLAMP (cfg, 0, 1));

  if (end != NULL && end[0] != '\0')
    {
      g_autofree char *name = g_path_get_basename (end);

      gtk_label_set_text (row->kling_end_label, name);
    }
  else
    /* Translators: no last frame is set */
    gtk_label_set_text (row->kling_end_label, C_("end frame", "None"));
  gtk_widget_set_visible (GTK_WIDGET (row->kling_end_remove), end != NULL && end[0] != '\0');
}

typedef struct
{
  GWeakRef      panel;
  char         *backend_id;
  TakesShot    *shot;
  TakesHistory *history;
  TakesProject *project;
  GFile        *source;
  GFile        *destination;
} EndImport;

static void
end_import_free (EndImport *data)
{
  g_weak_ref_clear (&data->panel);
  g_free (data->backend_id);
  g_clear_object (&data->shot);
  g_clear_object (&data->history);
  g_clear_object (&data->project);
  g_clear_object (&data->source);
  g_clear_object (&data->destination);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EndImport, end_import_free)

static void
end_import_error (EndImport  *data,
                  const char *message)
{
  g_autoptr(TakesGeneratePanel) self = g_weak_ref_get (&data->panel);
  BackendRow *row = self != NULL ? find_row (self, data->backend_id) : NULL;

  if (row != NULL)
    show_option_error (row, message);
}

static void
end_import_store (EndImport *data,
                  GFile     *file)
{
  g_autoptr(TakesGeneratePanel) self = g_weak_ref_get (&data->panel);
  g_autofree char *relative = takes_project_relativize (data->project, file);
  g_autoptr(TakesShot) shown = NULL;

  if (relative == NULL)
    relative = g_file_get_path (file);

  if (self == NULL)
    return;

  /* The shot may no longer be the one shown: edit the one chosen for. */
  shown = self->shot != NULL ? g_object_ref (self->shot) : NULL;
  g_set_object (&self->shot, data->shot);
  takes_history_break_coalescing (data->history);
  edit_params (self, data->backend_id, "end_image", string_node (relative), NULL);
  takes_history_break_coalescing (data->history);
  g_set_object (&self->shot, shown);
}

static void
end_copy_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EndImport) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    {
      g_autofree char *name = g_file_get_basename (data->source);
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not copy “%s” into the project: %s"), name, error->message);
      end_import_error (data, message);
      return;
    }

  end_import_store (data, data->destination);
}

static void
import_end_frame (BackendRow *row,
                  GFile      *file)
{
  TakesGeneratePanel *self = row->panel;
  TakesHistory *history = get_history (self);
  g_autoptr(EndImport) data = NULL;
  g_autoptr(GFile) media_dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;

  if (self->shot == NULL || history == NULL)
    return;

  show_option_error (row, NULL);

  data = g_new0 (EndImport, 1);
  g_weak_ref_init (&data->panel, self);
  data->backend_id = g_strdup (row->id);
  data->shot = g_object_ref (self->shot);
  data->history = g_object_ref (history);
  data->project = g_object_ref (takes_history_get_project (history));
  data->source = g_object_ref (file);

  media_dir = takes_project_get_media_dir (data->project);
  if (media_dir == NULL)
    {
      /* Unsaved: refer to the image where it is. */
      end_import_store (data, file);
      return;
    }

  if (!g_file_make_directory_with_parents (media_dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the media folder: %s"),
                                                  error->message);
      show_option_error (row, message);
      return;
    }

  basename = g_file_get_basename (file);
  g_strdelimit (basename, "/\\", '_');
  name = g_strdup_printf ("end-%s-%s", takes_shot_get_id (self->shot), basename);
  data->destination = g_file_get_child (media_dir, name);

  if (g_file_equal (file, data->destination))
    {
      end_import_store (data, file);
      return;
    }

  g_file_copy_async (file, data->destination, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     self->import_cancellable, NULL, NULL,
                     end_copy_cb, g_steal_pointer (&data));
}

static void
on_end_chooser_response (GtkNativeDialog *chooser,
                         int              response,
                         BackendRow      *row)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        import_end_frame (row, file);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&row->panel->chooser);
}

static void
on_kling_end_choose (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  gtk_file_filter_set_name (images, _("Images (PNG, JPEG, WebP)"));
  gtk_file_filter_add_mime_type (images, "image/png");
  gtk_file_filter_add_mime_type (images, "image/jpeg");
  gtk_file_filter_add_mime_type (images, "image/webp");
  gtk_file_filter_add_suffix (images, "png");
  gtk_file_filter_add_suffix (images, "jpg");
  gtk_file_filter_add_suffix (images, "jpeg");
  gtk_file_filter_add_suffix (images, "webp");

  chooser = gtk_file_chooser_native_new (_("Choose the End Frame"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  g_signal_connect (chooser, "response", G_CALLBACK (on_end_chooser_response), row);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
on_kling_end_remove (BackendRow *row)
{
  break_coalescing (row->panel);
  edit_params (row->panel, row->id, "end_image", NULL, NULL);
  break_coalescing (row->panel);
}

static void
build_kling_options (BackendRow *row,
                     GtkWidget  *box)
{
  const char *modes[] = { C_("Kling mode", "Standard"), C_("Kling mode", "Professional"), NULL };
  const char *cameras[] = {
    C_("camera movement", "None"), C_("camera movement", "Simple"),
    C_("camera movement", "Down and Back"), C_("camera movement", "Forward and Up"),
    C_("camera movement", "Right Turn Forward"), C_("camera movement", "Left Turn Forward"), NULL
  };
  const char *axes[] = {
    C_("camera axis", "Horizontal"), C_("camera axis", "Vertical"), C_("camera axis", "Pan"),
    C_("camera axis", "Tilt"), C_("camera axis", "Roll"), C_("camera axis", "Zoom"), NULL
  };
  GtkWidget *end_box, *choose;

  row->kling_mode = new_dropdown (modes, _("Kling Mode"), "kling-mode");
  option_line (box, _("Mode"), GTK_WIDGET (row->kling_mode));
  g_signal_connect_swapped (row->kling_mode, "notify::selected", G_CALLBACK (on_kling_mode), row);

  row->kling_camera = new_dropdown (cameras, _("Kling Camera"), "kling-camera");
  option_line (box, _("Camera"), GTK_WIDGET (row->kling_camera));
  g_signal_connect_swapped (row->kling_camera, "notify::selected", G_CALLBACK (on_kling_camera), row);

  row->kling_simple_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  row->kling_axis = new_dropdown (axes, _("Kling Camera Axis"), "kling-axis");
  g_signal_connect_swapped (row->kling_axis, "notify::selected", G_CALLBACK (on_kling_amount), row);
  gtk_box_append (GTK_BOX (row->kling_simple_box), GTK_WIDGET (row->kling_axis));
  row->kling_amount = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, -10, 10, 1);
  gtk_scale_set_digits (GTK_SCALE (row->kling_amount), 0);
  gtk_scale_set_draw_value (GTK_SCALE (row->kling_amount), TRUE);
  gtk_scale_add_mark (GTK_SCALE (row->kling_amount), 0, GTK_POS_BOTTOM, NULL);
  gtk_widget_set_hexpand (row->kling_amount, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->kling_amount),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Kling Camera Amount"), -1);
  g_object_set_data (G_OBJECT (row->kling_amount), "takes-option", (gpointer) "kling-amount");
  g_signal_connect_swapped (row->kling_amount, "value-changed", G_CALLBACK (on_kling_amount), row);
  gtk_box_append (GTK_BOX (row->kling_simple_box), row->kling_amount);
  gtk_widget_set_visible (row->kling_simple_box, FALSE);
  gtk_box_append (GTK_BOX (box), row->kling_simple_box);

  row->kling_cfg = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05);
  gtk_scale_set_digits (GTK_SCALE (row->kling_cfg), 2);
  gtk_scale_set_draw_value (GTK_SCALE (row->kling_cfg), TRUE);
  gtk_widget_set_size_request (row->kling_cfg, 160, -1);
  gtk_widget_set_tooltip_text (row->kling_cfg, _("How closely Kling follows the prompt"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->kling_cfg),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Kling Creativity"), -1);
  g_object_set_data (G_OBJECT (row->kling_cfg), "takes-option", (gpointer) "kling-cfg");
  g_signal_connect_swapped (row->kling_cfg, "value-changed", G_CALLBACK (on_kling_cfg), row);
  option_line (box, _("Creativity"), row->kling_cfg);

  end_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  row->kling_end_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (row->kling_end_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (row->kling_end_label, 20);
  gtk_widget_add_css_class (GTK_WIDGET (row->kling_end_label), "dim-label");
  gtk_box_append (GTK_BOX (end_box), GTK_WIDGET (row->kling_end_label));
  choose = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Kling End Frame"), -1);
  gtk_widget_set_tooltip_text (choose, _("The image the take ends on"));
  g_object_set_data (G_OBJECT (choose), "takes-option", (gpointer) "kling-end-frame");
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (on_kling_end_choose), row);
  gtk_box_append (GTK_BOX (end_box), choose);
  row->kling_end_remove = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-delete-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->kling_end_remove), _("Remove the end frame"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->kling_end_remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Kling End Frame"), -1);
  g_signal_connect_swapped (row->kling_end_remove, "clicked", G_CALLBACK (on_kling_end_remove), row);
  gtk_box_append (GTK_BOX (end_box), GTK_WIDGET (row->kling_end_remove));
  option_line (box, _("End Frame"), end_box);

  caption_label (box, _("The shot’s reference image is the start frame. "
                        "A camera movement cannot be combined with an end frame."));
}

/* ---- Sora-compatible ---- */

static void
on_sora_size (BackendRow *row)
{
  guint selected = gtk_drop_down_get_selected (row->sora_size);

  if (row->panel->updating || selected >= G_N_ELEMENTS (sora_sizes))
    return;

  break_coalescing (row->panel);
  edit_params (row->panel, row->id, "size", string_node (sora_sizes[selected]), NULL);
  break_coalescing (row->panel);
}

static void
on_sora_seconds (BackendRow *row)
{
  guint selected = gtk_drop_down_get_selected (row->sora_seconds);

  if (row->panel->updating || selected >= G_N_ELEMENTS (sora_seconds))
    return;

  break_coalescing (row->panel);
  edit_params (row->panel, row->id, "seconds", string_node (sora_seconds[selected]), NULL);
  break_coalescing (row->panel);
}

static void
sync_sora (BackendRow *row)
{
  TakesShot *shot = row->panel->shot;

  gtk_drop_down_set_selected (row->sora_size,
                              index_of (sora_sizes, G_N_ELEMENTS (sora_sizes),
                                        get_param_string (shot, row->id, "size")));
  gtk_drop_down_set_selected (row->sora_seconds,
                              index_of (sora_seconds, G_N_ELEMENTS (sora_seconds),
                                        get_param_string (shot, row->id, "seconds")));
}

static void
build_sora_options (BackendRow *row,
                    GtkWidget  *box)
{
  /* Translators: sizes in pixels, width × height */
  const char *sizes[] = {
    C_("video size", "Automatic"), C_("video size", "1280 × 720"), C_("video size", "720 × 1280"),
    C_("video size", "1792 × 1024"), C_("video size", "1024 × 1792"), NULL
  };
  const char *seconds[] = {
    C_("video length", "Automatic"), C_("video length", "4 s"),
    C_("video length", "8 s"), C_("video length", "12 s"), NULL
  };

  row->sora_size = new_dropdown (sizes, _("Sora-compatible Size"), "sora-size");
  option_line (box, _("Size"), GTK_WIDGET (row->sora_size));
  g_signal_connect_swapped (row->sora_size, "notify::selected", G_CALLBACK (on_sora_size), row);

  row->sora_seconds = new_dropdown (seconds, _("Sora-compatible Seconds"), "sora-seconds");
  option_line (box, _("Seconds"), GTK_WIDGET (row->sora_seconds));
  g_signal_connect_swapped (row->sora_seconds, "notify::selected", G_CALLBACK (on_sora_seconds), row);

  caption_label (box, _("Automatic follows the shot’s aspect ratio and duration. "
                        "The shot’s reference image is sent as the first frame."));
}

/* ---- ComfyUI ---- */

static void
comfyui_fill_workflows (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  const TakesBackendModel *builtins = takes_comfyui_get_builtin_workflows ();
  const char *current = get_param_string (self->shot, row->id, "workflow");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GList) paths = NULL;
  gboolean same;
  guint selected = 0;

  g_ptr_array_add (ids, NULL);
  gtk_string_list_append (labels, C_("workflow", "Automatic"));

  for (guint i = 0; builtins != NULL && builtins[i].id != NULL; i++)
    {
      g_ptr_array_add (ids, g_strdup (builtins[i].id));
      gtk_string_list_append (labels, _(builtins[i].label));
    }

  /* The shot's own imported workflow, and the others of this session */
  if (current != NULL && g_path_is_absolute (current) &&
      !g_hash_table_contains (self->imported_workflows, current))
    g_hash_table_insert (self->imported_workflows, g_strdup (current), NULL);

  paths = g_list_sort (g_hash_table_get_keys (self->imported_workflows), (GCompareFunc) g_strcmp0);
  for (GList *l = paths; l != NULL; l = l->next)
    {
      g_autofree char *name = g_path_get_basename (l->data);

      g_ptr_array_add (ids, g_strdup (l->data));
      gtk_string_list_append (labels, name);
    }

  for (guint i = 1; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), current) == 0)
      selected = i;

  same = ids->len == row->workflow_ids->len;
  for (guint i = 0; same && i < ids->len; i++)
    same = g_strcmp0 (g_ptr_array_index (ids, i), g_ptr_array_index (row->workflow_ids, i)) == 0;

  /* Replacing the model while the drop-down reports its choice does not
   * end in GTK 4.8: only when the list really changed. */
  if (!same)
    {
      g_ptr_array_unref (row->workflow_ids);
      row->workflow_ids = g_steal_pointer (&ids);
      gtk_drop_down_set_model (row->comfyui_workflow, G_LIST_MODEL (labels));
    }

  if (gtk_drop_down_get_selected (row->comfyui_workflow) != selected)
    gtk_drop_down_set_selected (row->comfyui_workflow, selected);
}

static void
on_comfyui_workflow (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  guint selected = gtk_drop_down_get_selected (row->comfyui_workflow);
  const char *id;
  JsonObject *mapping;

  if (self->updating || selected >= row->workflow_ids->len)
    return;

  id = g_ptr_array_index (row->workflow_ids, selected);
  mapping = id != NULL ? g_hash_table_lookup (self->imported_workflows, id) : NULL;

  show_option_error (row, NULL);
  break_coalescing (self);
  edit_params (self, row->id,
               "workflow", string_node (id),
               "mapping", mapping != NULL ? json_node_init_object (json_node_alloc (), mapping) : NULL,
               NULL);
  break_coalescing (self);
}

/* Keeps a copy of the workflow in the media folder so the project still
 * runs it when the original moves; returns the path to refer to. */
static char *
copy_workflow (TakesGeneratePanel  *self,
               const char          *path,
               GError             **error)
{
  TakesProject *project = get_project (self);
  g_autoptr(GFile) media_dir = project != NULL ? takes_project_get_media_dir (project) : NULL;
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autoptr(GFile) destination = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;

  if (media_dir == NULL || self->shot == NULL)
    return g_strdup (path);

  if (!g_file_make_directory_with_parents (media_dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  basename = g_file_get_basename (source);
  g_strdelimit (basename, "/\\", '_');
  name = g_strdup_printf ("workflow-%s-%s", takes_shot_get_id (self->shot), basename);
  destination = g_file_get_child (media_dir, name);

  /* A workflow file is small (the loader caps it): copied at once. */
  if (!g_file_equal (source, destination) &&
      !g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return NULL;

  return g_file_get_path (destination);
}

static void
comfyui_use_workflow (BackendRow *row,
                      const char *path,
                      JsonObject *mapping)
{
  TakesGeneratePanel *self = row->panel;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = copy_workflow (self, path, &error);

  if (stored == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not copy the workflow into the project: %s"),
                                                  error->message);
      show_option_error (row, message);
      return;
    }

  g_hash_table_insert (self->imported_workflows, g_strdup (stored),
                       mapping != NULL ? json_object_ref (mapping) : NULL);

  show_option_error (row, NULL);
  break_coalescing (self);
  edit_params (self, row->id,
               "workflow", string_node (stored),
               "mapping", mapping != NULL ? json_node_init_object (json_node_alloc (), mapping) : NULL,
               NULL);
  break_coalescing (self);
}

static void
on_mapping_chosen (TakesWorkflowMappingDialog *dialog,
                   JsonObject                 *mapping,
                   TakesGeneratePanel         *self)
{
  TakesComfyuiWorkflow *workflow = takes_workflow_mapping_dialog_get_workflow (dialog);
  BackendRow *row = find_row (self, "comfyui");

  if (row != NULL && row->comfyui_workflow != NULL)
    comfyui_use_workflow (row, takes_comfyui_workflow_get_id (workflow), mapping);
}

static GtkWidget *
comfyui_import (BackendRow *row,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesComfyuiWorkflow) workflow = takes_comfyui_workflow_load (path, &error);
  GtkRoot *root;
  GtkWidget *dialog;

  if (workflow == NULL)
    {
      show_option_error (row, error->message);
      return NULL;
    }

  if (takes_comfyui_workflow_is_tagged (workflow))
    {
      comfyui_use_workflow (row, path, NULL);
      return NULL;
    }

  root = gtk_widget_get_root (GTK_WIDGET (row->panel));
  dialog = takes_workflow_mapping_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              workflow);
  g_signal_connect_object (dialog, "mapping-chosen", G_CALLBACK (on_mapping_chosen),
                           row->panel, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
on_workflow_chooser_response (GtkNativeDialog *chooser,
                              int              response,
                              BackendRow      *row)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        comfyui_import (row, path);
      else if (file != NULL)
        show_option_error (row, _("Choose a workflow file on this computer."));
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&row->panel->chooser);
}

static void
on_comfyui_import_clicked (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  gtk_file_filter_set_name (json, _("ComfyUI Workflows in API Format (JSON)"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");

  chooser = gtk_file_chooser_native_new (_("Import Workflow"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  g_signal_connect (chooser, "response", G_CALLBACK (on_workflow_chooser_response), row);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
build_comfyui_options (BackendRow *row,
                       GtkWidget  *box)
{
  GtkWidget *import;

  row->workflow_ids = g_ptr_array_new_with_free_func (g_free);
  row->comfyui_workflow = new_dropdown (NULL, _("ComfyUI Workflow"), "comfyui-workflow");
  option_line (box, _("Workflow"), GTK_WIDGET (row->comfyui_workflow));
  g_signal_connect_swapped (row->comfyui_workflow, "notify::selected",
                            G_CALLBACK (on_comfyui_workflow), row);

  import = gtk_button_new_with_mnemonic (_("_Import Workflow…"));
  gtk_widget_set_halign (import, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (import),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Import Workflow…"), -1);
  gtk_widget_set_tooltip_text (import, _("Use a workflow exported from ComfyUI with “Export (API)”"));
  g_object_set_data (G_OBJECT (import), "takes-option", (gpointer) "comfyui-import");
  g_signal_connect_swapped (import, "clicked", G_CALLBACK (on_comfyui_import_clicked), row);
  gtk_box_append (GTK_BOX (box), import);

  caption_label (box, _("Automatic uses Wan text-to-video, or image-to-video when the shot has a reference image."));
}

/* ---- Common ---- */

static void
sync_options (BackendRow *row)
{
  TakesGeneratePanel *self = row->panel;
  gboolean was_updating = self->updating;

  if (row->options_row == NULL)
    return;

  self->updating = TRUE;
  if (row->kling_mode != NULL)
    sync_kling (row);
  if (row->sora_size != NULL)
    sync_sora (row);
  if (row->comfyui_workflow != NULL)
    comfyui_fill_workflows (row);
  self->updating = was_updating;

  gtk_widget_set_sensitive (row->options_row, self->shot != NULL);
}

static void
sync_all_options (TakesGeneratePanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    sync_options (g_ptr_array_index (self->rows, i));
}

/* An "Options" expander under the backends that have any */
static void
create_options (BackendRow *row)
{
  GtkWidget *box;

  if (!g_str_equal (row->id, "kling") && !g_str_equal (row->id, "sora") &&
      !g_str_equal (row->id, "comfyui"))
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_add_css_class (box, "backend-options");

  if (g_str_equal (row->id, "kling"))
    build_kling_options (row, box);
  else if (g_str_equal (row->id, "sora"))
    build_sora_options (row, box);
  else
    build_comfyui_options (row, box);

  row->option_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (row->option_error, TRUE);
  gtk_label_set_wrap_mode (row->option_error, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (row->option_error, 0);
  gtk_label_set_selectable (row->option_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->option_error), "generate-error");
  gtk_widget_set_visible (GTK_WIDGET (row->option_error), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->option_error));

  row->expander = GTK_EXPANDER (gtk_expander_new_with_mnemonic (_("_Options")));
  {
    /* Translators: accessible name, "Kling Options" */
    g_autofree char *label = g_strdup_printf (_("%s Options"),
                                              takes_backend_get_display_name (row->backend));

    gtk_accessible_update_property (GTK_ACCESSIBLE (row->expander),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  g_object_set_data_full (G_OBJECT (row->expander), "takes-backend-id", g_strdup (row->id), g_free);
  gtk_expander_set_child (row->expander, box);
  gtk_widget_set_margin_start (GTK_WIDGET (row->expander), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (row->expander), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (row->expander), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (row->expander), 6);

  row->options_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->options_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->options_row), GTK_WIDGET (row->expander));

  sync_options (row);
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
      create_options (row);
      if (row->options_row != NULL)
        gtk_list_box_append (self->backends_list, row->options_row);
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

  if (g_str_equal (name, "backend-params"))
    sync_all_options (self);

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
  for (guint i = 0; i < self->rows->len; i++)
    show_option_error (g_ptr_array_index (self->rows, i), NULL);
  sync_all_options (self);
  update_can_generate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOT]);
}

void
takes_generate_panel_set_history (TakesGeneratePanel *self,
                                  TakesHistory       *history)
{
  g_return_if_fail (TAKES_IS_GENERATE_PANEL (self));
  g_return_if_fail (!history || TAKES_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

GtkWidget *
takes_generate_panel_import_workflow (TakesGeneratePanel *self,
                                      const char         *path)
{
  BackendRow *row;

  g_return_val_if_fail (TAKES_IS_GENERATE_PANEL (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  row = find_row (self, "comfyui");
  if (row == NULL || row->comfyui_workflow == NULL)
    return NULL;

  return comfyui_import (row, path);
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

  g_cancellable_cancel (self->import_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_GENERATE_PANEL);

  g_clear_object (&self->engine);
  g_clear_object (&self->shot);
  g_clear_object (&self->backends);
  g_clear_object (&self->history);
  g_clear_object (&self->import_cancellable);

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
  g_clear_pointer (&self->imported_workflows, g_hash_table_unref);

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
  self->imported_workflows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, mapping_free);
  self->import_cancellable = g_cancellable_new ();
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
