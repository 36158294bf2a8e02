/* takes-cli.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "takes-backend-registry.h"
#include "takes-cli.h"
#include "takes-cli-private.h"
#include "takes-job-engine.h"
#include "takes-media-probe.h"
#include "takes-pricing.h"
#include "takes-project.h"
#include "takes-shot.h"
#include "takes-take.h"

/* A shot list bigger than this is not something a person wrote by hand;
 * refusing it early keeps a wrong --from argument from eating memory. */
#define SHOT_LIST_MAX_BYTES  (16 * 1024 * 1024)
#define SIZE_MIN             16
#define SIZE_MAX_PX          8192
#define FPS_MIN              1.0
#define FPS_MAX              240.0
#define ASPECT_MAX           10000
#define DISPLAY_TITLE_CHARS  48

typedef struct _TakesCliCommand TakesCliCommand;

struct _TakesCliCommand
{
  const char *name;
  /* All three are marked with N_() and translated by GOptionContext */
  const char *parameter_string;
  const char *summary;
  const char *description;
  int       (*run) (const TakesCliCommand *command,
                    const char            *prog_name,
                    char                 **args);
};

static int cli_new  (const TakesCliCommand *command,
                     const char            *prog_name,
                     char                 **args);
static int cli_info (const TakesCliCommand *command,
                     const char            *prog_name,
                     char                 **args);
static int cli_backends (const TakesCliCommand *command,
                         const char            *prog_name,
                         char                 **args);
static int cli_generate (const TakesCliCommand *command,
                         const char            *prog_name,
                         char                 **args);
static int cli_render   (const TakesCliCommand *command,
                         const char            *prog_name,
                         char                 **args);

/* Subcommands in files of their own take (argc, argv) */
static int
cli_export (const TakesCliCommand *command,
            const char            *prog_name,
            char                 **args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, prog_name);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  return takes_cli_export ((int) g_strv_length (argv), argv);
}

/* The backends with the shipped price table attached, so estimates and
 * budget checks on the command line match the window's. */
static TakesBackendRegistry *
cli_get_registry (void)
{
  TakesBackendRegistry *registry = takes_backend_registry_get_default ();
  static gboolean priced;

  if (!priced)
    {
      takes_pricing_attach (takes_pricing_get_default (), registry);
      priced = TRUE;
    }

  return registry;
}

/* One entry per subcommand; "takes --help" lists them in this order. */
static const TakesCliCommand commands[] = {
  {
    "new",
    /* Translators: the argument of "takes new"; keep the .takes extension */
    N_("FILE.takes"),
    N_("Create a project, optionally with shots from a shot list"),
    /* Translators: the help text of "takes new"; keep lines under 80
     * columns, and keep option names, column names and examples as they are */
    N_("The project file name must end in “.takes”. An existing file is left\n"
       "alone unless --force is given. Defaults: 1920x1080 at 24 frames per\n"
       "second; --size takes even numbers from 16 to 8192, --fps 1 to 240.\n"
       "\n"
       "A shot list is plain text or CSV.\n"
       "\n"
       "Plain text: one shot prompt per line. Leading and trailing spaces are\n"
       "removed; empty lines and lines starting with “#” are skipped.\n"
       "\n"
       "CSV: used when the file name ends in “.csv”, or when the first line\n"
       "names only known columns, one of them “prompt”. The header row names\n"
       "the columns, in any order:\n"
       "  prompt    the shot’s prompt (required)\n"
       "  title     the shot’s title\n"
       "  duration  seconds, more than 0 and at most 600 (default: 5)\n"
       "  aspect    WIDTH:HEIGHT (default: 16:9)\n"
       "Other columns are ignored. A field in double quotes can hold commas,\n"
       "line breaks and doubled \"\" quotes.\n"
       "\n"
       "Exit status: 0 created; 1 the file could not be written; 2 a wrong\n"
       "option, an invalid shot list, or an existing file without --force."),
    cli_new,
  },
  {
    "info",
    /* Translators: the argument of "takes info"; keep the .takes extension */
    N_("FILE.takes"),
    N_("Summarise a project, or say precisely why it is invalid"),
    /* Translators: the help text of "takes info"; keep lines under 80 columns */
    N_("With --json, prints the title, size, frame rate and every shot with\n"
       "its takes as JSON; media paths are absolute, or null when a take has\n"
       "no media yet.\n"
       "\n"
       "Exit status: 0 the project is valid; 2 a wrong option, or the file is\n"
       "missing or not a valid project."),
    cli_info,
  },
  {
    "backends",
    NULL,
    N_("List the video generators, whether each is set up, and what it can do"),
    /* Translators: the help text of "takes backends"; keep lines under 80
     * columns, and keep option names and environment variables as they are */
    N_("A backend needs its credentials before it can generate: set the\n"
       "environment variables it names, or enter them in Preferences. The\n"
       "endpoint of a backend can be changed with TAKES_<ID>_BASE_URL.\n"
       "\n"
       "With --json, prints an array with one object per backend; \"configured\"\n"
       "tells whether it can be used now, \"missing_credentials\" what it lacks.\n"
       "\n"
       "Exit status: 0 listed; 2 a wrong option."),
    cli_backends,
  },
  {
    "generate",
    NULL,
    N_("Generate one take and write the clip to a file"),
    /* Translators: the help text of "takes generate"; keep lines under 80
     * columns, and keep option names and examples as they are */
    N_("--backend, --prompt and --output are required. Unset values come from\n"
       "the backend (the animatic: 5 seconds, 16:9, 720p, 24 fps). Without\n"
       "--seed a random seed is chosen and printed, so the take can be made\n"
       "again. --resolution is 480p, 720p, 1080p, 4k or WIDTHxHEIGHT.\n"
       "\n"
       "Progress goes to standard error. The clip is written through a\n"
       "temporary file and checked before it replaces OUTPUT; when anything\n"
       "fails, nothing is left at OUTPUT. Ctrl+C cancels the remote task.\n"
       "\n"
       "Exit status: 0 the clip was written; 1 the generation failed, was\n"
       "refused or canceled; 2 a wrong option or value; 3 missing or rejected\n"
       "credentials; 4 network or server trouble that retries did not cure."),
    cli_generate,
  },
  {
    "render",
    /* Translators: the argument of "takes render"; keep the .takes extension */
    N_("FILE.takes"),
    N_("Fill a project’s shots with takes; interrupt and run again safely"),
    /* Translators: the help text of "takes render"; keep lines under 80
     * columns, and keep option names and examples as they are */
    N_("Brings every shot, or those given with --shots (for example 1,3-5),\n"
       "up to --takes takes (default 1) from each backend of --backends. Takes\n"
       "a shot already has count when they are ready or still in progress;\n"
       "failed and canceled ones do not. So a second run repeats no work, and\n"
       "takes left in progress by an interrupted run are picked up again.\n"
       "Takes are saved into the project and its media folder as they finish.\n"
       "A take whose submission has an unknown outcome is reported and never\n"
       "submitted again: open the project to check it.\n"
       "\n"
       "Exit status: 0 every requested take is ready; 1 a take failed or the\n"
       "run was interrupted; 2 a wrong option, shot list or project file;\n"
       "3 missing or rejected credentials; 4 network or server trouble."),
    cli_render,
  },
  { "export", N_("FILE.takes"), TAKES_CLI_EXPORT_SUMMARY, NULL, cli_export },
};

static const TakesCliCommand *
find_command (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        return &commands[i];
    }

  return NULL;
}

gboolean
takes_cli_is_command (const char *arg)
{
  return find_command (arg) != NULL;
}

char *
takes_cli_dup_summary (void)
{
  GString *summary = g_string_new (_("Commands:"));
  gsize width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, strlen (commands[i].name));

  g_string_append_c (summary, '\n');

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "  %-*s  %s\n",
                            (int) width, commands[i].name,
                            _(commands[i].summary));

  g_string_append_c (summary, '\n');
  /* Translators: COMMAND stands for one of the commands listed above */
  g_string_append (summary, _("Run “takes COMMAND --help” to see the options of a command."));

  return g_string_free (summary, FALSE);
}

static int
cli_error (int         exit_code,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static int
cli_error (int         exit_code,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s\n", message);

  return exit_code;
}

static int
cli_usage_error (const char *prog_name,
                 const char *message)
{
  g_printerr ("%s: %s\n", prog_name, message);
  /* Translators: %s is the command, e.g. "takes new" */
  g_printerr (_("Run “%s --help” to see the options."), prog_name);
  g_printerr ("\n");

  return TAKES_CLI_EXIT_USAGE;
}

/* Loader and writer errors usually name the file already; when one does
 * not, say which file it was about. */
static void
print_file_error (const char   *path,
                  const GError *error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *basename = g_filename_display_basename (path);

  if (strstr (error->message, basename) != NULL)
    g_printerr ("%s\n", error->message);
  else
    g_printerr ("%s: %s\n", display, error->message);
}

/* Parses @args (not including the program name) with @entries, whose
 * G_OPTION_REMAINING entry collects the file arguments. On a wrong option
 * prints a usage error and returns FALSE. */
static gboolean
parse_options (const TakesCliCommand *command,
               const char            *prog_name,
               char                 **args,
               const GOptionEntry    *entries)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *saved_prgname = g_strdup (g_get_prgname ());
  gboolean ok;

  g_strv_builder_add (builder, prog_name);
  for (guint i = 0; args[i] != NULL; i++)
    g_strv_builder_add (builder, args[i]);
  argv = g_strv_builder_end (builder);

  context = g_option_context_new (command->parameter_string);
  /* The summary, description and parameter string are marked N_() in the
   * command table; the context translates them from our domain. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, command->summary);
  g_option_context_set_description (context, command->description);

  /* --help prints "Usage: PRGNAME …"; make it "takes new" */
  g_set_prgname (prog_name);
  ok = g_option_context_parse_strv (context, &argv, &error);
  g_set_prgname (saved_prgname);

  if (!ok)
    {
      cli_usage_error (prog_name, error->message);
      return FALSE;
    }

  return TRUE;
}

/* Strict decimal: digits with at most one point, an optional sign. No
 * exponents, hex, "nan" or "inf", which g_ascii_strtod() would take. */
static gboolean
parse_decimal (const char *str,
               double     *value)
{
  const char *p = str;
  gboolean seen_digit = FALSE;
  gboolean seen_point = FALSE;
  char *end = NULL;
  double v;

  if (*p == '+' || *p == '-')
    p++;

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        seen_digit = TRUE;
      else if (*p == '.' && !seen_point)
        seen_point = TRUE;
      else
        return FALSE;
    }

  if (!seen_digit)
    return FALSE;

  errno = 0;
  v = g_ascii_strtod (str, &end);
  if (errno != 0 || end == NULL || *end != '\0' || !isfinite (v))
    return FALSE;

  *value = v;
  return TRUE;
}

static gboolean
parse_dimension (const char *str,
                 guint64    *value)
{
  /* Rejects signs, spaces and empty strings; the caller checks the range */
  return g_ascii_string_to_unsigned (str, 10, 0, G_MAXUINT32, value, NULL);
}

static gboolean
parse_size (const char  *str,
            int         *width,
            int         *height,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 w, h;

  parts = g_strsplit_set (str, "xX", -1);
  if (g_strv_length (parts) != 2 ||
      !parse_dimension (parts[0], &w) ||
      !parse_dimension (parts[1], &h))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: keep WIDTHxHEIGHT's "x" and the example as they are */
                   _("--size “%s” is not WIDTHxHEIGHT (for example 1920x1080)"),
                   str);
      return FALSE;
    }

  if (w < SIZE_MIN || w > SIZE_MAX_PX || h < SIZE_MIN || h > SIZE_MAX_PX)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--size “%s”: width and height must be between %d and %d"),
                   str, SIZE_MIN, SIZE_MAX_PX);
      return FALSE;
    }

  if (w % 2 != 0 || h % 2 != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--size “%s”: width and height must be even numbers, as video encoders require"),
                   str);
      return FALSE;
    }

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static gboolean
parse_fps (const char  *str,
           double      *fps,
           GError     **error)
{
  double v;

  if (!parse_decimal (str, &v))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--fps “%s” is not a number"), str);
      return FALSE;
    }

  if (v < FPS_MIN || v > FPS_MAX)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--fps “%s” is out of range: frames per second must be between %g and %g"),
                   str, FPS_MIN, FPS_MAX);
      return FALSE;
    }

  *fps = v;
  return TRUE;
}

