/* takes-generate-util.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-generate-util"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-generate-private.h"

TakesBackendRegistry *
_takes_ui_get_registry (TakesJobEngine *engine)
{
  TakesBackendRegistry *registry = NULL;

  if (engine != NULL)
    {
      g_object_get (engine, "registry", &registry, NULL);
      /* The engine keeps its registry alive as long as itself. */
      if (registry != NULL)
        g_object_unref (registry);
    }

  if (registry == NULL)
    registry = takes_backend_registry_get_default ();

  return registry;
}

TakesBackend *
_takes_ui_lookup_backend (TakesJobEngine *engine,
                          const char     *backend_id)
{
  if (backend_id == NULL)
    return NULL;

  return takes_backend_registry_lookup (_takes_ui_get_registry (engine), backend_id);
}

char *
_takes_ui_dup_backend_name (TakesJobEngine *engine,
                            const char     *backend_id)
{
  TakesBackend *backend = _takes_ui_lookup_backend (engine, backend_id);

  if (backend != NULL)
    return g_strdup (takes_backend_get_display_name (backend));

  if (backend_id != NULL && backend_id[0] != '\0')
    return g_strdup (backend_id);

  return g_strdup (_("Unknown backend"));
}

char *
_takes_ui_dup_model_label (TakesBackend *backend,
                           const char   *model)
{
  const TakesBackendModel *models;

  if (model == NULL || model[0] == '\0')
    return NULL;

  if (backend != NULL && (models = takes_backend_get_models (backend)) != NULL)
    {
      for (guint i = 0; models[i].id != NULL; i++)
        if (g_strcmp0 (models[i].id, model) == 0)
          return g_strdup (models[i].label != NULL ? _(models[i].label) : model);
    }

  return g_strdup (model);
}

char *
_takes_ui_format_seconds (double seconds)
{
  /* Translators: a length in seconds, "5.0 s" */
  return g_strdup_printf (_("%.1f s"), seconds);
}

char *
_takes_ui_format_cost (double usd)
{
  /* Translators: an amount in US dollars, "$0.25" */
  return g_strdup_printf (_("$%.2f"), usd);
}

char *
_takes_ui_format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;

  if (seconds < 60)
    /* Translators: a duration, "42 s" */
    return g_strdup_printf (_("%d s"), (int) seconds);

  if (seconds < 3600)
    /* Translators: a duration, "2 min 5 s" */
    return g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) (seconds % 60));

  /* Translators: a duration, "1 h 20 min" */
  return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600), (int) (seconds % 3600 / 60));
}

void
_takes_ui_ensure_generate_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display;

  if (loaded)
    return;

  display = gdk_display_get_default ();
  if (display == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/takesapp/Takes/takes-generate.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  loaded = TRUE;
}
