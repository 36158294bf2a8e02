/* takes-pricing.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-pricing"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "takes-app-resources.h"
#include "takes-json-guard.h"
#include "takes-pricing.h"
#include "takes-take.h"

#define PRICING_RESOURCE "/io/github/takesapp/Takes/app/pricing.json"
#define PRICING_FORMAT   "takes-pricing"
#define PRICING_VERSION  1
#define CREDIT_SUFFIX    "credit"

typedef struct
{
  char     *backend_id;
  char     *model;
  char     *mode;
  char     *key;
  gboolean  per_second;
  double    published;
} PriceRow;

struct _TakesPricing
{
  GObject     parent_instance;

  /* owned */
  GPtrArray  *rows;            /* PriceRow */
  GHashTable *rows_by_key;     /* key → PriceRow (borrowed from rows) */
  GHashTable *credits;         /* backend id → double* USD per credit */
  GHashTable *notes;           /* backend id → note */
  GHashTable *overrides;       /* key → double* */
  char       *published;
  GSettings  *settings;
};

G_DEFINE_FINAL_TYPE (TakesPricing, takes_pricing, G_TYPE_OBJECT)
G_DEFINE_QUARK (takes-pricing-error-quark, takes_pricing_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
price_row_free (gpointer data)
{
  PriceRow *row = data;

  g_free (row->backend_id);
  g_free (row->model);
  g_free (row->mode);
  g_free (row->key);
  g_free (row);
}

static double *
double_new (double value)
{
  double *copy = g_new (double, 1);

  *copy = value;

  return copy;
}

static char *
make_key (const char *backend_id,
          const char *model,
          const char *mode)
{
  if (mode != NULL)
    return g_strconcat (backend_id, "/", model, "/", mode, NULL);

  return g_strconcat (backend_id, "/", model, NULL);
}

/* ---- Loading -------------------------------------------------------------- */

static gboolean
set_invalid (GError     **error,
             const char  *what)
{
  g_set_error (error, TAKES_PRICING_ERROR, TAKES_PRICING_ERROR_INVALID,
               _("The price table is damaged: %s."), what);
  return FALSE;
}

static gboolean
read_price (JsonObject  *object,
            gboolean    *per_second,
            double      *price)
{
  const char *member;
  JsonNode *node;

  if (json_object_has_member (object, "per_second"))
    {
      member = "per_second";
      *per_second = TRUE;
    }
  else if (json_object_has_member (object, "per_generation"))
    {
      member = "per_generation";
      *per_second = FALSE;
    }
  else
    return FALSE;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;

  *price = json_node_get_double (node);

  return *price >= 0;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
load_backend (TakesPricing  *self,
              const char    *backend_id,
              JsonNode      *node,
              GError       **error)
{
  JsonObject *object;
  JsonNode *prices;
  JsonArray *array;
  const char *note;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_invalid (error, backend_id);

  object = json_node_get_object (node);

  if ((note = get_string_member (object, "note")) != NULL)
    g_hash_table_replace (self->notes, g_strdup (backend_id), g_strdup (note));

  if (json_object_has_member (object, "usd_per_credit"))
    {
      JsonNode *credit = json_object_get_member (object, "usd_per_credit");

      if (!JSON_NODE_HOLDS_VALUE (credit) ||
          (json_node_get_value_type (credit) != G_TYPE_DOUBLE &&
           json_node_get_value_type (credit) != G_TYPE_INT64) ||
          json_node_get_double (credit) < 0)
        return set_invalid (error, "usd_per_credit");

      g_hash_table_replace (self->credits, g_strdup (backend_id),
                            double_new (json_node_get_double (credit)));
    }

  prices = json_object_get_member (object, "prices");
  if (prices == NULL || !JSON_NODE_HOLDS_ARRAY (prices))
    return set_invalid (error, "prices");

  array = json_node_get_array (prices);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *entry;
      const char *model;
      const char *mode;
      PriceRow *row;
      gboolean per_second = TRUE;
      double price = 0;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return set_invalid (error, backend_id);

      entry = json_node_get_object (item);
      model = get_string_member (entry, "model");
      mode = get_string_member (entry, "mode");
      if (model == NULL || model[0] == '\0' || strchr (model, '/') != NULL ||
          (mode != NULL && (mode[0] == '\0' || strchr (mode, '/') != NULL)) ||
          !read_price (entry, &per_second, &price))
        return set_invalid (error, backend_id);

      row = g_new0 (PriceRow, 1);
      row->backend_id = g_strdup (backend_id);
      row->model = g_strdup (model);
      row->mode = g_strdup (mode);
      row->key = make_key (backend_id, model, mode);
      row->per_second = per_second;
      row->published = price;

      if (g_hash_table_contains (self->rows_by_key, row->key))
        {
          price_row_free (row);
          return set_invalid (error, backend_id);
        }

      g_ptr_array_add (self->rows, row);
      g_hash_table_insert (self->rows_by_key, row->key, row);
    }

  return TRUE;
}

static gboolean
load_data (TakesPricing  *self,
           const char    *data,
           gsize          length,
           GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *backends;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  root = takes_json_guard_parse (data, length, 16, 1024 * 1024, &local_error);
  if (root == NULL)
    return set_invalid (error, local_error->message);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return set_invalid (error, _("not a price table"));

  object = json_node_get_object (root);
  if (g_strcmp0 (get_string_member (object, "format"), PRICING_FORMAT) != 0)
    return set_invalid (error, _("not a price table"));
  if (!json_object_has_member (object, "version") ||
      json_object_get_int_member (object, "version") != PRICING_VERSION)
    return set_invalid (error, "version");

  g_free (self->published);
  self->published = g_strdup (get_string_member (object, "published"));

  backends = json_object_get_member (object, "backends");
  if (backends == NULL || !JSON_NODE_HOLDS_OBJECT (backends))
    return set_invalid (error, "backends");

  json_object_iter_init (&iter, json_node_get_object (backends));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (name[0] == '\0' || strchr (name, '/') != NULL)
        return set_invalid (error, "backends");
      if (!load_backend (self, name, node, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- GObject -------------------------------------------------------------- */

static void
takes_pricing_finalize (GObject *object)
{
  TakesPricing *self = (TakesPricing *)object;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->rows_by_key, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->credits, g_hash_table_unref);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  g_clear_pointer (&self->overrides, g_hash_table_unref);
  g_clear_pointer (&self->published, g_free);

  G_OBJECT_CLASS (takes_pricing_parent_class)->finalize (object);
}

static void
takes_pricing_class_init (TakesPricingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = takes_pricing_finalize;

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
takes_pricing_init (TakesPricing *self)
{
  self->rows = g_ptr_array_new_with_free_func (price_row_free);
  self->rows_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->credits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- Construction ----------------------------------------------------------- */

static void
ensure_resources (void)
{
  static gsize registered = 0;

  /* libtakes-app is a static library: an automatic constructor would be
   * dropped by the linker, so the resource is registered on first use. */
  if (g_once_init_enter (&registered))
    {
      g_resources_register (takes_app_data_get_resource ());
      g_once_init_leave (&registered, 1);
    }
}

TakesPricing *
takes_pricing_new_from_data (const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(TakesPricing) self = g_object_new (TAKES_TYPE_PRICING, NULL);

  g_return_val_if_fail (data != NULL, NULL);

  if (!load_data (self, data, length, error))
    return NULL;

  return g_steal_pointer (&self);
}

TakesPricing *
takes_pricing_new (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TakesPricing *self;
  gsize length = 0;
  const char *data;

  ensure_resources ();

  bytes = g_resources_lookup_data (PRICING_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The built-in price table is missing: %s", error->message);

  data = g_bytes_get_data (bytes, &length);
  self = takes_pricing_new_from_data (data, length, &error);

  /* The shipped table is checked by the test suite; a broken one is a
   * build mistake, not something a person can fix. */
  if (self == NULL)
    g_error ("%s", error->message);

  return self;
}

TakesPricing *
takes_pricing_get_default (void)
{
  static TakesPricing *pricing;

  if (pricing == NULL)
    pricing = takes_pricing_new ();

  return pricing;
}

/* ---- Notes -------------------------------------------------------------------- */

const char *
takes_pricing_get_published (TakesPricing *self)
{
  g_return_val_if_fail (TAKES_IS_PRICING (self), NULL);

  return self->published;
}

char *
takes_pricing_dup_published_note (TakesPricing *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *day = NULL;
  int year = 0, month = 0, mday = 0;

  g_return_val_if_fail (TAKES_IS_PRICING (self), NULL);

  if (self->published != NULL &&
      sscanf (self->published, "%d-%d-%d", &year, &month, &mday) == 3)
    date = g_date_time_new_utc (year, month, mday, 0, 0, 0);

  if (date == NULL)
    return g_strdup (_("Prices as the providers published them; your account may differ. Edit them below."));

  /* Translators: a date format, e.g. "29 November 2026"; see
   * g_date_time_format() */
  day = g_date_time_format (date, _("%-d %B %Y"));

  /* Translators: %s is a date, e.g. "29 November 2026" */
  return g_strdup_printf (_("Prices as published on %s; your account may differ. Edit them below."), day);
}

const char *
takes_pricing_get_backend_note (TakesPricing *self,
                                const char   *backend_id)
{
  g_return_val_if_fail (TAKES_IS_PRICING (self), NULL);
  g_return_val_if_fail (backend_id != NULL, NULL);

  return g_hash_table_lookup (self->notes, backend_id);
}

/* ---- Overrides ---------------------------------------------------------------- */

void
takes_pricing_set_overrides (TakesPricing *self,
                             GVariant     *overrides)
{
  g_autoptr(GHashTable) table = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean same = TRUE;

  g_return_if_fail (TAKES_IS_PRICING (self));
  g_return_if_fail (overrides == NULL ||
                    g_variant_is_of_type (overrides, G_VARIANT_TYPE ("a{sd}")));

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (overrides != NULL)
    {
      GVariantIter variant_iter;
      const char *name;
      double price;

      g_variant_ref_sink (overrides);
      g_variant_iter_init (&variant_iter, overrides);
      while (g_variant_iter_next (&variant_iter, "{&sd}", &name, &price))
        {
          /* A negative or absurd price is a typing slip, not a rate. */
          if (name[0] == '\0' || !(price >= 0 && price < 1e6))
            continue;
          g_hash_table_replace (table, g_strdup (name), double_new (price));
        }
      g_variant_unref (overrides);
    }

  if (g_hash_table_size (table) != g_hash_table_size (self->overrides))
    same = FALSE;

  g_hash_table_iter_init (&iter, table);
  while (same && g_hash_table_iter_next (&iter, &key, &value))
    {
      double *old = g_hash_table_lookup (self->overrides, key);

      if (old == NULL || *old != *(double *)value)
        same = FALSE;
    }

  if (same)
    return;

  g_clear_pointer (&self->overrides, g_hash_table_unref);
  self->overrides = g_steal_pointer (&table);

  g_signal_emit (self, signals[CHANGED], 0);
}

GVariant *
takes_pricing_get_overrides (TakesPricing *self)
{
  g_autoptr(GList) keys = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (TAKES_IS_PRICING (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));

  keys = g_list_sort (g_hash_table_get_keys (self->overrides), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    g_variant_builder_add (&builder, "{sd}", l->data,
                           *(double *)g_hash_table_lookup (self->overrides, l->data));

  return g_variant_builder_end (&builder);
}

static void
settings_changed_cb (GSettings    *settings,
                     const char   *key,
                     TakesPricing *self)
{
  g_autoptr(GVariant) overrides = g_settings_get_value (settings, "price-overrides");

  takes_pricing_set_overrides (self, overrides);
}

void
takes_pricing_bind_settings (TakesPricing *self,
                             GSettings    *settings)
{
  g_return_if_fail (TAKES_IS_PRICING (self));
  g_return_if_fail (!settings || G_IS_SETTINGS (settings));

  if (self->settings == settings)
    return;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);

  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::price-overrides",
                               G_CALLBACK (settings_changed_cb), self, 0);
      settings_changed_cb (settings, "price-overrides", self);
    }
}

/* ---- Estimates ---------------------------------------------------------------- */

static double
row_cost (gboolean per_second,
          double   price,
          double   seconds)
{
  return per_second ? price * MAX (seconds, 0) : price;
}

/* The most specific first. */
static GPtrArray *
candidate_keys (const char *backend_id,
                const char *model,
                const char *mode)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  const char *models[] = { model, "*" };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      if (models[i] == NULL || (i == 1 && g_strcmp0 (model, "*") == 0))
        continue;
      if (mode != NULL)
        g_ptr_array_add (keys, make_key (backend_id, models[i], mode));
      g_ptr_array_add (keys, make_key (backend_id, models[i], NULL));
    }

  return keys;
}

/* A request without a mode takes the model's first listed tier: the
 * provider's default comes first in the table. */
static PriceRow *
find_first_row (TakesPricing *self,
                const char   *backend_id,
                const char   *model)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      PriceRow *row = g_ptr_array_index (self->rows, i);

      if (g_str_equal (row->backend_id, backend_id) && g_str_equal (row->model, model))
        return row;
    }

  return NULL;
}

