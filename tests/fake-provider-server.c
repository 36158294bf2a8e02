/* fake-provider-server.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Serves one provider fake for command-line and UI tests, in its own
 * process so that the programs under test can be killed and restarted
 * while the fake keeps its counts:
 *
 *   fake-provider-server kling SECRET_KEY [--port N] [--polls N]
 *   fake-provider-server sora API_KEY [--port N] [--polls N]
 *
 * It prints the base URL to give the backend (TAKES_KLING_BASE_URL,
 * TAKES_SORA_BASE_URL) on a line of its own, then serves until killed.
 * Faults are switched with POST BASE/_fake/fault?name=NAME&times=N and
 * counts read with GET BASE/_fake/stats (BASE without Sora's /v1). The
 * Kling access key is FAKE_KLING_ACCESS_KEY ("ak-fake-kling-0001"). */

#define G_LOG_DOMAIN "fake-provider-server"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <gst/gst.h>

#include "fake-kling.h"
#include "fake-provider-util.h"
#include "fake-sora.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GObject) fake = NULL;
  g_autoptr(GBytes) clip = NULL;
  guint64 port = 0, polls = 2;

  if (argc < 3)
    {
      g_printerr ("Usage: %s kling|sora KEY [--port N] [--polls N]\n", argv[0]);
      return 2;
    }

  for (int i = 3; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--port"))
        g_ascii_string_to_unsigned (argv[i + 1], 10, 0, 65535, &port, NULL);
      else if (g_str_equal (argv[i], "--polls"))
        g_ascii_string_to_unsigned (argv[i + 1], 10, 1, 1000, &polls, NULL);
    }

  gst_init (NULL, NULL);
  /* Made before the URL is printed, so the first download is not slow. */
  clip = fake_make_test_clip ();

  loop = g_main_loop_new (NULL, FALSE);

  if (g_str_equal (argv[1], "kling"))
    {
      TakesFakeKling *kling = takes_fake_kling_new ((guint)port, argv[2]);

      takes_fake_kling_set_polls_until_done (kling, (guint)polls);
      fake = G_OBJECT (kling);
      g_print ("%s\n", takes_fake_kling_get_base_url (kling));
    }
  else if (g_str_equal (argv[1], "sora"))
    {
      TakesFakeSora *sora = takes_fake_sora_new ((guint)port, argv[2]);

      takes_fake_sora_set_polls_until_done (sora, (guint)polls);
      fake = G_OBJECT (sora);
      g_print ("%s\n", takes_fake_sora_get_base_url (sora));
    }
  else
    {
      g_printerr ("Unknown provider “%s”: use kling or sora\n", argv[1]);
      return 2;
    }

  fflush (stdout);

  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  return 0;
}
