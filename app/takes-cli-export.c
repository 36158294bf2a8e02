/* takes-cli-export.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-cli-export"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "takes-cli.h"
#include "takes-cli-private.h"
#include "takes-export.h"
#include "takes-otio.h"

#define SIZE_MIN     16
#define SIZE_MAX_PX  8192
#define FPS_MIN      1.0
#define FPS_MAX      240.0
#define BAR_WIDTH    24

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
  gboolean      ok;
  gboolean      tty;
  gboolean      bar_visible;
  int           tenth;
  gint64        start;
} ExportRun;

static int
usage_error (const char *prog_name,
             const char *message)
{
  g_printerr ("%s: %s\n", prog_name, message);
  /* Translators: %s is the command, e.g. "takes export" */
  g_printerr (_("Run “%s --help” to see the options."), prog_name);
  g_printerr ("\n");

  return TAKES_CLI_EXIT_USAGE;
}

static gboolean
parse_size (const char  *str,
            int         *width,
            int         *height)
{
  g_auto(GStrv) parts = g_strsplit_set (str, "xX", -1);
  guint64 w, h;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, SIZE_MIN, SIZE_MAX_PX, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, SIZE_MIN, SIZE_MAX_PX, &h, NULL) ||
      w % 2 != 0 || h % 2 != 0)
    return FALSE;

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static gboolean
parse_fps (const char *str,
           double     *fps)
{
  char *end = NULL;
  double value;

  /* Digits and one point only: no exponents, "inf" or "nan" */
  if (str[0] == '\0' || strspn (str, "0123456789.") != strlen (str))
    return FALSE;

  errno = 0;
  value = g_ascii_strtod (str, &end);
  if (errno != 0 || end == NULL || *end != '\0' || !isfinite (value) ||
      value < FPS_MIN || value > FPS_MAX)
    return FALSE;

  *fps = value;
  return TRUE;
}

