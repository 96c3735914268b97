/* at-identity-button.h — who is working: the current identity, switchable, in a header bar */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_IDENTITY_BUTTON (at_identity_button_get_type ())
G_DECLARE_FINAL_TYPE (AtIdentityButton, at_identity_button, AT, IDENTITY_BUTTON, GtkWidget)

void at_identity_button_set_application (AtIdentityButton *self,
                                         AtApplication    *app);

G_END_DECLS
