/* takes-export.h
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

#define TAKES_EXPORT_ERROR (takes_export_error_quark ())

typedef enum
{
  TAKES_EXPORT_ERROR_NOT_READY,       /* shots without a ready picked take */
  TAKES_EXPORT_ERROR_MEDIA_MISSING,   /* a picked take's file is gone or unreadable */
  TAKES_EXPORT_ERROR_ENCODER_MISSING, /* a GStreamer plugin is not installed */
  TAKES_EXPORT_ERROR_NO_SPACE,        /* the disk filled up */
  TAKES_EXPORT_ERROR_WRITE,           /* the output could not be written */
  TAKES_EXPORT_ERROR_FAILED,          /* the pipeline failed otherwise */
} TakesExportError;

GQuark takes_export_error_quark (void);

typedef enum
{
  TAKES_EXPORT_PRESET_MP4,   /* H.264 + AAC in MP4 */
  TAKES_EXPORT_PRESET_WEBM,  /* VP9 + Opus in WebM */
  TAKES_EXPORT_PRESET_MOV,   /* ProRes 422 + PCM in QuickTime */
} TakesExportPreset;

GType        takes_export_preset_get_type        (void) G_GNUC_CONST;
#define TAKES_TYPE_EXPORT_PRESET (takes_export_preset_get_type ())

/* "mp4", "webm", "mov" */
const char  *takes_export_preset_to_string       (TakesExportPreset  preset);
gboolean     takes_export_preset_from_string     (const char        *str,
                                                  TakesExportPreset *preset);
/* The file name extension, with the dot */
const char  *takes_export_preset_get_extension   (TakesExportPreset  preset);
/* Translated, for people: "MP4 (H.264 + AAC)" */
const char  *takes_export_preset_get_label       (TakesExportPreset  preset);

#define TAKES_TYPE_EXPORT (takes_export_get_type ())
G_DECLARE_FINAL_TYPE (TakesExport, takes_export, TAKES, EXPORT, GObject)

/* Renders the project's cut to a video file. The file is written as
 * OUTPUT.part beside OUTPUT and renamed only after the muxer finished;
 * a failed or canceled export removes it, so OUTPUT is either the
 * complete new file or untouched.
 *
 * Properties (read-only, notified on the main thread while running):
 *   "progress"  double 0…1
 *   "remaining" gint64 seconds left, -1 while unknown (the first seconds)
 *   "running"   boolean
 *
 * Signals:
 *   "progress" (double fraction, gint64 remaining_seconds): every 250 ms
 *   while rendering; remaining is -1 until it can be estimated.
 */
TakesExport       *takes_export_new               (TakesProject      *project,
                                                   GFile             *output);

TakesProject      *takes_export_get_project       (TakesExport       *self);
GFile             *takes_export_get_output        (TakesExport       *self);
TakesExportPreset  takes_export_get_preset        (TakesExport       *self);
void               takes_export_set_preset        (TakesExport       *self,
                                                   TakesExportPreset  preset);
/* 0 keeps the project's size or frame rate */
void               takes_export_set_size          (TakesExport       *self,
                                                   int                width,
                                                   int                height);
void               takes_export_set_fps           (TakesExport       *self,
                                                   double             fps);
/* Allow copying the takes without re-encoding when they all match the
 * output (same codec, size and rate, cuts only). Off by default: the
 * copied file starts each GOP where the take did and, for H.264, is
 * tagged avc3, which some players refuse. */
void               takes_export_set_allow_smart   (TakesExport       *self,
                                                   gboolean           allow_smart);

double             takes_export_get_progress      (TakesExport       *self);
GstClockTime       takes_export_get_position      (TakesExport       *self);
GstClockTime       takes_export_get_duration      (TakesExport       *self);
gint64             takes_export_get_remaining     (TakesExport       *self);
gboolean           takes_export_get_running       (TakesExport       *self);
gboolean           takes_export_get_smart         (TakesExport       *self);
/* After a run: whether every take already matched the output (codec,
 * size, frame rate, audio) and the cut had only cuts, so the takes could
 * be copied without re-encoding */
gboolean           takes_export_get_takes_match   (TakesExport       *self);

/* Checks what an export needs before any work: every shot has a ready
 * picked take whose media file exists. The message names the shots:
 * "Shots 2 and 5 have no ready take". */
gboolean           takes_export_validate          (TakesProject      *project,
                                                   GError           **error);
/* Checks that the preset's encoders and muxer are installed */
gboolean           takes_export_check_plugins     (TakesExportPreset  preset,
                                                   GError           **error);

/* Runs on the main context it is called from; cancel with @cancellable
 * (the partial file is removed and G_IO_ERROR_CANCELLED returned). */
void               takes_export_run_async         (TakesExport       *self,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
gboolean           takes_export_run_finish        (TakesExport       *self,
                                                   GAsyncResult      *result,
                                                   GError           **error);

/* The timeline of the last run (NULL before), for writing .otio and .xges
 * of exactly what was rendered */
TakesTimeline     *takes_export_get_timeline      (TakesExport       *self);

G_END_DECLS
