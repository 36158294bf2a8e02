/* takes-project.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-project"

#include "config.h"

#include <math.h>
#include <string.h>

#include "takes-model-private.h"
#include "takes-project.h"

struct _TakesProject
{
  GObject     parent_instance;

  /* owned */
  char       *title;
  GFile      *file;
  GListStore *shots;
  GListStore *soundtrack;
  JsonObject *extra;

  int         width;
  int         height;
  double      fps;
  double      budget;
  guint       modified : 1;
};

G_DEFINE_FINAL_TYPE (TakesProject, takes_project, G_TYPE_OBJECT)

G_DEFINE_QUARK (takes-project-error-quark, takes_project_error)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FPS,
  PROP_BUDGET,
  PROP_FILE,
  PROP_MODIFIED,
  PROP_SHOTS,
  PROP_SOUNDTRACK,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
mark_changed (TakesProject *self)
{
  takes_project_set_modified (self, TRUE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_shot_changed (TakesShot    *shot,
                 TakesProject *self)
{
  mark_changed (self);
}

static void
on_clip_notify (TakesSoundtrackClip *clip,
                GParamSpec          *pspec,
                TakesProject        *self)
{
  mark_changed (self);
}

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  TakesProject *self)
{
  mark_changed (self);
}

static void
disconnect_all (TakesProject *self,
                GListStore   *store,
                gpointer      func)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_signal_handlers_disconnect_by_func (item, func, self);
    }
}

static void
takes_project_dispatch_properties_changed (GObject     *object,
                                           guint        n_pspecs,
                                           GParamSpec **pspecs)
{
  TakesProject *self = TAKES_PROJECT (object);
  gboolean edit = FALSE;

  G_OBJECT_CLASS (takes_project_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);

  /* Where the project lives and whether it is saved are not edits of it. */
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (pspecs[i] != properties[PROP_MODIFIED] && pspecs[i] != properties[PROP_FILE])
        edit = TRUE;
    }

  if (edit)
    mark_changed (self);
}

static void
takes_project_dispose (GObject *object)
{
  TakesProject *self = (TakesProject *) object;

  /* Shots and clips can outlive the project (undo holds them). */
  if (self->shots != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->shots, on_items_changed, self);
      disconnect_all (self, self->shots, on_shot_changed);
      g_clear_object (&self->shots);
    }

  if (self->soundtrack != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->soundtrack, on_items_changed, self);
      disconnect_all (self, self->soundtrack, on_clip_notify);
      g_clear_object (&self->soundtrack);
    }

  g_clear_object (&self->file);

  G_OBJECT_CLASS (takes_project_parent_class)->dispose (object);
}

static void
takes_project_finalize (GObject *object)
{
  TakesProject *self = (TakesProject *) object;

  g_free (self->title);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (takes_project_parent_class)->finalize (object);
}

