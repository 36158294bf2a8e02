/* takes-preferences-generators.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-preferences-generators"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-backend-setup.h"
#include "takes-preferences-private.h"
#include "takes-ui.h"

/* One backend's group on the Generators page. */
typedef struct
{
  TakesPreferencesPages *pages;     /* borrowed: owns us */
  TakesBackend          *backend;   /* owned */
  GPtrArray             *key_rows;  /* AdwEntryRow, one per credential name */
  AdwEntryRow           *endpoint_row;
  AdwEntryRow           *model_row;
  AdwActionRow          *status_row;
  GtkWidget             *test_button;
  guint                  pending_stores;
} BackendGroup;

struct _TakesPreferencesPages
{
  GCancellable     *cancellable;    /* owned */
  GPtrArray        *groups;         /* BackendGroup */
  GtkWidget        *keyring_group;  /* borrowed */
  TakesCredentials *credentials;    /* borrowed, process-wide */
};

/* Reference counted: a keyring or network answer may arrive after the
 * window closed; it then finds pages NULL and touches nothing. */
static void
backend_group_clear (gpointer data)
{
  BackendGroup *group = data;

  g_clear_object (&group->backend);
  g_clear_pointer (&group->key_rows, g_ptr_array_unref);
}

static void
backend_group_release (gpointer data)
{
  g_rc_box_release_full (data, backend_group_clear);
}

static void
backend_group_detach (gpointer data)
{
  BackendGroup *group = data;

  group->pages = NULL;
  backend_group_release (group);
}

/* ---- Labels ------------------------------------------------------------------- */

/* "KLING_SECRET_KEY" → "Secret Key". Names follow the providers' own
 * environment variables; the common endings get words a person knows. */
static const char *
credential_title (const char *name)
{
  if (g_str_has_suffix (name, "ACCESS_KEY"))
    return _("Access Key");
  if (g_str_has_suffix (name, "SECRET_KEY"))
    return _("Secret Key");
  if (g_str_has_suffix (name, "SECRET_ID"))
    return _("Secret ID");
  if (g_str_has_suffix (name, "API_KEY"))
    return _("API Key");
  if (g_str_has_suffix (name, "TOKEN"))
    return _("Token");

  return name;
}

/* The same in the middle of a sentence: "the access key or API key" */
static const char *
credential_phrase (const char *name)
{
  if (g_str_has_suffix (name, "ACCESS_KEY"))
    return _("access key");
  if (g_str_has_suffix (name, "SECRET_KEY"))
    return _("secret key");
  if (g_str_has_suffix (name, "SECRET_ID"))
    return _("secret ID");
  if (g_str_has_suffix (name, "API_KEY"))
    return _("API key");
  if (g_str_has_suffix (name, "TOKEN"))
    return _("token");

  return name;
}

/* An access key or id names the account; only the other keys are secret
 * enough to be hidden while typed. */
static gboolean
credential_is_hidden (const char *name)
{
  return !g_str_has_suffix (name, "ACCESS_KEY") && !g_str_has_suffix (name, "SECRET_ID");
}

static char *
dup_rejection_text (BackendGroup *group)
{
  const char * const *names = takes_backend_get_credential_names (group->backend);
  g_autoptr(GString) keys = g_string_new (NULL);
  guint n = names != NULL ? g_strv_length ((char **) names) : 0;

  if (n == 0)
    /* Translators: shown after pressing Test when the server refused us */
    return g_strdup (_("Rejected: the server refused the connection"));

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        /* Translators: joins key names: "the access key or secret key" */
        g_string_append (keys, i + 1 == n ? _(" or ") : _(", "));
      g_string_append (keys, credential_phrase (names[i]));
    }

  /* Translators: %s is e.g. "access key or secret key" */
  return g_strdup_printf (_("Rejected: the %s is wrong"), keys->str);
}

