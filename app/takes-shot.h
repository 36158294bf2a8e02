/* takes-shot.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "takes-take.h"

G_BEGIN_DECLS

typedef enum
{
  TAKES_TRANSITION_CUT,
  TAKES_TRANSITION_CROSSFADE,
} TakesTransition;

GType takes_transition_get_type (void) G_GNUC_CONST;
#define TAKES_TYPE_TRANSITION (takes_transition_get_type ())

/* How a take whose size or aspect differs from the project's is conformed:
 * letterbox shows all of it inside the frame (bars on two sides), fill
 * covers the frame and crops what overflows. */
typedef enum
{
  TAKES_SHOT_FIT_LETTERBOX,
  TAKES_SHOT_FIT_FILL,
} TakesShotFit;

GType takes_shot_fit_get_type (void) G_GNUC_CONST;
#define TAKES_TYPE_SHOT_FIT (takes_shot_fit_get_type ())

#define TAKES_SHOT_DEFAULT_DURATION 5.0
#define TAKES_SHOT_DEFAULT_ASPECT   "16:9"
#define TAKES_SHOT_MAX_DURATION     600.0

#define TAKES_TYPE_SHOT (takes_shot_get_type ())
G_DECLARE_FINAL_TYPE (TakesShot, takes_shot, TAKES, SHOT, GObject)

/* A new shot with a fresh id and the defaults (5 s, 16:9, no seed). */
TakesShot       *takes_shot_new                     (void);
/* A copy with a new id and no takes: what "Duplicate Shot" makes. */
TakesShot       *takes_shot_duplicate               (TakesShot      *self);

const char      *takes_shot_get_id                  (TakesShot      *self);
void             takes_shot_set_id                  (TakesShot      *self,
                                                     const char     *id);
const char      *takes_shot_get_title               (TakesShot      *self);
void             takes_shot_set_title               (TakesShot      *self,
                                                     const char     *title);
/* The title, or when empty the start of the prompt, or "Untitled shot" */
char            *takes_shot_dup_display_title       (TakesShot      *self);
const char      *takes_shot_get_prompt              (TakesShot      *self);
void             takes_shot_set_prompt              (TakesShot      *self,
                                                     const char     *prompt);
const char      *takes_shot_get_negative_prompt     (TakesShot      *self);
void             takes_shot_set_negative_prompt     (TakesShot      *self,
                                                     const char     *negative_prompt);
double           takes_shot_get_duration            (TakesShot      *self);
void             takes_shot_set_duration            (TakesShot      *self,
                                                     double          duration);
/* "W:H", e.g. "16:9" */
const char      *takes_shot_get_aspect              (TakesShot      *self);
void             takes_shot_set_aspect              (TakesShot      *self,
                                                     const char     *aspect);
/* -1 means "no fixed seed" (the backend picks one) */
gint64           takes_shot_get_seed                (TakesShot      *self);
void             takes_shot_set_seed                (TakesShot      *self,
                                                     gint64          seed);
/* Relative to the project file's folder, or NULL. An absolute path is
 * accepted for a file outside it; takes_project_save() copies such files
 * into the media folder and stores the relative path. */
const char      *takes_shot_get_reference_image     (TakesShot      *self);
void             takes_shot_set_reference_image     (TakesShot      *self,
                                                     const char     *path);
const char      *takes_shot_get_notes               (TakesShot      *self);
void             takes_shot_set_notes               (TakesShot      *self,
                                                     const char     *notes);
/* Per-backend parameters, keyed by backend id; never NULL */
JsonObject      *takes_shot_get_backend_params      (TakesShot      *self);
void             takes_shot_set_backend_params      (TakesShot      *self,
                                                     JsonObject     *params);
const char      *takes_shot_get_picked_take_id      (TakesShot      *self);
void             takes_shot_set_picked_take_id      (TakesShot      *self,
                                                     const char     *take_id);
TakesTake       *takes_shot_get_picked_take         (TakesShot      *self);
/* Trim within the picked take, seconds; trim_out 0 means "to the end" */
double           takes_shot_get_trim_in             (TakesShot      *self);
void             takes_shot_set_trim_in             (TakesShot      *self,
                                                     double          trim_in);
double           takes_shot_get_trim_out            (TakesShot      *self);
void             takes_shot_set_trim_out            (TakesShot      *self,
                                                     double          trim_out);
/* Transition to the next shot */
TakesTransition  takes_shot_get_transition          (TakesShot      *self);
void             takes_shot_set_transition          (TakesShot      *self,
                                                     TakesTransition transition);
double           takes_shot_get_transition_duration (TakesShot      *self);
void             takes_shot_set_transition_duration (TakesShot      *self,
                                                     double          duration);
/* Conforming to the project format; letterbox by default */
TakesShotFit     takes_shot_get_fit                 (TakesShot      *self);
void             takes_shot_set_fit                 (TakesShot      *self,
                                                     TakesShotFit    fit);

/* GListModel of TakesTake */
GListModel      *takes_shot_get_takes               (TakesShot      *self);
void             takes_shot_add_take                (TakesShot      *self,
                                                     TakesTake      *take);
void             takes_shot_remove_take             (TakesShot      *self,
                                                     TakesTake      *take);
TakesTake       *takes_shot_find_take               (TakesShot      *self,
                                                     const char     *take_id);

G_END_DECLS
