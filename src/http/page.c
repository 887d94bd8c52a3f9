/* The list page writer (http.h): one shape for every list's items, next
 * cursor and total. */
#include "http/internal.h"

struct jw *
page_open(struct page *pg, struct req *r, int64_t limit)
{
	pg->w = req_json(r, 200);
	pg->limit = limit;
	pg->rows = 0;
	pg->last = 0;
	jw_obj_open(pg->w);
	jw_key(pg->w, "items");
	jw_arr_open(pg->w);
	return pg->w;
}

int
page_row(struct page *pg, int64_t id)
{
	if (pg->rows++ == pg->limit)
		return 0;
	pg->last = id;
	return 1;
}

struct jw *
page_close_more(struct page *pg, int64_t total)
{
	jw_arr_close(pg->w);
	if (pg->rows > pg->limit) {
		char next[40];

		cursor_encode(pg->last, next);
		jw_kstr(pg->w, "next", next);
	} else {
		jw_knull(pg->w, "next");
	}
	if (total >= 0)
		jw_kint(pg->w, "total", total);
	return pg->w;
}

int
page_close(struct page *pg, int64_t total)
{
	jw_obj_close(page_close_more(pg, total));
	return 0;
}
