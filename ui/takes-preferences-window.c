/* takes-preferences-window.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-preferences-private.h"
#include "takes-preferences-window.h"
#include "takes-ui.h"

struct _TakesPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  GtkSwitch            *autosave_switch;
  GtkSpinButton        *duration_spin;
  AdwComboRow          *aspect_row;

  /* owned */
  TakesPreferencesPages *pages;
};

G_DEFINE_FINAL_TYPE (TakesPreferencesWindow, takes_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static gboolean
aspect_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  GListModel *model = user_data;
  const char *aspect = g_variant_get_string (variant, NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      const char *item = gtk_string_list_get_string (GTK_STRING_LIST (model), i);

      if (g_strcmp0 (item, aspect) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  /* An aspect set elsewhere that the list does not offer */
  g_value_set_uint (value, GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static GVariant *
aspect_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  GListModel *model = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_list_model_get_n_items (model))
    return NULL;

  return g_variant_new_string (gtk_string_list_get_string (GTK_STRING_LIST (model), position));
}

static void
takes_preferences_window_dispose (GObject *object)
{
  TakesPreferencesWindow *self = TAKES_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->pages, _takes_preferences_pages_free);

  G_OBJECT_CLASS (takes_preferences_window_parent_class)->dispose (object);
}

static void
takes_preferences_window_class_init (TakesPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesPreferencesWindow, autosave_switch);
  gtk_widget_class_bind_template_child (widget_class, TakesPreferencesWindow, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, TakesPreferencesWindow, aspect_row);
}

static void
takes_preferences_window_init (TakesPreferencesWindow *self)
{
  GSettings *settings = takes_ui_get_settings ();
  GListModel *aspects;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Generators and prices come from the registry and the price table, so
   * these pages are built here rather than in the template. */
  self->pages = _takes_preferences_pages_new ();
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (_takes_preferences_generators_page_new (self->pages)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (_takes_preferences_pricing_page_new ()));

  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return;
    }

  aspects = adw_combo_row_get_model (self->aspect_row);

  g_settings_bind (settings, "autosave", self->autosave_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-duration", self->duration_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "default-aspect", self->aspect_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                aspect_get_mapping, aspect_set_mapping,
                                g_object_ref (aspects), g_object_unref);
}

GtkWidget *
takes_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (TAKES_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
