/* takes-preferences-pricing.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-preferences-pricing"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "takes-preferences-private.h"
#include "takes-ui.h"

typedef struct
{
  GtkSpinButton *spin;       /* borrowed */
  char          *key;
  double         published;
} PriceRow;

typedef struct
{
  TakesPricing *pricing;     /* owned */
  GPtrArray    *rows;        /* PriceRow */
  gboolean      updating;
} PricingPage;

static void
price_row_free (gpointer data)
{
  PriceRow *row = data;

  g_free (row->key);
  g_free (row);
}

static void
pricing_page_free (gpointer data)
{
  PricingPage *page = data;

  g_clear_object (&page->pricing);
  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_free (page);
}

static void
write_overrides (PricingPage *page,
                 GVariant    *overrides)
{
  GSettings *settings = takes_ui_get_settings ();

  /* Settings first: the shared table follows them (bind_settings). */
  if (settings != NULL)
    g_settings_set_value (settings, "price-overrides", overrides);
  else
    takes_pricing_set_overrides (page->pricing, overrides);
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       PricingPage   *page)
{
  g_autoptr(GVariant) current = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  PriceRow *changed = NULL;
  const char *key;
  double value;

  if (page->updating)
    return;

  for (guint i = 0; i < page->rows->len; i++)
    {
      PriceRow *row = g_ptr_array_index (page->rows, i);

      if (row->spin == spin)
        changed = row;
    }
  g_return_if_fail (changed != NULL);

  current = g_variant_ref_sink (takes_pricing_get_overrides (page->pricing));

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  g_variant_iter_init (&iter, current);
  while (g_variant_iter_next (&iter, "{&sd}", &key, &value))
    if (!g_str_equal (key, changed->key))
      g_variant_builder_add (&builder, "{sd}", key, value);

  /* The published price needs no override: a later table may update it. */
  value = gtk_spin_button_get_value (spin);
  if (fabs (value - changed->published) > 1e-9)
    g_variant_builder_add (&builder, "{sd}", changed->key, value);

  write_overrides (page, g_variant_builder_end (&builder));
}

static void
reset_clicked_cb (GtkButton   *button,
                  PricingPage *page)
{
  write_overrides (page, g_variant_new ("a{sd}", NULL));

  page->updating = TRUE;
  for (guint i = 0; i < page->rows->len; i++)
    {
      PriceRow *row = g_ptr_array_index (page->rows, i);

      gtk_spin_button_set_value (row->spin, row->published);
    }
  page->updating = FALSE;
}

static GtkWidget *
new_price_spin (PricingPage *page,
                const char  *key,
                double       published,
                double       price,
                const char  *accessible_name)
{
  GtkWidget *spin;
  PriceRow *row;

  spin = gtk_spin_button_new_with_range (0, 1000, 0.001);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), price);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);

  row = g_new0 (PriceRow, 1);
  row->spin = GTK_SPIN_BUTTON (spin);
  row->key = g_strdup (key);
  row->published = published;
  g_ptr_array_add (page->rows, row);

  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_value_changed_cb), page);

  return spin;
}

static const char *
backend_display_name (const char *backend_id)
{
  TakesBackend *backend = takes_backend_registry_lookup (takes_backend_registry_get_default (),
                                                         backend_id);

  return backend != NULL ? takes_backend_get_display_name (backend) : backend_id;
}

static char *
dup_model_title (const TakesPriceEntry *entry)
{
  const char *model = g_str_equal (entry->model, "*") ? _("Other models") : entry->model;

  if (entry->mode == NULL)
    return g_strdup (model);

  if (g_str_equal (entry->mode, "std"))
    /* Translators: a model and its quality tier, e.g. "kling-v1 · Standard" */
    return g_strdup_printf (_("%s · Standard"), model);
  if (g_str_equal (entry->mode, "pro"))
    /* Translators: a model and its quality tier, e.g. "kling-v1 · Professional" */
    return g_strdup_printf (_("%s · Professional"), model);

  /* Translators: a model and its mode, e.g. "wan-2.1 · fast" */
  return g_strdup_printf (_("%s · %s"), model, entry->mode);
}

