/* takes-provider-util.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Small pieces the remote backends (Kling, Sora, …) share. Nothing here
 * trusts a provider's answer: every accessor checks the node's type. */

/* A string member; a JSON integer is formatted (ids that look numeric).
 * NULL when absent, null or of another type. */
char       *takes_provider_dup_string  (JsonObject *object,
                                        const char *name);
/* An object member or NULL */
JsonObject *takes_provider_get_object  (JsonObject *object,
                                        const char *name);
/* A number given as a JSON number or a numeric string */
gboolean    takes_provider_get_number  (JsonObject *object,
                                        const char *name,
                                        double     *value);
/* A provider's text made fit for a message: valid UTF-8, at most 300
 * characters, secrets redacted. NULL or "" gives "". */
char       *takes_provider_clip_text   (const char *text);

/* Reads a reference image given as a local path, refusing what is not a
 * JPEG, PNG or WebP or is larger than @max_size (errors are
 * TAKES_BACKEND_ERROR_INVALID_REQUEST naming the file). */
void        takes_provider_load_image_async  (const char           *path,
                                              gsize                 max_size,
                                              const char           *service,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The bytes; @content_type receives "image/jpeg", "image/png" or
 * "image/webp" (a static string). */
GBytes     *takes_provider_load_image_finish (GAsyncResult         *result,
                                              const char          **content_type,
                                              GError              **error);
/* Makes a PNG of exactly @width × @height from @image (JPEG, PNG or
 * WebP bytes), cropping the middle to the right shape first, for APIs that
 * want the reference image at the video's size. Decoding runs on a worker
 * thread. INVALID_REQUEST when the bytes are not a picture. */
void        takes_provider_fit_image_async   (GBytes               *image,
                                              int                   width,
                                              int                   height,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GBytes     *takes_provider_fit_image_finish  (GAsyncResult         *result,
                                              GError              **error);
/* TRUE for http:// and https:// addresses */
gboolean    takes_provider_is_web_address    (const char           *text);

G_END_DECLS