static void
set_status (BackendGroup *group,
            const char   *text)
{
  adw_action_row_set_subtitle (group->status_row, text);
  /* The subtitle is what a screen reader speaks for the row. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (group->status_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

/* ---- Settings ------------------------------------------------------------------ */

static GVariant *
dict_with (GVariant   *dict,
           const char *key,
           const char *value)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k, *v;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, key))
      g_variant_builder_add (&builder, "{ss}", k, v);

  if (value != NULL && value[0] != '\0')
    g_variant_builder_add (&builder, "{ss}", key, value);

  return g_variant_builder_end (&builder);
}

static void
save_string_setting (const char *settings_key,
                     const char *backend_id,
                     const char *value)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GVariant) dict = NULL;

  if (settings == NULL)
    return;

  dict = g_settings_get_value (settings, settings_key);
  g_settings_set_value (settings, settings_key, dict_with (dict, backend_id, value));
}

static char *
dup_setting (const char *settings_key,
             const char *backend_id)
{
  GSettings *settings = takes_ui_get_settings ();
  g_autoptr(GVariant) dict = NULL;
  const char *value = NULL;

  if (settings == NULL)
    return NULL;

  dict = g_settings_get_value (settings, settings_key);
  if (g_variant_lookup (dict, backend_id, "&s", &value) && value[0] != '\0')
    return g_strdup (value);

  return NULL;
}

static char *
dup_trimmed_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Writes what the rows hold: endpoint and model to GSettings and the
 * backend, keys to the backend at once and to the keyring. */
static void
save_endpoint_and_model (BackendGroup *group)
{
  const char *id = takes_backend_get_id (group->backend);

  if (group->endpoint_row != NULL)
    {
      g_autofree char *url = dup_trimmed_text (group->endpoint_row);
      const char *fallback = TAKES_BACKEND_GET_CLASS (group->backend)->get_default_base_url (group->backend);

      /* The default endpoint is not an override: keep the setting empty so
       * a later release can move the default. */
      if (g_strcmp0 (url, fallback) == 0)
        g_clear_pointer (&url, g_free);

      save_string_setting ("backend-base-urls", id, url);
      takes_backend_set_base_url (group->backend, url != NULL && url[0] != '\0' ? url : NULL);
    }

  if (group->model_row != NULL)
    {
      g_autofree char *model = dup_trimmed_text (group->model_row);

      if (g_strcmp0 (model, takes_backend_get_default_model (group->backend)) == 0)
        g_clear_pointer (&model, g_free);

      save_string_setting ("backend-models", id, model);
    }
}

/* ---- Test ---------------------------------------------------------------------- */

static void
on_tested (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BackendGroup *group = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  ok = takes_backend_test_finish (TAKES_BACKEND (object), result, &error);

  if (group->pages == NULL)
    {
      backend_group_release (group);
      return;
    }

  if (ok)
    {
      /* Translators: the result of pressing Test in Preferences */
      set_status (group, _("Connected"));
    }
  else if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      backend_group_release (group);
      return; /* the window is closing */
    }
  else if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH) &&
           takes_backend_error_get_http_status (error) != 0)
    {
      text = dup_rejection_text (group);
      set_status (group, text);
    }
  else if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NETWORK) ||
           g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_TIMEOUT))
    {
      g_autofree char *url = takes_http_redact (takes_backend_get_base_url (group->backend));

      /* Translators: the first %s is an address, the second why it failed */
      text = g_strdup_printf (_("Could not reach %s: %s"), url != NULL ? url : "", error->message);
      set_status (group, text);
    }
  else if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA))
    {
      /* Translators: the keys were accepted but the account cannot pay;
       * %s is the provider's reason */
      text = g_strdup_printf (_("Connected, but %s"), error->message);
      set_status (group, text);
    }
  else
    {
      set_status (group, error->message);
    }

  gtk_widget_set_sensitive (group->test_button, TRUE);
  backend_group_release (group);
}

static void
run_test (BackendGroup *group)
{
  takes_backend_test_async (group->backend, group->pages->cancellable, on_tested,
                            g_rc_box_acquire (group));
}

