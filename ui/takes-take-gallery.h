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
 * following the shot's list of takes as it changes. */
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

G_END_DECLS
