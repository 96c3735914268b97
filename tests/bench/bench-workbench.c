/* bench-workbench.c — how fast the window opens an assessment, filters, moves, and lists
 *
 * Usage (under a display; tests/bench/run starts Xvfb and makes the data with bench-data):
 *   bench-workbench checklist DIR ASSESSMENT IDENTITY
 *       opens ASSESSMENT in the real assessment view as IDENTITY (a reviewer sees the recheck
 *       state of every clause), then filters with each filter, searches, and moves between
 *       clauses
 *   bench-workbench assessments DIR
 *       shows the assessments page, then searches it
 *
 * Each figure runs from the call until the main loop is idle and the next frame has been
 * painted — what the person waits for. Thumbnails are scaled in worker threads and not waited
 * for: they fill in. Prints one line per figure, “NAME MS” (for a series, its median, then its
 * maximum as NAME_max), for tests/bench/run to collect.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "at-application.h"
#include "at-assessment-view.h"
#include "at-assessments-page.h"
#include "at-gui-util.h"

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static void
on_frame (GdkFrameClock *clock,
          gboolean      *drawn)
{
  *drawn = TRUE;
}

/* Runs the main loop until nothing is pending and one frame has been painted after the change. */
static void
settle (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean drawn = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_frame), &drawn);

  gtk_widget_queue_draw (window);
  while (!drawn || g_main_context_pending (NULL))
    g_main_context_iteration (NULL, !drawn);
  g_signal_handler_disconnect (clock, id);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *name,
        GArray     *ms)
{
  if (ms->len == 0)
    return;
  g_array_sort (ms, compare_doubles);
  g_print ("%s %.1f\n%s_max %.1f\n", name, g_array_index (ms, double, ms->len / 2),
           name, g_array_index (ms, double, ms->len - 1));
}

static void
add_since (GArray *ms,
           gint64  t0)
{
  double v = (now_us () - t0) / 1000.0;

  g_array_append_val (ms, v);
}

static GtkWidget *
new_window (void)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  return window;
}

static AtApplication *
open_app (const char *dir,
          const char *identity)
{
  g_autoptr(GError) error = NULL;
  AtApplication *app = at_application_new ();

  /* the application object holds the store and the identity, as in the program */
  g_application_register (G_APPLICATION (app), NULL, NULL);
  if (!at_application_open_store (app, dir, &error))
    {
      g_printerr ("bench-workbench: %s\n", error->message);
      exit (1);
    }
  if (identity != NULL)
    at_application_set_identity (app, identity);
  return app;
}

