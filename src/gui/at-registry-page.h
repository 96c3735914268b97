/* at-registry-page.h — the certification body's registry: search what was published, fetch it */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_REGISTRY_PAGE (at_registry_page_get_type ())
G_DECLARE_FINAL_TYPE (AtRegistryPage, at_registry_page, AT, REGISTRY_PAGE, GtkWidget)

void at_registry_page_setup (AtRegistryPage *self,
                             AtApplication  *app);
/* The page is shown: searches with the address in the settings, or asks for one. */
void at_registry_page_show  (AtRegistryPage *self);

G_END_DECLS
