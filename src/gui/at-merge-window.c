/* at-merge-window.c — a team member's work merged: each conflict side by side, decided
 *
 * A record both the lead and the member changed since the member was handed the assessment is
 * shown with both sides — who, when, the verdict and note (or the record), the evidence on each
 * side — and the lead keeps this store's, takes the member's, or writes the finding anew.
 * Merge stays insensitive until every conflict is decided; Cancel writes nothing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-merge-window.h"

struct _AtMergeWindow
{
  AdwWindow        parent_instance;

  AtApplication   *app;
  AtMerge         *merge;

  AdwToastOverlay *toasts;
  AdwPreferencesPage *page;
  GtkLabel        *summary;
  GtkButton       *merge_button;
};

G_DEFINE_FINAL_TYPE (AtMergeWindow, at_merge_window, ADW_TYPE_WINDOW)

enum { SIGNAL_MERGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
member (JsonObject *o,
        const char *name)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static void
update (AtMergeWindow *self)
{
  GPtrArray *conflicts = at_merge_get_conflicts (self->merge);
  guint undecided = 0;

  for (guint i = 0; i < conflicts->len; i++)
    undecided += at_merge_conflict_get_choice (conflicts->pdata[i]) == AT_MERGE_UNDECIDED;
  gtk_widget_set_sensitive (GTK_WIDGET (self->merge_button), undecided == 0);
}

/* One side of a conflict: who and when, then the record as a person reads it. */
static GtkWidget *
side (AtMergeWindow      *self,
      const char         *heading,
      const char         *who,
      const char         *when,
      JsonObject         *row,
      const char * const *evidence)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label;
  g_autofree char *at = at_gui_format_time (when);
  g_autofree char *title = g_strdup_printf ("%s — %s, %s", heading, who ? who : "?", at);
  g_autoptr(GString) body = g_string_new (NULL);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "recheck-card");
  gtk_widget_set_hexpand (box, TRUE);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (box), label);

  if (row == NULL)
    g_string_append (body, _("Removed on this side."));
  else if (member (row, "verdict"))
    {
      AtVerdict v = AT_VERDICT_OPEN;

      at_verdict_parse (member (row, "verdict"), &v, NULL);
      g_string_append (body, at_gui_verdict_label (v));
      if (member (row, "note"))
        g_string_append_printf (body, "\n%s", member (row, "note"));
    }
  else if (member (row, "text"))
    g_string_append (body, member (row, "text"));
  else
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), row);
      g_autofree char *text = json_to_string (node, TRUE);
      g_string_append (body, text);
    }
  if (evidence != NULL && evidence[0] != NULL)
    {
      g_autofree char *files = g_strjoinv (", ", (char **) evidence);
      /* Translators: the evidence linked to the clause on one side of a merge conflict */
      g_string_append_printf (body, _("\nEvidence: %s"), files);
    }
  label = gtk_label_new (body->str);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return box;
}

typedef struct
{
  AtMergeWindow   *self;
  AtMergeConflict *conflict;
  GtkWidget       *edit_box;
  GtkDropDown     *verdict;
  GtkEntry        *note;
} Choice;

static void
choice_free (Choice *c)
{
  g_object_unref (c->conflict);
  g_free (c);
}

static const AtVerdict verdicts[] = { AT_VERDICT_CONFORM, AT_VERDICT_PARTIAL, AT_VERDICT_NONCONFORM, AT_VERDICT_NA, AT_VERDICT_OPEN };

static void
apply_edit (Choice *c)
{
  guint pos = gtk_drop_down_get_selected (c->verdict);
  g_autoptr(GError) error = NULL;

  if (!at_merge_conflict_edit (c->conflict, at_verdict_to_string (verdicts[MIN (pos, G_N_ELEMENTS (verdicts) - 1)]),
                               gtk_editable_get_text (GTK_EDITABLE (c->note)), &error))
    adw_toast_overlay_add_toast (c->self->toasts, adw_toast_new (error->message));
  update (c->self);
}

