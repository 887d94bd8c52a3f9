/* The leaderboard's page cursor, which a client sends back as text: never
 * a crash, and whatever is accepted is written back as the same text
 * (a cursor means one place in the board). Also the period keys of any
 * date the parser might hand on, and the period names boards accept. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "points/points.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[POINTS_CURSOR_MAX * 2], again[POINTS_CURSOR_MAX], key[9];
	struct points_board_at at;
	struct points_place last;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* a period a board is asked for: a key names a period of some day */
	if (points_period_key_ok(text) && strcmp(text, "all") && strlen(text) > 8)
		abort();
	if (points_board_cursor_parse(text, &at))
		return 0;
	memset(&last, 0, sizeof(last));
	last.points = at.points;
	last.holder_id = at.holder_id;
	last.place = at.place;
	memcpy(last.reached, at.reached, sizeof(at.reached));
	points_board_cursor(&last, again);
	/* leading zeros or a '+' parse too; what they mean must round-trip */
	if (points_board_cursor_parse(again, &at) || at.points != last.points ||
	    at.holder_id != last.holder_id || at.place != last.place ||
	    strcmp(at.reached, last.reached))
		abort();
	if (at.reached[0] && points_period_key(at.reached, "quarter", key))
		abort();
	return 0;
}