/* Shot lists
 *
 * Errors read "shots.csv:4: duration “abc” is not a number", like a
 * compiler's, so editors can jump to the line.
 */

typedef struct
{
  const char *name;   /* display name, for messages */
  const char *p;
  const char *end;
  guint       line;   /* physical line of p, 1-based */
} CsvReader;

static void G_GNUC_PRINTF (4, 5)
set_line_error (GError     **error,
                const char  *name,
                guint        line,
                const char  *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s:%u: %s", name, line, message);
}

static gboolean
csv_at_record_end (CsvReader *reader)
{
  const char *p = reader->p;

  return p >= reader->end ||
         *p == '\n' ||
         (*p == '\r' && (p + 1 >= reader->end || p[1] == '\n'));
}

static void
csv_skip_record_end (CsvReader *reader)
{
  if (reader->p < reader->end && *reader->p == '\r')
    reader->p++;
  if (reader->p < reader->end && *reader->p == '\n')
    {
      reader->p++;
      reader->line++;
    }
}

/* Reads one RFC 4180 record into @fields (char *). Returns FALSE at the
 * end of input, or with @error set when the record is malformed. A quote
 * inside an unquoted field is kept as text, as spreadsheets do. */
static gboolean
csv_reader_next (CsvReader  *reader,
                 GPtrArray  *fields,
                 guint      *record_line,
                 GError    **error)
{
  g_ptr_array_set_size (fields, 0);

  if (reader->p >= reader->end)
    return FALSE;

  *record_line = reader->line;

  for (;;)
    {
      GString *field = g_string_new (NULL);

      if (*reader->p == '"')
        {
          guint quote_line = reader->line;

          reader->p++;

          for (;;)
            {
              char c;

              if (reader->p >= reader->end)
                {
                  g_string_free (field, TRUE);
                  g_ptr_array_set_size (fields, 0);
                  set_line_error (error, reader->name, quote_line,
                                  _("a quoted field is not closed"));
                  return FALSE;
                }

              c = *reader->p++;

              if (c == '"')
                {
                  if (reader->p < reader->end && *reader->p == '"')
                    {
                      g_string_append_c (field, '"');
                      reader->p++;
                    }
                  else
                    break;
                }
              else if (c == '\r' && reader->p < reader->end && *reader->p == '\n')
                {
                  /* CRLF inside a field becomes a plain line break */
                }
              else
                {
                  if (c == '\n')
                    reader->line++;
                  g_string_append_c (field, c);
                }
            }

          if (reader->p < reader->end && *reader->p == ',')
            {
              g_ptr_array_add (fields, g_string_free (field, FALSE));
              reader->p++;
              continue;
            }

          if (!csv_at_record_end (reader))
            {
              g_string_free (field, TRUE);
              g_ptr_array_set_size (fields, 0);
              set_line_error (error, reader->name, reader->line,
                              _("unexpected text after the closing quote of a field"));
              return FALSE;
            }
        }
      else
        {
          while (reader->p < reader->end && *reader->p != ',' && !csv_at_record_end (reader))
            g_string_append_c (field, *reader->p++);

          if (reader->p < reader->end && *reader->p == ',')
            {
              g_ptr_array_add (fields, g_string_free (field, FALSE));
              reader->p++;
              continue;
            }
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      csv_skip_record_end (reader);
      return TRUE;
    }
}

static gboolean
csv_record_is_blank (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const char *s = g_ptr_array_index (fields, i);

      for (; *s != '\0'; s++)
        {
          if (!g_ascii_isspace (*s))
            return FALSE;
        }
    }

  return TRUE;
}

typedef enum
{
  COLUMN_UNKNOWN = -1,
  COLUMN_TITLE,
  COLUMN_PROMPT,
  COLUMN_DURATION,
  COLUMN_ASPECT,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "title", "prompt", "duration", "aspect",
};

static Column
column_from_name (const char *name)
{
  g_autofree char *key = g_ascii_strdown (name, -1);

  g_strstrip (key);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      if (g_str_equal (key, column_names[i]))
        return (Column) i;
    }

  return COLUMN_UNKNOWN;
}

/* A file not named .csv is read as CSV when its first line is a header
 * of known columns that includes "prompt": no one writes that as a shot. */
static gboolean
looks_like_csv_header (const char *name,
                       const char *text,
                       gsize       length)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  CsvReader reader = { name, text, text + length, 1 };
  gboolean has_prompt = FALSE;
  guint line;

  while (csv_reader_next (&reader, fields, &line, NULL))
    {
      if (!csv_record_is_blank (fields))
        break;
    }

  if (fields->len == 0)
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      Column column = column_from_name (g_ptr_array_index (fields, i));

      if (column == COLUMN_UNKNOWN)
        return FALSE;
      if (column == COLUMN_PROMPT)
        has_prompt = TRUE;
    }

  return has_prompt;
}

static gboolean
parse_duration (const char  *name,
                guint        line,
                const char  *str,
                double      *duration,
                GError     **error)
{
  double v;

  if (!parse_decimal (str, &v))
    {
      set_line_error (error, name, line, _("duration “%s” is not a number"), str);
      return FALSE;
    }

  if (!(v > 0) || v > TAKES_SHOT_MAX_DURATION)
    {
      set_line_error (error, name, line,
                      _("duration “%s” is out of range: it must be more than 0 and at most %g seconds"),
                      str, TAKES_SHOT_MAX_DURATION);
      return FALSE;
    }

  *duration = v;
  return TRUE;
}

static gboolean
parse_aspect (const char  *name,
              guint        line,
              const char  *str,
              char       **aspect,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (str, ":", -1);
  guint64 w, h;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, ASPECT_MAX, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, ASPECT_MAX, &h, NULL))
    {
      /* Translators: keep the example "16:9" as it is */
      set_line_error (error, name, line,
                      _("aspect “%s” is not WIDTH:HEIGHT (for example 16:9)"), str);
      return FALSE;
    }

  *aspect = g_strdup_printf ("%u:%u", (guint) w, (guint) h);
  return TRUE;
}

static gboolean
parse_shot_list_csv (const char  *name,
                     const char  *text,
                     gsize        length,
                     GPtrArray   *shots,
                     GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  CsvReader reader = { name, text, text + length, 1 };
  int column_index[N_COLUMNS] = { -1, -1, -1, -1 };
  guint n_header_fields = 0;
  gboolean have_header = FALSE;
  guint line = 1;

  for (;;)
    {
      g_autoptr(TakesShot) shot = NULL;
      g_autofree char *prompt = NULL;

      if (!csv_reader_next (&reader, fields, &line, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          break;
        }

      if (csv_record_is_blank (fields))
        continue;

      if (!have_header)
        {
          for (guint i = 0; i < fields->len; i++)
            {
              const char *field = g_ptr_array_index (fields, i);
              Column column = column_from_name (field);

              if (column == COLUMN_UNKNOWN)
                continue;

              if (column_index[column] != -1)
                {
                  set_line_error (error, name, line,
                                  _("the column “%s” appears twice in the header"),
                                  column_names[column]);
                  return FALSE;
                }

              column_index[column] = (int) i;
            }

          if (column_index[COLUMN_PROMPT] == -1)
            {
              /* Translators: the names in quotes are CSV column names; keep them */
              set_line_error (error, name, line,
                              _("the header has no “prompt” column (known columns: "
                                "“title”, “prompt”, “duration”, “aspect”)"));
              return FALSE;
            }

          n_header_fields = fields->len;
          have_header = TRUE;
          continue;
        }

      if (fields->len != n_header_fields)
        {
          set_line_error (error, name, line,
                          ngettext ("the row has %u field but the header has %u",
                                    "the row has %u fields but the header has %u",
                                    fields->len),
                          fields->len, n_header_fields);
          return FALSE;
        }

      shot = takes_shot_new ();

      prompt = g_strdup (g_ptr_array_index (fields, column_index[COLUMN_PROMPT]));
      g_strstrip (prompt);
      if (prompt[0] == '\0')
        {
          set_line_error (error, name, line, _("the prompt is empty"));
          return FALSE;
        }
      takes_shot_set_prompt (shot, prompt);

      if (column_index[COLUMN_TITLE] != -1)
        {
          g_autofree char *title = g_strdup (g_ptr_array_index (fields, column_index[COLUMN_TITLE]));

          g_strstrip (title);
          takes_shot_set_title (shot, title);
        }

      if (column_index[COLUMN_DURATION] != -1)
        {
          g_autofree char *str = g_strdup (g_ptr_array_index (fields, column_index[COLUMN_DURATION]));
          double duration;

          g_strstrip (str);
          if (str[0] != '\0')
            {
              if (!parse_duration (name, line, str, &duration, error))
                return FALSE;
              takes_shot_set_duration (shot, duration);
            }
        }

      if (column_index[COLUMN_ASPECT] != -1)
        {
          g_autofree char *str = g_strdup (g_ptr_array_index (fields, column_index[COLUMN_ASPECT]));
          g_autofree char *aspect = NULL;

          g_strstrip (str);
          if (str[0] != '\0')
            {
              if (!parse_aspect (name, line, str, &aspect, error))
                return FALSE;
              takes_shot_set_aspect (shot, aspect);
            }
        }

      g_ptr_array_add (shots, g_steal_pointer (&shot));
    }

  if (!have_header)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: the CSV file has no header row"), name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_shot_list_text (const char  *text,
                      GPtrArray   *shots)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      TakesShot *shot;

      if (line[0] == '\0' || line[0] == '#')
        continue;

      shot = takes_shot_new ();
      takes_shot_set_prompt (shot, line);
      g_ptr_array_add (shots, shot);
    }

  return TRUE;
}

static guint
count_lines_before (const char *text,
                    const char *end)
{
  guint line = 1;

  for (const char *p = text; p < end; p++)
    {
      if (*p == '\n')
        line++;
    }

  return line;
}

/* Returns a GPtrArray of TakesShot read from @path. */
static GPtrArray *
read_shot_list (const char  *path,
                GError     **error)
{
  g_autoptr(GPtrArray) shots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *contents = NULL;
  g_autofree char *lower = NULL;
  const char *text;
  const char *invalid = NULL;
  gsize length = 0;
  GStatBuf st;
  gboolean is_csv;

  if (g_stat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       _("%s: is a folder, not a shot list"), name);
          return NULL;
        }

      if (S_ISREG (st.st_mode) && st.st_size > SHOT_LIST_MAX_BYTES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: too large for a shot list (more than %d MB)"),
                       name, SHOT_LIST_MAX_BYTES / (1024 * 1024));
          return NULL;
        }
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (length > SHOT_LIST_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: too large for a shot list (more than %d MB)"),
                   name, SHOT_LIST_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (!g_utf8_validate (contents, length, &invalid))
    {
      set_line_error (error, name, count_lines_before (contents, invalid),
                      _("the text is not valid UTF-8; save the shot list as UTF-8"));
      return NULL;
    }

  text = contents;
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  lower = g_ascii_strdown (path, -1);
  is_csv = g_str_has_suffix (lower, ".csv") || looks_like_csv_header (name, text, length);

  if (is_csv)
    {
      if (!parse_shot_list_csv (name, text, length, shots, error))
        return NULL;
    }
  else
    {
      parse_shot_list_text (text, shots);
    }

  if (shots->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: the shot list has no shots"), name);
      return NULL;
    }

  return g_steal_pointer (&shots);
}

static char *
default_title (const char *path)
{
  g_autofree char *basename = g_filename_display_basename (path);

  if (g_str_has_suffix (basename, TAKES_PROJECT_EXTENSION))
    basename[strlen (basename) - strlen (TAKES_PROJECT_EXTENSION)] = '\0';

  return g_steal_pointer (&basename);
}

