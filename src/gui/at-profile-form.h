/* at-profile-form.h — a person's profile: create a signing identity, or import a PKCS#12 */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_PROFILE_FORM (at_profile_form_get_type ())
G_DECLARE_FINAL_TYPE (AtProfileForm, at_profile_form, AT, PROFILE_FORM, GtkWidget)

GtkWidget *at_profile_form_new       (void);
void       at_profile_form_set_store (AtProfileForm *self,
                                      AtStore       *store);

G_END_DECLS
