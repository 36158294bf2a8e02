/* takes-media-probe.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a clip holds, as GstDiscoverer reports it. */
typedef struct
{
  double    duration;     /* seconds (the container's) */
  int       width;
  int       height;
  double    fps;          /* 0 when the stream does not say */
  char     *video_codec;  /* for people, e.g. "H.264 (High Profile)" */
  char     *audio_codec;  /* NULL without sound */
  gboolean  has_audio;
} TakesMediaInfo;

#define TAKES_TYPE_MEDIA_INFO (takes_media_info_get_type ())
GType           takes_media_info_get_type  (void) G_GNUC_CONST;
TakesMediaInfo *takes_media_info_copy      (const TakesMediaInfo *self);
void            takes_media_info_free      (TakesMediaInfo       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TakesMediaInfo, takes_media_info_free)

/* Asks GstDiscoverer what @file holds, without blocking the caller's main
 * context. Fails (G_IO_ERROR) when the file is not a playable video: no
 * video stream, no duration, unreadable, or the probe timed out. */
void            takes_media_probe_async    (GFile                *file,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
TakesMediaInfo *takes_media_probe_finish   (GAsyncResult         *result,
                                            GError              **error);
/* The same, blocking (for the command line). */
TakesMediaInfo *takes_media_probe          (GFile                *file,
                                            GCancellable         *cancellable,
                                            GError              **error);

/* Walks the top-level ISO-BMFF (MP4/MOV) boxes of @file: every box must
 * end exactly within the file (32-bit sizes, 64-bit "largesize", size 0 =
 * to the end), "ftyp" must come first (or nearly), and "moov" and "mdat"
 * must be there. A download cut short passes GstDiscoverer but not this.
 * Reads only box headers. G_IO_ERROR_INVALID_DATA naming the file and the
 * problem (empty, a web page instead of a video, cut short …). */
gboolean        takes_media_check_container (GFile               *file,
                                             GError             **error);

G_END_DECLS
