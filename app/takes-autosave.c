/* takes-autosave.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-autosave"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "takes-autosave.h"
#include "takes-json-guard.h"
#include "takes-model-private.h"

#define SIDECAR_MAX_SIZE  (64 * 1024)
/* Someone typing without pause still gets a copy this often. */
#define MAX_WAIT_SECONDS  30
#define SIDECAR_MAX_DEPTH 4

static GFile *
default_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "takes", "autosave", NULL);
}

static GFile *
sibling_with_extension (GFile      *dir,
                        const char *id,
                        const char *extension)
{
  g_autofree char *name = g_strconcat (id, extension, NULL);

  return g_file_get_child (dir, name);
}

static void
delete_quietly (GFile *file)
{
  g_autoptr(GError) error = NULL;

  if (file != NULL &&
      !g_file_delete (file, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Could not remove the recovery copy %s: %s",
               g_file_peek_path (file), error->message);
}

/* ------------------------------------------------------------------------
 * TakesAutosave
 * ------------------------------------------------------------------------ */

struct _TakesAutosave
{
  GObject       parent_instance;

  /* owned */
  TakesProject *project;
  GFile        *dir;
  GFile        *file;
  GFile        *sidecar;

  gulong        changed_handler;
  gulong        modified_handler;
  guint         timeout_id;
  guint         delay;
  gint64        pending_since;
  guint         discarded : 1;
};

G_DEFINE_FINAL_TYPE (TakesAutosave, takes_autosave, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
remove_copy (TakesAutosave *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  delete_quietly (self->file);
  delete_quietly (self->sidecar);
}

static gboolean
on_timeout (gpointer user_data)
{
  TakesAutosave *self = user_data;
  g_autoptr(GError) error = NULL;

  self->timeout_id = 0;

  if (!takes_autosave_flush (self, &error))
    g_warning ("Could not write the recovery copy: %s", error->message);

  return G_SOURCE_REMOVE;
}

static void
schedule (TakesAutosave *self)
{
  gint64 now = g_get_monotonic_time ();

  /* Restarted on every change: the copy is written after a quiet spell,
   * not in the middle of typing; but not put off for ever. */
  if (self->timeout_id != 0 && now - self->pending_since >= MAX_WAIT_SECONDS * G_USEC_PER_SEC)
    return;

  if (self->timeout_id == 0)
    self->pending_since = now;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->delay == 0)
    self->timeout_id = g_timeout_add (0, on_timeout, self);
  else
    self->timeout_id = g_timeout_add_seconds (self->delay, on_timeout, self);
}

static void
on_project_changed (TakesProject  *project,
                    TakesAutosave *self)
{
  if (self->discarded || !takes_project_get_modified (project))
    return;

  schedule (self);
}

static void
on_project_modified (TakesProject  *project,
                     GParamSpec    *pspec,
                     TakesAutosave *self)
{
  /* Saved (or reverted): the project file itself is now the truth. */
  if (!takes_project_get_modified (project))
    remove_copy (self);
}

static void
takes_autosave_dispose (GObject *object)
{
  TakesAutosave *self = (TakesAutosave *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->project);
      g_clear_signal_handler (&self->modified_handler, self->project);
      g_clear_object (&self->project);
    }

  if (self->discarded)
    remove_copy (self);

  G_OBJECT_CLASS (takes_autosave_parent_class)->dispose (object);
}

static void
takes_autosave_finalize (GObject *object)
{
  TakesAutosave *self = (TakesAutosave *) object;

  g_clear_object (&self->dir);
  g_clear_object (&self->file);
  g_clear_object (&self->sidecar);

  G_OBJECT_CLASS (takes_autosave_parent_class)->finalize (object);
}

