/* takes-take-gallery.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "takes-history.h"
#include "takes-job-engine.h"

G_BEGIN_DECLS

#define TAKES_TYPE_TAKE_GALLERY (takes_take_gallery_get_type ())
G_DECLARE_FINAL_TYPE (TakesTakeGallery, takes_take_gallery, TAKES, TAKE_GALLERY, AdwBin)

/* The takes of one shot as cards (TakesTakeCard), in the shot's order,
 * following the shot's list of takes as it changes, with a Compare
 * button in its heading.
 *
 * Signals:
 *   "compare" (): Compare was pressed (gallery.compare) and can compare.
 *   "take-activated" (TakesTake *take) -> gboolean: a card's Play or its
 *              picture was clicked; TRUE when a handler shows the take. */
GtkWidget *takes_take_gallery_new        (void);
void       takes_take_gallery_set_shot   (TakesTakeGallery *self,
                                          TakesShot        *shot,
                                          TakesHistory     *history);
TakesShot *takes_take_gallery_get_shot   (TakesTakeGallery *self);
void       takes_take_gallery_set_engine (TakesTakeGallery *self,
                                          TakesJobEngine   *engine);
/* The card showing @take, or NULL */
GtkWidget *takes_take_gallery_get_card   (TakesTakeGallery *self,
                                          TakesTake        *take);

/* Selecting takes to compare (a card's check box, or Ctrl+click): at most
 * four, ready ones only. The selection, in the shot's order: */
GPtrArray *takes_take_gallery_dup_selection  (TakesTakeGallery *self);
void       takes_take_gallery_set_selected   (TakesTakeGallery *self,
                                              TakesTake        *take,
                                              gboolean          selected);
void       takes_take_gallery_unselect_all   (TakesTakeGallery *self);
/* What makes Compare sensitive: two to four selected, or with nothing
 * selected at least two ready takes. */
gboolean   takes_take_gallery_can_compare    (TakesTakeGallery *self);
/* Stops every card's preview (a player elsewhere is about to sound) */
void       takes_take_gallery_stop_previews  (TakesTakeGallery *self);

G_END_DECLS
