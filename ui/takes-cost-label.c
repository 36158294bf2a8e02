/* takes-cost-label.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-cost-label"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-cost-label.h"
#include "takes-pricing.h"

struct _TakesCostLabel
{
  GtkWidget     parent_instance;

  /* owned */
  TakesProject *project;
  GtkWidget    *label;

  guint         update_source;
};

G_DEFINE_FINAL_TYPE (TakesCostLabel, takes_cost_label, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
takes_format_usd (double usd)
{
  if (usd > 0 && usd < 0.095)
    /* Translators: an amount in US dollars with a tenth of a cent */
    return g_strdup_printf (_("$%.3f"), usd);

  /* Translators: an amount in US dollars */
  return g_strdup_printf (_("$%.2f"), usd);
}

static void
update_now (TakesCostLabel *self)
{
  g_autofree char *text = NULL;
  g_autofree char *spent_text = NULL;
  double spent, budget;
  guint n_unknown = 0;

  gtk_widget_set_visible (GTK_WIDGET (self), self->project != NULL);
  if (self->project == NULL)
    return;

  spent = takes_pricing_get_project_spending (self->project, &n_unknown);
  budget = takes_project_get_budget (self->project);
  spent_text = takes_format_usd (spent);

  if (budget > 0)
    {
      g_autofree char *budget_text = takes_format_usd (budget);

      /* Translators: e.g. "Spent $1.20 of $10.00 budget" */
      text = g_strdup_printf (_("Spent %s of %s budget"), spent_text, budget_text);
    }
  else
    {
      /* Translators: e.g. "Spent $1.20"; the project has no budget cap */
      text = g_strdup_printf (_("Spent %s"), spent_text);
    }

  gtk_label_set_text (GTK_LABEL (self->label), text);

  gtk_widget_remove_css_class (self->label, "warning");
  gtk_widget_remove_css_class (self->label, "error");
  if (budget > 0 && spent >= budget - 0.005)
    gtk_widget_add_css_class (self->label, "error");
  else if (budget > 0 && spent >= budget * 0.8)
    gtk_widget_add_css_class (self->label, "warning");

  if (n_unknown > 0)
    {
      g_autofree char *tooltip = NULL;

      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Counts actual costs where the generator reported them, else estimates. %u take has no known price.",
                                              "Counts actual costs where the generators reported them, else estimates. %u takes have no known price.",
                                              n_unknown),
                                 n_unknown);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                                 _("Counts actual costs where the generators reported them, else estimates. Failed and canceled takes are not counted."));
}

static gboolean
update_cb (gpointer user_data)
{
  TakesCostLabel *self = user_data;

  self->update_source = 0;
  update_now (self);

  return G_SOURCE_REMOVE;
}

/* A batch of takes changes the project many times in a row: one update. */
static void
queue_update (TakesCostLabel *self)
{
  if (self->update_source == 0)
    self->update_source = g_timeout_add_full (G_PRIORITY_LOW, 100, update_cb, self, NULL);
}

TakesProject *
takes_cost_label_get_project (TakesCostLabel *self)
{
  g_return_val_if_fail (TAKES_IS_COST_LABEL (self), NULL);

  return self->project;
}

void
takes_cost_label_set_project (TakesCostLabel *self,
                              TakesProject   *project)
{
  g_return_if_fail (TAKES_IS_COST_LABEL (self));
  g_return_if_fail (!project || TAKES_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);

  g_set_object (&self->project, project);

  if (project != NULL)
    {
      g_signal_connect_object (project, "changed", G_CALLBACK (queue_update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "notify::budget", G_CALLBACK (queue_update), self,
                               G_CONNECT_SWAPPED);
    }

  update_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

const char *
takes_cost_label_get_text (TakesCostLabel *self)
{
  g_return_val_if_fail (TAKES_IS_COST_LABEL (self), NULL);

  /* Pending changes first, so callers never read a stale figure. */
  if (self->update_source != 0)
    {
      g_clear_handle_id (&self->update_source, g_source_remove);
      update_now (self);
    }

  return gtk_label_get_text (GTK_LABEL (self->label));
}

static void
takes_cost_label_dispose (GObject *object)
{
  TakesCostLabel *self = TAKES_COST_LABEL (object);

  g_clear_handle_id (&self->update_source, g_source_remove);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (takes_cost_label_parent_class)->dispose (object);
}

static void
takes_cost_label_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TakesCostLabel *self = TAKES_COST_LABEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_cost_label_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TakesCostLabel *self = TAKES_COST_LABEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      takes_cost_label_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_cost_label_class_init (TakesCostLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_cost_label_dispose;
  object_class->get_property = takes_cost_label_get_property;
  object_class->set_property = takes_cost_label_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TAKES_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "costlabel");
}

static void
takes_cost_label_init (TakesCostLabel *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->label, "caption");
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
takes_cost_label_new (void)
{
  return g_object_new (TAKES_TYPE_COST_LABEL, NULL);
}
