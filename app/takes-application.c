/* takes-application.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-application"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-application.h"
#include "takes-cli.h"
#include "takes-preferences-window.h"
#include "takes-ui.h"
#include "takes-window.h"

struct _TakesApplication
{
  AdwApplication parent_instance;

  guint          recovery_source;
  guint          recovery_offered : 1;
};

G_DEFINE_FINAL_TYPE (TakesApplication, takes_application, ADW_TYPE_APPLICATION)

static TakesWindow *
get_active_window (TakesApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The active window may be a dialog or the shortcuts window. */
  while (window != NULL && !TAKES_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);

  return window != NULL ? TAKES_WINDOW (window) : NULL;
}

static TakesWindow *
find_empty_window (TakesApplication *self)
{
  TakesWindow *active = get_active_window (self);

  if (active != NULL && takes_window_get_project (active) == NULL)
    return active;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (TAKES_IS_WINDOW (l->data) && takes_window_get_project (l->data) == NULL)
        return l->data;
    }

  return NULL;
}

static TakesWindow *
ensure_window (TakesApplication *self)
{
  TakesWindow *window = get_active_window (self);

  if (window == NULL)
    window = takes_window_new (GTK_APPLICATION (self));

  return window;
}

static gboolean
offer_recovery_cb (gpointer user_data)
{
  TakesApplication *self = user_data;
  TakesWindow *window;

  self->recovery_source = 0;

  if ((window = get_active_window (self)) != NULL)
    takes_window_offer_recovery (window);

  return G_SOURCE_REMOVE;
}

/* Looking for autosaved copies reads the disk: it waits until the first
 * window is on screen. */
static void
schedule_recovery (TakesApplication *self)
{
  if (self->recovery_offered)
    return;

  self->recovery_offered = TRUE;
  self->recovery_source = g_idle_add_full (G_PRIORITY_LOW, offer_recovery_cb,
                                           g_object_ref (self), g_object_unref);
}

static void
takes_application_activate (GApplication *app)
{
  TakesApplication *self = TAKES_APPLICATION (app);
  TakesWindow *window = ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));
  schedule_recovery (self);
}

static void
takes_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  TakesApplication *self = TAKES_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      TakesWindow *window = find_empty_window (self);

      if (window == NULL)
        window = takes_window_new (GTK_APPLICATION (self));

      gtk_window_present (GTK_WINDOW (window));
      takes_window_open_file (window, files[i]);
    }

  schedule_recovery (self);
}

/* `takes new`, `takes info`… never need a display: they are handled here,
 * before GTK is initialised and before any D-Bus registration. */
static gboolean
takes_application_local_command_line (GApplication   *app,
                                      char         ***arguments,
                                      int            *exit_status)
{
  char **argv = *arguments;

  if (argv[0] != NULL && takes_cli_is_command (argv[1]))
    {
      *exit_status = takes_cli_run (g_strv_length (argv), argv);
      return TRUE;
    }

  return G_APPLICATION_CLASS (takes_application_parent_class)->local_command_line (app, arguments, exit_status);
}

static int
takes_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", _("Takes"), PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "new-window"))
    {
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      /* Runs in the instance already running, if there is one. */
      g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
      return 0;
    }

  return -1;
}

static void
takes_application_startup (GApplication *app)
{
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.new-project", { "<Primary>n", NULL } },
    { "app.open", { "<Primary>o", NULL } },
    { "app.preferences", { "<Primary>comma", NULL } },
    { "app.quit", { "<Primary>q", NULL } },
    { "win.save", { "<Primary>s", NULL } },
    { "win.save-as", { "<Primary><Shift>s", NULL } },
    { "win.undo", { "<Primary>z", NULL } },
    { "win.redo", { "<Primary><Shift>z", "<Primary>y", NULL } },
    { "win.add-shot", { "<Primary>t", NULL } },
    { "win.generate", { "<Primary>Return", NULL } },
    { "win.export", { "<Primary>e", NULL } },
    { "win.compare", { "<Primary>k", NULL } },
    { "win.duplicate-shot", { "<Primary>d", NULL } },
    { "win.move-shot-up", { "<Alt>Up", NULL } },
    { "win.move-shot-down", { "<Alt>Down", NULL } },
    { "win.close", { "<Primary>w", NULL } },
    { "win.show-help-overlay", { "<Primary>question", NULL } },
  };

  G_APPLICATION_CLASS (takes_application_parent_class)->startup (app);

  takes_ui_init ();

  /* Every accelerator lives here, so the shortcuts window and the
   * actions cannot drift apart unnoticed. The exception is deleting a
   * shot (Delete, Ctrl+Delete): text fields use those keys too, so the
   * window binds them where text fields get the first say. */
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (gtk_app, accels[i].action, accels[i].accels);
}

static void
takes_application_shutdown (GApplication *app)
{
  TakesApplication *self = TAKES_APPLICATION (app);

  g_clear_handle_id (&self->recovery_source, g_source_remove);

  G_APPLICATION_CLASS (takes_application_parent_class)->shutdown (app);
}

static void
new_project_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TakesWindow *window = ensure_window (TAKES_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (window));
  takes_window_new_project (window);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TakesWindow *window = ensure_window (TAKES_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (window));
  takes_window_choose_project (window);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TakesApplication *self = TAKES_APPLICATION (user_data);
  TakesWindow *window = takes_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));
  schedule_recovery (self);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TakesWindow *parent = get_active_window (TAKES_APPLICATION (user_data));
  GtkWidget *window = takes_preferences_window_new (GTK_WINDOW (parent));

  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (user_data));
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  TakesWindow *parent = get_active_window (TAKES_APPLICATION (user_data));
  const char *developers[] = { _("The Takes authors"), NULL };

  adw_show_about_window (parent ? GTK_WINDOW (parent) : NULL,
                         "application-name", _("Takes"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Takes authors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Write shots, generate takes with video generators, pick the best and cut your film."),
                         "website", "https://github.com/takesapp/takes",
                         "issue-url", "https://github.com/takesapp/takes/issues",
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         "copyright", "© 2026 The Takes authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Each window asks about its own unsaved changes; the application ends
   * when the last one is gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (TAKES_IS_WINDOW (l->data))
        gtk_window_close (GTK_WINDOW (l->data));
    }
}

static const GActionEntry app_actions[] = {
  { "new-project", new_project_action },
  { "open", open_action },
  { "new-window", new_window_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
takes_application_class_init (TakesApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = takes_application_activate;
  app_class->open = takes_application_open;
  app_class->startup = takes_application_startup;
  app_class->shutdown = takes_application_shutdown;
  app_class->local_command_line = takes_application_local_command_line;
  app_class->handle_local_options = takes_application_handle_local_options;
}

static void
takes_application_init (TakesApplication *self)
{
  const GOptionEntry options[] = {
    { "new-window", 'w', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Open a new window"), NULL },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and exit"), NULL },
    { NULL }
  };
  g_autofree char *commands = takes_cli_dup_summary ();

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[FILE.takes]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Write shots, generate takes with video generators, pick the best and cut your film. Opens the window, on FILE.takes if given."));

  /* The subcommands (new, info, backends, generate, render, export) run
   * without a window; "takes --help" is where people find them. */
  g_application_set_option_context_description (G_APPLICATION (self), commands);
}

TakesApplication *
takes_application_new (void)
{
  return g_object_new (TAKES_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/takesapp/Takes",
                       NULL);
}
