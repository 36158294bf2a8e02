/* startup.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The baseline for the start-up benchmark: the least a libadwaita app can
 * show, one AdwApplicationWindow with a header bar. bench-startup.sh times
 * it and `takes` the same way, from launch to a painted window. */

#define G_LOG_DOMAIN "bench-bare-window"

#include "config.h"

#include <adwaita.h>

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window;
  GtkWidget *box;

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Bare Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.takesapp.Takes.BenchBareWindow",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
