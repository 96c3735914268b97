/* at-assessment-dialog.c — an assessment's set-up: standard, organisation, kind, scope, sites,
 * dates, lead and team; new, or the details of an existing one with its sign-offs
 *
 * QCS 11.2: the evaluation is self or third-party, against a standard, with a scope. What the
 * records were made against (standard and version, kind, lead) is fixed once created; the rest
 * can be corrected while the assessment can change.
 *
 * A new assessment may also start from something: a surveillance or re-assessment from the
 * previous assessment (organisation, address, scope and sites carried over, and editable), or a
 * document evaluation from an organisation's application bundle (QCS 11.3 a: everything but the
 * team and the dates comes from the bundle, which is checked and read in a worker thread).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-assessment-dialog.h"
#include "at-busy-dialog.h"
#include "at-gui-labels.h"

typedef enum
{
  MODE_NEW,
  MODE_EDIT,
  MODE_SURVEILLANCE,   /* from self->previous */
  MODE_APPLICATION,    /* from self->bundle */
} Mode;

struct _AtAssessmentDialog
{
  AdwWindow            parent_instance;

  AtApplication       *app;
  Mode                 mode;
  AtAssessment        *assessment;   /* MODE_EDIT: the one being edited */
  AtAssessment        *previous;     /* MODE_SURVEILLANCE */
  GFile               *bundle;       /* MODE_APPLICATION */
  AtBusyDialog        *busy;
  GPtrArray           *catalogs;
  GPtrArray           *leads;        /* AtIdentity, in the lead row's order */
  GPtrArray           *team_checks;  /* GtkCheckButton, identity id in "identity" */

  GtkButton           *save_button;
  AdwPreferencesGroup *basis_group;
  AdwActionRow        *basis_row;
  AdwPreferencesGroup *org_group;
  AdwComboRow         *standard_row;
  AdwComboRow         *kind_row;
  AdwEntryRow         *org_row;
  AdwEntryRow         *address_row;
  AdwEntryRow         *scope_row;
  AdwEntryRow         *sites_row;
  AdwEntryRow         *start_row;
  AdwEntryRow         *end_row;
  AdwComboRow         *lead_row;
  AdwPreferencesGroup *team_group;
  AdwPreferencesGroup *signoffs_group;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (AtAssessmentDialog, at_assessment_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CREATED, SIGNAL_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static AtKind
chosen_kind (AtAssessmentDialog *self)
{
  if (self->assessment)
    return at_assessment_get_kind (self->assessment);
  /* the certification body evaluates an application: always third-party */
  if (self->mode == MODE_APPLICATION)
    return AT_KIND_THIRD_PARTY;
  return adw_combo_row_get_selected (self->kind_row) == 1 ? AT_KIND_SELF : AT_KIND_THIRD_PARTY;
}

static AtRoles
may_record (AtKind kind)
{
  return kind == AT_KIND_SELF ? AT_ROLE_ASSESSOR | AT_ROLE_ORGANISATION : AT_ROLE_ASSESSOR;
}

static const char *
chosen_lead (AtAssessmentDialog *self)
{
  guint pos = adw_combo_row_get_selected (self->lead_row);

  if (self->assessment)
    return at_assessment_get_lead (self->assessment);
  return pos < self->leads->len ? at_identity_get_id (self->leads->pdata[pos]) : NULL;
}

static void
update (AtAssessmentDialog *self)
{
  g_autofree char *org = at_gui_entry_text (self->org_row);
  const char *lead = chosen_lead (self);

  /* the lead is not also a member of the team */
  for (guint i = 0; i < self->team_checks->len; i++)
    {
      GtkWidget *check = self->team_checks->pdata[i];
      gboolean is_lead = g_strcmp0 (g_object_get_data (G_OBJECT (check), "identity"), lead) == 0;

      gtk_widget_set_visible (gtk_widget_get_ancestor (check, ADW_TYPE_ACTION_ROW), !is_lead);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            (*org != '\0' || self->mode == MODE_APPLICATION) && lead != NULL && self->busy == NULL &&
                            (self->mode != MODE_NEW || self->catalogs->len > 0));
}

static void
fill_leads_and_team (AtAssessmentDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GPtrArray *all = at_application_get_identities (self->app);
  AtIdentity *me = at_application_get_identity (self->app);
  const char * const *team = self->assessment ? at_assessment_get_team (self->assessment) : NULL;
  AtRoles roles = may_record (chosen_kind (self));
  guint selected = 0;

  g_ptr_array_set_size (self->leads, 0);
  for (guint i = 0; all && i < all->len; i++)
    {
      AtIdentity *who = all->pdata[i];
      g_autofree char *label = at_identity_dup_label (who);

      if (!at_identity_has_role (who, roles) &&
          !(self->assessment && g_strcmp0 (at_identity_get_id (who), at_assessment_get_lead (self->assessment)) == 0))
        continue;
      if (me && g_strcmp0 (at_identity_get_id (who), at_identity_get_id (me)) == 0)
        selected = self->leads->len;
      if (self->assessment && g_strcmp0 (at_identity_get_id (who), at_assessment_get_lead (self->assessment)) == 0)
        selected = self->leads->len;
      g_ptr_array_add (self->leads, g_object_ref (who));
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->lead_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->lead_row, selected);

  /* the team: every other identity that may record */
  for (guint i = 0; i < self->team_checks->len; i++)
    adw_preferences_group_remove (self->team_group,
                                  gtk_widget_get_ancestor (self->team_checks->pdata[i], ADW_TYPE_ACTION_ROW));
  g_ptr_array_set_size (self->team_checks, 0);
  for (guint i = 0; i < self->leads->len; i++)
    {
      AtIdentity *who = self->leads->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *roles_label = at_gui_roles_label (at_identity_get_roles (who));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), at_identity_get_name (who));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), roles_label);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), team && g_strv_contains (team, at_identity_get_id (who)));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, at_identity_get_name (who), -1);
      g_object_set_data_full (G_OBJECT (check), "identity", g_strdup (at_identity_get_id (who)), g_free);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->team_group, row);
      g_ptr_array_add (self->team_checks, check);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->team_group), self->leads->len > 1);
  update (self);
}

