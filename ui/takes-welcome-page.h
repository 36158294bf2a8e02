/* takes-welcome-page.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TAKES_TYPE_WELCOME_PAGE (takes_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (TakesWelcomePage, takes_welcome_page, TAKES, WELCOME_PAGE, AdwBin)

/* The first thing a window shows. Its buttons activate win.new-project,
 * win.open and win.open-demo; a recent project row activates
 * win.open-file with the project's URI. */
GtkWidget *takes_welcome_page_new (void);

G_END_DECLS
