/* takes-workflow-mapping-dialog.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-workflow-mapping-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-workflow-mapping-dialog.h"

/* One role's controls */
typedef struct
{
  TakesWorkflowMappingDialog *dialog;  /* borrowed */
  TakesComfyuiRole            role;
  GtkDropDown                *node_dropdown;
  GtkDropDown                *input_dropdown;   /* NULL for the output */
  char                      **inputs;           /* of the chosen node */
} RoleRow;

struct _TakesWorkflowMappingDialog
{
  AdwWindow             parent_instance;

  TakesComfyuiWorkflow *workflow;
  char                **node_ids;
  RoleRow               rows[TAKES_COMFYUI_N_ROLES];
  GtkLabel             *error_label;
  gboolean              updating;
};

enum {
  MAPPING_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TakesWorkflowMappingDialog, takes_workflow_mapping_dialog, ADW_TYPE_WINDOW)

static void
show_error (TakesWorkflowMappingDialog *self,
            const char                 *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
fill_inputs (RoleRow    *row,
             const char *select)
{
  TakesWorkflowMappingDialog *self = row->dialog;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;
  guint node;

  if (row->input_dropdown == NULL)
    return;

  g_clear_pointer (&row->inputs, g_strfreev);
  node = gtk_drop_down_get_selected (row->node_dropdown);
  if (node != GTK_INVALID_LIST_POSITION && node > 0)
    row->inputs = takes_comfyui_workflow_dup_literal_inputs (self->workflow,
                                                             self->node_ids[node - 1]);
  else
    row->inputs = g_new0 (char *, 1);

  for (guint i = 0; row->inputs[i] != NULL; i++)
    {
      gtk_string_list_append (labels, row->inputs[i]);
      if (g_strcmp0 (row->inputs[i], select) == 0)
        selected = i;
    }

  if (selected == GTK_INVALID_LIST_POSITION && row->inputs[0] != NULL)
    selected = 0;

  self->updating = TRUE;
  gtk_drop_down_set_model (row->input_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (row->input_dropdown, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (row->input_dropdown), row->inputs[0] != NULL);
  self->updating = FALSE;
}

static void
on_node_selected (RoleRow *row)
{
  if (row->dialog->updating)
    return;

  fill_inputs (row, NULL);
  show_error (row->dialog, NULL);
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

/* The first target of a mapping entry: an object or an array of them */
static JsonObject *
first_target (JsonObject *mapping,
              const char *role)
{
  JsonNode *node;

  if (mapping == NULL || !json_object_has_member (mapping, role))
    return NULL;

  node = json_object_get_member (mapping, role);
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (node), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        return json_node_get_object (first);
    }

  return NULL;
}

static void
build_rows (TakesWorkflowMappingDialog *self,
            GtkWidget                  *group)
{
  g_autoptr(JsonObject) guess = takes_comfyui_workflow_guess_mapping (self->workflow);

  self->node_ids = takes_comfyui_workflow_dup_node_ids (self->workflow);

  for (guint r = 0; r < TAKES_COMFYUI_N_ROLES; r++)
    {
      RoleRow *row = &self->rows[r];
      const char *role_name = takes_comfyui_role_to_string (r);
      const char *label = takes_comfyui_role_get_label (r);
      JsonObject *target = first_target (guess, role_name);
      const char *node_id = target != NULL ? json_object_get_string_member_with_default (target, "node", NULL) : NULL;
      const char *input = target != NULL ? json_object_get_string_member_with_default (target, "input", NULL) : NULL;
      g_autoptr(GtkStringList) nodes = gtk_string_list_new (NULL);
      g_autofree char *node_label = NULL;
      g_autofree char *input_label = NULL;
      guint selected = 0;
      GtkWidget *action_row, *box;

      row->dialog = self;
      row->role = r;

      /* Translators: a choice meaning "this value goes nowhere" */
      gtk_string_list_append (nodes, C_("workflow node", "None"));
      for (guint i = 0; self->node_ids[i] != NULL; i++)
        {
          /* Translators: a workflow node, "KSampler (3)" */
          g_autofree char *item = g_strdup_printf (C_("workflow node", "%s (%s)"),
                                                   takes_comfyui_workflow_get_node_title (self->workflow,
                                                                                          self->node_ids[i]),
                                                   self->node_ids[i]);

          gtk_string_list_append (nodes, item);
          if (g_strcmp0 (self->node_ids[i], node_id) == 0)
            selected = i + 1;
        }

      action_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), label);
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

      row->node_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&nodes)), NULL));
      /* Translators: accessible name, "Prompt Node" */
      node_label = g_strdup_printf (_("%s Node"), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->node_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, node_label, -1);
      name_inner_button (GTK_WIDGET (row->node_dropdown), node_label);
      g_object_set_data (G_OBJECT (row->node_dropdown), "takes-role", (gpointer) role_name);
      gtk_drop_down_set_selected (row->node_dropdown, selected);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->node_dropdown));

      if (r != TAKES_COMFYUI_ROLE_OUTPUT)
        {
          row->input_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
          /* Translators: accessible name, "Prompt Input" */
          input_label = g_strdup_printf (_("%s Input"), label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->input_dropdown),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, input_label, -1);
          name_inner_button (GTK_WIDGET (row->input_dropdown), input_label);
          gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->input_dropdown));
          fill_inputs (row, input);
        }

      g_signal_connect_swapped (row->node_dropdown, "notify::selected",
                                G_CALLBACK (on_node_selected), row);

      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), box);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), action_row);
    }
}