double
takes_pricing_estimate (TakesPricing *self,
                        const char   *backend_id,
                        const char   *model,
                        const char   *mode,
                        double        seconds)
{
  g_autoptr(GPtrArray) keys = NULL;
  double *override;
  PriceRow *row;

  g_return_val_if_fail (TAKES_IS_PRICING (self), -1);
  g_return_val_if_fail (backend_id != NULL, -1);

  if (model != NULL && model[0] == '\0')
    model = NULL;
  if (mode != NULL && mode[0] == '\0')
    mode = NULL;

  keys = candidate_keys (backend_id, model, mode);

  /* The person's own rates win over the table at any level. */
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if ((override = g_hash_table_lookup (self->overrides, key)) != NULL)
        {
          row = g_hash_table_lookup (self->rows_by_key, key);
          return row_cost (row != NULL ? row->per_second : TRUE, *override, seconds);
        }
    }
  if ((override = g_hash_table_lookup (self->overrides, backend_id)) != NULL)
    return row_cost (TRUE, *override, seconds);

  for (guint i = 0; i < keys->len; i++)
    {
      if ((row = g_hash_table_lookup (self->rows_by_key, g_ptr_array_index (keys, i))) != NULL)
        return row_cost (row->per_second, row->published, seconds);

      /* Right after the model's own keys: its first tier beats "*". */
      if (mode == NULL && model != NULL && i == 0 &&
          (row = find_first_row (self, backend_id, model)) != NULL)
        {
          override = g_hash_table_lookup (self->overrides, row->key);
          return row_cost (row->per_second, override != NULL ? *override : row->published, seconds);
        }
    }

  if (mode == NULL && (row = find_first_row (self, backend_id, "*")) != NULL)
    {
      override = g_hash_table_lookup (self->overrides, row->key);
      return row_cost (row->per_second, override != NULL ? *override : row->published, seconds);
    }

  return -1;
}

