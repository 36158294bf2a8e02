/* takes-cli-private.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Subcommands implemented outside takes-cli.c. Each takes the program
 * name ("takes export") as argv[0] and the subcommand's arguments after
 * it, and returns a TakesCliExit. */

/* One-line summary for "takes --help" */
#define TAKES_CLI_EXPORT_SUMMARY \
  N_("Render the cut to a video file, and optionally to .otio and .xges")

int takes_cli_export (int    argc,
                      char **argv);

G_END_DECLS