JsonObject *
takes_workflow_mapping_dialog_dup_mapping (TakesWorkflowMappingDialog *self)
{
  JsonObject *mapping;

  g_return_val_if_fail (TAKES_IS_WORKFLOW_MAPPING_DIALOG (self), NULL);

  mapping = json_object_new ();
  for (guint r = 0; r < TAKES_COMFYUI_N_ROLES; r++)
    {
      RoleRow *row = &self->rows[r];
      guint node = gtk_drop_down_get_selected (row->node_dropdown);
      JsonObject *target;

      if (node == GTK_INVALID_LIST_POSITION || node == 0)
        continue;

      target = json_object_new ();
      json_object_set_string_member (target, "node", self->node_ids[node - 1]);
      if (row->input_dropdown != NULL)
        {
          guint input = gtk_drop_down_get_selected (row->input_dropdown);

          if (input == GTK_INVALID_LIST_POSITION || row->inputs == NULL ||
              input >= g_strv_length (row->inputs))
            {
              json_object_unref (target);
              continue;
            }
          json_object_set_string_member (target, "input", row->inputs[input]);
        }

      json_object_set_object_member (mapping, takes_comfyui_role_to_string (r), target);
    }

  return mapping;
}

gboolean
takes_workflow_mapping_dialog_validate (TakesWorkflowMappingDialog  *self,
                                        GError                     **error)
{
  g_autoptr(JsonObject) mapping = NULL;

  g_return_val_if_fail (TAKES_IS_WORKFLOW_MAPPING_DIALOG (self), FALSE);

  mapping = takes_workflow_mapping_dialog_dup_mapping (self);

  return takes_comfyui_workflow_set_mapping (self->workflow, mapping, error) &&
         takes_comfyui_workflow_check_ready (self->workflow, error);
}

gboolean
takes_workflow_mapping_dialog_accept (TakesWorkflowMappingDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) mapping = NULL;

  g_return_val_if_fail (TAKES_IS_WORKFLOW_MAPPING_DIALOG (self), FALSE);

  if (!takes_workflow_mapping_dialog_validate (self, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  mapping = takes_workflow_mapping_dialog_dup_mapping (self);
  g_signal_emit (self, signals[MAPPING_CHOSEN], 0, mapping);
  gtk_window_destroy (GTK_WINDOW (self));

  return TRUE;
}

TakesComfyuiWorkflow *
takes_workflow_mapping_dialog_get_workflow (TakesWorkflowMappingDialog *self)
{
  g_return_val_if_fail (TAKES_IS_WORKFLOW_MAPPING_DIALOG (self), NULL);

  return self->workflow;
}

static void
on_use_clicked (TakesWorkflowMappingDialog *self)
{
  takes_workflow_mapping_dialog_accept (self);
}

static void
takes_workflow_mapping_dialog_dispose (GObject *object)
{
  TakesWorkflowMappingDialog *self = TAKES_WORKFLOW_MAPPING_DIALOG (object);

  for (guint r = 0; r < TAKES_COMFYUI_N_ROLES; r++)
    g_clear_pointer (&self->rows[r].inputs, g_strfreev);
  g_clear_pointer (&self->node_ids, g_strfreev);
  g_clear_object (&self->workflow);

  G_OBJECT_CLASS (takes_workflow_mapping_dialog_parent_class)->dispose (object);
}

static void
takes_workflow_mapping_dialog_class_init (TakesWorkflowMappingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_workflow_mapping_dialog_dispose;

  signals[MAPPING_CHOSEN] =
    g_signal_new ("mapping-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
takes_workflow_mapping_dialog_init (TakesWorkflowMappingDialog *self)
{
}

GtkWidget *
takes_workflow_mapping_dialog_new (GtkWindow            *parent,
                                   TakesComfyuiWorkflow *workflow)
{
  TakesWorkflowMappingDialog *self;
  GtkWidget *content, *header, *cancel, *use, *scrolled, *clamp, *box, *intro, *group;
  g_autofree char *intro_text = NULL;

  g_return_val_if_fail (TAKES_IS_COMFYUI_WORKFLOW (workflow), NULL);

  self = g_object_new (TAKES_TYPE_WORKFLOW_MAPPING_DIALOG,
                       "title", _("Map Workflow Inputs"),
                       "modal", TRUE,
                       "transient-for", parent,
                       "default-width", 560,
                       "default-height", 640,
                       NULL);
  self->workflow = g_object_ref (workflow);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  use = gtk_button_new_with_mnemonic (_("_Use Workflow"));
  gtk_widget_add_css_class (use, "suggested-action");
  g_signal_connect_swapped (use, "clicked", G_CALLBACK (on_use_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), use);
  gtk_box_append (GTK_BOX (content), header);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  clamp = adw_clamp_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  /* Translators: %s is a file name */
  intro_text = g_strdup_printf (_("“%s” does not say where the shot’s values go. "
                                  "Choose the node input that receives each one; "
                                  "Prompt and Output are needed."),
                                takes_comfyui_workflow_get_name (workflow));
  intro = gtk_label_new (intro_text);
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_append (GTK_BOX (box), intro);

  group = adw_preferences_group_new ();
  build_rows (self, group);
  gtk_box_append (GTK_BOX (box), group);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (content), scrolled);
  adw_window_set_content (ADW_WINDOW (self), content);

  return GTK_WIDGET (self);
}
