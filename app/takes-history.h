/* takes-history.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_TYPE_HISTORY (takes_history_get_type ())
G_DECLARE_FINAL_TYPE (TakesHistory, takes_history, TAKES, HISTORY, GObject)

/* Undo and redo for every edit a person makes to a project. Edits go
 * through these calls so the history knows the value before the change.
 * Properties: "can-undo", "can-redo" (booleans), "undo-label",
 * "redo-label" (translated descriptions such as "Edit Prompt"). */
TakesHistory *takes_history_new              (TakesProject *project);
TakesProject *takes_history_get_project      (TakesHistory *self);

/* Sets @property of @object (a TakesProject, TakesShot, TakesTake or
 * TakesSoundtrackClip of this project) to @value and records the old one.
 * Consecutive sets of the same property of the same object coalesce into
 * one undo step (typing a prompt is one step) until
 * takes_history_break_coalescing() or any other edit. */
void          takes_history_set              (TakesHistory *self,
                                              gpointer      object,
                                              const char   *property,
                                              const GValue *value);
/* Convenience wrappers of takes_history_set() */
void          takes_history_set_string       (TakesHistory *self,
                                              gpointer      object,
                                              const char   *property,
                                              const char   *value);
void          takes_history_set_double       (TakesHistory *self,
                                              gpointer      object,
                                              const char   *property,
                                              double        value);
void          takes_history_set_int64        (TakesHistory *self,
                                              gpointer      object,
                                              const char   *property,
                                              gint64        value);
void          takes_history_insert_shot      (TakesHistory *self,
                                              guint         position,
                                              TakesShot    *shot);
void          takes_history_remove_shot      (TakesHistory *self,
                                              guint         position);
void          takes_history_move_shot        (TakesHistory *self,
                                              guint         from,
                                              guint         to);
void          takes_history_remove_take      (TakesHistory *self,
                                              TakesShot    *shot,
                                              TakesTake    *take);
void          takes_history_add_soundtrack_clip    (TakesHistory        *self,
                                                    TakesSoundtrackClip *clip);
void          takes_history_remove_soundtrack_clip (TakesHistory        *self,
                                                    TakesSoundtrackClip *clip);
/* Groups the edits in between into one undo step, named @label */
void          takes_history_begin            (TakesHistory *self,
                                              const char   *label);
void          takes_history_end              (TakesHistory *self);
void          takes_history_break_coalescing (TakesHistory *self);

gboolean      takes_history_can_undo         (TakesHistory *self);
gboolean      takes_history_can_redo         (TakesHistory *self);
const char   *takes_history_get_undo_label   (TakesHistory *self);
const char   *takes_history_get_redo_label   (TakesHistory *self);
gboolean      takes_history_undo             (TakesHistory *self);
gboolean      takes_history_redo             (TakesHistory *self);
void          takes_history_clear            (TakesHistory *self);

G_END_DECLS
