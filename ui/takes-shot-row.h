/* takes-shot-row.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_SHOT_ROW (takes_shot_row_get_type ())
G_DECLARE_FINAL_TYPE (TakesShotRow, takes_shot_row, TAKES, SHOT_ROW, GtkWidget)

/* One row of the shot list. Rows are recycled by the list view: bind
 * attaches a shot, unbind detaches it and drops every signal handler. */
GtkWidget *takes_shot_row_new        (void);
void       takes_shot_row_bind       (TakesShotRow *self,
                                      TakesShot    *shot,
                                      TakesProject *project);
void       takes_shot_row_unbind     (TakesShotRow *self);
TakesShot *takes_shot_row_get_shot   (TakesShotRow *self);
/* 1-based, as people count shots */
void       takes_shot_row_set_number (TakesShotRow *self,
                                      guint         number);
guint      takes_shot_row_get_number (TakesShotRow *self);

/* Shared by the shot widgets */
char      *_takes_format_seconds        (double seconds);
char      *_takes_format_seconds_spoken (double seconds);
void       _takes_shots_ensure_css      (void);

G_END_DECLS