GtkWidget *
_takes_preferences_pricing_page_new (void)
{
  AdwPreferencesPage *widget;
  AdwPreferencesGroup *intro;
  AdwPreferencesGroup *group = NULL;
  const char *group_backend = NULL;
  PricingPage *page;
  g_autofree char *note = NULL;
  g_autoptr(GPtrArray) order = NULL;
  GtkWidget *reset;
  guint n;

  page = g_new0 (PricingPage, 1);
  page->pricing = g_object_ref (takes_pricing_get_default ());
  page->rows = g_ptr_array_new_with_free_func (price_row_free);

  widget = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (widget, _("Pricing"));
  adw_preferences_page_set_icon_name (widget, "accessories-calculator-symbolic");
  g_object_set_data_full (G_OBJECT (widget), "takes-pricing-page", page, pricing_page_free);

  intro = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  note = takes_pricing_dup_published_note (page->pricing);
  adw_preferences_group_set_description (intro, note);
  reset = gtk_button_new_with_label (_("Reset to Published Prices"));
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  g_signal_connect (reset, "clicked", G_CALLBACK (reset_clicked_cb), page);
  adw_preferences_group_set_header_suffix (intro, reset);
  adw_preferences_page_add (widget, intro);

  /* The generators in the order the shot editor offers them, then any
   * the table knows that this build does not register. */
  order = g_ptr_array_new_with_free_func (g_free);
  {
    g_auto(GStrv) ids = takes_backend_registry_dup_ids (takes_backend_registry_get_default ());

    for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
      g_ptr_array_add (order, g_strdup (ids[i]));
  }
  n = takes_pricing_get_n_entries (page->pricing);
  for (guint i = 0; i < n; i++)
    {
      TakesPriceEntry entry;

      if (takes_pricing_get_entry (page->pricing, i, &entry) &&
          !g_ptr_array_find_with_equal_func (order, entry.backend_id, g_str_equal, NULL))
        g_ptr_array_add (order, g_strdup (entry.backend_id));
    }

  for (guint k = 0; k < order->len * n; k++)
    {
      const char *backend_id = g_ptr_array_index (order, k / n);
      TakesPriceEntry entry;
      g_autofree char *title = NULL;
      g_autofree char *key = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *row;

      if (!takes_pricing_get_entry (page->pricing, k % n, &entry) ||
          !g_str_equal (entry.backend_id, backend_id))
        continue;

      if (group == NULL || g_strcmp0 (group_backend, entry.backend_id) != 0)
        {
          const char *backend_note = takes_pricing_get_backend_note (page->pricing, entry.backend_id);
          double published_credit = -1;
          double credit;

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          group_backend = entry.backend_id;
          adw_preferences_group_set_title (group, backend_display_name (entry.backend_id));
          if (backend_note != NULL)
            adw_preferences_group_set_description (group, backend_note);
          adw_preferences_page_add (widget, group);

          credit = takes_pricing_get_credit_price (page->pricing, entry.backend_id, &published_credit);
          if (published_credit >= 0)
            {
              g_autofree char *credit_key = g_strconcat (entry.backend_id, "/credit", NULL);
              g_autofree char *credit_name = NULL;

              row = adw_action_row_new ();
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("One Unit"));
              adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                           _("US dollars per unit the provider reports as spent"));
              /* Translators: accessible name, e.g. "Price of one Kling unit" */
              credit_name = g_strdup_printf (_("Price of one %s unit"),
                                             backend_display_name (entry.backend_id));
              adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                         new_price_spin (page, credit_key, published_credit,
                                                         credit, credit_name));
              adw_preferences_group_add (group, row);
            }
        }

      title = dup_model_title (&entry);
      key = takes_price_entry_dup_key (&entry);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   entry.per_second ? _("US dollars per second of video")
                                                    : _("US dollars per clip"));
      /* Translators: accessible name, e.g. "Price of sora-2" */
      accessible = g_strdup_printf (_("Price of %s"), title);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_price_spin (page, key, entry.published_price,
                                                 entry.price, accessible));
      adw_preferences_group_add (group, row);
    }

  return GTK_WIDGET (widget);
}
