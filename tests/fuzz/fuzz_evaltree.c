/* An index's tree from an .xlsx an official sends (the reader, then the
 * rows as nodes). Never a crash; every refusal names a row; whatever is
 * accepted has parents above their children and a code on each row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/metric.h"
#include "evaluation/evaluation.h"
#include "xlsx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
no_read(struct db_conn *c, const struct metric_unit *u, double *x, int *have, char *f, size_t n)
{
	(void)c, (void)u, (void)x, (void)have, (void)f, (void)n;
	return 0;
}

static const struct metric skilled = {"workers.skilled", "people", "skilled", "技能劳动者人数", no_read};
static const struct metric *const metrics[] = {&skilled, NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eval_import_errors *e = calloc(1, sizeof(*e));
	struct eval_tree_row *rows = NULL;
	struct xlsx_sheet *s = NULL;
	struct xlsx_err xe;
	size_t n = 0;
	int rc;

	metrics_use(metrics);
	if (!e || xlsx_read(data, size, NULL, &s, &xe))
		goto out;
	rc = eval_tree_rows_parse(s, &rows, &n, e);
	if (rc == 0) {
		if (e->n || !n)
			abort();
		for (size_t i = 0; i < n; i++)
			if (!rows[i].n.code[0] || rows[i].parent >= (long)i || !rows[i].n.kind)
				abort();
	} else if (rc == ERR_INVALID) {
		if (!e->n || e->n > EVAL_IMPORT_ERRORS_MAX)
			abort();
		for (size_t i = 0; i < e->n; i++)
			if (!e->e[i].en || !e->e[i].zh || e->e[i].row < 0)
				abort();
	} else if (rc != ERR_NOMEM) {
		abort();
	}
out:
	free(rows);
	xlsx_free(s);
	free(e);
	return 0;
}