static int
cli_new (const TakesCliCommand *command,
         const char            *prog_name,
         char                 **args)
{
  g_autofree char *title = NULL;
  g_autofree char *from = NULL;
  g_autofree char *size = NULL;
  g_autofree char *fps_str = NULL;
  g_auto(GStrv) files = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    /* Taken as bytes and checked below: a UTF-8 title must work even
     * in the C locale, where GOption's conversion would refuse it */
    { "title", 't', 0, G_OPTION_ARG_FILENAME, &title,
      N_("The film’s title (default: the file name)"), N_("TEXT") },
    { "from", 'f', 0, G_OPTION_ARG_FILENAME, &from,
      N_("Add the shots of a text or CSV shot list"), N_("SHOTLIST") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &size,
      N_("Output size in pixels (default: 1920x1080)"), N_("WIDTHxHEIGHT") },
    { "fps", 'r', 0, G_OPTION_ARG_STRING, &fps_str,
      N_("Frames per second (default: 24)"), N_("N") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file (keeping it as FILE.takes.bak)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GPtrArray) shots = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  int width = TAKES_PROJECT_DEFAULT_WIDTH;
  int height = TAKES_PROJECT_DEFAULT_HEIGHT;
  double fps = TAKES_PROJECT_DEFAULT_FPS;
  const char *path;
  GFileType type;

  if (!parse_options (command, prog_name, args, entries))
    return TAKES_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return cli_usage_error (prog_name, _("No project file given"));
  if (files[1] != NULL)
    return cli_usage_error (prog_name, _("Give exactly one project file"));

  path = files[0];
  display = g_filename_display_name (path);

  if (!g_str_has_suffix (path, TAKES_PROJECT_EXTENSION) ||
      strlen (path) == strlen (TAKES_PROJECT_EXTENSION))
    return cli_error (TAKES_CLI_EXIT_USAGE,
                      _("%s: the project file name must end in “%s”"),
                      display, TAKES_PROJECT_EXTENSION);

  if (size != NULL && !parse_size (size, &width, &height, &error))
    return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);

  if (fps_str != NULL && !parse_fps (fps_str, &fps, &error))
    return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);

  if (title != NULL)
    {
      if (!g_utf8_validate (title, -1, NULL))
        {
          char *converted = g_locale_to_utf8 (title, -1, NULL, NULL, NULL);

          if (converted == NULL)
            return cli_error (TAKES_CLI_EXIT_USAGE,
                              _("--title is neither UTF-8 nor text in the current locale’s encoding"));
          g_free (title);
          title = converted;
        }

      g_strstrip (title);
      if (title[0] == '\0')
        return cli_error (TAKES_CLI_EXIT_USAGE, _("--title must not be empty"));
    }

  file = g_file_new_for_path (path);
  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL);

  if (type == G_FILE_TYPE_DIRECTORY)
    return cli_error (TAKES_CLI_EXIT_USAGE, _("%s: is a folder"), display);

  /* Checked before reading the shot list: refusing to overwrite is the
   * answer whatever the shot list holds. */
  if (type != G_FILE_TYPE_UNKNOWN && !force)
    return cli_error (TAKES_CLI_EXIT_USAGE,
                      _("%s: the file already exists; use --force to replace it"),
                      display);

  if (from != NULL)
    {
      shots = read_shot_list (from, &error);
      if (shots == NULL)
        return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);
    }

  project = takes_project_new ();
  if (title == NULL)
    title = default_title (path);
  takes_project_set_title (project, title);
  takes_project_set_size (project, width, height);
  takes_project_set_fps (project, fps);

  for (guint i = 0; shots != NULL && i < shots->len; i++)
    takes_project_append_shot (project, g_ptr_array_index (shots, i));

  if (!takes_project_save (project, file, &error))
    return cli_error (TAKES_CLI_EXIT_FAILED,
                      _("%s: could not write the project: %s"),
                      display, error->message);

  g_print (ngettext ("Created “%s” with %u shot\n",
                     "Created “%s” with %u shots\n",
                     takes_project_get_n_shots (project)),
           display, takes_project_get_n_shots (project));

  return TAKES_CLI_EXIT_OK;
}

/* "5", "2.5", "23.976": no trailing zeros, in the user's locale */
static char *
format_number (double value)
{
  return g_strdup_printf ("%.6g", value);
}

static char *
shorten (const char *text,
         guint       max_chars)
{
  g_autofree char *flat = g_strdup (text != NULL ? text : "");
  glong n_chars;

  /* A multi-line prompt on one summary line */
  g_strdelimit (flat, "\r\n\t", ' ');
  g_strstrip (flat);

  n_chars = g_utf8_strlen (flat, -1);
  if (n_chars <= (glong) max_chars)
    return g_steal_pointer (&flat);

  *g_utf8_offset_to_pointer (flat, max_chars - 1) = '\0';
  return g_strconcat (flat, "…", NULL);
}

static char *
describe_takes (TakesShot *shot)
{
  GListModel *takes = takes_shot_get_takes (shot);
  guint n_takes = g_list_model_get_n_items (takes);
  guint counts[TAKES_TAKE_UNKNOWN + 1] = { 0, };
  g_autoptr(GString) states = g_string_new (NULL);

  if (n_takes == 0)
    return g_strdup (_("no takes"));

  for (guint i = 0; i < n_takes; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);
      TakesTakeState state = takes_take_get_state (take);

      if ((guint) state < G_N_ELEMENTS (counts))
        counts[state]++;
    }

  for (guint s = 0; s < G_N_ELEMENTS (counts); s++)
    {
      if (counts[s] == 0)
        continue;
      if (states->len > 0)
        g_string_append (states, _(", "));
      /* Translators: a take state and how many takes are in it, e.g. "Ready: 2" */
      g_string_append_printf (states, C_("take-state-count", "%s: %u"),
                              takes_take_state_get_label (s), counts[s]);
    }

  /* Translators: "3 takes (Ready: 2, Failed: 1)" */
  return g_strdup_printf (ngettext ("%u take (%s)", "%u takes (%s)", n_takes),
                          n_takes, states->str);
}

static void
print_human (TakesProject *project)
{
  guint n_shots = takes_project_get_n_shots (project);
  g_autofree char *fps = format_number (takes_project_get_fps (project));
  g_autofree char *total = NULL;
  GFile *file = takes_project_get_file (project);
  double total_duration = 0;

  for (guint i = 0; i < n_shots; i++)
    total_duration += takes_shot_get_duration (takes_project_get_shot (project, i));
  total = format_number (total_duration);

  g_print (_("Title: %s\n"), takes_project_get_title (project));
  if (file != NULL)
    {
      g_autofree char *parse_name = g_file_get_parse_name (file);

      g_print (_("File: %s\n"), parse_name);
    }
  g_print (_("Size: %d×%d\n"),
           takes_project_get_width (project),
           takes_project_get_height (project));
  g_print (_("Frame rate: %s fps\n"), fps);
  /* Translators: "Shots: 3, 15 seconds in total" */
  g_print (_("Shots: %u, %s seconds in total\n"), n_shots, total);

  if (n_shots > 0)
    g_print ("\n");

  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);
      g_autofree char *display_title = takes_shot_dup_display_title (shot);
      g_autofree char *short_title = shorten (display_title, DISPLAY_TITLE_CHARS);
      g_autofree char *duration = format_number (takes_shot_get_duration (shot));
      g_autofree char *takes = describe_takes (shot);
      const char *picked = takes_shot_get_picked_take_id (shot);

      /* Translators: shot number, title, duration, aspect ratio, takes summary:
       * "2. Harbour at dawn — 5 s, 16:9, 3 takes (Ready: 2, Failed: 1)" */
      g_print (_("%u. %s — %s s, %s, %s"),
               i + 1, short_title, duration,
               takes_shot_get_aspect (shot), takes);

      if (picked != NULL && picked[0] != '\0')
        /* Translators: appended to a shot's line, %s is a take id */
        g_print (_(", picked %s"), picked);

      g_print ("\n");
    }
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Paths are in the filename encoding; JSON must be UTF-8. */
static char *
path_to_utf8 (const char *path)
{
  char *utf8 = g_filename_to_utf8 (path, -1, NULL, NULL, NULL);

  return utf8 != NULL ? utf8 : g_filename_display_name (path);
}

static void
build_take_json (JsonBuilder  *builder,
                 TakesProject *project,
                 TakesTake    *take)
{
  const char *media = takes_take_get_media (take);
  g_autofree char *media_path = NULL;

  if (media != NULL && media[0] != '\0')
    {
      g_autoptr(GFile) media_file = takes_project_resolve (project, media);
      g_autofree char *path = media_file != NULL ? g_file_get_path (media_file) : NULL;

      if (path != NULL)
        media_path = path_to_utf8 (path);
    }

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", takes_take_get_id (take));
  add_string_or_null (builder, "backend", takes_take_get_backend (take));
  add_string_or_null (builder, "model", takes_take_get_model (take));
  add_string_or_null (builder, "state", takes_take_state_to_string (takes_take_get_state (take)));
  add_string_or_null (builder, "media", media_path);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, takes_take_get_duration (take));
  add_string_or_null (builder, "error", takes_take_get_error (take));
  json_builder_end_object (builder);
}

static void
build_shot_json (JsonBuilder  *builder,
                 TakesProject *project,
                 TakesShot    *shot)
{
  GListModel *takes = takes_shot_get_takes (shot);
  guint n_takes = g_list_model_get_n_items (takes);
  const char *picked = takes_shot_get_picked_take_id (shot);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", takes_shot_get_id (shot));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, takes_shot_get_title (shot) != NULL ? takes_shot_get_title (shot) : "");
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, takes_shot_get_prompt (shot) != NULL ? takes_shot_get_prompt (shot) : "");
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, takes_shot_get_duration (shot));
  add_string_or_null (builder, "aspect", takes_shot_get_aspect (shot));
  add_string_or_null (builder, "picked", picked != NULL && picked[0] != '\0' ? picked : NULL);

  json_builder_set_member_name (builder, "takes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_takes; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      build_take_json (builder, project, take);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
}

static char *
project_to_json (TakesProject *project)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *size = NULL;
  g_autofree char *file_path = NULL;
  GFile *file = takes_project_get_file (project);
  guint n_shots = takes_project_get_n_shots (project);
  double total_duration = 0;

  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        file_path = path_to_utf8 (path);
    }

  size = g_strdup_printf ("%dx%d",
                          takes_project_get_width (project),
                          takes_project_get_height (project));

  json_builder_begin_object (builder);
  add_string_or_null (builder, "file", file_path);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, takes_project_get_title (project) != NULL ? takes_project_get_title (project) : "");
  json_builder_set_member_name (builder, "size");
  json_builder_add_string_value (builder, size);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, takes_project_get_width (project));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, takes_project_get_height (project));
  json_builder_set_member_name (builder, "fps");
  json_builder_add_double_value (builder, takes_project_get_fps (project));

  json_builder_set_member_name (builder, "shots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);

      total_duration += takes_shot_get_duration (shot);
      build_shot_json (builder, project, shot);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "total_duration");
  json_builder_add_double_value (builder, total_duration);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

static int
cli_info (const TakesCliCommand *command,
          const char            *prog_name,
          char                 **args)
{
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print the project as JSON, for scripts"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  const char *path;
  GFileType type;

  if (!parse_options (command, prog_name, args, entries))
    return TAKES_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return cli_usage_error (prog_name, _("No project file given"));
  if (files[1] != NULL)
    return cli_usage_error (prog_name, _("Give exactly one project file"));

  path = files[0];
  display = g_filename_display_name (path);
  file = g_file_new_for_path (path);

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type == G_FILE_TYPE_UNKNOWN)
    return cli_error (TAKES_CLI_EXIT_USAGE, _("%s: No such file"), display);
  if (type == G_FILE_TYPE_DIRECTORY)
    return cli_error (TAKES_CLI_EXIT_USAGE, _("%s: is a folder, not a project file"), display);

  project = takes_project_load (file, NULL, &error);
  if (project == NULL)
    {
      print_file_error (path, error);
      return TAKES_CLI_EXIT_USAGE;
    }

  if (json)
    {
      g_autofree char *data = project_to_json (project);

      /* Always UTF-8, whatever the locale: this is for programs */
      fputs (data, stdout);
      fputc ('\n', stdout);
      if (fflush (stdout) != 0)
        return TAKES_CLI_EXIT_FAILED;
    }
  else
    {
      print_human (project);
    }

  return TAKES_CLI_EXIT_OK;
}

/* ---- Shared by backends, generate and render ------------------------------ */

/* "A", "A and B", "A, B and C" */
static char *
join_names (GPtrArray *names)
{
  g_autoptr(GString) head = g_string_new (NULL);

  if (names->len == 0)
    return g_strdup ("");
  if (names->len == 1)
    return g_strdup (g_ptr_array_index (names, 0));

  for (guint i = 0; i + 1 < names->len; i++)
    {
      if (i > 0)
        g_string_append (head, _(", "));
      g_string_append (head, g_ptr_array_index (names, i));
    }

  /* Translators: the end of a list of names: "KLING_ACCESS_KEY and KLING_SECRET_KEY" */
  return g_strdup_printf (_("%s and %s"), head->str,
                          (const char *) g_ptr_array_index (names, names->len - 1));
}

