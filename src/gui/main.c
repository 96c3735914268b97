/* main.c — starts Attest's window */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "at-application.h"
#include "at-gui-util.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(AtApplication) app = NULL;
  const char *localedir = g_getenv ("ATTEST_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* numbers written into PDFs and records always take a decimal point, whatever the locale */
  setlocale (LC_NUMERIC, "C");
  /* ATTEST_LOCALEDIR lets the uninstalled build (meson devenv, the UI tests) find its catalogs */
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  at_gui_choose_renderer ();
  app = at_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
