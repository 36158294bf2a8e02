/* takes-cli.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "takes-cli.h"
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