/* The credential variables @backend still lacks. Only names: a value is
 * looked at to see whether it is there and dropped at once. */
static GPtrArray *
dup_missing_credentials (TakesBackend *backend)
{
  GPtrArray *missing = g_ptr_array_new_with_free_func (g_free);
  const char * const *names = takes_backend_get_credential_names (backend);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *value = takes_backend_dup_credential (backend, names[i]);

      if (value == NULL || value[0] == '\0')
        g_ptr_array_add (missing, g_strdup (names[i]));
    }

  return missing;
}

/* Prints why @backend cannot be used and returns the exit status for it. */
static int
report_unconfigured (TakesBackend *backend)
{
  g_autoptr(GPtrArray) missing = dup_missing_credentials (backend);
  const char *id = takes_backend_get_id (backend);

  if (missing->len > 0)
    {
      g_autofree char *names = join_names (missing);

      /* Translators: "kling needs KLING_ACCESS_KEY and KLING_SECRET_KEY; …" */
      return cli_error (TAKES_CLI_EXIT_CREDENTIALS,
                        _("%s needs %s; set them in the environment or in Preferences"),
                        id, names);
    }

  return cli_error (TAKES_CLI_EXIT_CREDENTIALS,
                    _("%s is not set up; see “takes backends” for what it needs"),
                    id);
}

static int
report_unknown_backend (TakesBackendRegistry *registry,
                        const char           *id)
{
  g_auto(GStrv) ids = takes_backend_registry_dup_ids (registry);
  g_autofree char *known = g_strjoinv (", ", ids);

  return cli_error (TAKES_CLI_EXIT_USAGE,
                    _("Unknown backend “%s” (known backends: %s)"),
                    id, known);
}

/* Text options are taken as bytes so UTF-8 works in the C locale too;
 * anything else is read in the locale's encoding. */
static gboolean
ensure_utf8_option (const char  *option,
                    char       **value,
                    GError     **error)
{
  char *converted;

  if (*value == NULL || g_utf8_validate (*value, -1, NULL))
    return TRUE;

  converted = g_locale_to_utf8 (*value, -1, NULL, NULL, NULL);
  if (converted == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s is neither UTF-8 nor text in the current locale’s encoding"),
                   option);
      return FALSE;
    }

  g_free (*value);
  *value = converted;
  return TRUE;
}

static char *
format_elapsed (gint64 usec)
{
  gint64 seconds = usec / G_USEC_PER_SEC;

  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600),
                            (int) (seconds / 60 % 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* ---- takes backends ----------------------------------------------------------- */

static const char *
mode_label (TakesBackendModes mode)
{
  switch (mode)
    {
    case TAKES_BACKEND_MODE_TEXT_TO_VIDEO:
      return _("text to video");
    case TAKES_BACKEND_MODE_IMAGE_TO_VIDEO:
      return _("image to video");
    case TAKES_BACKEND_MODE_FIRST_LAST_FRAME:
      return _("first and last frame");
    default:
      return "";
    }
}

static char *
join_strv_display (const char * const *strv)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (text, _(", "));
      g_string_append (text, strv[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  const char *label;   /* translated */
  char       *value;
} Field;

static void
field_clear (Field *field)
{
  g_free (field->value);
}

static void
add_field (GArray     *fields,
           const char *label,
           char       *value)
{
  Field field = { label, value };

  g_array_append_val (fields, field);
}

static void
print_backend_human (TakesBackend *backend)
{
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_autoptr(GPtrArray) missing = dup_missing_credentials (backend);
  g_autoptr(GString) text = NULL;
  const TakesBackendModel *models = takes_backend_get_models (backend);
  TakesBackendModes modes = takes_backend_get_modes (backend);
  gboolean any_size = TAKES_BACKEND_GET_CLASS (backend)->any_frame_size;
  const double *durations;
  guint n_durations = 0;
  const char *base_url;
  glong width = 0;

  g_array_set_clear_func (fields, (GDestroyNotify) field_clear);

  if (takes_backend_is_configured (backend))
    add_field (fields, _("Configured"), g_strdup (_("yes")));
  else if (missing->len > 0)
    {
      g_autofree char *names = join_names (missing);

      /* Translators: "no: set KLING_ACCESS_KEY and KLING_SECRET_KEY" */
      add_field (fields, _("Configured"), g_strdup_printf (_("no: set %s"), names));
    }
  else
    add_field (fields, _("Configured"), g_strdup (_("no")));

  text = g_string_new (NULL);
  for (guint i = 0; models != NULL && models[i].id != NULL; i++)
    {
      if (i > 0)
        g_string_append (text, _(", "));
      g_string_append (text, models[i].id);
      if (models[i].label != NULL && !g_str_equal (_(models[i].label), models[i].id))
        /* Translators: a model id and its name: "kling-v2-1 (Kling 2.1)" */
        g_string_append_printf (text, _(" (%s)"), _(models[i].label));
    }
  add_field (fields, _("Models"), g_strdup (text->str));

  g_string_truncate (text, 0);
  for (guint bit = 0; bit < 3; bit++)
    {
      if (!(modes & (1u << bit)))
        continue;
      if (text->len > 0)
        g_string_append (text, _(", "));
      g_string_append (text, mode_label (1u << bit));
    }
  add_field (fields, _("Modes"), g_strdup (text->str));

  durations = takes_backend_get_durations (backend, &n_durations);
  if (n_durations > 0)
    {
      g_string_truncate (text, 0);
      for (guint i = 0; i < n_durations; i++)
        {
          g_autofree char *number = format_number (durations[i]);

          if (i > 0)
            g_string_append (text, _(", "));
          g_string_append (text, number);
        }
      /* Translators: a list of clip lengths: "5, 10 s" */
      add_field (fields, _("Durations"), g_strdup_printf (_("%s s"), text->str));
    }
  else
    {
      double min = 0, max = 0;
      g_autofree char *min_text = NULL;
      g_autofree char *max_text = NULL;

      takes_backend_get_duration_range (backend, &min, &max);
      min_text = format_number (min);
      max_text = format_number (max);
      /* Translators: a range of clip lengths: "0.5 to 120 s" */
      add_field (fields, _("Durations"), g_strdup_printf (_("%s to %s s"), min_text, max_text));
    }

  {
    g_autofree char *aspects = join_strv_display (takes_backend_get_aspect_ratios (backend));
    g_autofree char *resolutions = join_strv_display (takes_backend_get_resolutions (backend));

    if (any_size)
      {
        /* Translators: the listed aspect ratios are suggestions; any other works too */
        add_field (fields, _("Aspect ratios"), g_strdup_printf (_("%s, or any other"), aspects));
        /* Translators: the listed resolutions are suggestions; any WIDTHxHEIGHT works too */
        add_field (fields, _("Resolutions"), g_strdup_printf (_("%s, or any WIDTHxHEIGHT"), resolutions));
      }
    else
      {
        add_field (fields, _("Aspect ratios"), g_steal_pointer (&aspects));
        add_field (fields, _("Resolutions"), g_steal_pointer (&resolutions));
      }
  }

  add_field (fields, _("Audio"),
             g_strdup (takes_backend_get_has_audio (backend) ? _("yes") : _("no")));

  {
    guint limit = takes_backend_get_concurrency_limit (backend);

    add_field (fields, _("Concurrency"),
               g_strdup_printf (ngettext ("%u take at a time", "%u takes at a time", limit), limit));
  }

  base_url = takes_backend_get_base_url (backend);
  if (base_url != NULL && base_url[0] != '\0')
    add_field (fields, _("Endpoint"), takes_http_redact (base_url));

  for (guint i = 0; i < fields->len; i++)
    width = MAX (width, g_utf8_strlen (g_array_index (fields, Field, i).label, -1));

  /* Translators: a backend's id and name: "animatic — Animatic (offline)" */
  g_print (_("%s — %s\n"), takes_backend_get_id (backend), takes_backend_get_display_name (backend));

  for (guint i = 0; i < fields->len; i++)
    {
      const Field *field = &g_array_index (fields, Field, i);
      glong pad = width - g_utf8_strlen (field->label, -1);

      g_print ("  %s%*s  %s\n", field->label, (int) pad, "", field->value);
    }
}

static int
cli_backends (const TakesCliCommand *command,
              const char            *prog_name,
              char                 **args)
{
  g_auto(GStrv) rest = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print the backends as JSON, for scripts"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  TakesBackendRegistry *registry;
  GListModel *backends;
  guint n_backends;

  if (!parse_options (command, prog_name, args, entries))
    return TAKES_CLI_EXIT_USAGE;

  if (rest != NULL && rest[0] != NULL)
    return cli_usage_error (prog_name, _("This command takes no arguments"));

  registry = cli_get_registry ();
  backends = takes_backend_registry_get_backends (registry);
  n_backends = g_list_model_get_n_items (backends);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *data = NULL;

      for (guint i = 0; i < n_backends; i++)
        {
          g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);
          g_autoptr(GPtrArray) missing = dup_missing_credentials (backend);
          JsonObject *object = takes_backend_describe (backend);
          JsonArray *names = json_array_new ();

          for (guint j = 0; j < missing->len; j++)
            json_array_add_string_element (names, g_ptr_array_index (missing, j));

          json_object_set_boolean_member (object, "configured",
                                          takes_backend_is_configured (backend));
          json_object_set_array_member (object, "missing_credentials", names);
          json_array_add_object_element (array, object);
        }

      json_node_set_array (root, array);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      data = json_generator_to_data (generator, NULL);

      fputs (data, stdout);
      fputc ('\n', stdout);
      if (fflush (stdout) != 0)
        return TAKES_CLI_EXIT_FAILED;

      return TAKES_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_backends; i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);

      if (i > 0)
        g_print ("\n");
      print_backend_human (backend);
    }

  return TAKES_CLI_EXIT_OK;
}

/* ---- takes generate ------------------------------------------------------------ */

/* Polls start quick (the animatic renders in seconds) and slow down to
 * what providers ask of clients; a provider's own hint wins. */
#define POLL_FIRST_DELAY_MS   200
#define POLL_MAX_DELAY_MS     10000
/* Failed polls in a row before giving up; the HTTP layer has already
 * retried each one. */
#define POLL_MAX_ERRORS       5
#define CANCEL_GRACE_MS       10000
#define SEED_MAX              G_MAXUINT32

typedef enum
{
  PHASE_NONE,
  PHASE_SUBMITTING,
  PHASE_QUEUED,
  PHASE_RUNNING,
  PHASE_DOWNLOADING,
  PHASE_CHECKING,
} Phase;

static const char *
phase_label (Phase phase)
{
  switch (phase)
    {
    case PHASE_SUBMITTING:
      return C_("generation phase", "submitting");
    case PHASE_QUEUED:
      return C_("generation phase", "queued");
    case PHASE_RUNNING:
      return C_("generation phase", "running");
    case PHASE_DOWNLOADING:
      return C_("generation phase", "downloading");
    case PHASE_CHECKING:
      return C_("generation phase", "checking");
    case PHASE_NONE:
    default:
      return "";
    }
}

/* A bar redrawn in place on a terminal; otherwise one line per phase and
 * per tenth of the way, so logs stay short. */
typedef struct
{
  gboolean tty;
  gint64   start;
  Phase    phase;
  int      tenth;        /* last tenth printed in this phase; -1 none */
  gint64   last_draw;
  gboolean bar_visible;
} Progress;

#define BAR_WIDTH 24

static void
progress_init (Progress *progress)
{
  progress->tty = isatty (fileno (stderr));
  progress->start = g_get_monotonic_time ();
  progress->phase = PHASE_NONE;
  progress->tenth = -1;
  progress->last_draw = 0;
  progress->bar_visible = FALSE;
}

