/* main.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "takes-application.h"

/* Run from the build folder (the README's run command), the catalogues are
 * the ones just built there, not the installed ones. Without a catalogue
 * of its own GLib keeps GTK untranslated too, and GTK takes its text
 * direction from its own catalogue: an Arabic window would stay left to
 * right. */
static char *
dup_locale_dir (void)
{
  const char *env = g_getenv ("TAKES_LOCALEDIR");
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ninja = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      dir = g_path_get_dirname (exe);
      ninja = g_build_filename (dir, "build.ninja", NULL);
      if (g_file_test (ninja, G_FILE_TEST_IS_REGULAR))
        return g_build_filename (dir, "po", NULL);
    }

  return g_strdup (LOCALEDIR);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TakesApplication) app = NULL;
  g_autofree char *locale_dir = NULL;

  setlocale (LC_ALL, "");
  locale_dir = dup_locale_dir ();
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = takes_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
