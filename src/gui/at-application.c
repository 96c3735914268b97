/* at-application.c — the Attest application: one store, its windows, app-wide actions */
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
};

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

static void
at_application_activate (GApplication *app)
{
  AtApplication *self = AT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL)
    self->store = at_store_open (self->data_dir, &error);
  if (self->store == NULL)
    {
      show_fatal (self, error->message);
      return;
    }

  window = GTK_WINDOW (at_window_new (self));
  gtk_window_present (window);
}

static void
at_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  /* Bundles open in the window once importing exists; until then opening shows the window. */
  g_application_activate (app);
}

static void
at_application_startup (GApplication *app)
{
  AtApplication *self = AT_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (at_application_parent_class)->startup (app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  g_set_application_name (_("Attest"));
  gtk_window_set_default_icon_name (APP_ID);
}

static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "Attest developers", NULL };

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
at_application_finalize (GObject *object)
{
  AtApplication *self = AT_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_free (self->data_dir);

  G_OBJECT_CLASS (at_application_parent_class)->finalize (object);
}

static void
at_application_class_init (AtApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = at_application_finalize;
  app_class->activate = at_application_activate;
  app_class->open = at_application_open;
  app_class->startup = at_application_startup;
  app_class->handle_local_options = at_application_handle_local_options;
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
