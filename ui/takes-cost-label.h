/* takes-cost-label.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-project.h"

G_BEGIN_DECLS

/* "Spent $1.20 of $10.00 budget": what the project's takes cost (actual
 * where the provider reported it, else the estimate; failed and canceled
 * takes do not count), against its budget cap when it has one. Follows
 * the project's changes, coalesced. Hidden without a project.
 *
 * Properties: "project" (TakesProject, may be NULL). */
#define TAKES_TYPE_COST_LABEL (takes_cost_label_get_type ())
G_DECLARE_FINAL_TYPE (TakesCostLabel, takes_cost_label, TAKES, COST_LABEL, GtkWidget)

GtkWidget    *takes_cost_label_new         (void);
TakesProject *takes_cost_label_get_project (TakesCostLabel *self);
void          takes_cost_label_set_project (TakesCostLabel *self,
                                            TakesProject   *project);
/* The text shown (for tests) */
const char   *takes_cost_label_get_text    (TakesCostLabel *self);

/* "$1.20": dollars with cents, or with a tenth of a cent below $0.10 */
char         *takes_format_usd             (double          usd);

G_END_DECLS
