/* takes-take-card.h
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

#define TAKES_TYPE_TAKE_CARD (takes_take_card_get_type ())
G_DECLARE_FINAL_TYPE (TakesTakeCard, takes_take_card, TAKES, TAKE_CARD, AdwBin)

/* One take of a shot in the gallery: what it is, where it stands, and
 * what a person can do with it (cancel, retry, pick, rate, delete, look at
 * the details, play it, select it for comparing). Edits go through
 * @history so they undo; work on the generation itself goes through
 * @engine.
 *
 * Signals:
 *   "activate" () -> gboolean: Play or a click on the picture; a handler
 *              that shows the take elsewhere returns TRUE, otherwise the
 *              card plays it itself. */
GtkWidget *takes_take_card_new         (TakesTake      *take);
TakesTake *takes_take_card_get_take    (TakesTakeCard  *self);
void       takes_take_card_set_context (TakesTakeCard  *self,
                                        TakesShot      *shot,
                                        TakesHistory   *history,
                                        TakesJobEngine *engine);
/* 1-based position in the shot ("Take 2") */
guint      takes_take_card_get_number  (TakesTakeCard  *self);
void       takes_take_card_set_number  (TakesTakeCard  *self,
                                        guint           number);
/* Whether the card plays its clip right now (hover or click) */
gboolean   takes_take_card_get_playing (TakesTakeCard  *self);
/* Starts (muted and looping, as on hover, when @muted) or stops playing;
 * only one card plays at a time. */
void       takes_take_card_play        (TakesTakeCard  *self,
                                        gboolean        muted);
void       takes_take_card_stop        (TakesTakeCard  *self);
/* Whether the take can be compared (ready, with a video file); only such
 * cards can be selected. "selected" follows the card's check box and
 * Ctrl+click. */
gboolean   takes_take_card_get_selectable (TakesTakeCard *self);
gboolean   takes_take_card_get_selected   (TakesTakeCard *self);
void       takes_take_card_set_selected   (TakesTakeCard *self,
                                           gboolean       selected);

G_END_DECLS