static void
takes_autosave_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TakesAutosave *self = TAKES_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_autosave_class_init (TakesAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_autosave_dispose;
  object_class->finalize = takes_autosave_finalize;
  object_class->get_property = takes_autosave_get_property;

  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
takes_autosave_init (TakesAutosave *self)
{
  self->delay = TAKES_AUTOSAVE_DELAY_SECONDS;
}

TakesAutosave *
takes_autosave_new (TakesProject *project,
                    GFile        *dir)
{
  TakesAutosave *self;
  g_autofree char *id = NULL;

  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);
  g_return_val_if_fail (dir == NULL || G_IS_FILE (dir), NULL);

  self = g_object_new (TAKES_TYPE_AUTOSAVE, NULL);
  self->project = g_object_ref (project);
  self->dir = dir != NULL ? g_object_ref (dir) : default_dir ();

  id = _takes_new_id ('r');
  self->file = sibling_with_extension (self->dir, id, TAKES_PROJECT_EXTENSION);
  self->sidecar = sibling_with_extension (self->dir, id, ".json");

  self->changed_handler = g_signal_connect (project, "changed",
                                            G_CALLBACK (on_project_changed), self);
  self->modified_handler = g_signal_connect (project, "notify::modified",
                                             G_CALLBACK (on_project_modified), self);

  if (takes_project_get_modified (project))
    schedule (self);

  return self;
}

GFile *
takes_autosave_get_file (TakesAutosave *self)
{
  g_return_val_if_fail (TAKES_IS_AUTOSAVE (self), NULL);

  return self->file;
}

static char *
build_sidecar (TakesProject *project)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GFile *original = takes_project_get_file (project);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "original");
  if (original != NULL)
    {
      g_autofree char *uri = g_file_get_uri (original);

      json_builder_add_string_value (builder, uri);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, takes_project_get_title (project));
  json_builder_set_member_name (builder, "modified");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  /* Lets a later start tell a crashed session from a running one. */
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, getpid ());
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

