/* takes-backend-registry.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-backend-registry"

#include "config.h"

#include "takes-animatic.h"
#include "takes-backend-registry.h"
#include "takes-comfyui.h"
#include "takes-kling.h"
#include "takes-sora.h"

struct _TakesBackendRegistry
{
  GObject     parent_instance;

  /* owned */
  GListStore *backends;
};

G_DEFINE_FINAL_TYPE (TakesBackendRegistry, takes_backend_registry, G_TYPE_OBJECT)

static void
takes_backend_registry_dispose (GObject *object)
{
  TakesBackendRegistry *self = (TakesBackendRegistry *)object;

  g_clear_object (&self->backends);

  G_OBJECT_CLASS (takes_backend_registry_parent_class)->dispose (object);
}

static void
takes_backend_registry_class_init (TakesBackendRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_backend_registry_dispose;
}

static void
takes_backend_registry_init (TakesBackendRegistry *self)
{
  self->backends = g_list_store_new (TAKES_TYPE_BACKEND);
}

TakesBackendRegistry *
takes_backend_registry_new_empty (void)
{
  return g_object_new (TAKES_TYPE_BACKEND_REGISTRY, NULL);
}

TakesBackendRegistry *
takes_backend_registry_new (void)
{
  TakesBackendRegistry *self = takes_backend_registry_new_empty ();
  g_autoptr(TakesAnimatic) animatic = takes_animatic_new ();
  g_autoptr(TakesKling) kling = takes_kling_new ();
  g_autoptr(TakesSora) sora = takes_sora_new ();
  g_autoptr(TakesComfyui) comfyui = takes_comfyui_new ();

  takes_backend_registry_add (self, TAKES_BACKEND (animatic));
  takes_backend_registry_add (self, TAKES_BACKEND (kling));
  takes_backend_registry_add (self, TAKES_BACKEND (sora));
  takes_backend_registry_add (self, TAKES_BACKEND (comfyui));

  return self;
}

TakesBackendRegistry *
takes_backend_registry_get_default (void)
{
  static TakesBackendRegistry *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, takes_backend_registry_new ());

  return instance;
}

static gboolean
find_index (TakesBackendRegistry *self,
            const char           *id,
            guint                *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->backends));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (G_LIST_MODEL (self->backends), i);

      if (g_strcmp0 (takes_backend_get_id (backend), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

void
takes_backend_registry_add (TakesBackendRegistry *self,
                            TakesBackend         *backend)
{
  guint position;

  g_return_if_fail (TAKES_IS_BACKEND_REGISTRY (self));
  g_return_if_fail (TAKES_IS_BACKEND (backend));

  if (find_index (self, takes_backend_get_id (backend), &position))
    g_list_store_splice (self->backends, position, 1, (gpointer *)&backend, 1);
  else
    g_list_store_append (self->backends, backend);
}

GListModel *
takes_backend_registry_get_backends (TakesBackendRegistry *self)
{
  g_return_val_if_fail (TAKES_IS_BACKEND_REGISTRY (self), NULL);

  return G_LIST_MODEL (self->backends);
}

TakesBackend *
takes_backend_registry_lookup (TakesBackendRegistry *self,
                               const char           *id)
{
  g_autoptr(TakesBackend) backend = NULL;
  guint position;

  g_return_val_if_fail (TAKES_IS_BACKEND_REGISTRY (self), NULL);

  if (id == NULL || !find_index (self, id, &position))
    return NULL;

  backend = g_list_model_get_item (G_LIST_MODEL (self->backends), position);

  /* The store keeps its own reference. */
  return backend;
}

char **
takes_backend_registry_dup_ids (TakesBackendRegistry *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (TAKES_IS_BACKEND_REGISTRY (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->backends));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (G_LIST_MODEL (self->backends), i);

      g_strv_builder_add (builder, takes_backend_get_id (backend));
    }

  return g_strv_builder_end (builder);
}

const char *
takes_backend_registry_get_default_id (TakesBackendRegistry *self)
{
  return "animatic";
}
