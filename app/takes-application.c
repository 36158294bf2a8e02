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
#include "takes-ui.h"

struct _TakesApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (TakesApplication, takes_application, ADW_TYPE_APPLICATION)

static void
takes_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_title (window, _("Takes"));
    }

  gtk_window_present (window);
}

static void
takes_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (takes_application_parent_class)->startup (app);
  takes_ui_init ();
}

static void
takes_application_class_init (TakesApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = takes_application_activate;
  app_class->startup = takes_application_startup;
}

static void
takes_application_init (TakesApplication *self)
{
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