gboolean
takes_autosave_flush (TakesAutosave  *self,
                      GError        **error)
{
  g_autofree char *data = NULL;
  g_autofree char *sidecar = NULL;
  gsize length = 0;

  g_return_val_if_fail (TAKES_IS_AUTOSAVE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->project == NULL || self->discarded || !takes_project_get_modified (self->project))
    return TRUE;

  if (g_mkdir_with_parents (g_file_peek_path (self->dir), 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"),
                   g_file_peek_path (self->dir), g_strerror (saved_errno));
      return FALSE;
    }

  data = takes_project_to_data (self->project, &length);
  sidecar = build_sidecar (self->project);

  /* Not DURABLE: the copy guards against the program dying, and an fsync
   * every few seconds of editing would cost more than it saves. The
   * sidecar goes second so that it never describes a missing copy. */
  if (!g_file_set_contents_full (g_file_peek_path (self->file), data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  if (!g_file_set_contents_full (g_file_peek_path (self->sidecar), sidecar, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  return TRUE;
}

void
takes_autosave_discard (TakesAutosave *self)
{
  g_return_if_fail (TAKES_IS_AUTOSAVE (self));

  self->discarded = TRUE;
  remove_copy (self);
}

void
_takes_autosave_set_delay (TakesAutosave *self,
                           guint          seconds)
{
  g_return_if_fail (TAKES_IS_AUTOSAVE (self));

  self->delay = seconds;
  if (self->timeout_id != 0)
    schedule (self);
}

gboolean
_takes_pid_is_running_takes (gint64 pid)
{
  g_autofree char *path = NULL;
  g_autofree char *comm = NULL;

  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;

  path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/comm", pid);
  if (!g_file_get_contents (path, &comm, NULL, NULL))
    return FALSE;

  g_strchomp (comm);

  return g_str_equal (comm, "takes");
}

/* ------------------------------------------------------------------------
 * TakesRecovery
 * ------------------------------------------------------------------------ */

struct _TakesRecovery
{
  GObject  parent_instance;

  /* owned */
  GFile   *file;
  GFile   *sidecar;
  GFile   *original;
  char    *title;

  gint64   modified;
};

G_DEFINE_FINAL_TYPE (TakesRecovery, takes_recovery, G_TYPE_OBJECT)

static void
takes_recovery_finalize (GObject *object)
{
  TakesRecovery *self = (TakesRecovery *) object;

  g_clear_object (&self->file);
  g_clear_object (&self->sidecar);
  g_clear_object (&self->original);
  g_free (self->title);

  G_OBJECT_CLASS (takes_recovery_parent_class)->finalize (object);
}

static void
takes_recovery_class_init (TakesRecoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = takes_recovery_finalize;
}

static void
takes_recovery_init (TakesRecovery *self)
{
}

/* NULL when the sidecar is unreadable or belongs to a running Takes */
static TakesRecovery *
recovery_from_sidecar (GFile      *dir,
                       const char *sidecar_name)
{
  g_autoptr(TakesRecovery) self = NULL;
  g_autoptr(GFile) sidecar = g_file_get_child (dir, sidecar_name);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonNode *node;
  gsize length;

  if (!g_file_get_contents (g_file_peek_path (sidecar), &contents, &length, NULL) ||
      length > SIDECAR_MAX_SIZE)
    return NULL;

  root = takes_json_guard_parse (contents, length, SIDECAR_MAX_DEPTH, SIDECAR_MAX_SIZE, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);

  node = json_object_get_member (object, "pid");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64 &&
      _takes_pid_is_running_takes (json_node_get_int (node)))
    return NULL;

  id = g_strndup (sidecar_name, strlen (sidecar_name) - strlen (".json"));

  self = g_object_new (TAKES_TYPE_RECOVERY, NULL);
  self->sidecar = g_steal_pointer (&sidecar);
  self->file = sibling_with_extension (dir, id, TAKES_PROJECT_EXTENSION);

  if (!g_file_query_exists (self->file, NULL))
    return NULL;

  node = json_object_get_member (object, "original");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *uri = json_node_get_string (node);
      g_autofree char *scheme = g_uri_parse_scheme (uri);

      if (scheme != NULL)
        self->original = g_file_new_for_uri (uri);
    }

  node = json_object_get_member (object, "title");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    self->title = g_strdup (json_node_get_string (node));
  else
    self->title = g_strdup ("");

  node = json_object_get_member (object, "modified");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    self->modified = json_node_get_int (node);

  return g_steal_pointer (&self);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const TakesRecovery *ra = a;
  const TakesRecovery *rb = b;

  if (ra->modified != rb->modified)
    return ra->modified > rb->modified ? -1 : 1;

  return 0;
}

GListModel *
takes_recovery_list (GFile *dir)
{
  g_autoptr(GFile) default_folder = NULL;
  g_autoptr(GDir) gdir = NULL;
  GListStore *store;
  const char *name;

  g_return_val_if_fail (dir == NULL || G_IS_FILE (dir), NULL);

  store = g_list_store_new (TAKES_TYPE_RECOVERY);

  if (dir == NULL)
    dir = default_folder = default_dir ();

  _takes_sweep_temporaries (dir, TAKES_PROJECT_EXTENSION);
  _takes_sweep_temporaries (dir, ".json");

  gdir = g_dir_open (g_file_peek_path (dir), 0, NULL);
  if (gdir == NULL)
    return G_LIST_MODEL (store);

  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      g_autoptr(TakesRecovery) recovery = NULL;

      if (!g_str_has_suffix (name, ".json") || strlen (name) <= strlen (".json"))
        continue;

      recovery = recovery_from_sidecar (dir, name);
      if (recovery != NULL)
        g_list_store_insert_sorted (store, recovery, compare_newest_first, NULL);
    }

  return G_LIST_MODEL (store);
}

GFile *
takes_recovery_get_file (TakesRecovery *self)
{
  g_return_val_if_fail (TAKES_IS_RECOVERY (self), NULL);

  return self->file;
}

GFile *
takes_recovery_get_original (TakesRecovery *self)
{
  g_return_val_if_fail (TAKES_IS_RECOVERY (self), NULL);

  return self->original;
}

const char *
takes_recovery_get_title (TakesRecovery *self)
{
  g_return_val_if_fail (TAKES_IS_RECOVERY (self), NULL);

  return self->title;
}

gint64
takes_recovery_get_modified (TakesRecovery *self)
{
  g_return_val_if_fail (TAKES_IS_RECOVERY (self), 0);

  return self->modified;
}

TakesProject *
takes_recovery_load (TakesRecovery  *self,
                     GError        **error)
{
  g_autoptr(TakesProject) project = NULL;

  g_return_val_if_fail (TAKES_IS_RECOVERY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  project = takes_project_load (self->file, NULL, error);
  if (project == NULL)
    return NULL;

  /* Media paths are relative to the original's folder, and saving must go
   * there, not into the autosave folder. */
  takes_project_set_file (project, self->original);
  takes_project_set_modified (project, TRUE);

  return g_steal_pointer (&project);
}

void
takes_recovery_discard (TakesRecovery *self)
{
  g_return_if_fail (TAKES_IS_RECOVERY (self));

  delete_quietly (self->file);
  delete_quietly (self->sidecar);
}
