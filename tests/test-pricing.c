/* test-pricing.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-pricing"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fake-backend.h"
#include "fake-kit.h"
#include "takes-job-engine.h"
#include "takes-pricing.h"

#define EPSILON 0.00001

static const char fake_table[] =
  "{ \"format\": \"takes-pricing\", \"version\": 1, \"published\": \"2026-03-01\","
  "  \"backends\": {"
  "    \"fake\": { \"note\": \"A test provider\", \"usd_per_credit\": 0.5,"
  "      \"prices\": ["
  "        { \"model\": \"fake-1\", \"per_second\": 0.5 },"
  "        { \"model\": \"flat\", \"per_generation\": 1.25 },"
  "        { \"model\": \"tiered\", \"mode\": \"std\", \"per_second\": 0.1 },"
  "        { \"model\": \"tiered\", \"mode\": \"pro\", \"per_second\": 0.3 }"
  "      ] } } }";

static TakesPricing *
new_fake_pricing (void)
{
  g_autoptr(GError) error = NULL;
  TakesPricing *pricing = takes_pricing_new_from_data (fake_table, strlen (fake_table), &error);

  g_assert_no_error (error);
  g_assert_nonnull (pricing);

  return pricing;
}

static GVariant *
overrides_of (const char *first_key,
              ...)
{
  GVariantBuilder builder;
  const char *key;
  va_list args;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    g_variant_builder_add (&builder, "{sd}", key, va_arg (args, double));
  va_end (args);

  return g_variant_builder_end (&builder);
}

/* ---- The shipped table ----------------------------------------------------------- */

static void
test_shipped_table (void)
{
  g_autoptr(TakesPricing) pricing = takes_pricing_new ();
  g_autofree char *note = NULL;
  const char *ids[] = { "animatic", "kling", "sora", "comfyui" };
  gboolean seen[G_N_ELEMENTS (ids)] = { FALSE, };

  g_assert_nonnull (takes_pricing_get_published (pricing));
  note = takes_pricing_dup_published_note (pricing);
  g_assert_nonnull (strstr (note, "2026"));

  /* Every backend Takes ships has prices, and every row is sane. */
  for (guint i = 0; i < takes_pricing_get_n_entries (pricing); i++)
    {
      TakesPriceEntry entry;

      g_assert_true (takes_pricing_get_entry (pricing, i, &entry));
      g_assert_cmpfloat (entry.published_price, >=, 0);
      g_assert_cmpfloat (entry.published_price, <, 10);
      g_assert_cmpfloat (entry.price, ==, entry.published_price);
      for (guint j = 0; j < G_N_ELEMENTS (ids); j++)
        if (g_str_equal (entry.backend_id, ids[j]))
          seen[j] = TRUE;
    }
  for (guint j = 0; j < G_N_ELEMENTS (ids); j++)
    g_assert_true (seen[j]);
  g_assert_false (takes_pricing_get_entry (pricing, takes_pricing_get_n_entries (pricing), &(TakesPriceEntry) { 0, }));

  /* Per second, by model and mode */
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "sora", "sora-2", NULL, 4), 0.40, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "sora", "sora-2-pro", NULL, 8), 2.40, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "kling", "kling-v1", "std", 5), 0.14, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "kling", "kling-v1", "pro", 10), 0.98, EPSILON);
  /* No mode: the provider's default (std, listed first) */
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "kling", "kling-v1", NULL, 5), 0.14, EPSILON);
  /* A model the table does not know: the backend's "*" row for the mode */
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "kling", "kling-v9", "pro", 5), 0.49, EPSILON);
  /* A model without tiers ignores the mode */
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "kling", "kling-v2-master", "pro", 5), 1.40, EPSILON);
  /* Local and offline cost nothing */
  g_assert_cmpfloat (takes_pricing_estimate (pricing, "comfyui", "wan-2.2", NULL, 5), ==, 0);
  g_assert_cmpfloat (takes_pricing_estimate (pricing, "animatic", NULL, NULL, 5), ==, 0);
  /* Unknown backend: unknown price */
  g_assert_cmpfloat (takes_pricing_estimate (pricing, "nobody", "x", NULL, 5), <, 0);

  /* Kling reports units spent */
  g_assert_cmpfloat_with_epsilon (takes_pricing_credits_to_usd (pricing, "kling", 10), 1.40, EPSILON);
  g_assert_cmpfloat (takes_pricing_credits_to_usd (pricing, "sora", 10), <, 0);
  g_assert_cmpfloat (takes_pricing_credits_to_usd (pricing, "kling", -1), <, 0);

  /* The process-wide table is the shipped one */
  g_assert_cmpuint (takes_pricing_get_n_entries (takes_pricing_get_default ()), ==,
                    takes_pricing_get_n_entries (pricing));
}

