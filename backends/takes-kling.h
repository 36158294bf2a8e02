/* takes-kling.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-backend.h"

G_BEGIN_DECLS

/* Kuaishou Kling through its official API (PROVIDERS.md §1).
 *
 * Credentials: KLING_ACCESS_KEY and KLING_SECRET_KEY (the environment, or
 * takes_backend_set_credential() from the keyring). Requests carry an HS256
 * JWT made from them, cached and rebuilt five minutes before it expires;
 * a token the server calls expired (1004) or not yet valid (1003) is made
 * again and the request sent once more.
 *
 * Endpoint: https://api-singapore.klingai.com, or TAKES_KLING_BASE_URL /
 * takes_backend_set_base_url() (e.g. https://api-beijing.klingai.com).
 *
 * Text to video (POST /v1/videos/text2video) without images; image to
 * video (POST /v1/videos/image2video) with a first frame ("image") and/or
 * a last frame ("image_tail"): local JPEG/PNG files up to 10 MB sent as
 * raw base64, or http(s) addresses passed on. The take's client request
 * id is sent as external_task_id. Lengths 5 and 10 s; 16:9, 9:16, 1:1;
 * 720p is mode "std", 1080p mode "pro".
 *
 * Request extras (the shot's "kling" parameters), all optional:
 *   "mode"            "std" | "pro" (overrides the one implied by resolution)
 *   "cfg_scale"       number 0..1 (not sent to kling-v2* and later)
 *   "camera_control"  {"type": "simple", "config": {"horizontal"|"vertical"|
 *                     "pan"|"tilt"|"roll"|"zoom": -10..10, exactly one
 *                     non-zero}} or {"type": "down_back"|"forward_up"|
 *                     "right_turn_forward"|"left_turn_forward"}
 *   "sound"           "on" | "off" (kling-v2-6 and later)
 *   "watermark"       boolean
 *
 * Poll reads GET /v1/videos/{text2video|image2video}/{task_id}; the result
 * URL (task_result.videos[0].url) is downloaded without credentials.
 * final_unit_deduction becomes the status' cost through the price func
 * (TAKES_PRICE_CREDITS), else the unit price below. Kling has no cancel. */
#define TAKES_TYPE_KLING (takes_kling_get_type ())
G_DECLARE_FINAL_TYPE (TakesKling, takes_kling, TAKES, KLING, TakesBackend)

TakesKling *takes_kling_new              (void);

/* USD per Kling unit, used when no price func knows better (default 0.14) */
double      takes_kling_get_unit_price   (TakesKling *self);
void        takes_kling_set_unit_price   (TakesKling *self,
                                          double      usd_per_unit);

/* For tests: seconds added to the clock that dates tokens. */
void        takes_kling_set_clock_offset (TakesKling *self,
                                          gint64      seconds);

/* Maps a Kling business code (PROVIDERS.md §1.8) and its message to a
 * TAKES_BACKEND_ERROR for people; NULL for code 0. @retryable (optional)
 * says whether sending the same request again can help. */
GError     *takes_kling_error_for_code   (int         code,
                                          const char *message,
                                          guint       http_status,
                                          gint64      retry_after_ms,
                                          gboolean   *retryable);

G_END_DECLS
