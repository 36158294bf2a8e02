/* takes-project.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-shot.h"
#include "takes-soundtrack-clip.h"

G_BEGIN_DECLS

#define TAKES_PROJECT_FORMAT          "takes-project"
/* The version this build writes. Files with a higher one are refused. */
#define TAKES_PROJECT_VERSION         1
#define TAKES_PROJECT_EXTENSION       ".takes"
#define TAKES_PROJECT_DEFAULT_WIDTH   1920
#define TAKES_PROJECT_DEFAULT_HEIGHT  1080
#define TAKES_PROJECT_DEFAULT_FPS     24.0

#define TAKES_PROJECT_ERROR (takes_project_error_quark ())

typedef enum
{
  TAKES_PROJECT_ERROR_INVALID,       /* not a project, or a field is wrong */
  TAKES_PROJECT_ERROR_TOO_NEW,       /* written by a newer Takes */
  TAKES_PROJECT_ERROR_TOO_LARGE,     /* over the size or nesting caps */
} TakesProjectError;

GQuark takes_project_error_quark (void);

#define TAKES_TYPE_PROJECT (takes_project_get_type ())
G_DECLARE_FINAL_TYPE (TakesProject, takes_project, TAKES, PROJECT, GObject)

/* Signals:
 *   "changed" (void): emitted after any edit of the project, its shots,
 *   takes or soundtrack (property or list change). Sets "modified".
 *   Autosave and the window title listen to it.
 */

TakesProject *takes_project_new                 (void);

const char   *takes_project_get_title           (TakesProject  *self);
void          takes_project_set_title           (TakesProject  *self,
                                                 const char    *title);
int           takes_project_get_width           (TakesProject  *self);
int           takes_project_get_height          (TakesProject  *self);
void          takes_project_set_size            (TakesProject  *self,
                                                 int            width,
                                                 int            height);
double        takes_project_get_fps             (TakesProject  *self);
void          takes_project_set_fps             (TakesProject  *self,
                                                 double         fps);
/* 0 means no cap */
double        takes_project_get_budget          (TakesProject  *self);
void          takes_project_set_budget          (TakesProject  *self,
                                                 double         budget);

/* The file it was loaded from or last saved to; NULL for a new project */
GFile        *takes_project_get_file            (TakesProject  *self);
void          takes_project_set_file            (TakesProject  *self,
                                                 GFile         *file);
/* The folder media paths are relative to, and the media folder itself */
GFile        *takes_project_get_base_dir        (TakesProject  *self);
GFile        *takes_project_get_media_dir       (TakesProject  *self);
/* Resolves a stored relative path against the base dir; NULL if path is NULL */
GFile        *takes_project_resolve             (TakesProject  *self,
                                                 const char    *relative_path);
/* Makes a path relative to the base dir when it is inside it; NULL when it
 * is outside (or the project has no file yet): loading refuses paths that
 * leave the project's folder, so import such files into the media dir. */
char         *takes_project_relativize          (TakesProject  *self,
                                                 GFile         *file);

/* TRUE when there are changes since the last save or load */
gboolean      takes_project_get_modified        (TakesProject  *self);
void          takes_project_set_modified        (TakesProject  *self,
                                                 gboolean       modified);

/* GListModel of TakesShot, in film order */
GListModel   *takes_project_get_shots           (TakesProject  *self);
guint         takes_project_get_n_shots         (TakesProject  *self);
TakesShot    *takes_project_get_shot            (TakesProject  *self,
                                                 guint          position);
TakesShot    *takes_project_find_shot           (TakesProject  *self,
                                                 const char    *shot_id);
gboolean      takes_project_find_shot_position  (TakesProject  *self,
                                                 TakesShot     *shot,
                                                 guint         *position);
void          takes_project_insert_shot         (TakesProject  *self,
                                                 guint          position,
                                                 TakesShot     *shot);
void          takes_project_append_shot         (TakesProject  *self,
                                                 TakesShot     *shot);
void          takes_project_remove_shot         (TakesProject  *self,
                                                 guint          position);
void          takes_project_move_shot           (TakesProject  *self,
                                                 guint          from,
                                                 guint          to);

/* GListModel of TakesSoundtrackClip */
GListModel   *takes_project_get_soundtrack      (TakesProject  *self);
void          takes_project_add_soundtrack_clip (TakesProject  *self,
                                                 TakesSoundtrackClip *clip);
void          takes_project_remove_soundtrack_clip (TakesProject *self,
                                                 TakesSoundtrackClip *clip);

/* Persistence (takes-project-io.c). Loading never trusts the file: every
 * field is checked and a failure names the file and the field. */
TakesProject *takes_project_load                (GFile         *file,
                                                 GCancellable  *cancellable,
                                                 GError       **error);
void          takes_project_load_async          (GFile         *file,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
TakesProject *takes_project_load_finish         (GAsyncResult  *result,
                                                 GError       **error);
/* Parses from memory; @file (may be NULL) names the source in errors and
 * anchors relative paths. */
TakesProject *takes_project_load_from_data      (const char    *data,
                                                 gsize          length,
                                                 GFile         *file,
                                                 GError       **error);
/* Serialises to the current format (keeping unknown fields of newer
 * minor writers). */
char         *takes_project_to_data             (TakesProject  *self,
                                                 gsize         *length);
/* Atomic: temporary file, fsync, rename; the previous version is kept as
 * FILE.bak. Sets the project's file and clears "modified" on success. */
gboolean      takes_project_save                (TakesProject  *self,
                                                 GFile         *file,
                                                 GError       **error);
/* Removes temporary files a crash mid-save left in @dir ("NAME.takes.XXXXXX"
 * older than a minute, so another instance's save in progress is spared);
 * returns how many. */
guint         takes_project_sweep_orphans       (GFile         *dir);

G_END_DECLS