double
takes_pricing_get_credit_price (TakesPricing *self,
                                const char   *backend_id,
                                double       *published_price)
{
  g_autofree char *key = NULL;
  double *published;
  double *override;

  g_return_val_if_fail (TAKES_IS_PRICING (self), -1);
  g_return_val_if_fail (backend_id != NULL, -1);

  published = g_hash_table_lookup (self->credits, backend_id);
  if (published_price != NULL)
    *published_price = published != NULL ? *published : -1;

  key = g_strconcat (backend_id, "/" CREDIT_SUFFIX, NULL);
  if ((override = g_hash_table_lookup (self->overrides, key)) != NULL)
    return *override;

  return published != NULL ? *published : -1;
}

double
takes_pricing_credits_to_usd (TakesPricing *self,
                              const char   *backend_id,
                              double        credits)
{
  double price;

  g_return_val_if_fail (TAKES_IS_PRICING (self), -1);

  if (!(credits >= 0))
    return -1;

  price = takes_pricing_get_credit_price (self, backend_id, NULL);
  if (price < 0)
    return -1;

  return price * credits;
}

/* ---- Rows --------------------------------------------------------------------- */

guint
takes_pricing_get_n_entries (TakesPricing *self)
{
  g_return_val_if_fail (TAKES_IS_PRICING (self), 0);

  return self->rows->len;
}

