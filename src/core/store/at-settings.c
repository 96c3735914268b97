/* at-settings.c — the certification body's settings kept in the store (name, numbering) */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-error.h"
#include "at-settings.h"
#include "at-store-private.h"

static const char * const known_settings[] = {
  "certificate.pattern", "certificate.valid-years", "body.name", "body.address", NULL
};

char *
at_settings_get (AtStore    *store,
                 const char *key,
                 const char *fallback)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT value FROM settings WHERE key = ?", NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return g_strdup (_at_col_text (stmt, 0));
    }
  return g_strdup (fallback);
}

gboolean
at_settings_set (AtStore     *store,
                 const char  *key,
                 const char  *value,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!g_strv_contains (known_settings, key))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) known_settings);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("unknown setting “%s” (known: %s)"), key, list);
      return FALSE;
    }
  if (g_str_equal (key, "certificate.pattern") && strstr (value, "{SEQ") == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("a certificate number pattern needs {SEQ} or {SEQ:N} so numbers stay unique, e.g. {CODE}-{YEAR}-{SEQ:4}"));
      return FALSE;
    }
  if (g_str_equal (key, "certificate.valid-years"))
    {
      guint64 years = 0;

      /* the same range at_certificate_issue accepts, so the default can never be refused later */
      if (!g_ascii_string_to_unsigned (value, 10, 1, 10, &years, NULL))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("certificate.valid-years must be a whole number of years from 1 to 10, not “%s”"), value);
          return FALSE;
        }
    }
  stmt = _at_store_prepare (store, "INSERT INTO settings (key, value) VALUES (?, ?) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, stmt, error);
}
