/* takes-credentials.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-credentials"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "takes-credentials.h"

struct _TakesCredentials
{
  GObject     parent_instance;

  /* owned: "backend\nname" → secret, only while no keyring works */
  GHashTable *session;

  guint       session_only : 1;
};

G_DEFINE_FINAL_TYPE (TakesCredentials, takes_credentials, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    TAKES_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

void
takes_credentials_free_secret (char *secret)
{
  if (secret == NULL)
    return;

  /* Do not leave the key lying in freed memory. */
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static GHashTable *
new_attributes (const char *backend_id,
                const char *name)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "backend", (gpointer) backend_id);
  g_hash_table_insert (attributes, (gpointer) "name", (gpointer) name);

  return attributes;
}

static char *
session_key (const char *backend_id,
             const char *name)
{
  return g_strconcat (backend_id, "\n", name, NULL);
}

static void
set_session_only (TakesCredentials *self,
                  const GError     *error)
{
  if (self->session_only)
    return;

  /* libsecret's message names the bus or service, never a secret. */
  g_message ("No keyring is available (%s); keys are kept for this session only",
             error != NULL ? error->message : "unknown reason");

  self->session_only = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ONLY]);
}

static gboolean
is_cancellation (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- GObject -------------------------------------------------------------- */

static void
takes_credentials_finalize (GObject *object)
{
  TakesCredentials *self = (TakesCredentials *)object;

  g_clear_pointer (&self->session, g_hash_table_unref);

  G_OBJECT_CLASS (takes_credentials_parent_class)->finalize (object);
}

static void
takes_credentials_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TakesCredentials *self = TAKES_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_SESSION_ONLY:
      g_value_set_boolean (value, self->session_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_credentials_class_init (TakesCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = takes_credentials_finalize;
  object_class->get_property = takes_credentials_get_property;

  properties[PROP_SESSION_ONLY] =
    g_param_spec_boolean ("session-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
takes_credentials_init (TakesCredentials *self)
{
  self->session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) takes_credentials_free_secret);
}

TakesCredentials *
takes_credentials_new (void)
{
  return g_object_new (TAKES_TYPE_CREDENTIALS, NULL);
}

TakesCredentials *
takes_credentials_get_default (void)
{
  static TakesCredentials *credentials;

  if (credentials == NULL)
    credentials = takes_credentials_new ();

  return credentials;
}

gboolean
takes_credentials_get_session_only (TakesCredentials *self)
{
  g_return_val_if_fail (TAKES_IS_CREDENTIALS (self), FALSE);

  return self->session_only;
}

const char *
takes_credentials_get_note (TakesCredentials *self)
{
  g_return_val_if_fail (TAKES_IS_CREDENTIALS (self), NULL);

  if (!self->session_only)
    return NULL;

  return _("No keyring is available: the key is kept only until Takes quits.");
}

/* ---- Store ---------------------------------------------------------------- */

typedef struct
{
  char *backend_id;
  char *name;
  char *value;
} KeyData;

static void
key_data_free (gpointer data)
{
  KeyData *key = data;

  g_free (key->backend_id);
  g_free (key->name);
  takes_credentials_free_secret (key->value);
  g_free (key);
}

static KeyData *
key_data_new (const char *backend_id,
              const char *name,
              const char *value)
{
  KeyData *key = g_new0 (KeyData, 1);

  key->backend_id = g_strdup (backend_id);
  key->name = g_strdup (name);
  key->value = g_strdup (value);

  return key;
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesCredentials *self = g_task_get_source_object (task);
  KeyData *key = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *skey = session_key (key->backend_id, key->name);

  if (secret_password_store_finish (result, &error))
    {
      g_hash_table_remove (self->session, skey);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (is_cancellation (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_session_only (self, error);
  g_hash_table_replace (self->session, g_steal_pointer (&skey), g_strdup (key->value));
  g_task_return_boolean (task, TRUE);
}

static void on_cleared (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data);

void
takes_credentials_store_async (TakesCredentials    *self,
                               const char          *backend_id,
                               const char          *name,
                               const char          *value,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (TAKES_IS_CREDENTIALS (self));
  g_return_if_fail (backend_id != NULL);
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_credentials_store_async);
  g_task_set_task_data (task, key_data_new (backend_id, name, value), key_data_free);

  attributes = new_attributes (backend_id, name);

  if (value == NULL || value[0] == '\0')
    {
      secret_password_clearv (get_schema (), attributes, cancellable,
                              on_cleared, g_steal_pointer (&task));
      return;
    }

  /* Translators: the label of a keyring item, shown in keyring managers
   * such as Passwords and Keys. The first %s is a key name such as
   * KLING_SECRET_KEY, the second a backend id such as "kling". */
  label = g_strdup_printf (_("Takes: %s for %s"), name, backend_id);

  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, value, cancellable,
                          on_stored, g_steal_pointer (&task));
}

gboolean
takes_credentials_store_finish (TakesCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (TAKES_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Clear ---------------------------------------------------------------- */

static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesCredentials *self = g_task_get_source_object (task);
  KeyData *key = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *skey = session_key (key->backend_id, key->name);

  g_hash_table_remove (self->session, skey);

  /* FALSE without an error: there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (is_cancellation (error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      set_session_only (self, error);
    }

  g_task_return_boolean (task, TRUE);
}

void
takes_credentials_clear_async (TakesCredentials    *self,
                               const char          *backend_id,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (TAKES_IS_CREDENTIALS (self));
  g_return_if_fail (backend_id != NULL);
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_credentials_clear_async);
  g_task_set_task_data (task, key_data_new (backend_id, name, NULL), key_data_free);

  attributes = new_attributes (backend_id, name);
  secret_password_clearv (get_schema (), attributes, cancellable,
                          on_cleared, g_steal_pointer (&task));
}

gboolean
takes_credentials_clear_finish (TakesCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (TAKES_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Lookup --------------------------------------------------------------- */

static void
on_looked_up (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TakesCredentials *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (is_cancellation (error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* No keyring: there is simply no stored key. */
      set_session_only (self, error);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (secret != NULL && secret[0] != '\0')
    {
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, copy, (GDestroyNotify) takes_credentials_free_secret);
      return;
    }

  secret_password_free (secret);
  g_task_return_pointer (task, NULL, NULL);
}

void
takes_credentials_lookup_async (TakesCredentials    *self,
                                const char          *backend_id,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *skey = NULL;
  const char *kept;

  g_return_if_fail (TAKES_IS_CREDENTIALS (self));
  g_return_if_fail (backend_id != NULL);
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_credentials_lookup_async);

  /* What the person typed this session is the latest word. */
  skey = session_key (backend_id, name);
  if ((kept = g_hash_table_lookup (self->session, skey)) != NULL)
    {
      g_task_return_pointer (task, g_strdup (kept), (GDestroyNotify) takes_credentials_free_secret);
      return;
    }

  attributes = new_attributes (backend_id, name);
  secret_password_lookupv (get_schema (), attributes, cancellable,
                           on_looked_up, g_steal_pointer (&task));
}

char *
takes_credentials_lookup_finish (TakesCredentials  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (TAKES_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Apply ---------------------------------------------------------------- */

typedef struct
{
  guint pending;
  guint applied;
} ApplyData;

typedef struct
{
  GTask        *task;     /* owned */
  TakesBackend *backend;  /* owned */
  char         *name;
} ApplyItem;

static void
apply_item_free (ApplyItem *item)
{
  g_clear_object (&item->task);
  g_clear_object (&item->backend);
  g_free (item->name);
  g_free (item);
}

static void
apply_item_done (ApplyItem *item)
{
  ApplyData *data = g_task_get_task_data (item->task);

  if (--data->pending == 0)
    g_task_return_int (item->task, data->applied);

  apply_item_free (item);
}

static void
on_apply_looked_up (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ApplyItem *item = user_data;
  ApplyData *data = g_task_get_task_data (item->task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = takes_credentials_lookup_finish (TAKES_CREDENTIALS (object), result, &error);

  /* Nothing in the keyring: the environment variable, if any, applies. */
  if (error == NULL)
    takes_backend_set_credential (item->backend, item->name, secret);
  if (secret != NULL)
    data->applied++;
  takes_credentials_free_secret (secret);

  apply_item_done (item);
}

void
takes_credentials_apply_async (TakesCredentials     *self,
                               TakesBackendRegistry *registry,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GListModel *backends;
  ApplyData *data;

  g_return_if_fail (TAKES_IS_CREDENTIALS (self));
  g_return_if_fail (TAKES_IS_BACKEND_REGISTRY (registry));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_credentials_apply_async);
  data = g_new0 (ApplyData, 1);
  g_task_set_task_data (task, data, g_free);

  /* One extra count so the task cannot finish while items are queued. */
  data->pending = 1;

  backends = takes_backend_registry_get_backends (registry);
  for (guint i = 0; i < g_list_model_get_n_items (backends); i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);
      const char * const *names = takes_backend_get_credential_names (backend);

      for (guint j = 0; names != NULL && names[j] != NULL; j++)
        {
          ApplyItem *item = g_new0 (ApplyItem, 1);

          item->task = g_object_ref (task);
          item->backend = g_object_ref (backend);
          item->name = g_strdup (names[j]);
          data->pending++;

          takes_credentials_lookup_async (self, takes_backend_get_id (backend), names[j],
                                          cancellable, on_apply_looked_up, item);
        }
    }

  if (--data->pending == 0)
    g_task_return_int (task, data->applied);
}

guint
takes_credentials_apply_finish (TakesCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  gssize applied;

  g_return_val_if_fail (TAKES_IS_CREDENTIALS (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  applied = g_task_propagate_int (G_TASK (result), error);

  return applied > 0 ? (guint) applied : 0;
}
