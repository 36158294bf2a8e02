/* takes-jwt.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-jwt"

#include "config.h"

#include <string.h>

#include "takes-http.h"
#include "takes-jwt.h"

char *
takes_jwt_base64url_encode (const guint8 *data,
                            gsize         length)
{
  char *text = g_base64_encode (data, length);
  gsize n = strlen (text);

  for (gsize i = 0; i < n; i++)
    {
      if (text[i] == '+')
        text[i] = '-';
      else if (text[i] == '/')
        text[i] = '_';
    }

  while (n > 0 && text[n - 1] == '=')
    text[--n] = '\0';

  return text;
}

guint8 *
takes_jwt_base64url_decode (const char *text,
                            gsize      *length)
{
  g_autoptr(GString) standard = NULL;
  gsize n;

  g_return_val_if_fail (text != NULL, NULL);

  n = strlen (text);
  if (n % 4 == 1)
    return NULL;

  standard = g_string_sized_new (n + 3);
  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (standard, c);
    }
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');

  return g_base64_decode (standard->str, length);
}

static char *
sign (const char *signing_input,
      const char *secret)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *)signing_input, -1);
  g_hmac_get_digest (hmac, digest, &digest_length);

  return takes_jwt_base64url_encode (digest, digest_length);
}

char *
takes_jwt_hs256 (const char *header_json,
                 const char *payload_json,
                 const char *secret)
{
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (header_json != NULL, NULL);
  g_return_val_if_fail (payload_json != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  header = takes_jwt_base64url_encode ((const guint8 *)header_json, strlen (header_json));
  payload = takes_jwt_base64url_encode ((const guint8 *)payload_json, strlen (payload_json));
  signing_input = g_strconcat (header, ".", payload, NULL);
  signature = sign (signing_input, secret);

  return g_strconcat (signing_input, ".", signature, NULL);
}

static char *
decode_part (const char *part)
{
  gsize length = 0;
  guint8 *data = takes_jwt_base64url_decode (part, &length);
  char *text;

  if (data == NULL)
    return NULL;

  text = g_malloc (length + 1);
  memcpy (text, data, length);
  text[length] = '\0';
  g_free (data);

  if (strlen (text) != length || !g_utf8_validate (text, -1, NULL))
    {
      g_free (text);
      return NULL;
    }

  return text;
}

gboolean
takes_jwt_hs256_verify (const char  *token,
                        const char  *secret,
                        char       **header_json,
                        char       **payload_json)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  gsize n;
  guint8 difference = 0;

  g_return_val_if_fail (secret != NULL, FALSE);

  if (token == NULL)
    return FALSE;

  parts = g_strsplit (token, ".", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;

  header = decode_part (parts[0]);
  payload = decode_part (parts[1]);
  if (header == NULL || payload == NULL)
    return FALSE;

  signing_input = g_strconcat (parts[0], ".", parts[1], NULL);
  expected = sign (signing_input, secret);

  n = strlen (expected);
  if (strlen (parts[2]) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    difference |= (guint8)(expected[i] ^ parts[2][i]);
  if (difference != 0)
    return FALSE;

  if (header_json != NULL)
    *header_json = g_steal_pointer (&header);
  if (payload_json != NULL)
    *payload_json = g_steal_pointer (&payload);

  return TRUE;
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar)*p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char)c);
    }
  g_string_append_c (out, '"');
}

char *
takes_jwt_kling_token (const char *access_key,
                       const char *secret_key,
                       gint64      now)
{
  g_autoptr(GString) payload = g_string_new ("{\"iss\":");

  g_return_val_if_fail (access_key != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  append_json_string (payload, access_key);
  g_string_append_printf (payload, ",\"exp\":%" G_GINT64_FORMAT ",\"nbf\":%" G_GINT64_FORMAT "}",
                          now + TAKES_JWT_KLING_LIFETIME, now - TAKES_JWT_KLING_SKEW);

  return takes_jwt_hs256 ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload->str, secret_key);
}

/* ---- The cache ---------------------------------------------------------------- */

struct _TakesJwtCache
{
  GMutex  lock;
  char   *token;
  char   *access_key;
  char   *key_digest;  /* of the secret key, to notice a new one without keeping it */
  gint64  expires;
};

TakesJwtCache *
takes_jwt_cache_new (void)
{
  TakesJwtCache *self = g_new0 (TakesJwtCache, 1);

  g_mutex_init (&self->lock);

  return self;
}

static void
cache_drop (TakesJwtCache *self)
{
  if (self->token != NULL)
    takes_http_remove_secret (self->token);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->access_key, g_free);
  g_clear_pointer (&self->key_digest, g_free);
  self->expires = 0;
}

void
takes_jwt_cache_free (TakesJwtCache *self)
{
  if (self == NULL)
    return;

  cache_drop (self);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
takes_jwt_cache_clear (TakesJwtCache *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  cache_drop (self);
  g_mutex_unlock (&self->lock);
}

char *
takes_jwt_cache_get_kling (TakesJwtCache *self,
                           const char    *access_key,
                           const char    *secret_key,
                           gint64         now)
{
  g_autofree char *digest = NULL;
  char *token;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (access_key != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret_key, -1);

  g_mutex_lock (&self->lock);

  if (self->token == NULL ||
      g_strcmp0 (self->access_key, access_key) != 0 ||
      g_strcmp0 (self->key_digest, digest) != 0 ||
      self->expires - now < TAKES_JWT_REFRESH_MARGIN ||
      /* the clock went back: the token would not be valid yet */
      now < self->expires - TAKES_JWT_KLING_LIFETIME)
    {
      cache_drop (self);
      self->token = takes_jwt_kling_token (access_key, secret_key, now);
      self->access_key = g_strdup (access_key);
      self->key_digest = g_steal_pointer (&digest);
      self->expires = now + TAKES_JWT_KLING_LIFETIME;
      takes_http_add_secret (self->token);
    }

  token = g_strdup (self->token);

  g_mutex_unlock (&self->lock);

  return token;
}
