/* takes-cli.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What every subcommand returns, so scripts can tell a failed job from a
 * mistake in the command line. */
typedef enum
{
  TAKES_CLI_EXIT_OK          = 0, /* done */
  TAKES_CLI_EXIT_FAILED      = 1, /* the work failed (e.g. the file could not be written) */
  TAKES_CLI_EXIT_USAGE       = 2, /* usage error or invalid input file */
  TAKES_CLI_EXIT_CREDENTIALS = 3, /* missing or rejected credentials */
  TAKES_CLI_EXIT_NETWORK     = 4, /* network or server trouble that retries did not cure */
} TakesCliExit;

/* TRUE when @arg names a subcommand ("new", "info", …) that takes_cli_run()
 * handles. NULL is allowed and gives FALSE. */
gboolean  takes_cli_is_command   (const char  *arg);

/* Runs a subcommand without any display: argv[0] is the program name and
 * argv[1] the subcommand, the rest are its arguments (in the filename
 * encoding, as main() receives them). Reads and writes files, prints to
 * stdout and stderr, and returns a TakesCliExit. Never touches GTK. */
int       takes_cli_run          (int          argc,
                                  char       **argv);

/* The translated list of subcommands with one-line descriptions, for the
 * description of the application's own "takes --help". */
char     *takes_cli_dup_summary  (void);

G_END_DECLS