static void
progress_draw_bar (Progress *progress,
                   double    fraction)
{
  g_autofree char *elapsed = format_elapsed (g_get_monotonic_time () - progress->start);
  char bar[BAR_WIDTH + 1];
  int filled = fraction >= 0 ? (int) (CLAMP (fraction, 0, 1) * BAR_WIDTH) : 0;

  for (int i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[BAR_WIDTH] = '\0';

  if (fraction >= 0)
    fprintf (stderr, "\r\033[K[%s] %3d%%  %s  %s", bar,
             (int) (CLAMP (fraction, 0, 1) * 100), phase_label (progress->phase), elapsed);
  else
    fprintf (stderr, "\r\033[K[%s]       %s  %s", bar, phase_label (progress->phase), elapsed);
  fflush (stderr);

  progress->bar_visible = TRUE;
}

/* @fraction: 0..1, or negative when the backend does not say */
static void
progress_update (Progress *progress,
                 Phase     phase,
                 double    fraction)
{
  gboolean phase_changed = phase != progress->phase;
  int tenth = fraction >= 0 ? (int) floor (CLAMP (fraction, 0, 1) * 10) : -1;

  progress->phase = phase;

  if (progress->tty)
    {
      gint64 now = g_get_monotonic_time ();

      /* A download reports every few kilobytes; ten frames a second is plenty */
      if (phase_changed || now - progress->last_draw >= G_USEC_PER_SEC / 10)
        {
          progress->last_draw = now;
          progress_draw_bar (progress, fraction);
        }
      return;
    }

  if (phase_changed)
    progress->tenth = -1;
  else if (tenth <= progress->tenth)
    return;

  /* The start of a phase with nothing done yet reads better without "0%" */
  if (tenth > 0)
    /* Translators: a generation phase and how far it is: "running 40%" */
    g_printerr (_("%s %d%%\n"), phase_label (phase), tenth * 10);
  else if (phase_changed)
    g_printerr ("%s\n", phase_label (phase));
  else
    return;

  progress->tenth = MAX (tenth, 0);
}

/* Ends the bar's line so that messages start on a line of their own. */
static void
progress_end (Progress *progress)
{
  if (progress->tty && progress->bar_visible)
    {
      fputc ('\n', stderr);
      fflush (stderr);
    }
  progress->bar_visible = FALSE;
}

typedef struct
{
  GMainLoop              *loop;
  TakesBackend           *backend;
  TakesGenerationRequest *request;
  GCancellable           *cancellable;
  char                   *task_id;
  char                   *output_path;
  char                   *output_display;    /* as the person wrote it */
  char                   *temp_path;
  Progress                progress;
  guint                   poll_source;
  guint                   cancel_guard_source;
  guint                   poll_delay_ms;
  guint                   n_poll_errors;
  gboolean                busy;              /* a backend call is under way */
  gboolean                interrupted;
  gboolean                canceling;
  gboolean                remote_final;
  gboolean                finished;
  int                     exit_code;
} Generation;

static void generation_poll (Generation *self);

/* Reference counted: a backend call that is still under way when the
 * command returns (a second Ctrl+C) keeps what its callback reads. */
static void
generation_clear (gpointer data)
{
  Generation *self = data;

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_object (&self->backend);
  g_clear_object (&self->request);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->output_path, g_free);
  g_clear_pointer (&self->output_display, g_free);
  g_clear_pointer (&self->temp_path, g_free);
}

static Generation *
generation_ref (Generation *self)
{
  return g_rc_box_acquire (self);
}

static void
generation_unref (Generation *self)
{
  g_rc_box_release_full (self, generation_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Generation, generation_unref)

static void
remove_temp_files (Generation *self)
{
  g_autofree char *part = NULL;

  if (self->temp_path == NULL)
    return;

  part = g_strconcat (self->temp_path, ".part", NULL);
  g_unlink (self->temp_path);
  g_unlink (part);
}

static void
generation_finish (Generation *self,
                   int         exit_code)
{
  if (self->finished)
    return;

  self->finished = TRUE;
  self->exit_code = exit_code;

  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->cancel_guard_source, g_source_remove);

  if (exit_code != TAKES_CLI_EXIT_OK)
    remove_temp_files (self);

  g_main_loop_quit (self->loop);
}

static void G_GNUC_PRINTF (3, 4)
generation_fail (Generation *self,
                 int         exit_code,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  progress_end (&self->progress);
  g_printerr ("%s\n", message);
  generation_finish (self, exit_code);
}

static void
generation_fail_with_error (Generation   *self,
                            const GError *error)
{
  const char *id = takes_backend_get_id (self->backend);

  if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_REJECTED))
    /* Translators: "kling refused the request: <the provider's reason>" */
    generation_fail (self, TAKES_CLI_EXIT_FAILED, _("%s refused the request: %s"), id, error->message);
  else
    generation_fail (self, takes_backend_error_exit_code (error), "%s: %s", id, error->message);
}

static void
canceled_cleanup (Generation *self)
{
  generation_fail (self, TAKES_CLI_EXIT_FAILED, "%s", _("canceled"));
}

static gboolean
on_cancel_guard (gpointer user_data)
{
  Generation *self = user_data;

  self->cancel_guard_source = 0;
  g_printerr (_("%s did not confirm the cancellation in time; the remote task may still run\n"),
              takes_backend_get_id (self->backend));
  canceled_cleanup (self);

  return G_SOURCE_REMOVE;
}

static void
on_remote_canceled (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Generation) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->finished)
    return;

  if (!takes_backend_cancel_finish (TAKES_BACKEND (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      progress_end (&self->progress);
      g_printerr (_("%s could not cancel the remote task: %s\n"),
                  takes_backend_get_id (self->backend), error->message);
    }

  canceled_cleanup (self);
}

/* Runs once the person asked to stop and no backend call is under way. */
static void
generation_abort (Generation *self)
{
  if (self->finished || self->canceling)
    return;

  self->canceling = TRUE;
  g_clear_handle_id (&self->poll_source, g_source_remove);

  if (self->task_id != NULL && !self->remote_final)
    {
      /* The run's own cancellable has fired; this call gets none, and a
       * guard so an unresponsive provider cannot hold the terminal */
      takes_backend_cancel_async (self->backend, self->request, self->task_id,
                                  NULL, on_remote_canceled, generation_ref (self));
      self->cancel_guard_source = g_timeout_add (CANCEL_GRACE_MS, on_cancel_guard, self);
      return;
    }

  canceled_cleanup (self);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Generation *self = user_data;

  if (self->finished)
    return G_SOURCE_CONTINUE;

  /* A second Ctrl+C does not wait for the provider */
  if (self->interrupted)
    {
      canceled_cleanup (self);
      return G_SOURCE_CONTINUE;
    }

  self->interrupted = TRUE;
  g_cancellable_cancel (self->cancellable);

  /* A call under way ends with CANCELED and lands in generation_abort() */
  if (!self->busy)
    generation_abort (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_poll_timeout (gpointer user_data)
{
  Generation *self = user_data;

  self->poll_source = 0;
  generation_poll (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (Generation *self,
               gint64      hint_ms)
{
  guint delay = self->poll_delay_ms;

  if (hint_ms > 0)
    delay = (guint) CLAMP (hint_ms, 50, 10 * 60 * 1000);
  else
    self->poll_delay_ms = MIN (self->poll_delay_ms * 3 / 2, POLL_MAX_DELAY_MS);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_source = g_timeout_add (delay, on_poll_timeout, self);
}

static gboolean
error_is_transient (const GError *error)
{
  return error->domain == TAKES_BACKEND_ERROR &&
         (error->code == TAKES_BACKEND_ERROR_RATE_LIMIT ||
          error->code == TAKES_BACKEND_ERROR_SERVER ||
          error->code == TAKES_BACKEND_ERROR_NETWORK ||
          error->code == TAKES_BACKEND_ERROR_TIMEOUT);
}

static gboolean
call_was_canceled (Generation   *self,
                   const GError *error)
{
  if (!self->interrupted)
    return FALSE;

  /* Whatever the call ended with, the person wants out */
  generation_abort (self);
  return TRUE;
}

static void
check_and_move_into_place (Generation *self)
{
  g_autoptr(GFile) temp = g_file_new_for_path (self->temp_path);
  g_autoptr(TakesMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *display = self->output_display;
  g_autofree char *duration = NULL;

  progress_update (&self->progress, PHASE_CHECKING, -1);

  if (!takes_media_check_container (temp, &error) ||
      (info = takes_media_probe (temp, NULL, &error)) == NULL)
    {
      generation_fail (self, TAKES_CLI_EXIT_FAILED,
                       _("%s delivered a clip that is not a playable video: %s"),
                       takes_backend_get_id (self->backend), error->message);
      return;
    }

  if (g_rename (self->temp_path, self->output_path) != 0)
    {
      int saved_errno = errno;

      generation_fail (self, TAKES_CLI_EXIT_FAILED,
                       _("%s: could not write the clip: %s"),
                       display, g_strerror (saved_errno));
      return;
    }

  progress_end (&self->progress);
  duration = g_strdup_printf ("%.1f", info->duration);
  /* Translators: "done: take.mp4 (5.0 s, 1280x720)" */
  g_printerr (_("done: %s (%s s, %dx%d)\n"), display, duration, info->width, info->height);

  generation_finish (self, TAKES_CLI_EXIT_OK);
}

static void
on_download_progress (goffset  current,
                      goffset  total,
                      gpointer user_data)
{
  Generation *self = user_data;

  if (self->finished)
    return;

  progress_update (&self->progress, PHASE_DOWNLOADING,
                   total > 0 ? (double) current / (double) total : -1);
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Generation) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = takes_backend_download_finish (TAKES_BACKEND (source), result, &error);
  self->busy = FALSE;

  if (self->finished || call_was_canceled (self, error))
    return;

  if (!ok)
    {
      generation_fail_with_error (self, error);
      return;
    }

  check_and_move_into_place (self);
}

static void
generation_download (Generation *self,
                     const char *result_url)
{
  g_autoptr(GFile) temp = g_file_new_for_path (self->temp_path);

  progress_update (&self->progress, PHASE_DOWNLOADING, 0);

  self->busy = TRUE;
  takes_backend_download_async (self->backend, self->request, self->task_id,
                                result_url, temp,
                                on_download_progress, generation_ref (self),
                                (GDestroyNotify) generation_unref,
                                self->cancellable, on_downloaded, generation_ref (self));
}

static void
generation_handle_status (Generation               *self,
                          const TakesBackendStatus *status)
{
  const char *id = takes_backend_get_id (self->backend);

  switch (status->state)
    {
    case TAKES_BACKEND_STATE_QUEUED:
      progress_update (&self->progress, PHASE_QUEUED, status->progress);
      schedule_poll (self, status->retry_after_ms);
      break;

    case TAKES_BACKEND_STATE_RUNNING:
      progress_update (&self->progress, PHASE_RUNNING, status->progress);
      schedule_poll (self, status->retry_after_ms);
      break;

    case TAKES_BACKEND_STATE_SUCCEEDED:
      self->remote_final = TRUE;
      if (status->result_url == NULL || status->result_url[0] == '\0')
        {
          generation_fail (self, TAKES_CLI_EXIT_NETWORK,
                           _("%s reported the take as done but gave no clip to download"), id);
          return;
        }
      generation_download (self, status->result_url);
      break;

    case TAKES_BACKEND_STATE_FAILED:
      self->remote_final = TRUE;
      if (status->error_code == TAKES_BACKEND_ERROR_REJECTED)
        generation_fail (self, TAKES_CLI_EXIT_FAILED, _("%s refused the request: %s"), id,
                         status->message != NULL ? status->message : _("no reason given"));
      else
        /* Translators: "kling failed to make the take: <the provider's reason>" */
        generation_fail (self, TAKES_CLI_EXIT_FAILED, _("%s failed to make the take: %s"), id,
                         status->message != NULL ? status->message : _("no reason given"));
      break;

    case TAKES_BACKEND_STATE_CANCELED:
    default:
      self->remote_final = TRUE;
      generation_fail (self, TAKES_CLI_EXIT_FAILED, _("%s canceled the take: %s"), id,
                       status->message != NULL ? status->message : _("no reason given"));
      break;
    }
}

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Generation) self = user_data;
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = takes_backend_poll_finish (TAKES_BACKEND (source), result, &error);
  self->busy = FALSE;

  if (self->finished || call_was_canceled (self, error))
    return;

  if (status == NULL)
    {
      if (error_is_transient (error) && ++self->n_poll_errors < POLL_MAX_ERRORS)
        {
          g_debug ("Poll failed (%u in a row), trying again: %s",
                   self->n_poll_errors, error->message);
          self->poll_delay_ms = MIN (self->poll_delay_ms * 2, POLL_MAX_DELAY_MS);
          schedule_poll (self, takes_backend_error_get_retry_after (error));
          return;
        }

      generation_fail_with_error (self, error);
      return;
    }

  self->n_poll_errors = 0;
  generation_handle_status (self, status);
}

static void
generation_poll (Generation *self)
{
  self->busy = TRUE;
  takes_backend_poll_async (self->backend, self->request, self->task_id,
                            self->cancellable, on_polled, generation_ref (self));
}

static void
on_submitted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Generation) self = user_data;
  g_autoptr(TakesBackendStatus) immediate = NULL;
  g_autoptr(GError) error = NULL;

  self->task_id = takes_backend_submit_finish (TAKES_BACKEND (source), result, &immediate, &error);
  self->busy = FALSE;

  if (self->finished || call_was_canceled (self, error))
    return;

  if (self->task_id == NULL)
    {
      if (takes_backend_error_is_outcome_unknown (error))
        {
          progress_end (&self->progress);
          g_printerr (_("%s may have accepted the request although it failed here; "
                        "check your account with the provider before running it again\n"),
                      takes_backend_get_id (self->backend));
        }
      generation_fail_with_error (self, error);
      return;
    }

  g_debug ("Submitted as %s", self->task_id);

  if (immediate != NULL)
    generation_handle_status (self, immediate);
  else
    {
      progress_update (&self->progress, PHASE_QUEUED, -1);
      schedule_poll (self, 0);
    }
}

static gboolean
parse_seed (const char  *str,
            gint64      *seed,
            GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (str, 10, 0, SEED_MAX, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--seed “%s” is not a whole number from 0 to %u"), str, SEED_MAX);
      return FALSE;
    }

  *seed = (gint64) value;
  return TRUE;
}

/* Checks a folder exists for @path's file and that @path is not one. */
static gboolean
check_output_path (const char  *path,
                   GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_display = g_filename_display_name (dir);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("%s: is a folder; give a file name for the clip"), display);
      return FALSE;
    }

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("%s: the folder %s does not exist"), display, dir_display);
      return FALSE;
    }

  if (g_access (dir, W_OK) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("%s: the folder %s is not writable"), display, dir_display);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_image_path (const char  *path,
                  GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  GStatBuf st;
  int fd;

  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("--image %s: is a folder, not an image"), display);
      return FALSE;
    }

  /* A pipe or a device would be read forever */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("--image %s: is not a file"), display);
      return FALSE;
    }

  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("--image %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

/* Said in the backend's terms: "between 0 and 600 seconds", the limit
 * of any request, is no help when the backend stops at 120. */
static gboolean
check_backend_duration (TakesBackend  *backend,
                        const char    *text,
                        double         duration,
                        GError       **error)
{
  const double *durations;
  guint n_durations = 0;

  durations = takes_backend_get_durations (backend, &n_durations);
  if (n_durations > 0)
    {
      g_autoptr(GString) allowed = g_string_new (NULL);

      for (guint i = 0; i < n_durations; i++)
        {
          g_autofree char *number = NULL;

          if (fabs (durations[i] - duration) < 0.001)
            return TRUE;

          number = format_number (durations[i]);
          if (i > 0)
            g_string_append (allowed, _(", "));
          g_string_append (allowed, number);
        }

      /* Translators: "--duration “7”: kling makes clips of 5, 10 seconds" */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--duration “%s”: %s makes clips of %s seconds"),
                   text, takes_backend_get_id (backend), allowed->str);
      return FALSE;
    }
  else
    {
      double min = 0, max = 0;
      g_autofree char *min_text = NULL;
      g_autofree char *max_text = NULL;

      takes_backend_get_duration_range (backend, &min, &max);
      if (duration >= min - 0.001 && duration <= max + 0.001)
        return TRUE;

      min_text = format_number (min);
      max_text = format_number (max);
      /* Translators: "--duration “500”: animatic makes clips from 0.5 to 120 seconds" */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--duration “%s”: %s makes clips from %s to %s seconds"),
                   text, takes_backend_get_id (backend), min_text, max_text);
      return FALSE;
    }
}