/* ---- Overrides --------------------------------------------------------------------- */

static void
count_changed (TakesPricing *pricing,
               guint        *count)
{
  (*count)++;
}

static void
test_overrides (void)
{
  g_autoptr(TakesPricing) pricing = new_fake_pricing ();
  g_autoptr(GVariant) current = NULL;
  TakesPriceEntry entry;
  guint changed = 0;

  g_signal_connect (pricing, "changed", G_CALLBACK (count_changed), &changed);

  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "fake-1", NULL, 4), 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "flat", NULL, 4), 1.25, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "tiered", "pro", 2), 0.6, EPSILON);

  /* A row's own key keeps the row's unit */
  takes_pricing_set_overrides (pricing, overrides_of ("fake/flat", 2.0, "fake/tiered/pro", 1.0, NULL));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "flat", NULL, 4), 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "tiered", "pro", 2), 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "tiered", "std", 2), 0.2, EPSILON);
  g_assert_true (takes_pricing_get_entry (pricing, 1, &entry));
  g_assert_cmpstr (entry.model, ==, "flat");
  g_assert_false (entry.per_second);
  g_assert_cmpfloat (entry.published_price, ==, 1.25);
  g_assert_cmpfloat (entry.price, ==, 2.0);

  /* The same again is no change */
  takes_pricing_set_overrides (pricing, overrides_of ("fake/tiered/pro", 1.0, "fake/flat", 2.0, NULL));
  g_assert_cmpuint (changed, ==, 1);

  /* A backend-wide rate (per second) for an account with its own rates;
   * a more specific override still wins. */
  takes_pricing_set_overrides (pricing, overrides_of ("fake", 0.05, "fake/flat", 3.0, NULL));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "fake-1", NULL, 4), 0.2, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "tiered", "pro", 4), 0.2, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "flat", NULL, 4), 3.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "unlisted", NULL, 4), 0.2, EPSILON);

  /* Credits */
  g_assert_cmpfloat_with_epsilon (takes_pricing_credits_to_usd (pricing, "fake", 4), 2.0, EPSILON);
  takes_pricing_set_overrides (pricing, overrides_of ("fake/credit", 0.1, NULL));
  g_assert_cmpfloat_with_epsilon (takes_pricing_credits_to_usd (pricing, "fake", 4), 0.4, EPSILON);

  /* Nonsense is ignored rather than believed */
  takes_pricing_set_overrides (pricing, overrides_of ("fake/fake-1", -3.0, "", 1.0, NULL));
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "fake-1", NULL, 4), 2.0, EPSILON);
  current = g_variant_ref_sink (takes_pricing_get_overrides (pricing));
  g_assert_cmpuint (g_variant_n_children (current), ==, 0);

  /* Back to the published prices */
  takes_pricing_set_overrides (pricing, overrides_of ("fake/fake-1", 9.0, NULL));
  takes_pricing_set_overrides (pricing, NULL);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "fake", "fake-1", NULL, 4), 2.0, EPSILON);
}

static void
test_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TakesPricing) pricing = takes_pricing_new ();

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_test_skip ("The settings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return;
    }

  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_reset (settings, "price-overrides");
  takes_pricing_bind_settings (pricing, settings);
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "sora", "sora-2", NULL, 4), 0.40, EPSILON);

  g_settings_set_value (settings, "price-overrides", overrides_of ("sora/sora-2", 0.2, NULL));
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "sora", "sora-2", NULL, 4), 0.80, EPSILON);

  g_settings_reset (settings, "price-overrides");
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "sora", "sora-2", NULL, 4), 0.40, EPSILON);

  takes_pricing_bind_settings (pricing, NULL);
  g_settings_set_value (settings, "price-overrides", overrides_of ("sora/sora-2", 0.2, NULL));
  g_assert_cmpfloat_with_epsilon (takes_pricing_estimate (pricing, "sora", "sora-2", NULL, 4), 0.40, EPSILON);
  g_settings_reset (settings, "price-overrides");
}

