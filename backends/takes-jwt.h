/* takes-jwt.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* JSON Web Tokens signed with HMAC-SHA256 (HS256), as Kling (and Zhipu's
 * older API) want them. The JSON texts are signed exactly as given, so a
 * caller controls the bytes (and a test vector can be matched). */

/* base64url without padding (RFC 7515 §2) */
char     *takes_jwt_base64url_encode (const guint8 *data,
                                      gsize         length);
/* NULL when @text is not base64url */
guint8   *takes_jwt_base64url_decode (const char   *text,
                                      gsize        *length);

/* "b64url(header).b64url(payload).b64url(HMAC-SHA256(secret, both))" */
char     *takes_jwt_hs256            (const char   *header_json,
                                      const char   *payload_json,
                                      const char   *secret);
/* Checks the form and the signature (in constant time). On success the
 * decoded header and payload JSON texts are returned if asked for. */
gboolean  takes_jwt_hs256_verify     (const char   *token,
                                      const char   *secret,
                                      char        **header_json,
                                      char        **payload_json);

/* Kling's token: header {"alg":"HS256","typ":"JWT"}, payload
 * {"iss":ACCESS_KEY,"exp":NOW+1800,"nbf":NOW-5}, signed with the secret
 * key. @now is Unix seconds. */
#define TAKES_JWT_KLING_LIFETIME 1800
#define TAKES_JWT_KLING_SKEW     5
char     *takes_jwt_kling_token      (const char   *access_key,
                                      const char   *secret_key,
                                      gint64        now);

/* Keeps one Kling token and builds a new one when the keys change or it
 * has less than TAKES_JWT_REFRESH_MARGIN seconds left. Thread-safe. Old
 * tokens are withdrawn from the redaction list once replaced. */
#define TAKES_JWT_REFRESH_MARGIN 300
typedef struct _TakesJwtCache TakesJwtCache;

TakesJwtCache *takes_jwt_cache_new       (void);
void           takes_jwt_cache_free      (TakesJwtCache *self);
/* A copy of the current token (free it). */
char          *takes_jwt_cache_get_kling (TakesJwtCache *self,
                                          const char    *access_key,
                                          const char    *secret_key,
                                          gint64         now);
/* Forgets the token, e.g. after the server said it expired. */
void           takes_jwt_cache_clear     (TakesJwtCache *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TakesJwtCache, takes_jwt_cache_free)

G_END_DECLS
