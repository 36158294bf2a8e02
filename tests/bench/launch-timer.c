/* launch-timer.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Times one program from launch to its first top-level window, watched
 * from outside through the X server so that any program is measured the
 * same way and none needs a hook:
 *
 *   bench-launch-timer [--timeout SECONDS] [--settle MS] -- PROGRAM [ARGS…]
 *
 * prints "MAPPED_MS PAINTED_MS SETTLED_MS": when the window was mapped,
 * when it was first drawn after that (XDamage), and when it was last drawn
 * before staying still for --settle milliseconds (default 400): a window
 * that loads its content after its first paint is only complete then.
 * Then ends the program. */

#define G_LOG_DOMAIN "bench-launch-timer"

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

extern char **environ;

#define MAX_WATCHED 64

typedef struct
{
  Window win;
  Damage damage;
} Watched;

static int
ignore_x_errors (Display     *dpy,
                 XErrorEvent *event)
{
  /* Windows come and go while we look at them (and input-only ones have
   * no damage): none of that is worth stopping for. */
  return 0;
}

static gboolean
window_belongs_to (Display *dpy,
                   Window   win,
                   pid_t    pid)
{
  Atom net_wm_pid = XInternAtom (dpy, "_NET_WM_PID", False);
  Atom type = None;
  int format = 0;
  unsigned long n_items = 0, after = 0;
  unsigned char *data = NULL;
  gboolean result = TRUE;

  if (XGetWindowProperty (dpy, win, net_wm_pid, 0, 1, False, XA_CARDINAL,
                          &type, &format, &n_items, &after, &data) == Success
      && data != NULL && n_items == 1 && format == 32)
    result = (pid_t) *(unsigned long *) data == pid;

  if (data != NULL)
    XFree (data);

  return result;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  double timeout_s = 30.0;
  double settle_ms = 400.0;
  double last_damage_ms = -1;
  int first_arg = 1;
  Display *dpy;
  Window root;
  int damage_event, damage_error;
  Watched watched[MAX_WATCHED];
  guint n_watched = 0;
  Window mapped = None;
  double mapped_ms = -1, painted_ms = -1;
  gint64 start;
  pid_t pid;
  int status;

  while (first_arg < argc)
    {
      if (g_str_equal (argv[first_arg], "--timeout") && first_arg + 1 < argc)
        {
          timeout_s = g_ascii_strtod (argv[first_arg + 1], NULL);
          first_arg += 2;
        }
      else if (g_str_equal (argv[first_arg], "--settle") && first_arg + 1 < argc)
        {
          settle_ms = g_ascii_strtod (argv[first_arg + 1], NULL);
          first_arg += 2;
        }
      else if (g_str_equal (argv[first_arg], "--"))
        {
          first_arg++;
          break;
        }
      else
        break;
    }

  if (first_arg >= argc)
    {
      g_printerr ("usage: %s [--timeout SECONDS] [--settle MS] -- PROGRAM [ARGS…]\n",
                  argv[0]);
      return 2;
    }

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      g_printerr ("cannot open the X display\n");
      return 1;
    }
  if (!XDamageQueryExtension (dpy, &damage_event, &damage_error))
    {
      g_printerr ("the X server has no DAMAGE extension\n");
      return 1;
    }
  XSetErrorHandler (ignore_x_errors);
  root = DefaultRootWindow (dpy);
  XSelectInput (dpy, root, SubstructureNotifyMask);
  XSync (dpy, False);

  start = g_get_monotonic_time ();
  if (posix_spawn (&pid, argv[first_arg], NULL, NULL, &argv[first_arg], environ) != 0)
    {
      g_printerr ("cannot start %s: %s\n", argv[first_arg], g_strerror (errno));
      return 1;
    }

  while (ms_since (start) < timeout_s * 1000)
    {
      struct pollfd pfd = { ConnectionNumber (dpy), POLLIN, 0 };

      if (painted_ms >= 0 && ms_since (start) - last_damage_ms >= settle_ms)
        break;

      if (!XPending (dpy))
        {
          if (poll (&pfd, 1, 10) < 0 && errno != EINTR)
            break;
          if (waitpid (pid, &status, WNOHANG) == pid)
            {
              g_printerr ("%s exited before showing a window\n", argv[first_arg]);
              return 1;
            }
          continue;
        }

      while (XPending (dpy))
        {
          XEvent ev;

          XNextEvent (dpy, &ev);

          /* Watch every new top-level for drawing from its birth, so the
           * first paint after mapping cannot slip past us. */
          if (ev.type == CreateNotify && !ev.xcreatewindow.override_redirect
              && n_watched < MAX_WATCHED)
            {
              watched[n_watched].win = ev.xcreatewindow.window;
              watched[n_watched].damage = XDamageCreate (dpy, ev.xcreatewindow.window,
                                                         XDamageReportNonEmpty);
              n_watched++;
            }
          else if (ev.type == MapNotify && mapped == None
                   && !ev.xmap.override_redirect
                   && window_belongs_to (dpy, ev.xmap.window, pid))
            {
              XEvent stale;

              mapped_ms = ms_since (start);
              mapped = ev.xmap.window;

              /* Mapping fills the window with its background, which
               * DAMAGE reports too: forget that and wait for the
               * program's own drawing, which needs its MapNotify first. */
              XSync (dpy, False);
              for (guint i = 0; i < n_watched; i++)
                if (watched[i].win == mapped)
                  XDamageSubtract (dpy, watched[i].damage, None, None);
              XSync (dpy, False);
              while (XCheckTypedEvent (dpy, damage_event + XDamageNotify, &stale))
                ;
            }
          else if (ev.type == damage_event + XDamageNotify && mapped != None)
            {
              XDamageNotifyEvent *dev = (XDamageNotifyEvent *) &ev;

              if (dev->drawable == mapped)
                {
                  last_damage_ms = ms_since (start);
                  if (painted_ms < 0)
                    painted_ms = last_damage_ms;
                }
              XDamageSubtract (dpy, dev->damage, None, None);
            }
        }
    }

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);

  for (guint i = 0; i < n_watched; i++)
    XDamageDestroy (dpy, watched[i].damage);
  XCloseDisplay (dpy);

  if (mapped_ms < 0)
    {
      g_printerr ("no window within %.0f s\n", timeout_s);
      return 1;
    }
  if (painted_ms < 0)
    painted_ms = last_damage_ms = mapped_ms;

  printf ("%.1f %.1f %.1f\n", mapped_ms, painted_ms, last_damage_ms);

  return 0;
}