static void
test_invalid_tables (void)
{
  const char *tables[] = {
    "",
    "not json",
    "[]",
    "{\"format\": \"takes-project\", \"version\": 1, \"backends\": {}}",
    "{\"format\": \"takes-pricing\", \"version\": 2, \"backends\": {}}",
    "{\"format\": \"takes-pricing\", \"version\": 1}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {}}}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {\"prices\": [{\"model\": \"m\"}]}}}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {\"prices\": [{\"model\": \"m\", \"per_second\": -1}]}}}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {\"prices\": [{\"model\": \"m\", \"per_second\": \"1\"}]}}}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {\"prices\": [{\"model\": \"a/b\", \"per_second\": 1}]}}}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {\"prices\": [{\"model\": \"m\", \"per_second\": 1}, {\"model\": \"m\", \"per_second\": 2}]}}}",
    "{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": {\"x\": {\"usd_per_credit\": -2, \"prices\": []}}}",
  };
  g_autoptr(GString) deep = g_string_new ("{\"format\": \"takes-pricing\", \"version\": 1, \"backends\": ");

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TakesPricing) pricing = takes_pricing_new_from_data (tables[i], strlen (tables[i]), &error);

      g_test_message ("table %u", i);
      g_assert_null (pricing);
      g_assert_error (error, TAKES_PRICING_ERROR, TAKES_PRICING_ERROR_INVALID);
    }

  /* Deep enough to crash json-glib if the guard let it through */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TakesPricing) pricing = takes_pricing_new_from_data (deep->str, deep->len, &error);

    g_assert_null (pricing);
    g_assert_error (error, TAKES_PRICING_ERROR, TAKES_PRICING_ERROR_INVALID);
  }
}

/* ---- Backends -------------------------------------------------------------------- */

static void
test_backend_estimates (void)
{
  g_autoptr(TakesPricing) pricing = new_fake_pricing ();
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new ("http://127.0.0.1:9");
  g_autoptr(TakesFakeBackend) late = takes_fake_backend_new ("http://127.0.0.1:9");
  g_autoptr(TakesGenerationRequest) request = takes_generation_request_new ("A pier");

  takes_generation_request_set_duration (request, 2);

  /* Without a table: the backend's own estimate (0.10 a second) */
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (TAKES_BACKEND (fake), request), 0.2, EPSILON);
  g_assert_cmpfloat (takes_backend_lookup_price (TAKES_BACKEND (fake), NULL, NULL, TAKES_PRICE_SECONDS, 2), <, 0);

  takes_backend_registry_add (registry, TAKES_BACKEND (fake));
  takes_pricing_attach (pricing, registry);

  /* The default model, then a named one, then a mode from the request */
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (TAKES_BACKEND (fake), request), 1.0, EPSILON);
  takes_generation_request_set_model (request, "flat");
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (TAKES_BACKEND (fake), request), 1.25, EPSILON);
  takes_generation_request_set_model (request, "tiered");
  takes_generation_request_set_extra_string (request, "mode", "pro");
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (TAKES_BACKEND (fake), request), 0.6, EPSILON);

  /* Overrides reach the backend at once */
  takes_pricing_set_overrides (pricing, overrides_of ("fake/tiered/pro", 1.0, NULL));
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (TAKES_BACKEND (fake), request), 2.0, EPSILON);

  /* Credits as a backend converts them */
  g_assert_cmpfloat_with_epsilon (takes_backend_lookup_price (TAKES_BACKEND (fake), NULL, NULL, TAKES_PRICE_CREDITS, 3),
                                  1.5, EPSILON);

  /* A backend registered later is priced too (it replaces the first) */
  takes_backend_registry_add (registry, TAKES_BACKEND (late));
  takes_generation_request_set_model (request, NULL);
  g_assert_cmpfloat_with_epsilon (takes_backend_estimate_cost (TAKES_BACKEND (late), request), 1.0, EPSILON);
}

static void
add_take (TakesShot      *shot,
          TakesTakeState  state,
          double          estimate,
          double          actual)
{
  g_autoptr(TakesTake) take = takes_take_new ("fake", "fake-1");

  takes_take_set_state (take, state);
  takes_take_set_cost_estimate (take, estimate);
  takes_take_set_cost_actual (take, actual);
  takes_shot_add_take (shot, take);
}

