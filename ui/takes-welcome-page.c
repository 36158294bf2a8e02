/* takes-welcome-page.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-project.h"
#include "takes-recent.h"
#include "takes-ui.h"
#include "takes-welcome-page.h"

struct _TakesWelcomePage
{
  AdwBin              parent_instance;

  /* template widgets */
  AdwPreferencesGroup *recent_group;
  GtkListBox         *recent_list;
  GtkButton          *new_button;

  /* owned */
  gulong              settings_handler;
};

G_DEFINE_FINAL_TYPE (TakesWelcomePage, takes_welcome_page, ADW_TYPE_BIN)

/* The name a person gave the project is its file name: reading every
 * recent file to show its title would put disk work on the start-up path. */
static char *
dup_title_for_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL)
    return g_file_get_uri (file);

  if (g_str_has_suffix (basename, TAKES_PROJECT_EXTENSION) &&
      strlen (basename) > strlen (TAKES_PROJECT_EXTENSION))
    basename[strlen (basename) - strlen (TAKES_PROJECT_EXTENSION)] = '\0';

  return g_steal_pointer (&basename);
}

static void
remove_button_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "takes-uri");
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  /* The settings change rebuilds the list. */
  takes_recent_remove (file);
}

static GtkWidget *
create_row (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autofree char *title = dup_title_for_file (file);
  g_autofree char *display_path = takes_ui_dup_display_path (file);
  /* One stat per row, no reading: cheap enough for the start-up path. */
  gboolean exists = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR;
  GtkWidget *row;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "takes-uri", g_strdup (uri), g_free);

  if (exists)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), display_path);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, display_path);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
    }
  else
    {
      g_autofree char *subtitle = NULL;
      GtkWidget *remove;

      /* Translators: %s is the path of a project file that no longer exists */
      subtitle = g_strdup_printf (_("Missing: %s"), display_path);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "missing");

      remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Remove From List"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove From List"),
                                      -1);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "takes-uri", g_strdup (uri), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_button_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }

  return row;
}

static void
takes_welcome_page_reload (TakesWelcomePage *self)
{
  g_auto(GStrv) uris = takes_recent_dup_uris ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autofree char *scheme = g_uri_parse_scheme (uris[i]);

      if (scheme == NULL)
        continue;
      gtk_list_box_append (self->recent_list, create_row (uris[i]));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group),
                          gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)) != NULL);
}

static void
recent_row_activated_cb (TakesWelcomePage *self,
                         GtkListBoxRow    *row)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "takes-uri");

  if (uri != NULL && gtk_list_box_row_get_activatable (row))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-file", "s", uri);
}

static void
settings_changed_cb (TakesWelcomePage *self)
{
  takes_welcome_page_reload (self);
}

static void
takes_welcome_page_map (GtkWidget *widget)
{
  TakesWelcomePage *self = TAKES_WELCOME_PAGE (widget);

  GTK_WIDGET_CLASS (takes_welcome_page_parent_class)->map (widget);

  /* A file may have been moved away while the page was hidden. */
  takes_welcome_page_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->new_button));
}

static void
takes_welcome_page_dispose (GObject *object)
{
  TakesWelcomePage *self = TAKES_WELCOME_PAGE (object);
  GSettings *settings = takes_ui_get_settings ();

  if (settings != NULL)
    g_clear_signal_handler (&self->settings_handler, settings);

  /* The status page, a direct child, is deliberately not bound: AdwBin
   * unparents its own child, and gtk_widget_dispose_template() would do it
   * a second time. */
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (takes_welcome_page_parent_class)->dispose (object);
}

static void
takes_welcome_page_class_init (TakesWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_welcome_page_dispose;
  widget_class->map = takes_welcome_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, TakesWelcomePage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, TakesWelcomePage, new_button);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);
}

static void
takes_welcome_page_init (TakesWelcomePage *self)
{
  GSettings *settings = takes_ui_get_settings ();

  gtk_widget_init_template (GTK_WIDGET (self));

  if (settings != NULL)
    self->settings_handler =
      g_signal_connect_object (settings, "changed::recent-projects",
                               G_CALLBACK (settings_changed_cb), self,
                               G_CONNECT_SWAPPED);
}

GtkWidget *
takes_welcome_page_new (void)
{
  return g_object_new (TAKES_TYPE_WELCOME_PAGE, NULL);
}
