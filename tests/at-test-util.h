/* at-test-util.h — steps several unit tests share */
#pragma once

#include "at-core.h"

/* The reviewer agrees every assessable clause of the current round: approval needs it. */
static inline void
at_test_agree_all (AtStore    *store,
                   const char *assessment_id,
                   const char *reviewer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = at_review_status (store, assessment_id, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    if (at_review_item_get_state (items->pdata[i]) != AT_REVIEW_AGREED)
      {
        g_assert_true (at_review_comment (store, assessment_id, at_review_item_get_clause (items->pdata[i]),
                                          reviewer_id, AT_REVIEW_AGREED, NULL, &error));
        g_assert_no_error (error);
      }
}