static void
on_kind_changed (AtAssessmentDialog *self)
{
  if (self->assessment == NULL && self->leads != NULL)
    fill_leads_and_team (self);
}

static char **
split_sites (const char *text)
{
  g_autoptr(GString) normal = g_string_new (text);
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  /* the Chinese semicolon is a multi-byte character: map it before splitting on bytes */
  g_string_replace (normal, "；", ";", 0);
  parts = g_strsplit (normal->str, ";", -1);
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_strv_builder_add (kept, parts[i]);
    }
  return g_strv_builder_end (kept);
}

static char **
chosen_team (AtAssessmentDialog *self)
{
  g_autoptr(GStrvBuilder) team = g_strv_builder_new ();
  const char *lead = chosen_lead (self);

  for (guint i = 0; i < self->team_checks->len; i++)
    {
      GtkCheckButton *check = self->team_checks->pdata[i];
      const char *id = g_object_get_data (G_OBJECT (check), "identity");

      if (gtk_check_button_get_active (check) && g_strcmp0 (id, lead) != 0)
        g_strv_builder_add (team, id);
    }
  return g_strv_builder_end (team);
}

static void
show_error (AtAssessmentDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

/* ---- from an application bundle, in a worker thread ------------------------------------------ */

typedef struct
{
  char             *path;
  char             *lead;
  GStrv             team;
  char             *start;
  char             *end;
  AtBusyDialog     *busy;
} FromBundle;

static void
from_bundle_free (FromBundle *d)
{
  g_free (d->path);
  g_free (d->lead);
  g_strfreev (d->team);
  g_free (d->start);
  g_free (d->end);
  g_free (d);
}

static void
from_bundle_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  AtAssessmentDialog *self = source;
  FromBundle *d = task_data;
  AtAssessmentSpec spec = {
    .lead = d->lead, .kind = AT_KIND_THIRD_PARTY, .team = (const char * const *) d->team,
    .start_date = d->start, .end_date = d->end,
  };
  GError *error = NULL;
  AtAssessment *created;

  /* the busy dialog is modal: nothing else uses the store meanwhile */
  created = at_assessment_create_from_bundle (at_application_get_store (self->app), d->path, &spec,
                                              at_busy_dialog_progress, d->busy, cancellable, &error);
  if (created == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, created, g_object_unref);
}

