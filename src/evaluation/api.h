/* What the evaluation's handler files share: loading an index or a period
 * the caller may act on. Handlers only; the module never sees a request. */
#ifndef CHANGAI_EVALUATION_API_H
#define CHANGAI_EVALUATION_API_H

#include "evaluation/evaluation.h"
#include "http/http.h"

/* The index id as the caller may see at least `need` of it: 404 when it
 * sees nothing, 403 when it sees it but may not do this. *see and the
 * subtree it sees (lo, hi: ORG_PATH_MAX bytes each) are filled. */
int eval_load_index(struct req *r, struct db_conn *c, int64_t id, enum eval_see need,
    struct eval_index *x, enum eval_see *see, char *lo, char *hi);
/* The period id and its index, the same way. */
int eval_load_period(struct req *r, struct db_conn *c, int64_t id, enum eval_see need,
    struct eval_period *p, struct eval_index *x, enum eval_see *see, char *lo, char *hi);

#endif
