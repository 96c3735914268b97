/* bench-workbench.c — how fast the assessor's window moves between clauses and filters
 *
 * Usage (under a display; tests/bench/bench_workbench.sh runs it under Xvfb):
 *   bench-workbench [N_EVIDENCE]
 *
 * Builds a data directory with the QCS assessment and N_EVIDENCE (default 2000) evidence files
 * (small PNG photos, spread over the clauses, 200 of them on 7.4.2.2), opens the real
 * assessment view in a window, then times: every move to the next clause (the clause page
 * rebuilt: texts, verdict, indicators, evidence strip), and every filter and search. Each time
 * runs from the call until the main loop is idle and the next frame has been drawn — what the
 * person waits for. Thumbnails are scaled in worker threads and not waited for: they fill in.
 * Prints each figure and its ratio to a 60 Hz frame (16.7 ms) and to 100 ms, the limit below
 * which a response feels instant.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "at-application.h"
#include "at-assessment-view.h"

#define PASS "benchmark passphrase"

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
report (const char *what,
        GArray     *ms)
{
  double sum = 0;

  g_array_sort (ms, compare_doubles);
  for (guint i = 0; i < ms->len; i++)
    sum += g_array_index (ms, double, i);
  g_print ("%-34s n=%-4u median %7.2f ms  p95 %7.2f ms  max %7.2f ms  mean %7.2f ms  "
           "(max = %.2f frames, %.2f of 100 ms)\n",
           what, ms->len, g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, (guint) (ms->len * 0.95)), g_array_index (ms, double, ms->len - 1),
           sum / ms->len, g_array_index (ms, double, ms->len - 1) / 16.7,
           g_array_index (ms, double, ms->len - 1) / 100.0);
}

static char *
make_store (const char *dir,
            guint       n_evidence,
            GError    **error)
{
  g_autoptr(AtStore) store = at_store_open (dir, error);
  g_autoptr(AtIdentity) lead = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) clauses = g_ptr_array_new ();
  g_autofree char *png = g_build_filename (dir, "photo.png", NULL);
  AtAssessmentSpec spec = { .standard = "QCS", .org = "Benchmark Telecom", .kind = AT_KIND_THIRD_PARTY };
  GPtrArray *all;
  gint64 t0 = now_us ();

  if (store == NULL || !(lead = at_identity_create (store, "Bench Lead", AT_ROLE_ASSESSOR, "CB", PASS, error)))
    return NULL;
  spec.lead = at_identity_get_id (lead);
  if (!(a = at_assessment_create (store, &spec, error)))
    return NULL;
  all = at_catalog_get_all_clauses (at_assessment_get_catalog (a));
  for (guint i = 0; i < all->len; i++)
    if (at_clause_get_assessable (all->pdata[i]))
      g_ptr_array_add (clauses, (gpointer) at_clause_get_number (all->pdata[i]));

  /* a verdict on every other clause, so that the filters have something to sort */
  for (guint i = 0; i < clauses->len; i += 2)
    {
      AtFindingInput input = { .verdict = i % 6 == 0 ? AT_VERDICT_NONCONFORM : AT_VERDICT_CONFORM, .note = "bench" };
      if (!at_finding_set (store, at_assessment_get_id (a), clauses->pdata[i], spec.lead, &input, error))
        return NULL;
    }

  for (guint i = 0; i < n_evidence; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
      g_autofree char *sha = NULL;
      const char *on[2] = { i < 200 ? "7.4.2.2" : clauses->pdata[i % clauses->len], NULL };

      /* every photo different, so each is its own file in the store */
      gdk_pixbuf_fill (pixbuf, (guint32) (i * 2654435761u) | 0xff);
      if (!gdk_pixbuf_save (pixbuf, png, "png", error, NULL))
        return NULL;
      sha = at_evidence_add (store, at_assessment_get_id (a), png, spec.lead, on, "photo", NULL,
                             NULL, NULL, NULL, error);
      if (sha == NULL)
        return NULL;
    }
  g_print ("data directory: QCS, %u assessable clauses, %u evidence files (set up in %.1f s)\n",
           clauses->len, n_evidence, (now_us () - t0) / 1e6);
  return g_strdup (at_assessment_get_id (a));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("attest-bench-workbench-XXXXXX", NULL);
  g_autofree char *id = NULL;
  g_autoptr(AtApplication) app = NULL;
  g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) filters = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) heavy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search_calls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) move_calls = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_evidence = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  static const char * const searches_typed[] = { "7", "7.4", "7.4.2.2", "网络", "coverage", "hotline 15 s", "热线", "" };
  static const AtWorksheetFilter kinds[] = { AT_WORKSHEET_NOT_ASSESSED, AT_WORKSHEET_NONCONFORM, AT_WORKSHEET_WITH_NC,
                                             AT_WORKSHEET_WITHOUT_EVIDENCE, AT_WORKSHEET_ALL };
  GtkWidget *window, *view;
  GPtrArray *items;
  gint64 t0;

  gtk_init ();
  adw_init ();
  g_setenv ("ATTEST_DATA_DIR", dir, TRUE);
  id = make_store (dir, n_evidence, &error);
  if (id == NULL)
    {
      g_printerr ("bench-workbench: %s\n", error->message);
      return 1;
    }

  /* the application object holds the store and the identity, as in the program */
  app = at_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  view = g_object_new (AT_TYPE_ASSESSMENT_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  settle (window);

  t0 = now_us ();
  if (!at_application_open_store (app, dir, &error) ||
      !at_assessment_view_load (AT_ASSESSMENT_VIEW (view), app, NULL, id, &error))
    {
      g_printerr ("bench-workbench: %s\n", error->message);
      return 1;
    }
  settle (window);
  g_print ("open the assessment (list and first clause): %.2f ms\n", (now_us () - t0) / 1000.0);

  items = at_worksheet_get_items (at_assessment_view_get_worksheet (AT_ASSESSMENT_VIEW (view)));
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < items->len; i++)
      {
        AtClause *clause = at_worksheet_item_get_clause (items->pdata[i]);
        double ms;

        if (!at_clause_get_assessable (clause))
          continue;
        t0 = now_us ();
        at_assessment_view_select_clause (AT_ASSESSMENT_VIEW (view), at_clause_get_number (clause));
        ms = (now_us () - t0) / 1000.0;
        g_array_append_val (move_calls, ms);
        settle (window);
        ms = (now_us () - t0) / 1000.0;
        g_array_append_val (g_str_equal (at_clause_get_number (clause), "7.4.2.2") ? heavy : moves, ms);
      }

  for (guint round = 0; round < 4; round++)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        double ms;

        t0 = now_us ();
        at_assessment_view_set_filter (AT_ASSESSMENT_VIEW (view), kinds[i], NULL);
        settle (window);
        ms = (now_us () - t0) / 1000.0;
        g_array_append_val (filters, ms);
      }
  for (guint round = 0; round < 4; round++)
    for (guint i = 0; i < G_N_ELEMENTS (searches_typed); i++)
      {
        double ms;

        t0 = now_us ();
        at_assessment_view_set_filter (AT_ASSESSMENT_VIEW (view), AT_WORKSHEET_ALL, searches_typed[i]);
        ms = (now_us () - t0) / 1000.0;
        g_array_append_val (search_calls, ms);
        settle (window);
        ms = (now_us () - t0) / 1000.0;
        g_array_append_val (searches, ms);
      }

  report ("move to a clause (~15 photos each)", moves);
  report ("move to 7.4.2.2 (200 photos)", heavy);
  report ("filter (5 kinds)", filters);
  report ("search (number or words)", searches);
  report ("  of which the call, before drawing", search_calls);
  report ("  move: the call, before drawing", move_calls);

  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_printerr ("bench-workbench: could not remove %s\n", dir);
  }
  return 0;
}
