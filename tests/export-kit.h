/* export-kit.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-project.h"
#include "takes-timeline.h"

G_BEGIN_DECLS

/* Tiny generated media and projects for the timeline, export, OTIO and
 * command line tests: everything is made in a fresh folder, nothing is
 * downloaded. */

typedef struct
{
  int         width;
  int         height;
  int         fps;
  int         frames;
  gboolean    audio;
  const char *pattern;   /* videotestsrc pattern nick, NULL: "ball" */
} ExportKitClip;

char         *export_kit_make_dir      (void);
void          export_kit_remove_tree   (const char          *path);

/* Writes @dir/@name (H.264 + AAC in MP4) and returns its path */
char         *export_kit_make_clip     (const char          *dir,
                                        const char          *name,
                                        const ExportKitClip *clip);
/* An Ogg Vorbis sine tone of @seconds */
char         *export_kit_make_tone     (const char          *dir,
                                        const char          *name,
                                        double               seconds);

/* A project saved as @dir/Film.takes (so media resolve against @dir) */
TakesProject *export_kit_project       (const char          *dir,
                                        int                  width,
                                        int                  height,
                                        double               fps);
/* Appends a shot; with @media (a file name inside the project folder) it
 * gets a READY picked take of it, probed. */
TakesShot    *export_kit_add_shot      (TakesProject        *project,
                                        const char          *title,
                                        double               duration,
                                        const char          *media);

/* Runs takes_timeline_update_async() to completion */
void          export_kit_update        (TakesTimeline       *timeline);
/* Iterates the default main context until *@flag is TRUE (30 s cap) */
void          export_kit_wait          (gboolean            *flag);

/* GstDiscoverer on a file: duration, size, codec names; FALSE when it
 * cannot be read */
typedef struct
{
  GstClockTime duration;
  int          width;
  int          height;
  int          fps_n;
  int          fps_d;
  char        *container;
  char        *video_caps;
  char        *audio_caps;
  int          audio_rate;
} ExportKitInfo;

gboolean      export_kit_discover      (const char          *path,
                                        ExportKitInfo       *info);
void          export_kit_info_clear    (ExportKitInfo       *info);

G_END_DECLS