static void
on_key_stored (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BackendGroup *group = user_data;
  g_autoptr(GError) error = NULL;

  takes_credentials_store_finish (TAKES_CREDENTIALS (object), result, &error);

  if (group->pages != NULL)
    {
      if (error != NULL)
        g_warning ("Could not store a key: %s", error->message);

      if (--group->pending_stores == 0)
        run_test (group);
    }

  backend_group_release (group);
}

static void
test_clicked_cb (GtkButton    *button,
                 BackendGroup *group)
{
  const char * const *names = takes_backend_get_credential_names (group->backend);
  const char *id = takes_backend_get_id (group->backend);

  gtk_widget_set_sensitive (group->test_button, FALSE);
  /* Translators: shown while Preferences checks a generator's keys */
  set_status (group, _("Testing…"));

  save_endpoint_and_model (group);

  /* One extra count: the test starts once every key is stored. */
  group->pending_stores = 1;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (group->key_rows, i);
      g_autofree char *value = dup_trimmed_text (row);

      takes_backend_set_credential (group->backend, names[i], value[0] != '\0' ? value : NULL);
      group->pending_stores++;
      takes_credentials_store_async (group->pages->credentials, id, names[i], value,
                                     group->pages->cancellable, on_key_stored,
                                     g_rc_box_acquire (group));
    }

  if (--group->pending_stores == 0)
    run_test (group);
}

/* ---- Building ------------------------------------------------------------------ */

static void
on_key_looked_up (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AdwEntryRow) row = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = takes_credentials_lookup_finish (TAKES_CREDENTIALS (object), result, &error);

  /* The person may have started typing already: their text wins. */
  if (secret != NULL && gtk_editable_get_text (GTK_EDITABLE (row))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (row), secret);

  takes_credentials_free_secret (secret);
}

static void
add_backend_group (TakesPreferencesPages *pages,
                   AdwPreferencesPage    *page,
                   TakesBackend          *backend)
{
  const char * const *names = takes_backend_get_credential_names (backend);
  const char *id = takes_backend_get_id (backend);
  const char *display_name = takes_backend_get_display_name (backend);
  const char *default_url = TAKES_BACKEND_GET_CLASS (backend)->get_default_base_url (backend);
  const TakesBackendModel *models = takes_backend_get_models (backend);
  g_autoptr(GString) env_note = g_string_new (NULL);
  g_autofree char *test_label = NULL;
  AdwPreferencesGroup *group_widget;
  BackendGroup *group;
  GtkWidget *button;

  group = g_rc_box_new0 (BackendGroup);
  group->pages = pages;
  group->backend = g_object_ref (backend);
  group->key_rows = g_ptr_array_new ();
  g_ptr_array_add (pages->groups, group);

  group_widget = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group_widget, display_name);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *row;

      if (credential_is_hidden (names[i]))
        row = adw_password_entry_row_new ();
      else
        row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), credential_title (names[i]));
      /* The row's list is named after the generator, and the row after
       * the key; the variable name is what scripts use. */
      gtk_widget_set_tooltip_text (row, names[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, names[i],
                                      -1);
      adw_preferences_group_add (group_widget, row);
      g_ptr_array_add (group->key_rows, row);

      if (g_getenv (names[i]) != NULL && g_getenv (names[i])[0] != '\0')
        {
          if (env_note->len > 0)
            g_string_append (env_note, ", ");
          g_string_append (env_note, names[i]);
        }

      takes_credentials_lookup_async (pages->credentials, id, names[i], pages->cancellable,
                                      on_key_looked_up, g_object_ref (row));
    }

  if (env_note->len > 0)
    {
      g_autofree char *description = NULL;

      /* Translators: %s is one or more environment variable names */
      description = g_strdup_printf (_("%s is set in the environment and is used while no key is entered here."),
                                     env_note->str);
      adw_preferences_group_set_description (group_widget, description);
    }

  if (default_url != NULL)
    {
      g_autofree char *current = dup_setting ("backend-base-urls", id);

      group->endpoint_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (group->endpoint_row), _("Endpoint"));
      gtk_editable_set_text (GTK_EDITABLE (group->endpoint_row),
                             current != NULL ? current : default_url);
      adw_preferences_group_add (group_widget, GTK_WIDGET (group->endpoint_row));
    }

  /* A choice only where there is one to make */
  if (models != NULL && models[0].id != NULL && (default_url != NULL || models[1].id != NULL))
    {
      g_autofree char *current = dup_setting ("backend-models", id);

      group->model_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (group->model_row), _("Default Model"));
      gtk_editable_set_text (GTK_EDITABLE (group->model_row),
                             current != NULL ? current : models[0].id);
      adw_preferences_group_add (group_widget, GTK_WIDGET (group->model_row));
    }

  group->status_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (group->status_row), _("Connection"));
  adw_action_row_set_subtitle_lines (group->status_row, 0);
  set_status (group, takes_backend_is_configured (backend)
                     ? _("Not tested yet")
                     : _("Enter the keys, then press Test"));

  button = gtk_button_new_with_label (_("Test"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of a Test button, e.g. "Test Kling" */
  test_label = g_strdup_printf (_("Test %s"), display_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, test_label,
                                  -1);
  gtk_widget_set_tooltip_text (button, _("Save and check the keys and endpoint"));
  g_signal_connect (button, "clicked", G_CALLBACK (test_clicked_cb), group);
  adw_action_row_add_suffix (group->status_row, button);
  group->test_button = button;
  adw_preferences_group_add (group_widget, GTK_WIDGET (group->status_row));

  adw_preferences_page_add (page, group_widget);
}

static void
session_only_changed_cb (TakesPreferencesPages *pages)
{
  gtk_widget_set_visible (pages->keyring_group,
                          takes_credentials_get_session_only (pages->credentials));
}

static GtkWidget *
build_keyring_group (TakesPreferencesPages *pages)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *label;

  label = gtk_label_new (_("No keyring is available: the key is kept only until Takes quits."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "warning");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), label);

  return group;
}

