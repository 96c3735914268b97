/* at-clause-page-private.h — what at-clause-page.c and at-clause-page-evidence.c share */
#pragma once

#include "at-clause-page.h"
#include "at-recheck-panel.h"

G_BEGIN_DECLS

struct _AtClausePage
{
  GtkWidget        parent_instance;

  AtApplication   *app;
  AtWorksheet     *worksheet;
  AtWorksheetItem *item;
  AtFinding       *finding;        /* NULL until something is recorded on the clause */
  gboolean         editable;
  gboolean         loading;        /* filling the widgets: their signals are not user input */
  guint            note_timeout;
  guint            measure_timeout;
  GPtrArray       *indicator_rows; /* AtIndicatorRow, not owned */
  GHashTable      *dirty_rows;     /* AtIndicatorRow set: input not yet saved */
  GtkWidget       *verdict_buttons[AT_N_VERDICTS];
  GtkWidget       *method_checks[4];

  /* evidence (at-clause-page-evidence.c) */
  GQueue          *ingest_queue;   /* GFile, waiting to be added */
  GFile           *ingesting;
  GCancellable    *ingest_cancellable;
  gint             ingest_permille; /* written by the worker thread */
  guint            ingest_poll;
  guint            ingest_done;
  guint            ingest_total;
  GPtrArray       *pending_removals; /* AtEvidence removed from the strip, not yet from the store */
  GtkWidget       *evidence_more;    /* “Show 176 more files” */
  gboolean         evidence_show_all;

  /* template children */
  GtkStack        *stack;
  GtkWidget       *scroller;
  GtkLabel        *number_label;
  GtkLabel        *title_label;
  GtkLabel        *assignee_label;
  GtkWidget       *locked_box;
  GtkLabel        *locked_label;
  AtRecheckPanel  *recheck_panel;
  GtkWidget       *reference_box;
  GtkLabel        *reference_heading;
  GtkLabel        *reference_label;
  GtkWidget       *requirement_box;
  GtkLabel        *text_label;
  GtkLabel        *other_text_label;
  GtkWidget       *guidance_expander;
  GtkLabel        *guidance_label;
  GtkWidget       *assess_box;
  GtkWidget       *verdict_box;
  GtkLabel        *recorded_label;
  GtkFlowBox      *methods_box;
  GtkWidget       *indicators_section;
  GtkWidget       *indicators_box;
  GtkWidget       *note_section;
  GtkTextView     *note_view;
  GtkLabel        *note_status;
  GtkWidget       *evidence_section;
  GtkLabel        *evidence_heading;
  GtkWidget       *add_evidence_button;
  GtkRevealer     *ingest_revealer;
  GtkLabel        *ingest_label;
  GtkProgressBar  *ingest_bar;
  GtkFlowBox      *evidence_box;
  GtkWidget       *evidence_empty;
  GtkWidget       *nc_section;
  GtkWidget       *raise_nc_button;
  GtkListBox      *nc_list;
  GtkWidget       *children_section;
  GtkLabel        *children_heading;
  GtkListBox      *children_list;
};

/* at-clause-page.c */
AtStore    *_at_clause_page_store        (AtClausePage *self);
const char *_at_clause_page_assessment   (AtClausePage *self);
const char *_at_clause_page_actor        (AtClausePage *self);
const char *_at_clause_page_person_name  (AtClausePage *self,
                                          const char   *identity_id);
void        _at_clause_page_recorded     (AtClausePage *self);
void        _at_clause_page_refresh_measurements (AtClausePage *self);

/* at-clause-page-measure.c */
typedef struct _AtIndicatorRow AtIndicatorRow;
void        _at_clause_page_import_data       (AtClausePage   *self,
                                               AtIndicatorRow *row);
void        _at_clause_page_check_transcripts (AtClausePage   *self,
                                               AtIndicatorRow *row);

/* at-clause-page-evidence.c */
void        _at_clause_page_evidence_init    (AtClausePage *self);
void        _at_clause_page_evidence_dispose (AtClausePage *self);
void        _at_clause_page_load_evidence    (AtClausePage *self);
void        _at_clause_page_commit_removals  (AtClausePage *self);
void        _at_clause_page_on_ingest_stop   (AtClausePage *self);
void        _at_clause_page_on_evidence_activated (AtClausePage  *self,
                                                   GtkFlowBoxChild *child);

G_END_DECLS