static void
takes_project_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TakesProject *self = TAKES_PROJECT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_FPS:
      g_value_set_double (value, self->fps);
      break;
    case PROP_BUDGET:
      g_value_set_double (value, self->budget);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    case PROP_SHOTS:
      g_value_set_object (value, self->shots);
      break;
    case PROP_SOUNDTRACK:
      g_value_set_object (value, self->soundtrack);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_project_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TakesProject *self = TAKES_PROJECT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      takes_project_set_title (self, g_value_get_string (value));
      break;
    case PROP_WIDTH:
      takes_project_set_size (self, g_value_get_int (value), self->height);
      break;
    case PROP_HEIGHT:
      takes_project_set_size (self, self->width, g_value_get_int (value));
      break;
    case PROP_FPS:
      takes_project_set_fps (self, g_value_get_double (value));
      break;
    case PROP_BUDGET:
      takes_project_set_budget (self, g_value_get_double (value));
      break;
    case PROP_FILE:
      takes_project_set_file (self, g_value_get_object (value));
      break;
    case PROP_MODIFIED:
      takes_project_set_modified (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_project_class_init (TakesProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_project_dispose;
  object_class->finalize = takes_project_finalize;
  object_class->get_property = takes_project_get_property;
  object_class->set_property = takes_project_set_property;
  object_class->dispatch_properties_changed = takes_project_dispatch_properties_changed;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", rw);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 16, 8192,
                                             TAKES_PROJECT_DEFAULT_WIDTH, rw);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 16, 8192,
                                              TAKES_PROJECT_DEFAULT_HEIGHT, rw);
  properties[PROP_FPS] = g_param_spec_double ("fps", NULL, NULL, 1.0, 240.0,
                                              TAKES_PROJECT_DEFAULT_FPS, rw);
  properties[PROP_BUDGET] = g_param_spec_double ("budget", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, rw);
  properties[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE, rw);
  properties[PROP_SHOTS] = g_param_spec_object ("shots", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_SOUNDTRACK] = g_param_spec_object ("soundtrack", NULL, NULL, G_TYPE_LIST_MODEL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
takes_project_init (TakesProject *self)
{
  self->title = g_strdup ("");
  self->width = TAKES_PROJECT_DEFAULT_WIDTH;
  self->height = TAKES_PROJECT_DEFAULT_HEIGHT;
  self->fps = TAKES_PROJECT_DEFAULT_FPS;
  self->shots = g_list_store_new (TAKES_TYPE_SHOT);
  self->soundtrack = g_list_store_new (TAKES_TYPE_SOUNDTRACK_CLIP);

  g_signal_connect (self->shots, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (self->soundtrack, "items-changed", G_CALLBACK (on_items_changed), self);
}

TakesProject *
takes_project_new (void)
{
  return g_object_new (TAKES_TYPE_PROJECT, NULL);
}

const char *
takes_project_get_title (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  return self->title;
}

void
takes_project_set_title (TakesProject *self,
                         const char   *title)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));

  if (_takes_set_text (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

int
takes_project_get_width (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), TAKES_PROJECT_DEFAULT_WIDTH);

  return self->width;
}

int
takes_project_get_height (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), TAKES_PROJECT_DEFAULT_HEIGHT);

  return self->height;
}

void
takes_project_set_size (TakesProject *self,
                        int           width,
                        int           height)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));
  /* Video encoders want even sizes; the file format insists on them. */
  g_return_if_fail (width >= 16 && width <= 8192 && width % 2 == 0);
  g_return_if_fail (height >= 16 && height <= 8192 && height % 2 == 0);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->width != width)
    {
      self->width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
    }

  if (self->height != height)
    {
      self->height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

double
takes_project_get_fps (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), TAKES_PROJECT_DEFAULT_FPS);

  return self->fps;
}

void
takes_project_set_fps (TakesProject *self,
                       double        fps)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));
  g_return_if_fail (isfinite (fps) && fps >= 1.0 && fps <= 240.0);

  if (self->fps == fps)
    return;

  self->fps = fps;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FPS]);
}

double
takes_project_get_budget (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), 0);

  return self->budget;
}

void
takes_project_set_budget (TakesProject *self,
                          double        budget)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));

  if (!isfinite (budget) || budget < 0)
    budget = 0;

  if (self->budget == budget)
    return;

  self->budget = budget;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
}

GFile *
takes_project_get_file (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  return self->file;
}

void
takes_project_set_file (TakesProject *self,
                        GFile        *file)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

GFile *
takes_project_get_base_dir (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  if (self->file == NULL)
    return NULL;

  return g_file_get_parent (self->file);
}

GFile *
takes_project_get_media_dir (TakesProject *self)
{
  g_autoptr(GFile) parent = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  if (self->file == NULL)
    return NULL;

  parent = g_file_get_parent (self->file);
  basename = g_file_get_basename (self->file);
  if (parent == NULL || basename == NULL)
    return NULL;

  if (g_str_has_suffix (basename, TAKES_PROJECT_EXTENSION) &&
      strlen (basename) > strlen (TAKES_PROJECT_EXTENSION))
    basename[strlen (basename) - strlen (TAKES_PROJECT_EXTENSION)] = '\0';

  name = g_strconcat (basename, ".media", NULL);

  return g_file_get_child (parent, name);
}

GFile *
takes_project_resolve (TakesProject *self,
                       const char   *relative_path)
{
  g_autoptr(GFile) base = NULL;

  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  if (relative_path == NULL)
    return NULL;

  base = takes_project_get_base_dir (self);
  if (base == NULL || g_path_is_absolute (relative_path))
    return g_file_new_for_path (relative_path);

  return g_file_resolve_relative_path (base, relative_path);
}