static void
from_bundle_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AtAssessmentDialog *self = AT_ASSESSMENT_DIALOG (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) created = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->busy != NULL)
    at_busy_dialog_finish (g_steal_pointer (&self->busy));
  update (self);
  if (created == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Stopped: nothing was imported and no assessment was created."));
      else
        /* Translators: %s is core's sentence, which names the bundle */
        message = g_strdup_printf (_("No assessment was created: %s"), error->message);
      show_error (self, message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, at_assessment_get_id (created));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_from_application (AtAssessmentDialog     *self,
                        const AtAssessmentSpec *spec)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = g_file_get_basename (self->bundle);
  g_autofree char *description = NULL;
  FromBundle *d = g_new0 (FromBundle, 1);

  d->path = g_file_get_path (self->bundle);
  d->lead = g_strdup (spec->lead);
  d->team = g_strdupv ((char **) spec->team);
  d->start = g_strdup (spec->start_date);
  d->end = g_strdup (spec->end_date);
  /* Translators: %s is the bundle's file name */
  description = g_strdup_printf (_("Checking every entry, hash and signature of %s, then bringing its evidence in as document-evaluation material…"),
                                 name);
  self->busy = d->busy = at_busy_dialog_new (GTK_WINDOW (self), _("Reading the Application"), description);
  update (self);
  task = g_task_new (self, at_busy_dialog_get_cancellable (self->busy), from_bundle_done, NULL);
  g_task_set_task_data (task, d, (GDestroyNotify) from_bundle_free);
  g_task_run_in_thread (task, from_bundle_thread);
}

