/* at-catalog-window.h — the standards Attest knows, browsed and searched; catalog import */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_CATALOG_WINDOW (at_catalog_window_get_type ())
G_DECLARE_FINAL_TYPE (AtCatalogWindow, at_catalog_window, AT, CATALOG_WINDOW, AdwWindow)

GtkWidget *at_catalog_window_new (GtkWindow *parent,
                                  AtStore   *store);

G_END_DECLS
