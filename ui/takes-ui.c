/* takes-ui.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-ui"

#include "config.h"

#include <gtk/gtk.h>

#include "takes-ui.h"
#include "takes-ui-resources.h"
#include "takes-welcome-page.h"

void
takes_ui_init (void)
{
  static gsize initialized = 0;

  /* The resources live in a static library: registering them explicitly
   * keeps the linker from dropping them. */
  if (g_once_init_enter (&initialized))
    {
      g_resources_register (takes_ui_get_resource ());
      g_type_ensure (TAKES_TYPE_WELCOME_PAGE);
      /* The video sink is registered by the views that play video, not
       * here: GStreamer stays off the start-up path. */
      g_once_init_leave (&initialized, 1);
    }
}

GSettings *
takes_ui_get_settings (void)
{
  static GSettings *settings;
  static gboolean looked_up;

  if (!looked_up)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      looked_up = TRUE;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

      /* g_settings_new() aborts on a missing schema; an uninstalled run
       * should still start, just without remembering anything. */
      if (schema != NULL)
        settings = g_settings_new_full (schema, NULL, NULL);
      else
        g_warning ("Settings schema %s is not installed; settings will not be kept",
                   APPLICATION_ID);
    }

  return settings;
}

char *
takes_ui_dup_display_path (GFile *file)
{
  g_autofree char *path = NULL;
  const char *home = g_get_home_dir ();
  gsize home_len;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    return g_file_get_parse_name (file);

  home_len = strlen (home);
  if (home_len > 1 &&
      g_str_has_prefix (path, home) &&
      (path[home_len] == '/' || path[home_len] == '\0'))
    return g_strconcat ("~", path + home_len, NULL);

  return g_steal_pointer (&path);
}

static void
fix_names_recursive (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *content;

      if (GTK_IS_BUTTON (child) &&
          (content = gtk_button_get_child (GTK_BUTTON (child))) != NULL &&
          GTK_IS_LABEL (content))
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (child),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (GTK_LABEL (content)),
                                          -1);
        }
      else
        fix_names_recursive (child);
    }
}

void
takes_ui_fix_response_names (gpointer dialog)
{
  g_return_if_fail (GTK_IS_WIDGET (dialog));

  fix_names_recursive (GTK_WIDGET (dialog));
}
