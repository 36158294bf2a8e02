/* takes-recent.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-recent"

#include "config.h"

#include "takes-recent.h"
#include "takes-ui.h"

#define RECENT_KEY "recent-projects"

char **
takes_recent_dup_uris (void)
{
  GSettings *settings = takes_ui_get_settings ();

  if (settings == NULL)
    return g_new0 (char *, 1);

  return g_settings_get_strv (settings, RECENT_KEY);
}

static void
update (GFile    *file,
        gboolean  add)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) old = NULL;
  g_auto(GStrv) paths = NULL;
  g_autofree char *uri = NULL;
  guint n = 0;

  if (settings == NULL)
    return;

  uri = g_file_get_uri (file);

  builder = g_strv_builder_new ();
  if (add)
    {
      g_strv_builder_add (builder, uri);
      n++;
    }

  old = g_settings_get_strv (settings, RECENT_KEY);
  for (guint i = 0; old[i] != NULL && n < TAKES_RECENT_MAX; i++)
    {
      if (g_str_equal (old[i], uri))
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }

  paths = g_strv_builder_end (builder);
  g_settings_set_strv (settings, RECENT_KEY, (const char * const *) paths);
}

void
takes_recent_add (GFile *file)
{
  g_return_if_fail (G_IS_FILE (file));

  update (file, TRUE);
}

void
takes_recent_remove (GFile *file)
{
  g_return_if_fail (G_IS_FILE (file));

  update (file, FALSE);
}
