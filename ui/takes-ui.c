/* takes-ui.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-ui"

#include "config.h"

#include <gtk/gtk.h>

#include "takes-ui.h"
#include "takes-ui-resources.h"

void
takes_ui_init (void)
{
  static gsize initialized = 0;

  /* The resources live in a static library: registering them explicitly
   * keeps the linker from dropping them. */
  if (g_once_init_enter (&initialized))
    {
      g_resources_register (takes_ui_get_resource ());
      g_once_init_leave (&initialized, 1);
    }
}
