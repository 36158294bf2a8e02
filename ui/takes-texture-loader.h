/* takes-texture-loader.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Decodes an image file off the main thread, scaled to fit within
 * @width x @height pixels, and keeps the result in a small in-memory
 * cache so recycled list rows do not decode the same file twice. */
GdkTexture *_takes_texture_loader_lookup      (GFile               *file,
                                               int                  width,
                                               int                  height);
void        _takes_texture_loader_load_async  (GFile               *file,
                                               int                  width,
                                               int                  height,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GdkTexture *_takes_texture_loader_load_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
