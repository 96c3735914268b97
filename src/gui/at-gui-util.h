/* at-gui-util.h — small things the window's widgets share: toasts, entries, file choosers */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The trimmed text of an editable. */
char *at_gui_entry_text  (gpointer editable);
/* A toast on the nearest toast overlay above widget; the message is plain text, not markup. */
void  at_gui_toast       (GtkWidget  *widget,
                          const char *message);

/* Called with the chosen files (one unless multiple), or not at all when cancelled. */
typedef void (*AtChosenFunc) (GListModel *files,
                              gpointer    user_data);

/* A file chooser, modal on parent. patterns (NULL-terminated, may be NULL) name the files it
 * offers under filter_name; suggested_name is for saving. user_data is kept until the chooser
 * is done and then freed with destroy. */
void  at_gui_choose_file (GtkWindow            *parent,
                          const char           *title,
                          GtkFileChooserAction  action,
                          const char           *accept_label,
                          gboolean              multiple,
                          const char           *filter_name,
                          const char * const   *patterns,
                          const char           *suggested_name,
                          AtChosenFunc          func,
                          gpointer              user_data,
                          GDestroyNotify        destroy);

/* Opens a copy of an evidence file under its original name with the desktop's application
 * for it (stored_path is where the store keeps it, named by its hash). */
void  at_gui_open_stored_file (GtkWidget  *widget,
                               const char *stored_path,
                               const char *original_name);

/* Escape closes a window built in code, as the template windows bind it in their class. */
void  at_gui_close_on_escape  (GtkWindow  *window);

/* gtk_widget_set_tooltip_text() for widgets set again and again (list rows as they are bound):
 * the same tooltip and accessible description, without asking the display where the pointer is
 * at every call. NULL or "" removes it. */
void  at_gui_set_tooltip      (GtkWidget  *widget,
                               const char *text);

/* Called before GTK starts: GSK_RENDERER=cairo and GL left out (GDK_DEBUG=gl-disable) when the
 * user has not chosen a renderer and the machine has no GPU device this process may use.
 * Returns the renderer GTK will be asked for ("" when GTK chooses). */
const char *at_gui_choose_renderer (void);

G_END_DECLS