static void
on_choice (GtkToggleButton *button,
           Choice          *c)
{
  AtMergeChoice choice = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "choice"));

  if (!gtk_toggle_button_get_active (button))
    return;
  if (c->edit_box)
    gtk_widget_set_visible (c->edit_box, choice == AT_MERGE_TAKE_EDITED);
  if (choice == AT_MERGE_TAKE_EDITED)
    apply_edit (c);
  else
    at_merge_conflict_choose (c->conflict, choice);
  update (c->self);
}

static void
on_edit_changed (Choice *c)
{
  if (at_merge_conflict_get_choice (c->conflict) == AT_MERGE_TAKE_EDITED)
    apply_edit (c);
}

static GtkWidget *
choice_button (Choice        *c,
               GtkWidget     *group,
               const char    *label,
               const char    *a11y,
               AtMergeChoice  choice)
{
  GtkWidget *b = gtk_toggle_button_new_with_mnemonic (label);

  if (group)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (b), GTK_TOGGLE_BUTTON (group));
  g_object_set_data (G_OBJECT (b), "choice", GINT_TO_POINTER (choice));
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_signal_connect (b, "toggled", G_CALLBACK (on_choice), c);
  return b;
}

static void
add_conflict (AtMergeWindow   *self,
              AtMergeConflict *conflict)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *mine, *theirs, *edited = NULL;
  gboolean finding = g_str_equal (at_merge_conflict_get_entity (conflict), "finding");
  const char *label = at_merge_conflict_get_label (conflict);
  g_autofree char *a11y_mine = g_strdup_printf (_("Keep this store's: %s"), label);
  g_autofree char *a11y_theirs = g_strdup_printf (_("Take %s's: %s"), at_merge_get_signer_name (self->merge), label);
  g_autofree char *a11y_edit = g_strdup_printf (_("Write anew: %s"), label);
  Choice *c = g_new0 (Choice, 1);

  c->self = self;
  c->conflict = g_object_ref (conflict);
  g_object_set_data_full (G_OBJECT (group), "choice", c, (GDestroyNotify) choice_free);

  /* a title: the record's name, capitalised where the language has capitals */
  {
    gunichar first = g_utf8_get_char (label);
    char buf[8] = { 0 };
    g_autofree char *title = NULL;

    g_unichar_to_utf8 (g_unichar_totitle (first), buf);
    title = g_strconcat (buf, g_utf8_next_char (label), NULL);
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  }
  gtk_box_set_homogeneous (GTK_BOX (sides), TRUE);
  gtk_box_append (GTK_BOX (sides), side (self, _("Here"), at_merge_conflict_get_mine_name (conflict), at_merge_conflict_get_mine_at (conflict),
                                         at_merge_conflict_get_mine (conflict), at_merge_conflict_get_mine_evidence (conflict)));
  gtk_box_append (GTK_BOX (sides), side (self, _("Theirs"), at_merge_conflict_get_theirs_name (conflict),
                                         at_merge_conflict_get_theirs_at (conflict), at_merge_conflict_get_theirs (conflict),
                                         at_merge_conflict_get_theirs_evidence (conflict)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), sides);

  gtk_widget_add_css_class (buttons, "linked");
  gtk_widget_set_halign (buttons, GTK_ALIGN_START);
  gtk_widget_set_margin_top (buttons, 8);
  mine = choice_button (c, NULL, _("_Keep This Store's"), a11y_mine, AT_MERGE_TAKE_MINE);
  theirs = choice_button (c, mine, _("_Take Theirs"), a11y_theirs, AT_MERGE_TAKE_THEIRS);
  gtk_box_append (GTK_BOX (buttons), mine);
  gtk_box_append (GTK_BOX (buttons), theirs);
  if (finding)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      JsonObject *base = at_merge_conflict_get_theirs (conflict) ? at_merge_conflict_get_theirs (conflict)
                                                                 : at_merge_conflict_get_mine (conflict);
      AtVerdict v = AT_VERDICT_OPEN;

      edited = choice_button (c, mine, _("_Write Anew"), a11y_edit, AT_MERGE_TAKE_EDITED);
      gtk_box_append (GTK_BOX (buttons), edited);
      for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
        gtk_string_list_append (names, at_gui_verdict_label (verdicts[i]));
      c->edit_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_widget_set_margin_top (c->edit_box, 8);
      gtk_widget_set_visible (c->edit_box, FALSE);
      c->verdict = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
      at_verdict_parse (member (base, "verdict"), &v, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
        if (verdicts[i] == v)
          gtk_drop_down_set_selected (c->verdict, i);
      gtk_accessible_update_property (GTK_ACCESSIBLE (c->verdict), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Verdict"), -1);
      c->note = GTK_ENTRY (gtk_entry_new ());
      gtk_widget_set_hexpand (GTK_WIDGET (c->note), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (c->note), member (base, "note") ? member (base, "note") : "");
      gtk_accessible_update_property (GTK_ACCESSIBLE (c->note), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Note"), -1);
      g_signal_connect_swapped (c->verdict, "notify::selected", G_CALLBACK (on_edit_changed), c);
      g_signal_connect_swapped (c->note, "changed", G_CALLBACK (on_edit_changed), c);
      gtk_box_append (GTK_BOX (c->edit_box), GTK_WIDGET (c->verdict));
      gtk_box_append (GTK_BOX (c->edit_box), GTK_WIDGET (c->note));
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  if (c->edit_box)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), c->edit_box);
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
}

