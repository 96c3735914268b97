/* at-error.h — the error domain every core failure is reported in
 *
 * The codes map onto attest-cli's exit codes: AT_ERROR_INVALID is bad input (exit 2),
 * AT_ERROR_REFUSED is a workflow refusal (exit 3).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AT_ERROR (at_error_quark ())

typedef enum
{
  AT_ERROR_FAILED,     /* the machine failed us: I/O, SQLite, OpenSSL */
  AT_ERROR_INVALID,    /* bad input: malformed file, unknown id, wrong value */
  AT_ERROR_NOT_FOUND,  /* an id, clause or file that does not exist */
  AT_ERROR_REFUSED,    /* the workflow refuses: wrong state, wrong role */
  AT_ERROR_PASSPHRASE, /* the passphrase does not open the key */
} AtError;

GQuark at_error_quark (void);

G_END_DECLS