static int
bench_checklist (const char *dir,
                 const char *assessment_id,
                 const char *identity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtApplication) app = NULL;
  g_autoptr(GArray) filters = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (double));
  static const char * const typed[] = { "7", "7.4", "7.4.2.2", "网络", "coverage", "hotline 15 s", "热线", "" };
  static const AtWorksheetFilter kinds[] = { AT_WORKSHEET_NOT_ASSESSED, AT_WORKSHEET_NONCONFORM, AT_WORKSHEET_WITH_NC,
                                             AT_WORKSHEET_WITHOUT_EVIDENCE, AT_WORKSHEET_NOT_REVIEWED,
                                             AT_WORKSHEET_QUERIED, AT_WORKSHEET_CHANGED, AT_WORKSHEET_ALL };
  GtkWidget *window, *view;
  GPtrArray *items;
  gint64 t0;

  window = new_window ();
  view = g_object_new (AT_TYPE_ASSESSMENT_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  settle (window);

  /* the store is opened first, as the program has it open before anything is chosen */
  app = open_app (dir, identity);
  t0 = now_us ();
  if (!at_assessment_view_load (AT_ASSESSMENT_VIEW (view), app, NULL, assessment_id, &error))
    {
      g_printerr ("bench-workbench: %s\n", error->message);
      return 1;
    }
  g_print ("open_call %.1f\n", (now_us () - t0) / 1000.0);
  settle (window);
  g_print ("open %.1f\n", (now_us () - t0) / 1000.0);
  if (g_getenv ("BENCH_OPEN_ONLY"))
    {
      /* the open's span on CLOCK_MONOTONIC, in seconds: `perf record -k CLOCK_MONOTONIC` and
       * `perf report --time START,END` then profile only the open */
      g_print ("open_span %.6f,%.6f\n", t0 / 1e6, now_us () / 1e6);
      exit (0);
    }

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        t0 = now_us ();
        at_assessment_view_set_filter (AT_ASSESSMENT_VIEW (view), kinds[i], NULL);
        settle (window);
        add_since (filters, t0);
      }
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      {
        t0 = now_us ();
        at_assessment_view_set_filter (AT_ASSESSMENT_VIEW (view), AT_WORKSHEET_ALL, typed[i]);
        settle (window);
        add_since (searches, t0);
      }

  /* through the checklist once: each clause page rebuilt, its evidence strip among it */
  items = at_worksheet_get_items (at_assessment_view_get_worksheet (AT_ASSESSMENT_VIEW (view)));
  for (guint i = 0; i < items->len; i++)
    {
      AtClause *clause = at_worksheet_item_get_clause (items->pdata[i]);

      if (!at_clause_get_assessable (clause))
        continue;
      t0 = now_us ();
      at_assessment_view_select_clause (AT_ASSESSMENT_VIEW (view), at_clause_get_number (clause));
      settle (window);
      add_since (moves, t0);
    }

  report ("filter", filters);
  report ("search", searches);
  report ("move", moves);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static int
bench_assessments (const char *dir)
{
  g_autoptr(AtApplication) app = NULL;
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  static const char * const typed[] = { "b", "be", "branch 1", "region 7", "qcs", "in progress", "no such org", "" };
  GtkWidget *window, *page, *entry;
  gint64 t0;

  window = new_window ();
  gtk_window_present (GTK_WINDOW (window));
  settle (window);

  app = open_app (dir, NULL);
  t0 = now_us ();
  page = g_object_new (AT_TYPE_ASSESSMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  at_assessments_page_setup (AT_ASSESSMENTS_PAGE (page), app, NULL);
  settle (window);
  g_print ("open %.1f\n", (now_us () - t0) / 1000.0);

  /* typing into the search field, as a person does */
  at_assessments_page_focus_search (AT_ASSESSMENTS_PAGE (page));
  settle (window);
  entry = gtk_window_get_focus (GTK_WINDOW (window));
  while (entry != NULL && !GTK_IS_SEARCH_ENTRY (entry))
    entry = gtk_widget_get_parent (entry);
  if (entry == NULL)
    {
      g_printerr ("bench-workbench: the assessments page has no search field in focus\n");
      return 1;
    }
  /* the entry reports a change after a pause in the typing; that pause is not what is measured */
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (entry), 0);
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      {
        t0 = now_us ();
        gtk_editable_set_text (GTK_EDITABLE (entry), typed[i]);
        settle (window);
        add_since (searches, t0);
      }
  report ("search", searches);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int    argc,
      char **argv)
{
  /* the renderer the window would choose on this machine (main.c does the same) */
  const char *renderer = at_gui_choose_renderer ();

  if (argc == 2 && g_str_equal (argv[1], "renderer"))
    {
      g_print ("%s\n", *renderer ? renderer : "GTK's choice");
      return 0;
    }
  gtk_init ();
  adw_init ();

  if (argc == 5 && g_str_equal (argv[1], "checklist"))
    return bench_checklist (argv[2], argv[3], argv[4]);
  if (argc == 3 && g_str_equal (argv[1], "assessments"))
    return bench_assessments (argv[2]);
  g_printerr ("usage: bench-workbench checklist DIR ASSESSMENT IDENTITY | assessments DIR | renderer\n");
  return 1;
}