static void
test_project_spending (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) first = takes_shot_new ();
  g_autoptr(TakesShot) second = takes_shot_new ();
  guint unknown = 99;

  takes_project_append_shot (project, first);
  takes_project_append_shot (project, second);
  g_assert_cmpfloat (takes_pricing_get_project_spending (project, &unknown), ==, 0);
  g_assert_cmpuint (unknown, ==, 0);

  add_take (first, TAKES_TAKE_READY, 0.50, 0.40);      /* actual wins: 0.40 */
  add_take (first, TAKES_TAKE_RUNNING, 0.50, -1);      /* committed: 0.50 */
  add_take (first, TAKES_TAKE_FAILED, 0.50, -1);       /* not counted */
  add_take (second, TAKES_TAKE_CANCELED, 0.50, 0.10);  /* not counted */
  add_take (second, TAKES_TAKE_UNKNOWN, 0.30, -1);     /* may have been paid: 0.30 */
  add_take (second, TAKES_TAKE_READY, -1, -1);         /* no price known */
  add_take (second, TAKES_TAKE_DRAFT, 5.0, -1);        /* never sent */

  g_assert_cmpfloat_with_epsilon (takes_pricing_get_project_spending (project, &unknown), 1.20, EPSILON);
  g_assert_cmpuint (unknown, ==, 1);
  g_assert_cmpfloat_with_epsilon (takes_pricing_get_project_spending (project, NULL), 1.20, EPSILON);
}

/* The engine refuses what would pass the budget, priced by the table. */
static void
test_budget_refusal (void)
{
  g_autoptr(TakesPricing) pricing = new_fake_pricing ();
  g_autoptr(TakesFakeKit) kit = takes_fake_kit_new ();
  g_autoptr(TakesFakeBackend) fake = takes_fake_backend_new (takes_fake_kit_get_base_url (kit));
  g_autoptr(TakesBackendRegistry) registry = takes_backend_registry_new_empty ();
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GPtrArray) takes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  dir = g_dir_make_tmp ("takes-pricing-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "Film.takes", NULL);
  file = g_file_new_for_path (path);

  takes_backend_registry_add (registry, TAKES_BACKEND (fake));
  takes_pricing_attach (pricing, registry);

  takes_shot_set_prompt (shot, "A pier at night");
  takes_shot_set_duration (shot, 2);
  takes_project_append_shot (project, shot);
  takes_project_set_budget (project, 1.50);
  takes_project_save (project, file, &error);
  g_assert_no_error (error);

  engine = takes_job_engine_new (project, registry);

  /* 2 s at the table's 0.50 a second, not the backend's own 0.10 */
  g_assert_cmpfloat_with_epsilon (takes_job_engine_estimate (engine, shot, "fake", NULL, 2), 2.0, EPSILON);

  takes = takes_job_engine_generate (engine, shot, "fake", NULL, 2, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA);
  g_assert_nonnull (strstr (error->message, "$2.00"));
  g_assert_nonnull (strstr (error->message, "$1.50"));
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 0);
  g_clear_error (&error);

  /* An edited price changes the verdict */
  takes_pricing_set_overrides (pricing, overrides_of ("fake/fake-1", 0.25, NULL));
  takes = takes_job_engine_generate (engine, shot, "fake", NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (takes->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (takes_take_get_cost_estimate (g_ptr_array_index (takes, 0)), 0.5, EPSILON);
  g_assert_cmpfloat_with_epsilon (takes_pricing_get_project_spending (project, NULL), 1.0, EPSILON);
  g_clear_pointer (&takes, g_ptr_array_unref);

  /* 1.00 committed: one more take (0.50) fits exactly, two do not */
  takes = takes_job_engine_generate (engine, shot, "fake", NULL, 2, &error);
  g_assert_null (takes);
  g_assert_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA);
  g_clear_error (&error);

  takes_job_engine_shutdown (engine);
  g_clear_object (&engine);

  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          {
            g_autoptr(GDir) inner = g_dir_open (child, 0, NULL);
            const char *inner_name;

            while (inner != NULL && (inner_name = g_dir_read_name (inner)) != NULL)
              {
                g_autofree char *grandchild = g_build_filename (child, inner_name, NULL);
                g_unlink (grandchild);
              }
            g_rmdir (child);
          }
        else
          g_unlink (child);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Takes/Pricing/shipped-table", test_shipped_table);
  g_test_add_func ("/Takes/Pricing/overrides", test_overrides);
  g_test_add_func ("/Takes/Pricing/follows-settings", test_settings);
  g_test_add_func ("/Takes/Pricing/invalid-tables", test_invalid_tables);
  g_test_add_func ("/Takes/Pricing/backend-estimates", test_backend_estimates);
  g_test_add_func ("/Takes/Pricing/project-spending", test_project_spending);
  g_test_add_func ("/Takes/Pricing/budget-refusal", test_budget_refusal);

  return g_test_run ();
}