/* Five seconds, the length most generators make by default, or the
 * nearest the backend allows */
static double
default_duration (TakesBackend *backend)
{
  const double wanted = 5.0;
  const double *durations;
  guint n_durations = 0;
  double min = 0, max = 0;

  durations = takes_backend_get_durations (backend, &n_durations);
  if (n_durations > 0)
    {
      double best = durations[0];

      for (guint i = 1; i < n_durations; i++)
        {
          if (fabs (durations[i] - wanted) < fabs (best - wanted))
            best = durations[i];
        }

      return best;
    }

  takes_backend_get_duration_range (backend, &min, &max);
  if (max > 0 && max >= min)
    return CLAMP (wanted, min, max);

  return wanted;
}

/* The temporary file lives beside OUTPUT so the final rename cannot cross
 * file systems; hidden, and named so a person knows what left it. */
static char *
make_temp_path (const char *output_path)
{
  g_autofree char *dir = g_path_get_dirname (output_path);
  g_autofree char *base = g_path_get_basename (output_path);
  g_autofree char *name = g_strdup_printf (".%s.takes-%08x.tmp", base, g_random_int ());

  return g_build_filename (dir, name, NULL);
}

static int
cli_generate (const TakesCliCommand *command,
              const char            *prog_name,
              char                 **args)
{
  g_autofree char *backend_id = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *model = NULL;
  g_autofree char *duration_str = NULL;
  g_autofree char *aspect = NULL;
  g_autofree char *resolution = NULL;
  g_autofree char *seed_str = NULL;
  g_autofree char *negative = NULL;
  g_autofree char *image = NULL;
  g_autofree char *fps_str = NULL;
  g_autofree char *title = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "backend", 'b', 0, G_OPTION_ARG_STRING, &backend_id,
      N_("The backend to generate with (see “takes backends”)"), N_("ID") },
    { "prompt", 'p', 0, G_OPTION_ARG_FILENAME, &prompt,
      N_("What the shot shows"), N_("TEXT") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model,
      N_("The backend’s model (default: its first)"), N_("MODEL") },
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &duration_str,
      N_("Length in seconds"), N_("SECONDS") },
    { "aspect", 'a', 0, G_OPTION_ARG_STRING, &aspect,
      N_("Aspect ratio, such as 16:9"), N_("W:H") },
    { "resolution", 'r', 0, G_OPTION_ARG_STRING, &resolution,
      N_("480p, 720p, 1080p, 4k or WIDTHxHEIGHT"), N_("RESOLUTION") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_str,
      N_("Seed, to make the same take again (default: random)"), N_("N") },
    { "negative", 'n', 0, G_OPTION_ARG_FILENAME, &negative,
      N_("What the shot must not show"), N_("TEXT") },
    { "image", 'i', 0, G_OPTION_ARG_FILENAME, &image,
      N_("First frame, for image to video"), N_("FILE") },
    { "fps", 0, 0, G_OPTION_ARG_STRING, &fps_str,
      N_("Frames per second (default: 24)"), N_("N") },
    { "title", 't', 0, G_OPTION_ARG_FILENAME, &title,
      N_("Title shown by the animatic"), N_("TEXT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the clip"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(TakesGenerationRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Generation) generation = NULL;
  g_autofree char *client_id = NULL;
  TakesBackendRegistry *registry;
  TakesBackend *backend;
  guint sigint_source, sigterm_source;
  gint64 seed;

  if (!parse_options (command, prog_name, args, entries))
    return TAKES_CLI_EXIT_USAGE;

  if (rest != NULL && rest[0] != NULL)
    return cli_usage_error (prog_name, _("Unexpected argument; give the prompt with --prompt"));
  if (backend_id == NULL)
    return cli_usage_error (prog_name, _("No backend given; use --backend (see “takes backends”)"));
  if (output == NULL)
    return cli_usage_error (prog_name, _("No output file given; use --output"));

  if (!ensure_utf8_option ("--prompt", &prompt, &error) ||
      !ensure_utf8_option ("--negative", &negative, &error) ||
      !ensure_utf8_option ("--title", &title, &error))
    return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);

  if (prompt != NULL)
    g_strstrip (prompt);
  if ((prompt == NULL || prompt[0] == '\0') && image == NULL)
    return cli_usage_error (prog_name, _("No prompt given; describe the shot with --prompt"));

  registry = cli_get_registry ();
  backend = takes_backend_registry_lookup (registry, backend_id);
  if (backend == NULL)
    return report_unknown_backend (registry, backend_id);

  request = takes_generation_request_new (prompt != NULL ? prompt : "");

  takes_generation_request_set_model (request, model != NULL ? model
                                                  : takes_backend_get_default_model (backend));

  if (duration_str != NULL)
    {
      double duration;

      if (!parse_decimal (duration_str, &duration))
        return cli_error (TAKES_CLI_EXIT_USAGE, _("--duration “%s” is not a number of seconds"),
                          duration_str);
      if (!(duration > 0))
        return cli_error (TAKES_CLI_EXIT_USAGE,
                          _("--duration “%s”: a take must last more than 0 seconds"),
                          duration_str);
      if (!check_backend_duration (backend, duration_str, duration, &error))
        return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);
      takes_generation_request_set_duration (request, duration);
    }
  else
    takes_generation_request_set_duration (request, default_duration (backend));

  if (aspect != NULL)
    {
      if (!takes_parse_aspect_ratio (aspect, NULL, NULL))
        /* Translators: keep the example "16:9" as it is */
        return cli_error (TAKES_CLI_EXIT_USAGE,
                          _("--aspect “%s” is not WIDTH:HEIGHT (for example 16:9)"), aspect);
      takes_generation_request_set_aspect_ratio (request, aspect);
    }
  else
    {
      const char * const *aspects = takes_backend_get_aspect_ratios (backend);

      if (aspects != NULL && aspects[0] != NULL)
        takes_generation_request_set_aspect_ratio (request, aspects[0]);
    }

  if (resolution != NULL)
    {
      if (!takes_resolve_frame_size (takes_generation_request_get_aspect_ratio (request),
                                     resolution, NULL, NULL))
        return cli_error (TAKES_CLI_EXIT_USAGE,
                          _("--resolution “%s” is not understood; use 480p, 720p, 1080p, 4k "
                            "or WIDTHxHEIGHT (for example 1280x720)"), resolution);
      takes_generation_request_set_resolution (request, resolution);
    }
  else
    {
      const char * const *resolutions = takes_backend_get_resolutions (backend);

      if (resolutions != NULL && resolutions[0] != NULL)
        takes_generation_request_set_resolution (request, resolutions[0]);
    }

  if (fps_str != NULL)
    {
      guint64 fps;

      if (!g_ascii_string_to_unsigned (fps_str, 10, 1, 120, &fps, NULL))
        return cli_error (TAKES_CLI_EXIT_USAGE,
                          _("--fps “%s” is not a whole number from 1 to 120"), fps_str);
      takes_generation_request_set_fps (request, (int) fps);
    }

  if (seed_str != NULL)
    {
      if (!parse_seed (seed_str, &seed, &error))
        return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);
    }
  else
    seed = g_random_int_range (0, G_MAXINT32);
  takes_generation_request_set_seed (request, seed);

  if (negative != NULL && negative[0] != '\0')
    takes_generation_request_set_negative_prompt (request, negative);

  if (title != NULL)
    {
      g_strstrip (title);
      if (title[0] != '\0')
        takes_generation_request_set_extra_string (request, "title", title);
    }

  if (image != NULL)
    {
      g_autofree char *absolute = NULL;

      if (!check_image_path (image, &error))
        return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);

      absolute = g_canonicalize_filename (image, NULL);
      takes_generation_request_set_image (request, absolute);
    }

  if (!check_output_path (output, &error))
    return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);

  if (!takes_backend_validate_request (backend, request, &error))
    return cli_error (takes_backend_error_exit_code (error), "%s", error->message);

  if (!takes_backend_is_configured (backend))
    return report_unconfigured (backend);

  client_id = g_uuid_string_random ();
  takes_generation_request_set_client_request_id (request, client_id);

  /* Everything a person needs to make the same take again */
  {
    const char *request_model = takes_generation_request_get_model (request);
    g_autofree char *duration = format_number (takes_generation_request_get_duration (request));

    /* Translators: "animatic, model animatic, 5 s, 16:9, 1280x720, 24 fps, seed 1234" */
    g_printerr (_("%s, model %s, %s s, %s, %dx%d, %d fps, seed %lld\n"),
                takes_backend_get_id (backend),
                request_model != NULL ? request_model : takes_backend_get_default_model (backend),
                duration,
                takes_generation_request_get_aspect_ratio (request),
                takes_generation_request_get_width (request),
                takes_generation_request_get_height (request),
                takes_generation_request_get_fps (request),
                (long long) seed);
  }

  generation = g_rc_box_new0 (Generation);
  generation->loop = g_main_loop_new (NULL, FALSE);
  generation->backend = g_object_ref (backend);
  generation->request = g_object_ref (request);
  generation->cancellable = g_cancellable_new ();
  generation->output_path = g_canonicalize_filename (output, NULL);
  generation->output_display = g_filename_display_name (output);
  generation->temp_path = make_temp_path (generation->output_path);
  generation->poll_delay_ms = POLL_FIRST_DELAY_MS;
  generation->exit_code = TAKES_CLI_EXIT_FAILED;
  progress_init (&generation->progress);

  sigint_source = g_unix_signal_add_full (G_PRIORITY_DEFAULT, SIGINT, on_interrupt,
                                          generation_ref (generation),
                                          (GDestroyNotify) generation_unref);
  sigterm_source = g_unix_signal_add_full (G_PRIORITY_DEFAULT, SIGTERM, on_interrupt,
                                           generation_ref (generation),
                                           (GDestroyNotify) generation_unref);

  progress_update (&generation->progress, PHASE_SUBMITTING, -1);
  generation->busy = TRUE;
  takes_backend_submit_async (backend, request, generation->cancellable,
                              on_submitted, generation_ref (generation));

  g_main_loop_run (generation->loop);

  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);

  return generation->exit_code;
}

