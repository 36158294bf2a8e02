/* takes-take-details-dialog.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_TAKE_DETAILS_DIALOG (takes_take_details_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TakesTakeDetailsDialog, takes_take_details_dialog, TAKES, TAKE_DETAILS_DIALOG, AdwWindow)

/* Everything known about one take: the exact request sent, seed, model,
 * backend, remote task id, client request id, state, timings, cost,
 * media file, probed facts and error. Follows the take while open. */
GtkWidget *takes_take_details_dialog_new (GtkWindow    *parent,
                                          TakesTake    *take,
                                          TakesProject *project);

G_END_DECLS
