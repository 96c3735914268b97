/* at-sign-dialog.h — a step that is signed: what it does, the signer's passphrase, and the
 * answer from core, in one dialog that stays open until it succeeds or is cancelled */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_SIGN_DIALOG (at_sign_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtSignDialog, at_sign_dialog, AT, SIGN_DIALOG, AdwWindow)

/* Does the step with the unlocked signer. FALSE with error keeps the dialog open and shows it. */
typedef gboolean (*AtSignFunc) (AtSignDialog *dialog,
                                AtSigner     *signer,
                                gpointer      user_data,
                                GError      **error);

GtkWidget *at_sign_dialog_new          (GtkWindow     *parent,
                                        AtStore       *store,
                                        AtIdentity    *signer,
                                        const char    *title,
                                        const char    *description,
                                        const char    *action_label);
/* Rows or widgets shown above the passphrase (a conclusion, a validity). */
void       at_sign_dialog_add_content  (AtSignDialog  *self,
                                        GtkWidget     *widget);
void       at_sign_dialog_set_callback (AtSignDialog  *self,
                                        AtSignFunc     func,
                                        gpointer       user_data,
                                        GDestroyNotify destroy);
void       at_sign_dialog_set_ready    (AtSignDialog  *self,
                                        gboolean       ready);
/* A step that needs no key (a draft): the passphrase is not asked, and func gets no signer. */
void       at_sign_dialog_set_needs_key (AtSignDialog *self,
                                         gboolean      needs_key);
/* The window to put a toast on once the dialog is gone */
GtkWindow *at_sign_dialog_get_parent   (AtSignDialog  *self);

G_END_DECLS
