/* takes-program-monitor.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "takes-program.h"

G_BEGIN_DECLS

#define TAKES_TYPE_PROGRAM_MONITOR (takes_program_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TakesProgramMonitor, takes_program_monitor, TAKES, PROGRAM_MONITOR, GtkWidget)

/* Shows the whole cut playing (a TakesProgram's video sink, whose frames
 * are already scaled to the picture) above its transport: play/pause,
 * frame steps, loop, a scrubbable position bar and the timecode.
 *
 * "position" (gint64 ns) follows the program and, when set, seeks it:
 * bind it to the timeline view's playhead both ways. */
GtkWidget    *takes_program_monitor_new         (void);

void          takes_program_monitor_set_program (TakesProgramMonitor *self,
                                                 TakesProgram        *program);
TakesProgram *takes_program_monitor_get_program (TakesProgramMonitor *self);

gint64        takes_program_monitor_get_position (TakesProgramMonitor *self);
void          takes_program_monitor_set_position (TakesProgramMonitor *self,
                                                  gint64               position);

G_END_DECLS
