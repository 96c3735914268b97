/* at-application.c — the Attest application: one store, the current identity, app-wide actions */
#include "config.h"

#include <glib/gi18n.h>

#include "at-application.h"
#include "at-window.h"

struct _AtApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  AtStore        *store;
  GSettings      *settings;
  GPtrArray      *identities;
  AtIdentity     *identity;
};

enum { PROP_0, PROP_IDENTITY, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtApplication, at_application, ADW_TYPE_APPLICATION)

AtApplication *
at_application_new (void)
{
  return g_object_new (AT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/attestbench/Attest",
                       NULL);
}

AtStore *
at_application_get_store (AtApplication *self)
{
  return self->store;
}

/* NULL when the schema is not installed (an uninstalled build run by hand): the window then
 * simply does not remember its size, rather than aborting. */
GSettings *
at_application_get_settings (AtApplication *self)
{
  return self->settings;
}

AtIdentity *
at_application_get_identity (AtApplication *self)
{
  return self->identity;
}

GPtrArray *
at_application_get_identities (AtApplication *self)
{
  return self->identities;
}

/* The name of the identity id among this data directory's people, or the id itself when
 * nobody here has it (a bundle from elsewhere that named someone unknown). */
const char *
at_application_get_person_name (AtApplication *self,
                                const char    *identity_id)
{
  for (guint i = 0; self->identities && i < self->identities->len; i++)
    if (g_strcmp0 (at_identity_get_id (self->identities->pdata[i]), identity_id) == 0)
      return at_identity_get_name (self->identities->pdata[i]);
  return identity_id ? identity_id : "";
}

void
at_application_set_identity (AtApplication *self,
                             const char    *identity_id)
{
  AtIdentity *found = NULL;

  for (guint i = 0; self->identities && i < self->identities->len; i++)
    if (g_strcmp0 (at_identity_get_id (self->identities->pdata[i]), identity_id) == 0)
      found = self->identities->pdata[i];
  /* an unknown id (a profile removed by hand, another data directory): the first one will do */
  if (found == NULL && self->identities && self->identities->len > 0)
    found = self->identities->pdata[0];

  if (g_set_object (&self->identity, found))
    {
      if (self->settings && found)
        g_settings_set_string (self->settings, "identity", at_identity_get_id (found));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
    }
}

void
at_application_reload_identities (AtApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *current = self->identity ? g_strdup (at_identity_get_id (self->identity)) : NULL;
  GPtrArray *list = self->store ? at_identity_list (self->store, &error) : NULL;

  if (list == NULL)
    {
      if (error)
        g_warning ("could not read the identities: %s", error->message);
      list = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  self->identities = list;
  /* the objects were replaced: point at the new one of the same id */
  g_clear_object (&self->identity);
  if (current == NULL && self->settings)
    current = g_settings_get_string (self->settings, "identity");
  at_application_set_identity (self, current);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
}

static void
show_fatal (AtApplication *self,
            const char    *message)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, _("Attest cannot start"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (gtk_window_destroy), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
at_application_open_store (AtApplication  *self,
                           const char     *data_dir,
                           GError        **error)
{
  if (self->store != NULL)
    return TRUE;
  self->store = at_store_open (data_dir, error);
  if (self->store == NULL)
    return FALSE;
  at_application_reload_identities (self);
  return TRUE;
}

static AtWindow *
ensure_window (AtApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (AT_IS_WINDOW (window))
    return AT_WINDOW (window);
  if (!at_application_open_store (self, self->data_dir, &error))
    {
      show_fatal (self, error->message);
      return NULL;
    }
  return at_window_new (self);
}

static void
at_application_activate (GApplication *app)
{
  AtWindow *window = ensure_window (AT_APPLICATION (app));

  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
}

/* A double-clicked .attest bundle: the window imports it (asking before anything is written). */
static void
at_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  AtWindow *window = ensure_window (AT_APPLICATION (app));

  if (window == NULL)
    return;
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < n_files; i++)
    at_window_import_bundle (window, files[i]);
}

static void
apply_style (AtApplication *self)
{
  g_autofree char *style = self->settings ? g_settings_get_string (self->settings, "style") : g_strdup ("default");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (style, "light"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (style, "dark"))
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
style_changed (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  AtApplication *self = user_data;

  g_simple_action_set_state (action, value);
  if (self->settings)
    g_settings_set_string (self->settings, "style", g_variant_get_string (value, NULL));
  apply_style (self);
}

static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* closing the windows first lets each save what is pending (a note being typed) */
  for (GList *l = g_list_copy (windows), *it = l; it; it = it->next)
    {
      gtk_window_close (it->data);
      if (it->next == NULL)
        g_list_free (l);
    }
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Attest developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Attest"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Assess service organisations against service standards, clause by clause, with evidence, an independent recheck and a signed certificate report."),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/attestbench/attest",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
at_application_startup (GApplication *app)
{
  AtApplication *self = AT_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autofree char *style = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  GSimpleAction *style_action;

  G_APPLICATION_CLASS (at_application_parent_class)->startup (app);

  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  style = self->settings ? g_settings_get_string (self->settings, "style") : g_strdup ("default");
  style_action = g_simple_action_new_stateful ("style", G_VARIANT_TYPE_STRING, g_variant_new_string (style));
  g_signal_connect (style_action, "change-state", G_CALLBACK (style_changed), self);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (style_action));
  g_object_unref (style_action);
  apply_style (self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  g_set_application_name (_("Attest"));
  gtk_window_set_default_icon_name (APP_ID);
}

static int
at_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  AtApplication *self = AT_APPLICATION (app);
  const char *dir = NULL;

  if (g_variant_dict_lookup (options, "data-dir", "&s", &dir))
    self->data_dir = g_strdup (dir);
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("attest %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
at_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AtApplication *self = AT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_IDENTITY:
      g_value_set_object (value, self->identity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
at_application_finalize (GObject *object)
{
  AtApplication *self = AT_APPLICATION (object);

  g_clear_object (&self->identity);
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_free (self->data_dir);

  G_OBJECT_CLASS (at_application_parent_class)->finalize (object);
}

static void
at_application_class_init (AtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = at_application_finalize;
  object_class->get_property = at_application_get_property;
  app_class->activate = at_application_activate;
  app_class->open = at_application_open;
  app_class->startup = at_application_startup;
  app_class->handle_local_options = at_application_handle_local_options;

  properties[PROP_IDENTITY] =
    g_param_spec_object ("identity", NULL, NULL, AT_TYPE_IDENTITY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
at_application_init (AtApplication *self)
{
  static const GActionEntry actions[] = {
    { "quit", quit_activated },
    { "about", about_activated },
  };
  static const GOptionEntry options[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Use DIR as the data directory"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
