/* Placeholder until the CSV reader lands (the build must link meanwhile). */
#include "workers/csvin.h"

#include "base/err.h"

int
csvin_open(const char *data, size_t len, struct csvin **out,
    const char **why_en, const char **why_zh)
{
	(void)data; (void)len; *out = NULL;
	*why_en = "not implemented"; *why_zh = "尚未实现";
	return ERR_INVALID;
}
void csvin_close(struct csvin *r) { (void)r; }
enum csv_encoding csvin_encoding(const struct csvin *r) { (void)r; return CSV_UTF8; }
long csvin_records(const struct csvin *r) { (void)r; return 0; }
int csvin_next(struct csvin *r, struct csv_row *row) { (void)r; (void)row; return 0; }
int csvin_seek_record(struct csvin *r, long number) { (void)r; (void)number; return 0; }
int csv_put_cell(struct buf *out, const char *cell, int last) { (void)out; (void)cell; (void)last; return ERR_INVALID; }
