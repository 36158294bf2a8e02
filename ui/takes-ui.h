/* takes-ui.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Registers the UI resources and types; call once after gtk_init(). */
void       takes_ui_init                (void);

/* The application's settings, or NULL when the schema is not installed
 * (an uninstalled run without GSETTINGS_SCHEMA_DIR). Borrowed. */
GSettings *takes_ui_get_settings        (void);

/* "~/Videos/Film.takes" rather than "/home/ana/Videos/Film.takes" */
char      *takes_ui_dup_display_path    (GFile *file);

/* AdwMessageDialog 1.2 gives its response buttons doubled accessible
 * names ("Save Save"); this names every response button by its label.
 * Call after adding the responses. Takes a GtkWidget. */
void       takes_ui_fix_response_names  (gpointer dialog);

G_END_DECLS