/* ---- takes render --------------------------------------------------------------- */

#define RENDER_MAX_TAKES          50
#define RENDER_STOP_GRACE_SECONDS 30
#define LOCAL_POLL_FIRST_MS       200
#define LOCAL_POLL_MAX_MS         2000

/* "1,3-5" → which of @n_shots shots (1-based in the text) are wanted */
static gboolean
parse_shot_selection (const char  *text,
                      guint        n_shots,
                      gboolean    *selected,
                      GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  gboolean any = FALSE;

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      g_auto(GStrv) ends = NULL;
      guint64 first, last;

      if (item[0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--shots “%s” has an empty item; write shot numbers and ranges "
                         "separated by commas, such as 1,3-5"), text);
          return FALSE;
        }

      ends = g_strsplit (item, "-", -1);
      if (g_strv_length (ends) > 2 ||
          !g_ascii_string_to_unsigned (g_strstrip (ends[0]), 10, 0, G_MAXUINT, &first, NULL) ||
          (ends[1] != NULL &&
           !g_ascii_string_to_unsigned (g_strstrip (ends[1]), 10, 0, G_MAXUINT, &last, NULL)))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--shots: “%s” is not a shot number or a range such as 3-5"), item);
          return FALSE;
        }

      if (ends[1] == NULL)
        last = first;

      if (first > last)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--shots: the range “%s” runs backwards"), item);
          return FALSE;
        }

      if (first == 0 || last > n_shots)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       ngettext ("--shots: “%s” is outside the project, which has %u shot "
                                 "(shots are numbered from 1)",
                                 "--shots: “%s” is outside the project, which has %u shots "
                                 "(shots are numbered from 1)",
                                 n_shots),
                       item, n_shots);
          return FALSE;
        }

      for (guint64 n = first; n <= last; n++)
        selected[n - 1] = TRUE;
      any = TRUE;
    }

  if (!any)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--shots is empty; give shot numbers such as 1,3-5"));
      return FALSE;
    }

  return TRUE;
}

/* Whether @take counts toward a shot's takes from its backend: ready ones,
 * those still on their way, and those whose submission may have gone
 * through (never sent twice). Failed and canceled ones are done with. */
static gboolean
take_counts (TakesTake *take)
{
  TakesTakeState state = takes_take_get_state (take);

  return state == TAKES_TAKE_READY ||
         state == TAKES_TAKE_UNKNOWN ||
         takes_take_state_is_in_flight (state);
}

typedef struct _Render Render;

typedef struct
{
  Render         *render;
  TakesTake      *take;
  gulong          handler;
  guint           shot_number;
  TakesTakeState  last_state;
} TakeWatch;

struct _Render
{
  GMainLoop      *loop;
  TakesProject   *project;
  TakesJobEngine *engine;
  GPtrArray      *watches;        /* TakeWatch, owned */
  GPtrArray      *problems;       /* char *, for the summary */
  guint           stop_source;
  guint           stop_guard_source;
  gboolean        running;
  gboolean        interrupted;
  gboolean        stopped;
  guint           n_save_failures;
  int             failure_exit;   /* the exit status the failed takes call for */
};

static void render_maybe_stop (Render *self);

static void
take_watch_free (TakeWatch *watch)
{
  g_clear_signal_handler (&watch->handler, watch->take);
  g_clear_object (&watch->take);
  g_free (watch);
}

static void
print_take_state (TakeWatch *watch)
{
  TakesTake *take = watch->take;
  TakesTakeState state = takes_take_get_state (take);
  const char *backend = takes_take_get_backend (take);
  const char *label = takes_take_state_get_label (state);

  if (state == TAKES_TAKE_READY && takes_take_get_width (take) > 0)
    {
      g_autofree char *duration = g_strdup_printf ("%.1f", takes_take_get_duration (take));

      /* Translators: "shot 2, animatic: Ready (5.0 s, 1280x720)" */
      g_printerr (_("shot %u, %s: %s (%s s, %dx%d)\n"), watch->shot_number, backend, label,
                  duration, takes_take_get_width (take), takes_take_get_height (take));
    }
  else if ((state == TAKES_TAKE_FAILED || state == TAKES_TAKE_CANCELED) &&
           takes_take_get_error (take) != NULL && takes_take_get_error (take)[0] != '\0')
    /* Translators: "shot 2, kling: Failed: <the provider's reason>" */
    g_printerr (_("shot %u, %s: %s: %s\n"), watch->shot_number, backend, label,
                takes_take_get_error (take));
  else
    /* Translators: "shot 2, animatic: Generating" */
    g_printerr (_("shot %u, %s: %s\n"), watch->shot_number, backend, label);
}

static void
on_take_state (TakesTake  *take,
               GParamSpec *pspec,
               TakeWatch  *watch)
{
  TakesTakeState state = takes_take_get_state (take);

  if (state == watch->last_state)
    return;

  watch->last_state = state;
  print_take_state (watch);
  render_maybe_stop (watch->render);
}

static void
render_watch (Render    *self,
              TakesTake *take,
              guint      shot_number)
{
  TakeWatch *watch;

  for (guint i = 0; i < self->watches->len; i++)
    {
      if (((TakeWatch *) g_ptr_array_index (self->watches, i))->take == take)
        return;
    }

  watch = g_new0 (TakeWatch, 1);
  watch->render = self;
  watch->take = g_object_ref (take);
  watch->shot_number = shot_number;
  watch->last_state = takes_take_get_state (take);
  watch->handler = g_signal_connect (take, "notify::state", G_CALLBACK (on_take_state), watch);
  g_ptr_array_add (self->watches, watch);
}

/* Takes left in flight by an earlier run, in any shot: they resume and
 * are reported like new ones. */
static void
render_watch_in_flight (Render *self)
{
  guint n_shots = takes_project_get_n_shots (self->project);

  for (guint i = 0; i < n_shots; i++)
    {
      GListModel *takes = takes_shot_get_takes (takes_project_get_shot (self->project, i));

      for (guint j = 0; j < g_list_model_get_n_items (takes); j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);

          if (takes_take_state_is_in_flight (takes_take_get_state (take)))
            render_watch (self, take, i + 1);
        }
    }
}

static void
on_engine_idle (TakesJobEngine *engine,
                Render         *self)
{
  if (self->running)
    g_main_loop_quit (self->loop);
}

static void
on_engine_save_failed (TakesJobEngine *engine,
                       const GError   *error,
                       Render         *self)
{
  self->n_save_failures++;
  g_printerr (_("Could not save the project, so a take was not submitted: %s\n"),
              error->message);
}

/* A rejected key says more than network trouble, which says more than
 * a take the provider could not make: the status is the first that
 * applies, so a script knows what to fix. */
static void
on_engine_take_failed (TakesJobEngine *engine,
                       TakesShot      *shot,
                       TakesTake      *take,
                       const GError   *error,
                       Render         *self)
{
  int code = takes_backend_error_exit_code (error);

  if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_REJECTED))
    code = TAKES_CLI_EXIT_FAILED;

  if (code == TAKES_CLI_EXIT_CREDENTIALS ||
      (code == TAKES_CLI_EXIT_NETWORK && self->failure_exit != TAKES_CLI_EXIT_CREDENTIALS))
    self->failure_exit = code;
}

static gboolean
render_any_submitting (Render *self)
{
  for (guint i = 0; i < self->watches->len; i++)
    {
      TakeWatch *watch = g_ptr_array_index (self->watches, i);

      if (takes_take_get_state (watch->take) == TAKES_TAKE_SUBMITTING)
        return TRUE;
    }

  return FALSE;
}

static void
render_stop (Render *self)
{
  if (self->stopped)
    return;

  self->stopped = TRUE;
  g_clear_handle_id (&self->stop_source, g_source_remove);
  g_clear_handle_id (&self->stop_guard_source, g_source_remove);

  g_printerr (_("Stopping; takes in progress stay in the project and resume on the next run\n"));
  takes_job_engine_shutdown (self->engine);

  if (self->running)
    g_main_loop_quit (self->loop);
}

