/* The calendar's file reader (JSON, CSV or .xlsx told apart by content)
 * and its year check, and the notices' detector of ID and mobile numbers
 * in public text: never a crash, and what they accept is well formed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "notices/notices.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cal_day days[CAL_YEAR_DAYS_MAX];
	static long rows[CAL_YEAR_DAYS_MAX];
	struct cal_whys why;
	char ref[401], *text;
	size_t n = 0;
	int rc;

	memset(&why, 0, sizeof(why));
	rc = calendar_parse((const char *)data, size, days, rows, &n, ref, sizeof(ref), &why);
	if (rc == 0) {
		if (n > CAL_YEAR_DAYS_MAX || why.n)
			abort();
		for (size_t i = 0; i < n; i++)
			if (date_valid(days[i].date) || !days[i].kind || !days[i].name[0])
				abort();
		if (n && !cal_year_check(2026, days, n, rows, &why))
			for (size_t i = 1; i < n; i++)
				if (strcmp(days[i - 1].date, days[i].date) >= 0)
					abort();
	} else if (rc == ERR_INVALID && why.n == 0 && why.more == 0) {
		abort();        /* a refusal always says why */
	}
	if ((text = malloc(size + 1))) {
		memcpy(text, data, size);
		text[size] = '\0';
		(void)notice_text_has_pii(text);
		free(text);
	}
	return 0;
}
