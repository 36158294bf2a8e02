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
 * the details, play it). Edits go through @history so they undo; work on
 * the generation itself goes through @engine. */
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

G_END_DECLS