static char *
format_seconds (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
on_progress (TakesExport *export,
             double       fraction,
             gint64       remaining,
             ExportRun   *run)
{
  int tenth = (int) floor (CLAMP (fraction, 0, 1) * 10);

  if (run->tty)
    {
      char bar[BAR_WIDTH + 1];
      int filled = (int) (CLAMP (fraction, 0, 1) * BAR_WIDTH);
      g_autofree char *elapsed = format_seconds ((g_get_monotonic_time () - run->start) / G_USEC_PER_SEC);
      g_autofree char *left = remaining >= 0 ? format_seconds (remaining) : NULL;

      for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '-';
      bar[BAR_WIDTH] = '\0';

      fprintf (stderr, "\r\033[K[%s] %3d%%  %s", bar, (int) (CLAMP (fraction, 0, 1) * 100), elapsed);
      if (left != NULL)
        /* Translators: time remaining in an export, "0:42 left" */
        fprintf (stderr, _("  %s left"), left);
      fflush (stderr);
      run->bar_visible = TRUE;
      return;
    }

  /* Logs get one line per tenth */
  if (tenth <= run->tenth)
    return;
  run->tenth = tenth;

  if (remaining >= 0)
    {
      g_autofree char *left = format_seconds (remaining);

      /* Translators: export progress on a line of its own, "exporting 40% (0:42 left)" */
      g_printerr (_("exporting %d%% (%s left)\n"), tenth * 10, left);
    }
  else
    /* Translators: export progress on a line of its own, "exporting 40%" */
    g_printerr (_("exporting %d%%\n"), tenth * 10);
}

static void
end_bar (ExportRun *run)
{
  if (run->tty && run->bar_visible)
    {
      fputc ('\n', stderr);
      fflush (stderr);
    }
  run->bar_visible = FALSE;
}

static gboolean
on_interrupt (gpointer user_data)
{
  ExportRun *run = user_data;

  g_cancellable_cancel (run->cancellable);

  return G_SOURCE_CONTINUE;
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportRun *run = user_data;

  run->ok = takes_export_run_finish (TAKES_EXPORT (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static TakesExportPreset
preset_for_name (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".webm"))
    return TAKES_EXPORT_PRESET_WEBM;
  if (g_str_has_suffix (lower, ".mov"))
    return TAKES_EXPORT_PRESET_MOV;

  return TAKES_EXPORT_PRESET_MP4;
}

int
takes_cli_export (int    argc,
                  char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *preset_str = NULL;
  g_autofree char *size_str = NULL;
  g_autofree char *fps_str = NULL;
  g_autofree char *otio = NULL;
  g_autofree char *xges = NULL;
  g_auto(GStrv) files = NULL;
  gboolean smart = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The video file to write (required)"), N_("OUT") },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &preset_str,
      N_("mp4 (H.264 + AAC), webm (VP9 + Opus) or mov (ProRes + PCM); default: from OUT"),
      N_("PRESET") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &size_str,
      N_("Output size; default: the project’s"), N_("WIDTHxHEIGHT") },
    { "fps", 'r', 0, G_OPTION_ARG_STRING, &fps_str,
      N_("Output frame rate; default: the project’s"), N_("N") },
    { "otio", 0, 0, G_OPTION_ARG_FILENAME, &otio,
      N_("Also write the cut as OpenTimelineIO"), N_("FILE.otio") },
    { "xges", 0, 0, G_OPTION_ARG_FILENAME, &xges,
      N_("Also write the cut as a GES project (Pitivi)"), N_("FILE.xges") },
    { "smart", 0, 0, G_OPTION_ARG_NONE, &smart,
      N_("Copy the takes without re-encoding when they all match the output"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  const char *prog_name = argc >= 1 && argv[0] != NULL ? argv[0] : "takes export";
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(GFile) output_file = NULL;
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesExport) export = NULL;
  g_autofree char *saved_prgname = g_strdup (g_get_prgname ());
  g_auto(GStrv) args = NULL;
  TakesExportPreset preset;
  ExportRun run = { 0, };
  int width = 0, height = 0;
  double fps = 0;
  guint sigint_source, sigterm_source;
  gboolean parsed;

  context = g_option_context_new (_("FILE.takes"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(TAKES_CLI_EXPORT_SUMMARY));
  g_option_context_set_description (context,
    /* Translators: the help text of "takes export"; keep lines under 80
     * columns, and keep option names and examples as they are */
    _("Every shot needs a ready picked take whose file exists; otherwise\n"
      "nothing is written and the shots are named. Takes of another size,\n"
      "aspect ratio or frame rate are fitted to the output (letterboxed, or\n"
      "filled where the shot says so). The video is written as OUT.part and\n"
      "renamed when complete; Ctrl+C cancels and removes it. Progress goes\n"
      "to standard error.\n"
      "\n"
      "Exit status: 0 written; 1 the export failed or was canceled, or shots\n"
      "lack a ready take; 2 a wrong option, or the file is missing or not a\n"
      "valid project."));

  args = g_new0 (char *, MAX (argc, 1) + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (argc == 0)
    args[0] = g_strdup (prog_name);

  /* --help prints "Usage: PRGNAME …"; make it "takes export" */
  g_set_prgname (prog_name);
  parsed = g_option_context_parse_strv (context, &args, &error);
  g_set_prgname (saved_prgname);
  if (!parsed)
    return usage_error (prog_name, error->message);

  if (files == NULL || files[0] == NULL)
    return usage_error (prog_name, _("No project file given"));
  if (files[1] != NULL)
    return usage_error (prog_name, _("Give exactly one project file"));
  if (output == NULL)
    return usage_error (prog_name, _("--output is required"));

  if (preset_str != NULL)
    {
      if (!takes_export_preset_from_string (preset_str, &preset))
        {
          g_autofree char *message =
            g_strdup_printf (_("--preset “%s” is not one of mp4, webm, mov"), preset_str);

          return usage_error (prog_name, message);
        }
    }
  else
    preset = preset_for_name (output);

  if (size_str != NULL && !parse_size (size_str, &width, &height))
    {
      g_autofree char *message =
        g_strdup_printf (_("--size “%s” is not WIDTHxHEIGHT with even numbers from %d to %d"),
                         size_str, SIZE_MIN, SIZE_MAX_PX);

      return usage_error (prog_name, message);
    }

  if (fps_str != NULL && !parse_fps (fps_str, &fps))
    {
      g_autofree char *message =
        g_strdup_printf (_("--fps “%s” is not a number from %g to %g"), fps_str, FPS_MIN, FPS_MAX);

      return usage_error (prog_name, message);
    }

  project_file = g_file_new_for_commandline_arg (files[0]);
  project = takes_project_load (project_file, NULL, &error);
  if (project == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (project_file);

      if (strstr (error->message, name) != NULL)
        g_printerr ("%s\n", error->message);
      else
        g_printerr ("%s: %s\n", name, error->message);
      return TAKES_CLI_EXIT_USAGE;
    }

  /* Before any work: say which shots are not ready */
  if (!takes_export_validate (project, &error))
    {
      g_printerr ("%s\n", error->message);
      return TAKES_CLI_EXIT_FAILED;
    }

  output_file = g_file_new_for_commandline_arg (output);
  export = takes_export_new (project, output_file);
  takes_export_set_preset (export, preset);
  takes_export_set_size (export, width, height);
  takes_export_set_fps (export, fps);
  takes_export_set_allow_smart (export, smart);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.tty = isatty (fileno (stderr));
  run.tenth = -1;
  run.start = g_get_monotonic_time ();

  g_signal_connect (export, "progress", G_CALLBACK (on_progress), &run);
  sigint_source = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm_source = g_unix_signal_add (SIGTERM, on_interrupt, &run);

  takes_export_run_async (export, run.cancellable, on_export_done, &run);
  g_main_loop_run (run.loop);

  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);
  end_bar (&run);
  g_clear_pointer (&run.loop, g_main_loop_unref);
  g_clear_object (&run.cancellable);

  if (!run.ok)
    {
      g_autoptr(GError) failure = g_steal_pointer (&run.error);

      if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("%s\n", _("Export canceled; nothing was written"));
      else
        g_printerr ("%s\n", failure->message);
      return TAKES_CLI_EXIT_FAILED;
    }

  {
    g_autofree char *name = g_file_get_parse_name (output_file);
    g_autofree char *length = format_seconds ((gint64) (takes_export_get_duration (export) / GST_SECOND));

    if (takes_export_get_smart (export))
      /* Translators: %s is a file name, then a length like 1:05 */
      g_printerr (_("Wrote %s (%s, takes copied without re-encoding)\n"), name, length);
    else
      /* Translators: %s is a file name, then a length like 1:05 */
      g_printerr (_("Wrote %s (%s)\n"), name, length);
  }

  if (otio != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (otio);

      if (!takes_otio_write (takes_export_get_timeline (export), file, &error))
        {
          g_printerr ("%s\n", error->message);
          return TAKES_CLI_EXIT_FAILED;
        }
    }

  if (xges != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (xges);

      if (!takes_xges_write (takes_export_get_timeline (export), file, &error))
        {
          g_printerr ("%s\n", error->message);
          return TAKES_CLI_EXIT_FAILED;
        }
    }

  return TAKES_CLI_EXIT_OK;
}
