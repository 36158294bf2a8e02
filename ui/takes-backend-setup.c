/* takes-backend-setup.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-backend-setup"

#include "config.h"

#include "takes-backend-setup.h"
#include "takes-ui.h"

void
takes_backend_setup_apply_endpoints (TakesBackendRegistry *registry,
                                     GSettings            *settings)
{
  g_autoptr(GVariant) urls = NULL;
  GListModel *backends;

  g_return_if_fail (TAKES_IS_BACKEND_REGISTRY (registry));
  g_return_if_fail (!settings || G_IS_SETTINGS (settings));

  if (settings != NULL)
    urls = g_settings_get_value (settings, "backend-base-urls");

  backends = takes_backend_registry_get_backends (registry);
  for (guint i = 0; i < g_list_model_get_n_items (backends); i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);
      const char *url = NULL;

      if (urls != NULL)
        g_variant_lookup (urls, takes_backend_get_id (backend), "&s", &url);

      /* NULL or "" falls back to the backend's default endpoint. */
      takes_backend_set_base_url (backend, url != NULL && url[0] != '\0' ? url : NULL);
    }
}

static void
endpoints_changed_cb (GSettings            *settings,
                      const char           *key,
                      TakesBackendRegistry *registry)
{
  takes_backend_setup_apply_endpoints (registry, settings);
}

static void
backends_changed_cb (TakesBackendRegistry *registry)
{
  takes_backend_setup_apply_endpoints (registry, takes_ui_get_settings ());
}

typedef struct
{
  TakesBackendSetupReadyFunc func;
  GWeakRef                   owner;
} ReadyWaiter;

static gboolean credentials_ready;
static GList *ready_waiters;

static void
run_ready_waiters (void)
{
  GList *waiters = g_steal_pointer (&ready_waiters);

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      ReadyWaiter *waiter = l->data;
      g_autoptr(GObject) owner = g_weak_ref_get (&waiter->owner);

      if (owner != NULL)
        waiter->func (owner);
      g_weak_ref_clear (&waiter->owner);
      g_free (waiter);
    }
  g_list_free (waiters);
}

static void
on_credentials_applied (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint applied;

  applied = takes_credentials_apply_finish (TAKES_CREDENTIALS (object), result, &error);
  if (error != NULL)
    g_warning ("Could not read the generators' keys: %s", error->message);
  else
    g_debug ("%u keys from the keyring", applied);

  /* Without keys or with them, waiting longer helps nobody. */
  credentials_ready = TRUE;
  run_ready_waiters ();
}

void
takes_backend_setup_when_ready (GObject                    *owner,
                                TakesBackendSetupReadyFunc  func)
{
  ReadyWaiter *waiter;

  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (func != NULL);

  if (credentials_ready)
    {
      func (owner);
      return;
    }

  waiter = g_new0 (ReadyWaiter, 1);
  waiter->func = func;
  g_weak_ref_init (&waiter->owner, owner);
  ready_waiters = g_list_append (ready_waiters, waiter);
}

void
takes_backend_setup_init (void)
{
  static gboolean done;
  TakesBackendRegistry *registry;
  GSettings *settings;
  TakesPricing *pricing;

  if (done)
    return;
  done = TRUE;

  registry = takes_backend_registry_get_default ();
  settings = takes_ui_get_settings ();
  pricing = takes_pricing_get_default ();

  takes_pricing_attach (pricing, registry);
  if (settings != NULL)
    {
      takes_pricing_bind_settings (pricing, settings);
      g_signal_connect_object (settings, "changed::backend-base-urls",
                               G_CALLBACK (endpoints_changed_cb), registry, 0);
    }

  takes_backend_setup_apply_endpoints (registry, settings);
  g_signal_connect_object (takes_backend_registry_get_backends (registry), "items-changed",
                           G_CALLBACK (backends_changed_cb), registry, G_CONNECT_SWAPPED);

  takes_credentials_apply_async (takes_credentials_get_default (), registry, NULL,
                                 on_credentials_applied, NULL);
}

char *
takes_backend_setup_dup_model (const char *backend_id)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GVariant) models = NULL;
  const char *model = NULL;

  g_return_val_if_fail (backend_id != NULL, NULL);

  if (settings == NULL)
    return NULL;

  models = g_settings_get_value (settings, "backend-models");
  if (!g_variant_lookup (models, backend_id, "&s", &model) || model[0] == '\0')
    return NULL;

  return g_strdup (model);
}
