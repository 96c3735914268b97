/* bench-data.c — data directories at scale for tests/bench/run
 *
 * Usage:
 *   bench-data checklist DIR N_EVIDENCE
 *       QCS, a verdict on every clause, N_EVIDENCE evidence records spread over the
 *       clauses (one in ten a small photo), submitted for recheck, and a reviewer who has
 *       agreed to a third of the clauses — so that opening it computes the recheck state.
 *   bench-data report DIR N_EVIDENCE N_PHOTOS
 *       A catalog of 187 assessable clauses (QCS and a generated chapter), every clause
 *       assessed with its measurements, N_EVIDENCE evidence files of which N_PHOTOS are
 *       12-megapixel JPEG photos, nonconformities, approved after a full recheck, certified.
 *   bench-data assessments DIR N
 *       N assessments of QCS, each with a few verdicts.
 *   bench-data files DIR N SIZE
 *       One assessment of QCS with N evidence files of SIZE bytes, added as a person adds them:
 *       three in four random (photos, recordings: incompressible, each starting as a JPEG
 *       does), one in four text.
 * Prints what was made as NAME=VALUE lines (assessment, lead, reviewer, issuer).
 *
 * Files and records go through the product's own functions, with one exception: the
 * checklist's evidence records are written in a few large transactions (rows and audit
 * entries exactly as at_evidence_add writes them, files without fsync), since a hundred
 * thousand separate ingests would take most of an hour. What is measured afterwards reads
 * them like any others.
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "at-audit-private.h"
#include "at-change-private.h"
#include "at-evidence.h"
#include "at-finding.h"
#include "at-identity.h"
#include "at-nonconformity.h"
#include "at-review.h"
#include "at-standards.h"
#include "at-store-private.h"
#include "at-workflow.h"

#define PASS "benchmark passphrase"

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-data: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static char *
make_identity (AtStore    *store,
               const char *name,
               AtRoles     roles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) who = at_identity_create (store, name, roles, "Bench CB", PASS, &error);

  if (who == NULL)
    die (name, error);
  return g_strdup (at_identity_get_id (who));
}

static AtSigner *
unlock (AtStore    *store,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  AtSigner *signer = at_signer_unlock (store, id, PASS, &error);

  if (signer == NULL)
    die ("unlock", error);
  return signer;
}

static char *
make_assessment (AtStore    *store,
                 const char *standard,
                 const char *org,
                 const char *lead)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtAssessmentSpec spec = { .standard = standard, .org = org, .lead = lead, .kind = AT_KIND_THIRD_PARTY,
                            .scope = "Customer service: hotline, service halls, online channels",
                            .address = "1 Benchmark Road", .start_date = "2026-03-02", .end_date = "2026-03-06" };

  a = at_assessment_create (store, &spec, &error);
  if (a == NULL)
    die ("assessment create", error);
  return g_strdup (at_assessment_get_id (a));
}

static GPtrArray *
assessable_clauses (AtStore    *store,
                    const char *assessment_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = at_assessment_lookup (store, assessment_id, &error);
  GPtrArray *clauses = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *all;

  if (a == NULL)
    die ("lookup", error);
  all = at_catalog_get_all_clauses (at_assessment_get_catalog (a));
  for (guint i = 0; i < all->len; i++)
    if (at_clause_get_assessable (all->pdata[i]))
      g_ptr_array_add (clauses, g_object_ref (all->pdata[i]));
  return clauses;
}

static void
set_verdict (AtStore    *store,
             const char *assessment_id,
             AtClause   *clause,
             const char *lead,
             AtVerdict   verdict,
             gboolean    measure)
{
  g_autoptr(GError) error = NULL;
  static const char * const methods[] = { "document", "observation", NULL };
  AtFindingInput input = { .verdict = verdict, .methods = methods,
                           .note = verdict == AT_VERDICT_CONFORM
                                   ? "Observed on site; records sampled for the last quarter."
                                   : "Evening staffing short: callers queued for more than thirty seconds "
                                     "on three of the five days sampled." };

  if (!at_finding_set (store, assessment_id, at_clause_get_number (clause), lead, &input, &error))
    die ("finding set", error);
  for (guint i = 0; measure && i < at_clause_get_n_indicators (clause); i++)
    {
      const AtIndicator *ind = at_clause_get_indicator (clause, i);
      double samples[20];
      AtFindingInput m = { .verdict = verdict, .indicator = ind->id };

      if (at_indicator_takes_samples (ind))
        {
          double limit = ind->has_sample ? ind->sample.limit : ind->limit.limit;
          for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
            samples[s] = limit;
          m.samples = samples;
          m.n_samples = G_N_ELEMENTS (samples);
        }
      else
        {
          m.has_value = TRUE;
          m.value = ind->limit.limit;
        }
      if (!at_finding_set (store, assessment_id, at_clause_get_number (clause), lead, &m, &error))
        die ("measurement", error);
    }
}

/* ---- checklist: many evidence records ------------------------------------------------------- */