gboolean
takes_pricing_get_entry (TakesPricing    *self,
                         guint            position,
                         TakesPriceEntry *entry)
{
  PriceRow *row;
  double *override;

  g_return_val_if_fail (TAKES_IS_PRICING (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (position >= self->rows->len)
    return FALSE;

  row = g_ptr_array_index (self->rows, position);
  override = g_hash_table_lookup (self->overrides, row->key);

  entry->backend_id = row->backend_id;
  entry->model = row->model;
  entry->mode = row->mode;
  entry->per_second = row->per_second;
  entry->published_price = row->published;
  entry->price = override != NULL ? *override : row->published;

  return TRUE;
}

char *
takes_price_entry_dup_key (const TakesPriceEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return make_key (entry->backend_id, entry->model, entry->mode);
}

/* ---- Backends ----------------------------------------------------------------- */

static double
backend_price_func (TakesBackend   *backend,
                    const char     *model,
                    const char     *mode,
                    TakesPriceUnit  unit,
                    double          quantity,
                    gpointer        user_data)
{
  TakesPricing *self = user_data;
  const char *backend_id = takes_backend_get_id (backend);

  if (unit == TAKES_PRICE_CREDITS)
    return takes_pricing_credits_to_usd (self, backend_id, quantity);

  return takes_pricing_estimate (self, backend_id, model, mode, quantity);
}

static void
attach_backends (TakesPricing *self,
                 GListModel   *backends,
                 guint         position,
                 guint         n_items)
{
  for (guint i = position; i < position + n_items; i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);

      takes_backend_set_price_func (backend, backend_price_func,
                                    g_object_ref (self), g_object_unref);
    }
}

static void
backends_changed_cb (GListModel   *backends,
                     guint         position,
                     guint         removed,
                     guint         added,
                     TakesPricing *self)
{
  attach_backends (self, backends, position, added);
}

void
takes_pricing_attach (TakesPricing         *self,
                      TakesBackendRegistry *registry)
{
  GListModel *backends;

  g_return_if_fail (TAKES_IS_PRICING (self));
  g_return_if_fail (TAKES_IS_BACKEND_REGISTRY (registry));

  backends = takes_backend_registry_get_backends (registry);
  attach_backends (self, backends, 0, g_list_model_get_n_items (backends));
  g_signal_connect_object (backends, "items-changed",
                           G_CALLBACK (backends_changed_cb), self, 0);
}

/* ---- Spending ----------------------------------------------------------------- */

double
takes_pricing_get_project_spending (TakesProject *project,
                                    guint        *n_unknown)
{
  guint unknown = 0;
  double total = 0;

  g_return_val_if_fail (TAKES_IS_PROJECT (project), 0);

  for (guint i = 0; i < takes_project_get_n_shots (project); i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);
      GListModel *takes = takes_shot_get_takes (shot);

      for (guint j = 0; j < g_list_model_get_n_items (takes); j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);
          TakesTakeState state = takes_take_get_state (take);
          double cost;

          /* The same rule as the job engine's budget check. */
          if (state == TAKES_TAKE_FAILED || state == TAKES_TAKE_CANCELED ||
              state == TAKES_TAKE_DRAFT)
            continue;

          cost = takes_take_get_cost_actual (take);
          if (cost < 0)
            cost = takes_take_get_cost_estimate (take);

          if (cost < 0)
            unknown++;
          else
            total += cost;
        }
    }

  if (n_unknown != NULL)
    *n_unknown = unknown;

  return total;
}
