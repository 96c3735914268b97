/* at-registry-private.h — what the registry's files share: the connection and its queries */
#pragma once

#include <libpq-fe.h>

#include "at-registry.h"

G_BEGIN_DECLS

PGconn   *_at_registry_conn     (AtRegistry   *self);

/* Runs sql with text parameters (NULL for SQL NULL). Returns the result, or NULL with error
 * (the server's message in a sentence); sqlstate_out (may be NULL) receives the SQLSTATE of a
 * failure, so a caller can retry a conflict. */
PGresult *_at_registry_query    (AtRegistry          *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const char * const  *values,
                                 char               **sqlstate_out,
                                 GError             **error);
/* The same with binary parameters and results where binary[i] / binary_result say so. */
PGresult *_at_registry_query_full (AtRegistry         *self,
                                   const char         *sql,
                                   int                 n_params,
                                   const char * const *values,
                                   const int          *lengths,
                                   const int          *binary,
                                   gboolean            binary_result,
                                   char              **sqlstate_out,
                                   GError            **error);
gboolean  _at_registry_exec     (AtRegistry          *self,
                                 const char          *sql,
                                 GError             **error);
void      _at_registry_rollback (AtRegistry          *self);

/* A column as text, NULL for SQL NULL. */
const char *_at_pg_text         (PGresult            *result,
                                 int                  row,
                                 int                  column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
