/* takes-thumbnailer.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes a PNG of one frame of @video to @png: the frame at 1 s, or the
 * middle of clips shorter than 2 s, scaled down to at most @max_width
 * pixels wide (aspect kept, never scaled up). The PNG is written to a
 * temporary file first and renamed, so @png is either complete or absent.
 * Runs a GStreamer pipeline watched from the caller's thread-default main
 * context; nothing blocks it. */
void     takes_thumbnail_create_async  (GFile               *video,
                                        GFile               *png,
                                        int                  max_width,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean takes_thumbnail_create_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
