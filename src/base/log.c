#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/clock.h"
#include "base/util.h"

void
log_msg(const char *level, const char *fmt, ...)
{
	char msg[1024], line[2200], ts[32];
	va_list ap;
	size_t i, o = 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; msg[i] && o + 5 < sizeof(line); i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(line + o, sizeof(line) - o, "\\x%02x", c);
			continue;
		}
		line[o++] = (char)c;
	}
	line[o] = '\0';
	time_iso(clock_real(), ts, sizeof(ts));
	fprintf(stderr, "%s %s %s\n", ts, level, line);
}