static void
on_save (AtAssessmentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *org = at_gui_entry_text (self->org_row);
  g_autofree char *address = at_gui_entry_text (self->address_row);
  g_autofree char *scope = at_gui_entry_text (self->scope_row);
  g_autofree char *sites_text = at_gui_entry_text (self->sites_row);
  g_autofree char *start = at_gui_entry_text (self->start_row);
  g_autofree char *end = at_gui_entry_text (self->end_row);
  g_auto(GStrv) sites = split_sites (sites_text);
  g_auto(GStrv) team = chosen_team (self);
  AtAssessmentSpec spec = {
    .org = org, .address = address, .scope = scope,
    .sites = (const char * const *) sites, .team = (const char * const *) team,
    .start_date = start, .end_date = end,
  };
  AtStore *store = at_application_get_store (self->app);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  if (self->mode == MODE_APPLICATION)
    {
      spec.lead = chosen_lead (self);
      start_from_application (self, &spec);
      return;
    }
  if (self->mode == MODE_SURVEILLANCE)
    {
      g_autoptr(AtAssessment) created = NULL;

      /* the standard and its version stay the previous one's */
      spec.kind = chosen_kind (self);
      spec.lead = chosen_lead (self);
      created = at_assessment_create_from (store, at_assessment_get_id (self->previous), &spec, &error);
      if (created == NULL)
        {
          show_error (self, error->message);
          return;
        }
      g_signal_emit (self, signals[SIGNAL_CREATED], 0, at_assessment_get_id (created));
    }
  else if (self->mode == MODE_NEW)
    {
      guint pos = adw_combo_row_get_selected (self->standard_row);
      AtCatalog *catalog = pos < self->catalogs->len ? self->catalogs->pdata[pos] : NULL;
      g_autoptr(AtAssessment) created = NULL;
      GSettings *settings = at_application_get_settings (self->app);

      if (catalog == NULL)
        return;
      spec.standard = at_catalog_get_code (catalog);
      spec.version = at_catalog_get_version (catalog);
      spec.kind = chosen_kind (self);
      spec.lead = chosen_lead (self);
      created = at_assessment_create (store, &spec, &error);
      if (created == NULL)
        {
          show_error (self, error->message);
          return;
        }
      if (settings)
        g_settings_set_string (settings, "last-standard", spec.standard);
      g_signal_emit (self, signals[SIGNAL_CREATED], 0, at_assessment_get_id (created));
    }
  else
    {
      AtIdentity *me = at_application_get_identity (self->app);

      if (me == NULL)
        {
          show_error (self, _("Create a profile first: every change is recorded with who made it."));
          return;
        }
      if (!at_assessment_update (store, at_assessment_get_id (self->assessment), at_identity_get_id (me), &spec, &error))
        {
          show_error (self, error->message);
          return;
        }
      g_signal_emit (self, signals[SIGNAL_SAVED], 0);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fill_standards (AtAssessmentDialog *self)
{
  g_autoptr(GtkStringList) standards = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  GSettings *settings = at_application_get_settings (self->app);
  g_autofree char *last = settings ? g_settings_get_string (settings, "last-standard") : g_strdup ("");
  guint selected = 0;

  self->catalogs = at_standards_list (at_application_get_store (self->app), &error);
  if (self->catalogs == NULL)
    {
      self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
      show_error (self, error->message);
    }
  for (guint i = 0; i < self->catalogs->len; i++)
    {
      AtCatalog *c = self->catalogs->pdata[i];
      /* Translators: a standard in the chooser: “优质通信服务规范 1.1 (QCS)” */
      g_autofree char *label = g_strdup_printf (_("%s %s (%s)"), at_gui_text (at_catalog_get_title (c)),
                                                at_catalog_get_version (c), at_catalog_get_code (c));
      gtk_string_list_append (standards, label);
      if (g_str_equal (at_catalog_get_code (c), *last ? last : "QCS"))
        selected = i;
    }
  adw_combo_row_set_model (self->standard_row, G_LIST_MODEL (standards));
  adw_combo_row_set_selected (self->standard_row, selected);
}

static void
fill_signoffs (AtAssessmentDialog *self)
{
  g_autoptr(JsonNode) root = at_assessment_to_json_full (self->assessment, at_application_get_store (self->app));
  JsonObject *o = json_node_get_object (root);
  JsonArray *signoffs = json_object_get_array_member (o, "signoffs");
  JsonNode *cert = json_object_get_member (o, "certificate");

  for (guint i = 0; signoffs && i < json_array_get_length (signoffs); i++)
    {
      JsonObject *s = json_array_get_object_element (signoffs, i);
      const char *kind = json_object_get_string_member (s, "kind");
      const char *conclusion = json_object_get_string_member_with_default (s, "conclusion", NULL);
      gboolean valid = json_object_get_boolean_member_with_default (s, "valid", TRUE);
      g_autofree char *when = at_gui_format_time (json_object_get_string_member (s, "signed_at"));
      g_autofree char *subtitle = NULL;
      const char *title = kind;
      GtkWidget *row = adw_action_row_new ();

      if (g_strcmp0 (kind, "submission") == 0)
        title = _("Submitted for recheck");
      else if (g_strcmp0 (kind, "approval") == 0)
        title = _("Approved after the recheck");
      else if (g_strcmp0 (kind, "return") == 0)
        title = _("Returned for rework");
      else if (g_strcmp0 (kind, "certificate") == 0)
        title = _("Certificate decision");
      /* Translators: a sign-off's line: “李明, 2026-12-02 11:27” (and “— no longer in force”) */
      subtitle = g_strdup_printf (valid ? _("%s, %s") : _("%s, %s — no longer in force (reopened)"),
                                  json_object_get_string_member (s, "signer_name"), when);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (valid ? "security-high-symbolic" : "changes-allow-symbolic"));
      adw_preferences_group_add (self->signoffs_group, row);
      if (conclusion && *conclusion)
        {
          GtkWidget *label = gtk_label_new (conclusion);

          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_end (label, 12);
          gtk_widget_set_margin_top (label, 6);
          gtk_widget_set_margin_bottom (label, 10);
          adw_preferences_group_add (self->signoffs_group, label);
        }
    }
  if (cert && JSON_NODE_HOLDS_OBJECT (cert))
    {
      JsonObject *c = json_node_get_object (cert);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: “Certificate QCS-2026-0001” / “issued 2026-12-02, valid until 2029-12-02” */
      g_autofree char *title = g_strdup_printf (_("Certificate %s"), json_object_get_string_member (c, "number"));
      g_autofree char *subtitle = g_strdup_printf (_("issued %s, valid until %s"),
                                                   json_object_get_string_member (c, "issued_on"),
                                                   json_object_get_string_member (c, "valid_until"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("application-certificate-symbolic"));
      adw_preferences_group_add (self->signoffs_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->signoffs_group),
                          (signoffs && json_array_get_length (signoffs) > 0) || (cert && JSON_NODE_HOLDS_OBJECT (cert)));
}

static char *
joined_sites (AtAssessment *a)
{
  return g_strjoinv ("; ", (char **) at_assessment_get_sites (a));
}

GtkWidget *
at_assessment_dialog_new (GtkWindow     *parent,
                          AtApplication *app)
{
  AtAssessmentDialog *self = g_object_new (AT_TYPE_ASSESSMENT_DIALOG, "transient-for", parent, NULL);

  self->app = g_object_ref (app);
  fill_standards (self);
  fill_leads_and_team (self);
  gtk_widget_set_visible (GTK_WIDGET (self->signoffs_group), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->org_row));
  return GTK_WIDGET (self);
}

GtkWidget *
at_assessment_dialog_new_for_edit (GtkWindow     *parent,
                                   AtApplication *app,
                                   AtAssessment  *assessment)
{
  AtAssessmentDialog *self = g_object_new (AT_TYPE_ASSESSMENT_DIALOG, "transient-for", parent,
                                           "title", _("Assessment Details"), NULL);
  AtCatalog *catalog = at_assessment_get_catalog (assessment);
  g_autofree char *standard = g_strdup_printf ("%s %s (%s)", at_gui_text (at_catalog_get_title (catalog)),
                                               at_catalog_get_version (catalog), at_catalog_get_code (catalog));
  g_autoptr(GtkStringList) one = gtk_string_list_new ((const char * const[]) { standard, NULL });
  g_autofree char *sites = joined_sites (assessment);
  const char *state = at_assessment_get_state (assessment);
  gboolean editable = g_strcmp0 (state, "draft") == 0 || g_strcmp0 (state, "in-progress") == 0 ||
                      g_strcmp0 (state, "returned") == 0;

  self->app = g_object_ref (app);
  self->mode = MODE_EDIT;
  self->assessment = g_object_ref (assessment);
  self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
  adw_combo_row_set_model (self->standard_row, G_LIST_MODEL (one));
  gtk_widget_set_sensitive (GTK_WIDGET (self->standard_row), FALSE);
  adw_combo_row_set_selected (self->kind_row, at_assessment_get_kind (assessment) == AT_KIND_SELF ? 1 : 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), FALSE);
  fill_leads_and_team (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lead_row), FALSE);

  gtk_editable_set_text (GTK_EDITABLE (self->org_row), at_assessment_get_org (assessment));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), at_assessment_get_address (assessment) ? at_assessment_get_address (assessment) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->scope_row), at_assessment_get_scope (assessment) ? at_assessment_get_scope (assessment) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sites_row), sites);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), at_assessment_get_start_date (assessment) ? at_assessment_get_start_date (assessment) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), at_assessment_get_end_date (assessment) ? at_assessment_get_end_date (assessment) : "");
  gtk_button_set_label (self->save_button, _("_Save"));
  if (!editable)
    {
      GtkWidget *rows[] = { GTK_WIDGET (self->org_row), GTK_WIDGET (self->address_row), GTK_WIDGET (self->scope_row),
                            GTK_WIDGET (self->sites_row), GTK_WIDGET (self->start_row), GTK_WIDGET (self->end_row),
                            GTK_WIDGET (self->team_group) };
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        gtk_widget_set_sensitive (rows[i], FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
      show_error (self, _("The details are locked in this state: reopen the assessment to change them."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "dim-label");
    }
  fill_signoffs (self);
  update (self);
  return GTK_WIDGET (self);
}

/* What carries over, as the row at the top says it. */
static void
set_basis (AtAssessmentDialog *self,
           const char         *title,
           const char         *subtitle,
           const char         *icon)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->basis_row), title);
  adw_action_row_set_subtitle (self->basis_row, subtitle);
  adw_action_row_add_prefix (self->basis_row, gtk_image_new_from_icon_name (icon));
  gtk_widget_set_visible (GTK_WIDGET (self->basis_group), TRUE);
}

