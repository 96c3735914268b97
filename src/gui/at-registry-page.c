/* at-registry-page.c — the certification body's registry: search what was published, fetch it
 *
 * The address lives in GSettings (registry-url); the password never does (libpq's ~/.pgpass).
 * Searching and fetching run in worker threads, each on its own connection; a fetch imports
 * through the normal importer behind a progress dialog, and the window then opens the
 * assessment ("fetched").
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-busy-dialog.h"
#include "at-gui-labels.h"
#include "at-gui-util.h"
#include "at-registry-page.h"

struct _AtRegistryPage
{
  GtkWidget       parent_instance;

  AtApplication  *app;
  GCancellable   *search_cancellable;

  /* template children */
  AdwEntryRow    *url_row;
  AdwEntryRow    *org_row;
  AdwComboRow    *state_row;
  GtkStack       *result_stack;
  AdwStatusPage  *error_page;
  GtkListBox     *result_list;
};

G_DEFINE_FINAL_TYPE (AtRegistryPage, at_registry_page, GTK_TYPE_WIDGET)

enum { SIGNAL_FETCHED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The state row's items, in order: what the registry is asked for. */
static const char * const state_filters[] = { NULL, "approved", "certified", "valid", "suspended", "withdrawn", "expired" };

static char *
registry_url (AtRegistryPage *self)
{
  GSettings *settings = self->app ? at_application_get_settings (self->app) : NULL;
  g_autofree char *url = settings ? g_settings_get_string (settings, "registry-url") : NULL;

  return url && *url ? g_steal_pointer (&url) : NULL;
}

/* ---- fetching ---------------------------------------------------------------------------------- */

typedef struct
{
  AtRegistryPage *page;
  AtBusyDialog   *busy;
  char           *org;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_object_unref (f->page);
  g_free (f->org);
  g_free (f);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *f = user_data;
  g_autoptr(GError) error = NULL;
  AtBundleOutcome outcome = AT_BUNDLE_IMPORTED;
  g_autofree char *id = at_registry_fetch_finish (result, &outcome, &error);

  at_busy_dialog_finish (f->busy);
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (f->page))), NULL, error->message);

          /* Translators: %s is the organisation of the assessment that was not fetched */
          adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("The assessment of %s was not fetched"), f->org);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
      fetch_free (f);
      return;
    }
  g_signal_emit (f->page, signals[SIGNAL_FETCHED], 0, id, (int) outcome);
  fetch_free (f);
}

static void
on_fetch_clicked (AtRegistryPage *self,
                  GtkButton      *button)
{
  const char *id = g_object_get_data (G_OBJECT (button), "assessment-id");
  const char *org = g_object_get_data (G_OBJECT (button), "org");
  g_autofree char *url = registry_url (self);
  g_autofree char *description = NULL;
  Fetch *f;

  if (url == NULL)
    return;
  /* Translators: %s is the organisation whose assessment is fetched */
  description = g_strdup_printf (_("Downloading the signed bundle of %s and checking every entry, hash and signature before anything is written…"), org);
  f = g_new0 (Fetch, 1);
  f->page = g_object_ref (self);
  f->org = g_strdup (org);
  f->busy = at_busy_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Fetching from the Registry"), description);
  at_registry_fetch_async (url, at_application_get_store (self->app), id, AT_BUNDLE_IMPORT_NONE,
                           at_busy_dialog_get_cancellable (f->busy), fetched, f);
}

/* ---- the list ---------------------------------------------------------------------------------- */

/* A certificate's standing as the pills of the window write a state (“Approved”) */
static const char *
status_pill_label (const char *status)
{
  if (g_str_equal (status, "valid"))
    return C_("certificate status pill", "Valid");
  if (g_str_equal (status, "suspended"))
    return C_("certificate status pill", "Suspended");
  if (g_str_equal (status, "withdrawn"))
    return C_("certificate status pill", "Withdrawn");
  if (g_str_equal (status, "expired"))
    return C_("certificate status pill", "Expired");
  return status;
}

