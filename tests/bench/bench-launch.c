/* bench-launch.c — from starting a program to its window's first painted frame, on X11
 *
 * Usage (under an X display; tests/bench/run starts Xvfb):
 *   bench-launch PROGRAM [ARG]...
 *
 * Measures any program the same way, so that two programs can be compared on one display:
 * the clock starts just before fork and exec; it stops at the first X Damage event on the
 * first top-level window the program maps — the first pixels it draws into its window,
 * whatever draws them (GL, cairo, the X server). The map itself is reported too. The program
 * is then terminated (SIGTERM) and waited for. Prints two lines:
 *   map MS
 *   frame MS
 * Exit status 2 when no window was painted within 30 s.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>

/* a window gone before we watched it, or an input-only one: not ours to paint */
static int
ignore_errors (Display     *dpy,
               XErrorEvent *ev)
{
  return 0;
}

/* More than one colour in the window: widgets, not only a background. */
static int
has_content (Display *dpy,
             Window   window)
{
  XWindowAttributes attrs;
  XImage *image;
  unsigned long first;
  int found = 0;

  if (!XGetWindowAttributes (dpy, window, &attrs) || attrs.map_state != IsViewable)
    return 0;
  image = XGetImage (dpy, window, 0, 0, attrs.width, attrs.height, AllPlanes, ZPixmap);
  if (image == NULL)
    return 0;
  first = XGetPixel (image, 0, 0);
  for (int y = 0; y < attrs.height && !found; y += 2)
    for (int x = 0; x < attrs.width && !found; x += 2)
      found = XGetPixel (image, x, y) != first;
  XDestroyImage (image);
  return found;
}

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main (int    argc,
      char **argv)
{
  Display *dpy;
  Window root, painted_window = None;
  int damage_event, damage_error;
  double t0, t_map = -1, t_frame = -1;
  pid_t pid;
  int status;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-launch PROGRAM [ARG]...\n");
      return 1;
    }
  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      fprintf (stderr, "bench-launch: no X display\n");
      return 1;
    }
  if (!XDamageQueryExtension (dpy, &damage_event, &damage_error))
    {
      fprintf (stderr, "bench-launch: the X server has no DAMAGE extension\n");
      return 1;
    }
  XSetErrorHandler (ignore_errors);
  root = DefaultRootWindow (dpy);
  /* every window created or mapped directly under the root: the program's top-levels */
  XSelectInput (dpy, root, SubstructureNotifyMask);
  XSync (dpy, False);

  t0 = now_ms ();
  pid = fork ();
  if (pid == 0)
    {
      close (ConnectionNumber (dpy));
      execvp (argv[1], argv + 1);
      fprintf (stderr, "bench-launch: cannot run %s: %s\n", argv[1], strerror (errno));
      _exit (127);
    }

  while (t_frame < 0 && now_ms () - t0 < 30000)
    {
      struct pollfd pfd = { ConnectionNumber (dpy), POLLIN, 0 };

      if (XPending (dpy) == 0)
        {
          if (waitpid (pid, &status, WNOHANG) == pid)
            {
              fprintf (stderr, "bench-launch: %s ended before painting a window\n", argv[1]);
              return 2;
            }
          poll (&pfd, 1, 100);
          continue;
        }
      {
        XEvent ev;

        XNextEvent (dpy, &ev);
        /* Watch each top-level from its creation, before anything can be drawn in it, so
         * that the first frame cannot slip in between the map and our request. */
        if (ev.type == CreateNotify && ev.xcreatewindow.parent == root && !ev.xcreatewindow.override_redirect)
          {
            XDamageCreate (dpy, ev.xcreatewindow.window, XDamageReportNonEmpty);
            XFlush (dpy);
          }
        else if (ev.type == MapNotify && ev.xmap.event == root && !ev.xmap.override_redirect && painted_window == None)
          {
            t_map = now_ms () - t0;
            painted_window = ev.xmap.window;
          }
        else if (ev.type == damage_event + XDamageNotify && painted_window != None &&
                 ((XDamageNotifyEvent *) &ev)->drawable == painted_window)
          {
            XDamageNotifyEvent *dev = (XDamageNotifyEvent *) &ev;
            double t = now_ms () - t0;

            /* re-arm, then count it only if something was drawn: a window filled with one
             * colour (its background) is not a frame yet */
            XDamageSubtract (dpy, dev->damage, None, None);
            if (has_content (dpy, painted_window))
              t_frame = t;
          }
      }
    }

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  if (t_frame < 0)
    {
      fprintf (stderr, "bench-launch: %s painted no window within 30 s\n", argv[1]);
      return 2;
    }
  printf ("map %.1f\nframe %.1f\n", t_map, t_frame);
  return 0;
}
