/* at-application.h — the Attest application: one store, its windows, app-wide actions */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_APPLICATION (at_application_get_type ())
G_DECLARE_FINAL_TYPE (AtApplication, at_application, AT, APPLICATION, AdwApplication)

AtApplication *at_application_new          (void);
AtStore       *at_application_get_store    (AtApplication *self);
GSettings     *at_application_get_settings (AtApplication *self);

G_END_DECLS