static GtkWidget *
result_row (AtRegistryPage *self,
            JsonObject     *o)
{
  JsonNode *cert_node = json_object_get_member (o, "certificate");
  JsonObject *cert = cert_node && JSON_NODE_HOLDS_OBJECT (cert_node) ? json_node_get_object (cert_node) : NULL;
  const char *org = json_object_get_string_member (o, "org");
  const char *state = json_object_get_string_member (o, "state");
  const char *status = cert ? json_object_get_string_member (cert, "status") : NULL;
  g_autofree char *published = g_strndup (json_object_get_string_member (o, "published_at"), 10);
  g_autofree char *certificate = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *fetch_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill, *fetch;

  if (cert != NULL)
    /* Translators: in a registry row: “certificate QCS-2026-0001, valid until 2029-12-04” */
    certificate = g_strdup_printf (_("certificate %s, valid until %s"), json_object_get_string_member (cert, "number"),
                                   json_object_get_string_member (cert, "valid_until"));
  /* Translators: a registry row's second line: standard and version · certificate · “published 2026-12-04 by 李明” */
  subtitle = g_strdup_printf (_("%s %s · %s · published %s by %s"), json_object_get_string_member (o, "standard"),
                              json_object_get_string_member (o, "standard_version"),
                              certificate ? certificate : _("no certificate yet"), published,
                              json_object_get_string_member (o, "exported_by_name"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), org);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  /* the certificate's standing is what a customer asks about; without one, the assessment's state */
  pill = gtk_label_new (status ? status_pill_label (status) : at_gui_state_label (state));
  gtk_widget_add_css_class (pill, "state-pill");
  gtk_widget_add_css_class (pill, status ? status : state);
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);

  fetch = gtk_button_new_with_mnemonic (_("_Fetch"));
  /* Translators: the accessible name of the button that fetches a published assessment, %s is the organisation */
  fetch_label = g_strdup_printf (_("Fetch %s"), org);
  gtk_widget_set_valign (fetch, GTK_ALIGN_CENTER);
  at_gui_set_tooltip (fetch, _("Import this assessment into your data directory and open it"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (fetch), GTK_ACCESSIBLE_PROPERTY_LABEL, fetch_label, -1);
  g_object_set_data_full (G_OBJECT (fetch), "assessment-id", g_strdup (json_object_get_string_member (o, "id")), g_free);
  g_object_set_data_full (G_OBJECT (fetch), "org", g_strdup (org), g_free);
  g_signal_connect_swapped (fetch, "clicked", G_CALLBACK (on_fetch_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), fetch);
  return row;
}

static void
listed (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(AtRegistryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = at_registry_list_finish (result, &error);
  JsonArray *items;
  GtkWidget *child;

  if (list == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->result_stack, "error");
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))))
    gtk_list_box_remove (self->result_list, child);
  items = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (items); i++)
    gtk_list_box_append (self->result_list, result_row (self, json_array_get_object_element (items, i)));
  gtk_stack_set_visible_child_name (self->result_stack, json_array_get_length (items) ? "list" : "empty");
}

static void
on_search (AtRegistryPage *self)
{
  g_autofree char *url = registry_url (self);
  g_autofree char *org = at_gui_entry_text (self->org_row);
  guint selected = adw_combo_row_get_selected (self->state_row);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (url == NULL)
    {
      gtk_stack_set_visible_child_name (self->result_stack, "unset");
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->result_stack, "loading");
  at_registry_list_async (url, *org ? org : NULL, selected < G_N_ELEMENTS (state_filters) ? state_filters[selected] : NULL,
                          self->search_cancellable, listed, g_object_ref (self));
}

static gboolean
search_again (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  on_search (AT_REGISTRY_PAGE (widget));
  return TRUE;
}

static void
on_url_applied (AtRegistryPage *self)
{
  g_autofree char *url = at_gui_entry_text (self->url_row);
  GSettings *settings = at_application_get_settings (self->app);

  if (settings)
    g_settings_set_string (settings, "registry-url", url);
  on_search (self);
}

void
at_registry_page_setup (AtRegistryPage *self,
                        AtApplication  *app)
{
  g_set_object (&self->app, app);
}

void
at_registry_page_show (AtRegistryPage *self)
{
  g_autofree char *url = registry_url (self);

  g_return_if_fail (AT_IS_REGISTRY_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
  on_search (self);
  gtk_widget_grab_focus (GTK_WIDGET (url ? self->org_row : self->url_row));
}

static void
at_registry_page_dispose (GObject *object)
{
  AtRegistryPage *self = AT_REGISTRY_PAGE (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_REGISTRY_PAGE);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (at_registry_page_parent_class)->dispose (object);
}

static void
at_registry_page_class_init (AtRegistryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_registry_page_dispose;

  signals[SIGNAL_FETCHED] = g_signal_new ("fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-registry-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtRegistryPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, AtRegistryPage, org_row);
  gtk_widget_class_bind_template_child (widget_class, AtRegistryPage, state_row);
  gtk_widget_class_bind_template_child (widget_class, AtRegistryPage, result_stack);
  gtk_widget_class_bind_template_child (widget_class, AtRegistryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtRegistryPage, result_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search);
  gtk_widget_class_bind_template_callback (widget_class, on_url_applied);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F5, 0, search_again, NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_registry_page_init (AtRegistryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