static void
on_merge (AtMergeWindow *self)
{
  g_autoptr(GError) error = NULL;
  AtIdentity *me = at_application_get_identity (self->app);
  g_autofree char *id = g_strdup (at_merge_get_assessment_id (self->merge));

  if (!at_merge_apply (self->merge, me ? at_identity_get_id (me) : NULL, &error))
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_MERGED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

GtkWidget *
at_merge_window_new (GtkWindow     *parent,
                     AtApplication *app,
                     AtMerge       *merge)
{
  AtMergeWindow *self = g_object_new (AT_TYPE_MERGE_WINDOW, "transient-for", parent, NULL);
  GPtrArray *conflicts = at_merge_get_conflicts (merge);
  g_autofree char *title = g_strdup_printf (_("Merge the Work of %s"), at_merge_get_signer_name (merge));
  g_autofree char *summary = NULL;

  self->app = g_object_ref (app);
  self->merge = g_object_ref (merge);
  gtk_window_set_title (GTK_WINDOW (self), title);
  {
    guint taken = at_merge_get_n_taken (merge);
    g_autofree char *first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u record changed only in the bundle will be taken as it is.",
                                                           "%u records changed only in the bundle will be taken as they are.", taken),
                                              taken);
    g_autofree char *second = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u record was changed on both sides since it was handed out: decide it.",
                                                            "%u records were changed on both sides since it was handed out: decide each.",
                                                            conflicts->len), conflicts->len);

    /* Translators: the merge window's summary: the two sentences above, then this one */
    summary = g_strdup_printf (_("%s %s Nothing is written until every conflict is decided."), first, second);
  }
  gtk_label_set_text (self->summary, summary);
  for (guint i = 0; i < conflicts->len; i++)
    add_conflict (self, conflicts->pdata[i]);
  update (self);
  return GTK_WIDGET (self);
}

static void
at_merge_window_dispose (GObject *object)
{
  AtMergeWindow *self = AT_MERGE_WINDOW (object);

  g_clear_object (&self->merge);
  g_clear_object (&self->app);
  G_OBJECT_CLASS (at_merge_window_parent_class)->dispose (object);
}

static void
at_merge_window_class_init (AtMergeWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_merge_window_dispose;
  signals[SIGNAL_MERGED] = g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-merge-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtMergeWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, AtMergeWindow, page);
  gtk_widget_class_bind_template_child (widget_class, AtMergeWindow, summary);
  gtk_widget_class_bind_template_child (widget_class, AtMergeWindow, merge_button);
  gtk_widget_class_bind_template_callback (widget_class, on_merge);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_merge_window_init (AtMergeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
