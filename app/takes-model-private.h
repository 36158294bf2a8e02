/* takes-model-private.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-autosave.h"
#include "takes-history.h"
#include "takes-project.h"

G_BEGIN_DECLS

/* Ids end up in media file names, so they are kept to a safe alphabet. */
#define TAKES_ID_MAX_LENGTH 64

char       *_takes_new_id                  (char                 prefix);
gboolean    _takes_id_is_valid             (const char          *id);
gboolean    _takes_aspect_is_valid         (const char          *aspect);
/* A relative path that stays inside the folder it is relative to */
gboolean    _takes_relative_path_is_safe   (const char          *path);

/* Assign a copy to *field; TRUE when it changed. The "text" variant never
 * stores NULL (an empty string instead), the "optional" one stores NULL for
 * both NULL and "". */
gboolean    _takes_set_text                (char               **field,
                                            const char          *value);
gboolean    _takes_set_optional            (char               **field,
                                            const char          *value);

JsonObject *_takes_json_object_copy        (JsonObject          *object);

/* Members of the project file this version does not know. They are kept
 * per object (and per nested section, e.g. "probe") so that saving does
 * not lose what a newer Takes wrote. NULL when there are none. */
JsonObject *_takes_project_get_extra       (TakesProject        *self);
void        _takes_project_set_extra       (TakesProject        *self,
                                            JsonObject          *extra);
JsonObject *_takes_shot_get_extra          (TakesShot           *self,
                                            const char          *section);
void        _takes_shot_set_extra          (TakesShot           *self,
                                            const char          *section,
                                            JsonObject          *extra);
JsonObject *_takes_take_get_extra          (TakesTake           *self,
                                            const char          *section);
void        _takes_take_set_extra          (TakesTake           *self,
                                            const char          *section,
                                            JsonObject          *extra);
JsonObject *_takes_soundtrack_clip_get_extra (TakesSoundtrackClip *self);
void        _takes_soundtrack_clip_set_extra (TakesSoundtrackClip *self,
                                            JsonObject          *extra);

/* For undo of a removed take: back at the same place */
void        _takes_shot_insert_take        (TakesShot           *self,
                                            guint                position,
                                            TakesTake           *take);
gboolean    _takes_shot_find_take_position (TakesShot           *self,
                                            TakesTake           *take,
                                            guint               *position);

/* Tests shorten the quiet period before an autosave copy is written */
void        _takes_autosave_set_delay      (TakesAutosave       *self,
                                            guint                seconds);
/* TRUE when @pid is a running Takes process (by its /proc comm name) */
gboolean    _takes_pid_is_running_takes    (gint64               pid);

G_END_DECLS

G_BEGIN_DECLS

/* Caps on what a project file may hold (takes-project-io.c) */
#define TAKES_PROJECT_MAX_FILE_SIZE   (256 * 1024 * 1024)
#define TAKES_PROJECT_MAX_DEPTH       64
#define TAKES_PROJECT_MAX_STRING      (1024 * 1024)

/* Removes what g_file_set_contents_full() leaves behind when killed:
 * "NAME<extension>.XXXXXX" files in @dir older than a minute (younger ones
 * may belong to a save in progress in another instance). */
guint       _takes_sweep_temporaries       (GFile               *dir,
                                            const char          *extension);

G_END_DECLS
