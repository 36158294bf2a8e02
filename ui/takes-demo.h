/* takes-demo.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-project.h"

G_BEGIN_DECLS

/* A short film to explore Takes with: "The Lighthouse Keeper", six shots. */
TakesProject *takes_demo_create_project (void);
/* Where the demo lives: USER_DATA_DIR/takes/Demo/Demo Film.takes */
GFile        *takes_demo_get_file       (void);
/* Writes the demo unless it is already there (a person may have edited
 * it: that is their film now). Returns the file to open. */
GFile        *takes_demo_ensure         (GError **error);

G_END_DECLS