GtkWidget *
at_assessment_dialog_new_surveillance (GtkWindow     *parent,
                                       AtApplication *app,
                                       AtAssessment  *previous)
{
  AtAssessmentDialog *self = g_object_new (AT_TYPE_ASSESSMENT_DIALOG, "transient-for", parent,
                                           "title", _("New Surveillance Assessment"), NULL);
  AtCatalog *catalog = at_assessment_get_catalog (previous);
  g_autofree char *standard = g_strdup_printf ("%s %s (%s)", at_gui_text (at_catalog_get_title (catalog)),
                                               at_catalog_get_version (catalog), at_catalog_get_code (catalog));
  g_autoptr(GtkStringList) one = gtk_string_list_new ((const char * const[]) { standard, NULL });
  g_autofree char *sites = joined_sites (previous);
  /* Translators: what a surveillance assessment follows: “Follows the assessment of Northwind Telecom” */
  g_autofree char *title = g_strdup_printf (_("Follows the assessment of %s"), at_assessment_get_org (previous));
  const char *start = at_assessment_get_start_date (previous);
  g_autofree char *subtitle = NULL;

  if (start != NULL)
    /* Translators: %s is the date the previous assessment started */
    subtitle = g_strdup_printf (_("Of %s. The organisation, address, scope and sites carry over; its verdicts and nonconformities are shown beside the new ones for reference."),
                                start);
  else
    subtitle = g_strdup (_("The organisation, address, scope and sites carry over; its verdicts and nonconformities are shown beside the new ones for reference."));

  self->app = g_object_ref (app);
  self->mode = MODE_SURVEILLANCE;
  self->previous = g_object_ref (previous);
  self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
  set_basis (self, title, subtitle, "document-open-recent-symbolic");
  adw_combo_row_set_model (self->standard_row, G_LIST_MODEL (one));
  gtk_widget_set_sensitive (GTK_WIDGET (self->standard_row), FALSE);
  adw_combo_row_set_selected (self->kind_row, at_assessment_get_kind (previous) == AT_KIND_SELF ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->org_row), at_assessment_get_org (previous));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), at_assessment_get_address (previous) ? at_assessment_get_address (previous) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->scope_row), at_assessment_get_scope (previous) ? at_assessment_get_scope (previous) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sites_row), sites);
  fill_leads_and_team (self);
  gtk_widget_set_visible (GTK_WIDGET (self->signoffs_group), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->start_row));
  return GTK_WIDGET (self);
}

