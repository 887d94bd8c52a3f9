/* Roster imports: checking a file at upload, and the job that applies it. */
#ifndef CHANGAI_WORKERS_IMPORT_H
#define CHANGAI_WORKERS_IMPORT_H

#include <stdint.h>

#include "workers/csvin.h"
#include "workers/record.h"

struct db;
struct pii_key;

/* Maps the header row to columns. colmap[i] is the enum worker_col of
 * field i or -1; present[col] the field index of col or -1. ERR_INVALID
 * when a required column is missing (*missing_zh names it). */
int import_map_header(const struct csv_row *row, int colmap[CSV_MAX_FIELDS],
    int present[WC__MAX], const char **missing_zh);

struct buf;
struct upload_reader;
/* Opens the roster in an upload, CSV or .xlsx (its first sheet, rows
 * numbered as Excel shows them). An .xlsx is converted into hold, which
 * the caller buf_init()s and, after csvin_close, wipes and frees (it holds
 * ID numbers). ERR_INVALID with *why_en / *why_zh for a file that is
 * neither. */
int roster_open(struct upload_reader *u, struct buf *hold, struct csvin **out,
    const char **why_en, const char **why_zh);
/* An .xlsx's first sheet as CSV text appended to out (for roster_open and
 * the fuzz target). */
int roster_xlsx_csv(const void *data, size_t len, struct buf *out,
    const char **why_en, const char **why_zh);

/* The col under which a rejected row's original cells are kept (joined by
 * 0x1f; the header as row 1). */
#define WORKERS_ORIGINAL_COL "*"

/* The job function of kind "import_workers". */
int workers_import_run(struct db *db, const struct pii_key *k, int64_t job_id);

#endif
