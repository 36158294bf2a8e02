/* takes-credentials.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-backend-registry.h"

G_BEGIN_DECLS

#define TAKES_CREDENTIALS_SCHEMA_NAME "io.github.takesapp.Takes.Credential"

/* The generators' keys in the system keyring (libsecret, Secret Service),
 * one item per backend id and key name (the backend's environment
 * variable name, e.g. KLING_SECRET_KEY).
 *
 * Where keys come from: in the app the keyring wins, and the environment
 * variables stay the fallback for a key the keyring does not have; the
 * command line never reads the keyring and uses the environment only.
 *
 * When no keyring can be reached (no Secret Service on the session bus,
 * or libsecret fails), keys are kept in this process only, for the
 * session: "session-only" becomes TRUE and get_note() says so. Keys are
 * never written anywhere in plain text.
 *
 * Properties: "session-only" (boolean, read-only). */
#define TAKES_TYPE_CREDENTIALS (takes_credentials_get_type ())
G_DECLARE_FINAL_TYPE (TakesCredentials, takes_credentials, TAKES, CREDENTIALS, GObject)

TakesCredentials *takes_credentials_new              (void);
/* The process-wide instance (borrowed). */
TakesCredentials *takes_credentials_get_default      (void);

gboolean          takes_credentials_get_session_only (TakesCredentials     *self);
/* For people, translated: why keys will not be remembered; NULL while the
 * keyring works. */
const char       *takes_credentials_get_note         (TakesCredentials     *self);

/* Stores @value (NULL or "" clears the key). Succeeds also when it could
 * only be kept for the session; see "session-only". */
void              takes_credentials_store_async      (TakesCredentials     *self,
                                                      const char           *backend_id,
                                                      const char           *name,
                                                      const char           *value,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          takes_credentials_store_finish     (TakesCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* The stored key (free it with takes_credentials_free_secret()), or NULL
 * without an error when there is none. */
void              takes_credentials_lookup_async     (TakesCredentials     *self,
                                                      const char           *backend_id,
                                                      const char           *name,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char             *takes_credentials_lookup_finish    (TakesCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              takes_credentials_clear_async      (TakesCredentials     *self,
                                                      const char           *backend_id,
                                                      const char           *name,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          takes_credentials_clear_finish     (TakesCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Looks up every key of every backend of @registry and hands the ones found
 * to takes_backend_set_credential(). Returns how many were applied. */
void              takes_credentials_apply_async      (TakesCredentials     *self,
                                                      TakesBackendRegistry *registry,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
guint             takes_credentials_apply_finish     (TakesCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Wipes and frees a secret. */
void              takes_credentials_free_secret      (char                 *secret);

G_END_DECLS