GtkWidget *
at_assessment_dialog_new_from_application (GtkWindow     *parent,
                                           AtApplication *app,
                                           GFile         *bundle)
{
  AtAssessmentDialog *self = g_object_new (AT_TYPE_ASSESSMENT_DIALOG, "transient-for", parent,
                                           "title", _("New Assessment from an Application"), NULL);
  g_autofree char *name = g_file_get_basename (bundle);
  /* Translators: %s is the application bundle's file name */
  g_autofree char *title = g_strdup_printf (_("Application: %s"), name);

  self->app = g_object_ref (app);
  self->mode = MODE_APPLICATION;
  self->bundle = g_object_ref (bundle);
  self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
  set_basis (self, title,
             _("The organisation's submitted self-assessment (QCS 11.3 a). Its organisation, standard, scope and sites carry over; its evidence becomes document-evaluation material on the same clauses; its verdicts are shown for reference and never copied."),
             "folder-download-symbolic");
  /* what the application brings is not asked */
  gtk_widget_set_visible (GTK_WIDGET (self->org_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->standard_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->kind_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->scope_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sites_row), FALSE);
  fill_leads_and_team (self);
  gtk_widget_set_visible (GTK_WIDGET (self->signoffs_group), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->start_row));
  return GTK_WIDGET (self);
}

static gboolean
at_assessment_dialog_close_request (GtkWindow *window)
{
  AtAssessmentDialog *self = AT_ASSESSMENT_DIALOG (window);

  /* the application is being read: stop it first (the busy dialog does) */
  if (self->busy != NULL)
    return TRUE;
  return GTK_WINDOW_CLASS (at_assessment_dialog_parent_class)->close_request (window);
}

static void
at_assessment_dialog_dispose (GObject *object)
{
  AtAssessmentDialog *self = AT_ASSESSMENT_DIALOG (object);

  g_clear_object (&self->app);
  g_clear_object (&self->assessment);
  g_clear_object (&self->previous);
  g_clear_object (&self->bundle);
  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  g_clear_pointer (&self->leads, g_ptr_array_unref);
  g_clear_pointer (&self->team_checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_ASSESSMENT_DIALOG);

  G_OBJECT_CLASS (at_assessment_dialog_parent_class)->dispose (object);
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  on_save (AT_ASSESSMENT_DIALOG (widget));
}

static void
at_assessment_dialog_class_init (AtAssessmentDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_assessment_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = at_assessment_dialog_close_request;

  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-assessment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, basis_group);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, basis_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, org_group);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, standard_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, org_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, sites_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, end_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, lead_row);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, team_group);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, signoffs_group);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_save);
  gtk_widget_class_bind_template_callback (widget_class, update);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);

  gtk_widget_class_install_action (widget_class, "assessment.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "assessment.save", NULL);
}

static void
at_assessment_dialog_init (AtAssessmentDialog *self)
{
  self->leads = g_ptr_array_new_with_free_func (g_object_unref);
  self->team_checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