static gboolean
on_render_stop_idle (gpointer user_data)
{
  Render *self = user_data;

  self->stop_source = 0;
  if (!render_any_submitting (self))
    render_stop (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_render_stop_guard (gpointer user_data)
{
  Render *self = user_data;

  self->stop_guard_source = 0;
  render_stop (self);

  return G_SOURCE_REMOVE;
}

/* Called on every state change after Ctrl+C. The stop runs from an idle:
 * not inside the engine's own signal emission. */
static void
render_maybe_stop (Render *self)
{
  if (self->interrupted && !self->stopped && self->stop_source == 0)
    self->stop_source = g_idle_add (on_render_stop_idle, self);
}

static gboolean
on_render_interrupt (gpointer user_data)
{
  Render *self = user_data;

  /* A second Ctrl+C does not wait */
  if (self->interrupted)
    {
      render_stop (self);
      return G_SOURCE_CONTINUE;
    }

  self->interrupted = TRUE;

  /* A create cut off mid-send would come back as "unknown" and need a
   * person to decide; its answer is usually a moment away */
  if (render_any_submitting (self))
    {
      g_printerr (_("Stopping once the requests on their way are answered "
                    "(press Ctrl+C again to stop at once)\n"));
      self->stop_guard_source = g_timeout_add_seconds (RENDER_STOP_GRACE_SECONDS,
                                                       on_render_stop_guard, self);
      return G_SOURCE_CONTINUE;
    }

  render_stop (self);

  return G_SOURCE_CONTINUE;
}

static guint
count_takes_from (TakesShot   *shot,
                  const char  *backend_id,
                  gboolean   (*filter) (TakesTake *take))
{
  GListModel *takes = takes_shot_get_takes (shot);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      if (g_strcmp0 (takes_take_get_backend (take), backend_id) == 0 && filter (take))
        n++;
    }

  return n;
}

static gboolean
take_is_ready (TakesTake *take)
{
  return takes_take_get_state (take) == TAKES_TAKE_READY;
}

static gboolean
take_is_unknown (TakesTake *take)
{
  return takes_take_get_state (take) == TAKES_TAKE_UNKNOWN;
}

static gboolean
take_is_unfinished (TakesTake *take)
{
  TakesTakeState state = takes_take_get_state (take);

  return state == TAKES_TAKE_DRAFT || takes_take_state_is_in_flight (state);
}

/* Splits "animatic, kling" into unique ids, in order */
static GPtrArray *
parse_backend_list (const char  *text,
                    GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) items = g_strsplit (text, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);

      if (item[0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--backends “%s” has an empty item; separate backend ids with commas"),
                       text);
          return NULL;
        }

      if (!g_ptr_array_find_with_equal_func (ids, item, g_str_equal, NULL))
        g_ptr_array_add (ids, g_strdup (item));
    }

  if (ids->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--backends is empty; name at least one backend"));
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static int
cli_render (const TakesCliCommand *command,
            const char            *prog_name,
            char                 **args)
{
  g_autofree char *backends_str = NULL;
  g_autofree char *shots_str = NULL;
  g_autofree char *takes_str = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "backends", 'b', 0, G_OPTION_ARG_STRING, &backends_str,
      N_("Backends to generate with, separated by commas (see “takes backends”)"), N_("ID[,ID…]") },
    { "shots", 's', 0, G_OPTION_ARG_STRING, &shots_str,
      N_("Only these shots, such as 1,3-5 (default: all)"), N_("LIST") },
    { "takes", 'n', 0, G_OPTION_ARG_STRING, &takes_str,
      N_("Takes each shot should have from each backend (default: 1)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) backend_ids = NULL;
  g_autoptr(GPtrArray) watches = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *selected = NULL;
  g_autofree char *display = NULL;
  TakesBackendRegistry *registry;
  Render render = { 0, };
  guint64 n_takes = 1;
  guint n_shots, n_ready = 0, n_failed = 0, n_unknown = 0, n_unfinished = 0, n_new = 0;
  guint sigint_source, sigterm_source;
  gulong idle_handler, save_failed_handler, take_failed_handler;
  int generate_exit = TAKES_CLI_EXIT_OK;
  const char *path;
  GFileType type;

  if (!parse_options (command, prog_name, args, entries))
    return TAKES_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return cli_usage_error (prog_name, _("No project file given"));
  if (files[1] != NULL)
    return cli_usage_error (prog_name, _("Give exactly one project file"));
  if (backends_str == NULL)
    return cli_usage_error (prog_name, _("No backend given; use --backends (see “takes backends”)"));

  if (takes_str != NULL &&
      !g_ascii_string_to_unsigned (takes_str, 10, 1, RENDER_MAX_TAKES, &n_takes, NULL))
    return cli_error (TAKES_CLI_EXIT_USAGE,
                      _("--takes “%s” is not a whole number from 1 to %d"),
                      takes_str, RENDER_MAX_TAKES);

  backend_ids = parse_backend_list (backends_str, &error);
  if (backend_ids == NULL)
    return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);

  registry = cli_get_registry ();
  for (guint i = 0; i < backend_ids->len; i++)
    {
      if (takes_backend_registry_lookup (registry, g_ptr_array_index (backend_ids, i)) == NULL)
        return report_unknown_backend (registry, g_ptr_array_index (backend_ids, i));
    }

  path = files[0];
  display = g_filename_display_name (path);
  file = g_file_new_for_path (path);

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type == G_FILE_TYPE_UNKNOWN)
    return cli_error (TAKES_CLI_EXIT_USAGE, _("%s: No such file"), display);
  if (type == G_FILE_TYPE_DIRECTORY)
    return cli_error (TAKES_CLI_EXIT_USAGE, _("%s: is a folder, not a project file"), display);

  project = takes_project_load (file, NULL, &error);
  if (project == NULL)
    {
      print_file_error (path, error);
      return TAKES_CLI_EXIT_USAGE;
    }

  n_shots = takes_project_get_n_shots (project);
  if (n_shots == 0)
    return cli_error (TAKES_CLI_EXIT_USAGE,
                      _("%s: the project has no shots; add some with “takes new --from” or in the app"),
                      display);

  selected = g_new0 (gboolean, n_shots);
  if (shots_str != NULL)
    {
      if (!parse_shot_selection (shots_str, n_shots, selected, &error))
        return cli_error (TAKES_CLI_EXIT_USAGE, "%s", error->message);
    }
  else
    {
      for (guint i = 0; i < n_shots; i++)
        selected[i] = TRUE;
    }

  /* Credentials are checked before any work starts, so a missing key
   * does not leave half the shots generated */
  for (guint i = 0; i < backend_ids->len; i++)
    {
      TakesBackend *backend = takes_backend_registry_lookup (registry, g_ptr_array_index (backend_ids, i));

      if (!takes_backend_is_configured (backend))
        return report_unconfigured (backend);
    }

  loop = g_main_loop_new (NULL, FALSE);
  engine = takes_job_engine_new (project, registry);

  /* A backend without an endpoint renders in this process (the
   * animatic): asking it often costs nothing and saves seconds a take */
  {
    gboolean all_local = TRUE;

    for (guint i = 0; i < backend_ids->len; i++)
      {
        TakesBackend *backend = takes_backend_registry_lookup (registry, g_ptr_array_index (backend_ids, i));

        if (takes_backend_get_base_url (backend) != NULL)
          all_local = FALSE;
      }

    if (all_local)
      takes_job_engine_set_poll_intervals (engine, LOCAL_POLL_FIRST_MS, LOCAL_POLL_MAX_MS);
  }
  watches = g_ptr_array_new_with_free_func ((GDestroyNotify) take_watch_free);
  problems = g_ptr_array_new_with_free_func (g_free);

  render.loop = loop;
  render.project = project;
  render.engine = engine;
  render.watches = watches;
  render.problems = problems;

  idle_handler = g_signal_connect (engine, "idle", G_CALLBACK (on_engine_idle), &render);
  save_failed_handler = g_signal_connect (engine, "save-failed",
                                          G_CALLBACK (on_engine_save_failed), &render);
  take_failed_handler = g_signal_connect (engine, "take-failed",
                                          G_CALLBACK (on_engine_take_failed), &render);
  render.failure_exit = TAKES_CLI_EXIT_FAILED;

  /* Before any work starts: a Ctrl+C from now on must stop cleanly */
  sigint_source = g_unix_signal_add (SIGINT, on_render_interrupt, &render);
  sigterm_source = g_unix_signal_add (SIGTERM, on_render_interrupt, &render);

  render_watch_in_flight (&render);
  takes_job_engine_resume (engine);

  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);

      if (!selected[i])
        continue;

      for (guint b = 0; b < backend_ids->len; b++)
        {
          const char *backend_id = g_ptr_array_index (backend_ids, b);
          guint have = count_takes_from (shot, backend_id, take_counts);
          g_autoptr(GPtrArray) added = NULL;
          g_autoptr(GError) generate_error = NULL;

          if (have >= n_takes)
            continue;

          added = takes_job_engine_generate (engine, shot, backend_id, NULL,
                                             (guint) n_takes - have, &generate_error);
          if (added == NULL)
            {
              /* Translators: "shot 2, kling: <why it could not start>" */
              g_ptr_array_add (problems, g_strdup_printf (_("shot %u, %s: %s"), i + 1, backend_id,
                                                          generate_error->message));
              g_printerr (_("shot %u, %s: %s\n"), i + 1, backend_id, generate_error->message);
              if (generate_exit == TAKES_CLI_EXIT_OK)
                generate_exit = takes_backend_error_exit_code (generate_error);
              continue;
            }

          for (guint t = 0; t < added->len; t++)
            {
              TakesTake *take = g_ptr_array_index (added, t);
              TakeWatch *watch;

              render_watch (&render, take, i + 1);
              watch = g_ptr_array_index (watches, watches->len - 1);
              if (watch->take == take)
                print_take_state (watch);
              n_new++;
            }
        }
    }

  if (n_new == 0 && takes_job_engine_get_n_active (engine) == 0 && generate_exit == TAKES_CLI_EXIT_OK)
    g_printerr (_("Nothing to do: the shots already have their takes\n"));

  if (takes_job_engine_get_n_active (engine) > 0)
    {
      render.running = TRUE;
      g_main_loop_run (loop);
      render.running = FALSE;
    }

  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);

  g_clear_handle_id (&render.stop_source, g_source_remove);
  g_clear_handle_id (&render.stop_guard_source, g_source_remove);
  if (render.interrupted && !render.stopped && takes_job_engine_get_n_active (engine) > 0)
    render_stop (&render);

  g_clear_signal_handler (&idle_handler, engine);
  g_clear_signal_handler (&save_failed_handler, engine);
  g_clear_signal_handler (&take_failed_handler, engine);

  /* The engine saves as takes change; this catches anything after its
   * last save, such as states kept on shutdown */
  if (takes_project_get_modified (project) &&
      !takes_project_save (project, takes_project_get_file (project), &error))
    {
      g_printerr (_("%s: could not save the project: %s\n"), display, error->message);
      g_clear_error (&error);
      render.n_save_failures++;
    }

  /* Failed and canceled takes of this run, in any shot */
  for (guint i = 0; i < watches->len; i++)
    {
      TakeWatch *watch = g_ptr_array_index (watches, i);
      TakesTakeState state = takes_take_get_state (watch->take);

      if (state == TAKES_TAKE_FAILED || state == TAKES_TAKE_CANCELED)
        {
          const char *reason = takes_take_get_error (watch->take);

          n_failed++;
          g_ptr_array_add (problems,
                           g_strdup_printf (_("shot %u, %s: %s"), watch->shot_number,
                                            takes_take_get_backend (watch->take),
                                            reason != NULL && reason[0] != '\0'
                                              ? reason
                                              : takes_take_state_get_label (state)));
        }
    }

  for (guint i = 0; i < n_shots; i++)
    {
      TakesShot *shot = takes_project_get_shot (project, i);

      if (!selected[i])
        continue;

      for (guint b = 0; b < backend_ids->len; b++)
        {
          const char *backend_id = g_ptr_array_index (backend_ids, b);
          guint unknown = count_takes_from (shot, backend_id, take_is_unknown);

          n_ready += count_takes_from (shot, backend_id, take_is_ready);
          n_unfinished += count_takes_from (shot, backend_id, take_is_unfinished);
          n_unknown += unknown;

          if (unknown > 0)
            g_ptr_array_add (problems,
                             g_strdup_printf (_("shot %u: the outcome of a submission is unknown; "
                                                "open the project to check it again or submit anyway"),
                                              i + 1));
        }
    }

  /* Translators: the first part of the summary, "3 takes ready" */
  g_printerr (ngettext ("%u take ready", "%u takes ready", n_ready), n_ready);
  if (n_failed > 0)
    /* Translators: appended to "3 takes ready" */
    g_printerr (ngettext (", %u failed", ", %u failed", n_failed), n_failed);
  if (n_unknown > 0)
    /* Translators: appended to "3 takes ready" */
    g_printerr (ngettext (", %u with an unknown outcome", ", %u with an unknown outcome", n_unknown),
                n_unknown);
  if (n_unfinished > 0)
    /* Translators: appended to "3 takes ready" */
    g_printerr (ngettext (", %u unfinished", ", %u unfinished", n_unfinished), n_unfinished);
  g_printerr ("\n");

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("  %s\n", (const char *) g_ptr_array_index (problems, i));

  g_ptr_array_set_size (watches, 0);

  if (render.interrupted)
    {
      if (n_unfinished > 0)
        g_printerr (_("Interrupted; run the same command again to continue\n"));
      return TAKES_CLI_EXIT_FAILED;
    }

  if (generate_exit != TAKES_CLI_EXIT_OK)
    return generate_exit;

  if (n_failed > 0)
    return render.failure_exit;

  if (n_unknown > 0 || n_unfinished > 0 || render.n_save_failures > 0)
    return TAKES_CLI_EXIT_FAILED;

  return TAKES_CLI_EXIT_OK;
}


int
takes_cli_run (int    argc,
               char **argv)
{
  const TakesCliCommand *command;
  g_autofree char *basename = NULL;
  g_autofree char *prog_name = NULL;
  g_auto(GStrv) args = NULL;

  g_return_val_if_fail (argc >= 0, TAKES_CLI_EXIT_USAGE);

  command = argc >= 2 ? find_command (argv[1]) : NULL;
  if (command == NULL)
    {
      g_autofree char *summary = takes_cli_dup_summary ();

      if (argc >= 2)
        g_printerr (_("Unknown command “%s”\n\n"), argv[1]);
      g_printerr ("%s\n", summary);
      return TAKES_CLI_EXIT_USAGE;
    }

  basename = g_path_get_basename (argc >= 1 && argv[0] != NULL ? argv[0] : "takes");
  prog_name = g_strdup_printf ("%s %s", basename, command->name);

  args = g_new0 (char *, argc - 1);
  for (int i = 2; i < argc; i++)
    args[i - 2] = g_strdup (argv[i]);

  return command->run (command, prog_name, args);
}
