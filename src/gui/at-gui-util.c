/* at-gui-util.c — small things the window's widgets share: toasts, entries, file choosers */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "at-gui-util.h"

char *
at_gui_entry_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

void
at_gui_toast (GtkWidget  *widget,
              const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return;
    }
  /* libadwaita 1.2 reads a toast's title as markup: a file name with “&” must stay text */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

typedef struct
{
  AtChosenFunc   func;
  gpointer       user_data;
  GDestroyNotify destroy;
} Chooser;

static void
on_response (GtkNativeDialog *dialog,
             int              response,
             Chooser         *c)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      if (g_list_model_get_n_items (files) > 0)
        c->func (files, c->user_data);
    }
  if (c->destroy)
    c->destroy (c->user_data);
  g_free (c);
  g_object_unref (dialog);
}

void
at_gui_choose_file (GtkWindow            *parent,
                    const char           *title,
                    GtkFileChooserAction  action,
                    const char           *accept_label,
                    gboolean              multiple,
                    const char           *filter_name,
                    const char * const   *patterns,
                    const char           *suggested_name,
                    AtChosenFunc          func,
                    gpointer              user_data,
                    GDestroyNotify        destroy)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, parent, action, accept_label, _("_Cancel"));
  Chooser *c = g_new0 (Chooser, 1);

  c->func = func;
  c->user_data = user_data;
  c->destroy = destroy;
  if (patterns && patterns[0])
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      for (guint i = 0; patterns[i]; i++)
        gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), multiple);
  if (suggested_name)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_response), c);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The stored file is named by its hash; the application that opens it wants its real name and
 * extension, so it opens a copy under that name (the store itself is never handed out). */
static void
copied_for_opening (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  if (!g_file_copy_finish (G_FILE (source), result, &error))
    {
      at_gui_toast (widget, error->message);
      return;
    }
  uri = g_file_get_uri (g_object_get_data (source, "target"));
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), uri, GDK_CURRENT_TIME);
}

void
at_gui_open_stored_file (GtkWidget  *widget,
                         const char *stored_path,
                         const char *original_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("attest-open-XXXXXX", &error);
  g_autofree char *base = g_path_get_basename (original_name && *original_name ? original_name : stored_path);
  g_autofree char *target_path = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (stored_path);

  if (dir == NULL)
    {
      at_gui_toast (widget, error->message);
      return;
    }
  target_path = g_build_filename (dir, base, NULL);
  g_object_set_data_full (G_OBJECT (from), "target", g_file_new_for_path (target_path), g_object_unref);
  g_file_copy_async (from, g_object_get_data (G_OBJECT (from), "target"), G_FILE_COPY_NONE, G_PRIORITY_DEFAULT,
                     NULL, NULL, NULL, copied_for_opening, g_object_ref (widget));
}

void
at_gui_close_on_escape (GtkWindow *window)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
}

/* GTK 4.8's gtk_widget_set_tooltip_text() asks the display where the pointer is on every call to
 * a visible widget, a round trip to the X server (0.16–0.3 ms measured under Xvfb, 300 times a
 * label's text): with four tooltips in each of the couple of hundred rows a list view rebinds,
 * that was most of a keystroke's time in the assessments page's search. Here the text is kept
 * on the widget and handed over when GTK asks for a tooltip; the cost is that a tooltip already
 * shown keeps its old text until the pointer moves. */
static GQuark
tooltip_quark (void)
{
  return g_quark_from_static_string ("at-gui-tooltip");
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_qdata (G_OBJECT (widget), tooltip_quark ());

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
at_gui_set_tooltip (GtkWidget  *widget,
                    const char *text)
{
  GObject *object;
  const char *old;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  object = G_OBJECT (widget);
  old = g_object_get_qdata (object, tooltip_quark ());

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (old, text) == 0)
    return;
  if (g_object_get_data (object, "at-gui-tooltip-handler") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
      g_object_set_data (object, "at-gui-tooltip-handler", GINT_TO_POINTER (1));
    }
  g_object_set_qdata_full (object, tooltip_quark (), g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Without a GPU (a virtual machine, a remote desktop, Xvfb) GTK's GL renderer runs on Mesa's
 * software rasteriser: every launch loads LLVM, compiles its shaders and draws on llvmpipe's
 * threads. Measured on such a machine (tests/bench/run, issue 12), the cairo renderer with GL
 * left out altogether starts and opens the checklist faster and the window's resident memory
 * halves (GDK on X11 sets up GL at start-up to choose its visual, which alone maps LLVM and the
 * software driver: about 60 MB). A machine with a render node keeps GTK's own choice, and a
 * GSK_RENDERER set by the user always wins. GTK 4.8 has no call for this, only its environment
 * (GDK_DEBUG=gl-disable; later GTK has GDK_DISABLE=gl for it); programs started
 * from the window inherit it, and on the same machine the same holds for them. */
const char *
at_gui_choose_renderer (void)
{
  const char *chosen = g_getenv ("GSK_RENDERER");
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autoptr(GDir) dir = NULL;
  g_autofree char *gl_off = NULL;
  const char *name;

  if (chosen != NULL)
    return chosen;
  dir = g_dir_open ("/dev/dri", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/dev/dri", name, NULL);

      if ((g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card")) &&
          access (path, R_OK | W_OK) == 0)
        return "";
    }
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gl_off = debug != NULL && *debug != '\0' ? g_strconcat (debug, ",gl-disable", NULL) : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", gl_off, TRUE);
  return "cairo";
}
