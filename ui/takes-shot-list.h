/* takes-shot-list.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-history.h"

G_BEGIN_DECLS

#define TAKES_TYPE_SHOT_LIST (takes_shot_list_get_type ())
G_DECLARE_FINAL_TYPE (TakesShotList, takes_shot_list, TAKES, SHOT_LIST, GtkWidget)

/* The sidebar listing the film's shots. Every operation goes through the
 * history so it can be undone.
 *
 * Properties: "selected-shot" (TakesShot, read-only).
 * Actions: shots.add, shots.duplicate, shots.delete, shots.move-up,
 * shots.move-down, shots.menu. */
GtkWidget *takes_shot_list_new                (void);
void       takes_shot_list_set_history        (TakesShotList *self,
                                               TakesHistory  *history);
TakesShot *takes_shot_list_get_selected_shot  (TakesShotList *self);
void       takes_shot_list_select             (TakesShotList *self,
                                               guint          position);
void       takes_shot_list_add_shot           (TakesShotList *self);
void       takes_shot_list_duplicate_selected (TakesShotList *self);
void       takes_shot_list_delete_selected    (TakesShotList *self);
void       takes_shot_list_move_selected      (TakesShotList *self,
                                               int            delta);

G_END_DECLS