static void
put_file (AtStore      *store,
          const char   *sha256,
          const guchar *data,
          gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = at_evidence_get_path (store, sha256);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents_full (path, (const char *) data, len, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    die ("write evidence", error);
}

static gboolean
step (AtStore       *store,
      sqlite3_stmt  *stmt)
{
  g_autoptr(GError) error = NULL;

  if (!_at_store_step_done (store, stmt, &error))
    die ("insert", error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static void
bulk_evidence (AtStore    *store,
               const char *assessment_id,
               const char *lead,
               GPtrArray  *clauses,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now = at_now_iso8601 ();
  const guint batch = 5000;

  for (guint start = 0; start < n; start += batch)
    {
      g_autoptr(sqlite3_stmt) put = NULL;
      g_autoptr(sqlite3_stmt) link = NULL;

      if (!_at_change_begin (store, assessment_id, lead, AT_CHANGE_RECORD, NULL, NULL, &error))
        die ("begin", error);
      put = _at_store_prepare (store, "INSERT INTO evidence (assessment_id, sha256, kind, size, original_name, note, "
                                      "captured_at, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &error);
      link = _at_store_prepare (store, "INSERT INTO evidence_links (assessment_id, sha256, clause) VALUES (?, ?, ?)", &error);
      if (put == NULL || link == NULL)
        die ("prepare", error);

      for (guint i = start; i < MIN (n, start + batch); i++)
        {
          gboolean photo = i % 10 == 0;
          const char *clause = at_clause_get_number (clauses->pdata[i % clauses->len]);
          g_autofree char *name = g_strdup_printf (photo ? "IMG_%06u.png" : "record-%06u.txt", i);
          g_autofree char *key = NULL;
          g_autofree char *sha = NULL;
          g_autofree guchar *bytes = NULL;
          gsize len;

          if (photo)
            {
              g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);

              /* every photo different, so each is its own file in the store */
              gdk_pixbuf_fill (pixbuf, (guint32) (i * 2654435761u) | 0xff);
              if (!gdk_pixbuf_save_to_buffer (pixbuf, (char **) &bytes, &len, "png", &error, NULL))
                die ("png", error);
            }
          else
            {
              bytes = (guchar *) g_strdup_printf ("Sampled call record %u for clause %s: answered in %u s.\n",
                                                  i, clause, 5 + i % 20);
              len = strlen ((char *) bytes);
            }
          sha = at_sha256_hex (bytes, len);
          put_file (store, sha, bytes, len);

          sqlite3_bind_text (put, 1, assessment_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (put, 2, sha, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (put, 3, photo ? "photo" : "document", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (put, 4, len);
          sqlite3_bind_text (put, 5, name, -1, SQLITE_TRANSIENT);
          sqlite3_bind_null (put, 6);
          sqlite3_bind_null (put, 7);
          sqlite3_bind_text (put, 8, lead, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (put, 9, now, -1, SQLITE_TRANSIENT);
          step (store, put);
          if (!_at_audit_append (store, assessment_id, lead, "add-evidence", "evidence", sha, &error))
            die ("audit", error);

          sqlite3_bind_text (link, 1, assessment_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (link, 2, sha, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (link, 3, clause, -1, SQLITE_TRANSIENT);
          step (store, link);
          key = g_strdup_printf ("%s/%s", sha, clause);
          if (!_at_audit_append (store, assessment_id, lead, "add-evidence", "link", key, &error))
            die ("audit", error);
        }
      g_clear_pointer (&put, sqlite3_finalize);
      g_clear_pointer (&link, sqlite3_finalize);
      if (!_at_change_commit (store, &error))
        die ("commit", error);
    }
}

static int
make_checklist (const char *dir,
                guint       n_evidence)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (dir, &error);
  g_autoptr(GPtrArray) clauses = NULL;
  g_autoptr(AtSigner) lead_signer = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *a = NULL;

  if (store == NULL)
    die ("open", error);
  lead = make_identity (store, "Lena Lead", AT_ROLE_ASSESSOR);
  reviewer = make_identity (store, "Rui Reviewer", AT_ROLE_REVIEWER);
  a = make_assessment (store, "QCS", "Benchmark Telecom", lead);
  clauses = assessable_clauses (store, a);

  /* a verdict on every clause (submission needs them), a sixth of them nonconform, so that the
   * filters have something to sort */
  for (guint i = 0; i < clauses->len; i++)
    set_verdict (store, a, clauses->pdata[i], lead, i % 6 == 0 ? AT_VERDICT_NONCONFORM : AT_VERDICT_CONFORM, FALSE);
  bulk_evidence (store, a, lead, clauses, n_evidence);

  lead_signer = unlock (store, lead);
  if (!at_assessment_submit (store, a, lead_signer, &error))
    die ("submit", error);
  for (guint i = 0; i < clauses->len; i += 3)
    if (!at_review_comment (store, a, at_clause_get_number (clauses->pdata[i]), reviewer,
                            i % 9 == 0 ? AT_REVIEW_QUERIED : AT_REVIEW_AGREED,
                            i % 9 == 0 ? "Which days were sampled?" : NULL, &error))
      die ("review comment", error);

  g_print ("assessment=%s\nlead=%s\nreviewer=%s\n", a, lead, reviewer);
  return 0;
}

/* ---- report: a full assessment of 187 clauses ---------------------------------------------- */

/* QCS with a generated chapter of 57 more clauses (texts borrowed from QCS's own), 187 in all. */
static char *
write_catalog (AtStore    *store,
               const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) qcs = at_standards_get (store, "QCS", NULL, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *path = g_build_filename (dir, "bench-187.json", NULL);
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  JsonObject *root, *chapter, *title;
  JsonArray *children;
  GBytes *bytes;
  guint n_assessable = 0, extra;

  if (qcs == NULL)
    die ("QCS", error);
  bytes = at_catalog_get_bytes (qcs);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    die ("QCS json", error);
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (root, "code", "BENCH");
  title = json_object_new ();
  json_object_set_string_member (title, "zh_CN", "基准测试服务规范");
  json_object_set_string_member (title, "en", "Benchmark Service Specification");
  json_object_set_object_member (root, "title", title);

  {
    GPtrArray *all = at_catalog_get_all_clauses (qcs);
    for (guint i = 0; i < all->len; i++)
      if (at_clause_get_assessable (all->pdata[i]))
        {
          n_assessable++;
          g_ptr_array_add (texts, all->pdata[i]);
        }
  }
  extra = 187 - n_assessable;

  chapter = json_object_new ();
  json_object_set_string_member (chapter, "number", "99");
  title = json_object_new ();
  json_object_set_string_member (title, "zh_CN", "补充要求");
  json_object_set_string_member (title, "en", "Further requirements");
  json_object_set_object_member (chapter, "title", title);
  json_object_set_boolean_member (chapter, "assessable", FALSE);
  children = json_array_new ();
  for (guint i = 0; i < extra; i++)
    {
      AtClause *from = texts->pdata[i % texts->len];
      JsonObject *c = json_object_new ();
      JsonObject *t = json_object_new ();
      JsonObject *x = json_object_new ();
      JsonArray *m = json_array_new ();
      g_autofree char *number = g_strdup_printf ("99.%u", i + 1);

      const AtText *text = at_clause_get_text (from);
      g_autofree char *title_zh = g_strdup_printf ("补充要求 %u", i + 1);
      g_autofree char *title_en = g_strdup_printf ("Further requirement %u", i + 1);

      json_object_set_string_member (c, "number", number);
      json_object_set_string_member (t, "zh_CN", title_zh);
      json_object_set_string_member (t, "en", title_en);
      json_object_set_object_member (c, "title", t);
      json_object_set_string_member (x, "zh_CN", text && text->zh_CN ? text->zh_CN : title_zh);
      json_object_set_string_member (x, "en", text && text->en ? text->en : title_en);
      json_object_set_object_member (c, "text", x);
      json_object_set_boolean_member (c, "assessable", TRUE);
      json_array_add_string_element (m, "document");
      json_array_add_string_element (m, "observation");
      json_object_set_array_member (c, "methods", m);
      json_array_add_object_element (children, c);
    }
  json_object_set_array_member (chapter, "children", children);
  json_array_add_object_element (json_object_get_array_member (root, "clauses"), chapter);

  json_generator_set_root (gen, json_parser_get_root (parser));
  json_generator_set_pretty (gen, TRUE);
  if (!json_generator_to_file (gen, path, &error))
    die ("catalog", error);
  {
    g_autoptr(AtCatalog) imported = at_standards_import (store, path, NULL, &error);
    if (imported == NULL)
      die ("catalog import", error);
  }
  return g_steal_pointer (&path);
}

/* One 12-megapixel JPEG (a gradient with texture, so that it compresses as a photo does);
 * each evidence photo is a copy with a different tail after the image's end marker, which
 * decoders ignore: a different file for the store, the same work to decode. */
static GBytes *
make_photo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4032, 3024);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 seed = 12345;
  char *buf = NULL;
  gsize len = 0;

  for (int y = 0; y < 3024; y++)
    for (int x = 0; x < 4032; x++)
      {
        guchar *p = pixels + y * stride + x * 3;
        seed = seed * 1664525u + 1013904223u;
        p[0] = (x * 255 / 4032 + (seed >> 28)) & 0xff;
        p[1] = (y * 255 / 3024 + (seed >> 24 & 15)) & 0xff;
        p[2] = ((x + y) * 255 / 7056 + (seed >> 20 & 15)) & 0xff;
      }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buf, &len, "jpeg", &error, "quality", "90", NULL))
    die ("jpeg", error);
  return g_bytes_new_take (buf, len);
}

static int
make_report (const char *dir,
             guint       n_evidence,
             guint       n_photos)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (dir, &error);
  g_autoptr(GPtrArray) clauses = NULL;
  g_autoptr(AtSigner) lead_signer = NULL;
  g_autoptr(AtSigner) reviewer_signer = NULL;
  g_autoptr(AtSigner) issuer_signer = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *a = NULL;
  g_autofree char *incoming = g_build_filename (dir, "incoming", NULL);
  g_autofree char *number = NULL;
  guint n_nc = 0;

  if (store == NULL)
    die ("open", error);
  lead = make_identity (store, "Lena Lead", AT_ROLE_ASSESSOR);
  reviewer = make_identity (store, "Rui Reviewer", AT_ROLE_REVIEWER);
  issuer = make_identity (store, "Ines Issuer", AT_ROLE_ISSUER);
  catalog = write_catalog (store, dir);
  a = make_assessment (store, "BENCH", "Benchmark Telecom, Eastern Region Customer Service Centre", lead);
  clauses = assessable_clauses (store, a);
  if (clauses->len != 187)
    g_printerr ("bench-data: the catalog has %u assessable clauses, not 187\n", clauses->len);

  for (guint i = 0; i < clauses->len; i++)
    {
      AtVerdict verdict = i % 17 == 5 ? AT_VERDICT_NONCONFORM : i % 11 == 3 ? AT_VERDICT_PARTIAL
                          : i % 23 == 7 ? AT_VERDICT_NA : AT_VERDICT_CONFORM;

      set_verdict (store, a, clauses->pdata[i], lead, verdict, TRUE);
      if (verdict == AT_VERDICT_NONCONFORM || verdict == AT_VERDICT_PARTIAL)
        {
          AtNonconformitySpec nc = { verdict == AT_VERDICT_NONCONFORM ? AT_GRADE_MAJOR : AT_GRADE_MINOR,
                                     "The evening share answered within 15 s is 80 %, below the 85 % required.",
                                     "Add two agents on the evening shift and review the share weekly.", "2026-06-30" };
          g_autofree char *id = at_nonconformity_add (store, a, at_clause_get_number (clauses->pdata[i]), lead, &nc, &error);
          if (id == NULL)
            die ("nc", error);
          n_nc++;
        }
    }

  g_mkdir_with_parents (incoming, 0700);
  photo = make_photo ();
  for (guint i = 0; i < n_evidence; i++)
    {
      gboolean is_photo = i < n_photos;
      g_autofree char *path = g_strdup_printf ("%s/%s-%04u.%s", incoming, is_photo ? "IMG" : "minutes", i,
                                               is_photo ? "jpg" : "txt");
      const char *on[3] = { at_clause_get_number (clauses->pdata[(i * 7) % clauses->len]),
                            i % 3 == 0 ? at_clause_get_number (clauses->pdata[(i * 7 + 1) % clauses->len]) : NULL, NULL };
      g_autofree char *sha = NULL;
      g_autoptr(GString) text = g_string_new (NULL);

      if (is_photo)
        {
          g_string_append_len (text, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo));
          g_string_append_printf (text, "photo %u", i);
        }
      else
        for (guint line = 0; line < 200; line++)
          g_string_append_printf (text, "Minutes %u, line %u: the hotline's evening rota was checked against the "
                                  "call records of the week.\n", i, line);
      if (!g_file_set_contents_full (path, text->str, text->len, G_FILE_SET_CONTENTS_NONE, 0600, &error))
        die ("write", error);
      sha = at_evidence_add (store, a, path, lead, on, is_photo ? "photo" : "document",
                             i % 5 == 0 ? "Taken during the walk-through of the service hall." : NULL,
                             NULL, NULL, NULL, &error);
      if (sha == NULL)
        die ("evidence add", error);
      g_unlink (path);
    }
  g_rmdir (incoming);

  lead_signer = unlock (store, lead);
  reviewer_signer = unlock (store, reviewer);
  issuer_signer = unlock (store, issuer);
  if (!at_assessment_submit (store, a, lead_signer, &error))
    die ("submit", error);
  for (guint i = 0; i < clauses->len; i++)
    if (!at_review_comment (store, a, at_clause_get_number (clauses->pdata[i]), reviewer, AT_REVIEW_AGREED, NULL, &error))
      die ("review comment", error);
  if (!at_assessment_review (store, a, reviewer_signer, TRUE,
                             "Records and evidence are sufficient; the corrective actions are to be verified.", &error))
    die ("approve", error);
  number = at_certificate_issue (store, a, issuer_signer, 3, &error);
  if (number == NULL)
    die ("certificate", error);

  g_print ("assessment=%s\nlead=%s\nreviewer=%s\nissuer=%s\nclauses=%u\nnonconformities=%u\n",
           a, lead, reviewer, issuer, clauses->len, n_nc);
  return 0;
}

/* ---- assessments: many of them ------------------------------------------------------------- */

static int
make_assessments (const char *dir,
                  guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (dir, &error);
  g_autofree char *lead = NULL;
  g_autoptr(GPtrArray) clauses = NULL;
  char *first = NULL;

  if (store == NULL)
    die ("open", error);
  lead = make_identity (store, "Lena Lead", AT_ROLE_ASSESSOR);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *org = g_strdup_printf ("Benchmark Telecom %03u, Branch of Region %u", i, i % 31);
      g_autofree char *a = make_assessment (store, "QCS", org, lead);

      if (clauses == NULL)
        clauses = assessable_clauses (store, a);
      for (guint c = 0; c < i % 4; c++)
        set_verdict (store, a, clauses->pdata[(i + c * 13) % clauses->len], lead, AT_VERDICT_CONFORM, FALSE);
      if (first == NULL)
        first = g_strdup (a);
    }
  g_print ("assessment=%s\nlead=%s\n", first, lead);
  g_free (first);
  return 0;
}

/* ---- files: evidence to bundle ------------------------------------------------------------- */

static int
make_files (const char *dir,
            guint       n,
            gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (dir, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *incoming = g_build_filename (dir, "incoming", NULL);
  g_autofree char *lead = NULL;
  g_autofree char *a = NULL;
  g_autofree guchar *buf = g_malloc (size + 1);

  if (store == NULL)
    die ("open", error);
  lead = make_identity (store, "Lena Lead", AT_ROLE_ASSESSOR);
  a = make_assessment (store, "QCS", "Benchmark Telecom", lead);
  g_mkdir_with_parents (incoming, 0700);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/evidence-%04u.%s", incoming, i, i % 4 == 3 ? "txt" : "jpg");
      g_autofree char *sha = NULL;

      if (i % 4 == 3)
        for (gsize k = 0; k < size; k++)
          buf[k] = k % 77 == 76 ? '\n' : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[g_rand_int (rand) & 63];
      else
        {
          for (gsize k = 0; k + 4 <= size; k += 4)
            *(guint32 *) (buf + k) = g_rand_int (rand);
          memcpy (buf, "\xff\xd8\xff\xe0", MIN (size, 4));
        }
      if (!g_file_set_contents_full (path, (const char *) buf, size, G_FILE_SET_CONTENTS_NONE, 0600, &error))
        die ("write", error);
      sha = at_evidence_add (store, a, path, lead, NULL, NULL, NULL, NULL, NULL, NULL, &error);
      if (sha == NULL)
        die ("evidence add", error);
      g_unlink (path);
    }
  g_rmdir (incoming);
  g_print ("assessment=%s\nlead=%s\n", a, lead);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "checklist"))
    return make_checklist (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 5 && g_str_equal (argv[1], "report"))
    return make_report (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10), (guint) g_ascii_strtoull (argv[4], NULL, 10));
  if (argc == 4 && g_str_equal (argv[1], "assessments"))
    return make_assessments (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 5 && g_str_equal (argv[1], "files"))
    return make_files (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10), (gsize) g_ascii_strtoull (argv[4], NULL, 10));
  g_printerr ("usage: bench-data checklist DIR N_EVIDENCE | report DIR N_EVIDENCE N_PHOTOS | assessments DIR N | "
              "files DIR N SIZE\n");
  return 1;
}