GtkWidget *
_takes_preferences_generators_page_new (TakesPreferencesPages *pages)
{
  TakesBackendRegistry *registry = takes_backend_registry_get_default ();
  GListModel *backends = takes_backend_registry_get_backends (registry);
  AdwPreferencesPage *page;
  GtkWidget *intro;

  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (page, _("Generators"));
  adw_preferences_page_set_icon_name (page, "network-server-symbolic");

  intro = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (intro),
                                         _("Keys are kept in the system keyring, never in project or settings files."));
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (intro));

  pages->keyring_group = build_keyring_group (pages);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (pages->keyring_group));
  g_signal_connect_swapped (pages->credentials, "notify::session-only",
                            G_CALLBACK (session_only_changed_cb), pages);
  session_only_changed_cb (pages);

  for (guint i = 0; i < g_list_model_get_n_items (backends); i++)
    {
      g_autoptr(TakesBackend) backend = g_list_model_get_item (backends, i);

      add_backend_group (pages, page, backend);
    }

  return GTK_WIDGET (page);
}

/* ---- Life cycle ---------------------------------------------------------------- */

TakesPreferencesPages *
_takes_preferences_pages_new (void)
{
  TakesPreferencesPages *pages = g_new0 (TakesPreferencesPages, 1);

  takes_backend_setup_init ();

  pages->cancellable = g_cancellable_new ();
  pages->groups = g_ptr_array_new_with_free_func (backend_group_detach);
  pages->credentials = takes_credentials_get_default ();

  return pages;
}

void
_takes_preferences_pages_free (TakesPreferencesPages *pages)
{
  if (pages == NULL)
    return;

  /* Callbacks still queued see the cancellation and touch nothing. */
  g_cancellable_cancel (pages->cancellable);
  g_signal_handlers_disconnect_by_data (pages->credentials, pages);
  g_clear_object (&pages->cancellable);
  g_clear_pointer (&pages->groups, g_ptr_array_unref);
  g_free (pages);
}