char *
takes_project_relativize (TakesProject *self,
                          GFile        *file)
{
  g_autoptr(GFile) base = NULL;

  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  base = takes_project_get_base_dir (self);
  if (base == NULL)
    return NULL;

  return g_file_get_relative_path (base, file);
}

gboolean
takes_project_get_modified (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), FALSE);

  return self->modified;
}

void
takes_project_set_modified (TakesProject *self,
                            gboolean      modified)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));

  modified = !!modified;
  if (self->modified == (guint) modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

GListModel *
takes_project_get_shots (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  return G_LIST_MODEL (self->shots);
}

guint
takes_project_get_n_shots (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->shots));
}

TakesShot *
takes_project_get_shot (TakesProject *self,
                        guint         position)
{
  TakesShot *shot;

  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  /* Borrowed: the store keeps its reference. */
  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  if (shot != NULL)
    g_object_unref (shot);

  return shot;
}

TakesShot *
takes_project_find_shot (TakesProject *self,
                         const char   *shot_id)
{
  guint n;

  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  if (shot_id == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  for (guint i = 0; i < n; i++)
    {
      TakesShot *shot = takes_project_get_shot (self, i);

      if (g_strcmp0 (takes_shot_get_id (shot), shot_id) == 0)
        return shot;
    }

  return NULL;
}

gboolean
takes_project_find_shot_position (TakesProject *self,
                                  TakesShot    *shot,
                                  guint        *position)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (TAKES_IS_SHOT (shot), FALSE);

  return g_list_store_find (self->shots, shot, position);
}

void
takes_project_insert_shot (TakesProject *self,
                           guint         position,
                           TakesShot    *shot)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));
  g_return_if_fail (TAKES_IS_SHOT (shot));

  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->shots)));

  g_signal_connect (shot, "changed", G_CALLBACK (on_shot_changed), self);
  g_list_store_insert (self->shots, position, shot);
}

void
takes_project_append_shot (TakesProject *self,
                           TakesShot    *shot)
{
  takes_project_insert_shot (self, G_MAXUINT, shot);
}

void
takes_project_remove_shot (TakesProject *self,
                           guint         position)
{
  g_autoptr(TakesShot) shot = NULL;

  g_return_if_fail (TAKES_IS_PROJECT (self));

  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  g_return_if_fail (shot != NULL);

  g_signal_handlers_disconnect_by_func (shot, on_shot_changed, self);
  g_list_store_remove (self->shots, position);
}

void
takes_project_move_shot (TakesProject *self,
                         guint         from,
                         guint         to)
{
  g_autoptr(TakesShot) shot = NULL;
  guint n;

  g_return_if_fail (TAKES_IS_PROJECT (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  g_return_if_fail (from < n);
  to = MIN (to, n - 1);

  if (from == to)
    return;

  /* Held across the remove; the "changed" connection stays as it is. */
  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), from);
  g_list_store_remove (self->shots, from);
  g_list_store_insert (self->shots, to, shot);
}

GListModel *
takes_project_get_soundtrack (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  return G_LIST_MODEL (self->soundtrack);
}

void
takes_project_add_soundtrack_clip (TakesProject        *self,
                                   TakesSoundtrackClip *clip)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (clip));

  g_signal_connect (clip, "notify", G_CALLBACK (on_clip_notify), self);
  g_list_store_append (self->soundtrack, clip);
}

void
takes_project_remove_soundtrack_clip (TakesProject        *self,
                                      TakesSoundtrackClip *clip)
{
  guint position;

  g_return_if_fail (TAKES_IS_PROJECT (self));
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (clip));

  if (!g_list_store_find (self->soundtrack, clip, &position))
    return;

  g_signal_handlers_disconnect_by_func (clip, on_clip_notify, self);
  g_list_store_remove (self->soundtrack, position);
}

JsonObject *
_takes_project_get_extra (TakesProject *self)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (self), NULL);

  return self->extra;
}

void
_takes_project_set_extra (TakesProject *self,
                          JsonObject   *extra)
{
  g_return_if_fail (TAKES_IS_PROJECT (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
