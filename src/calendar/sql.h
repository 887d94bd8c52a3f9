/* SQL owned by the calendar module: calendar_years and calendar_days. */
#ifndef CHANGAI_CALENDAR_SQL_H
#define CHANGAI_CALENDAR_SQL_H

#define CALENDAR_SQL(X) \
	X(CAL_YEARS_IN, SQL("SELECT year FROM calendar_years WHERE year BETWEEN $1 AND $2")) \
	X(CAL_DAYS_IN, SQL("SELECT day, kind FROM calendar_days " \
		"WHERE day BETWEEN $1 AND $2 ORDER BY day")) \
	X(CAL_YEAR_GET, SQL("SELECT source, reference, updated, updated_by " \
		"FROM calendar_years WHERE year = $1")) \
	X(CAL_YEAR_DAYS, SQL("SELECT day, kind, name FROM calendar_days " \
		"WHERE year = $1 ORDER BY day")) \
	X(CAL_YEARS, SQL("SELECT y.year, y.source, y.reference, y.updated, y.updated_by, " \
		"(SELECT count(*) FROM calendar_days d WHERE d.year = y.year) " \
		"FROM calendar_years y ORDER BY y.year")) \
	X(CAL_YEAR_PUT, SQL("INSERT INTO calendar_years (year, source, reference, updated, " \
		"updated_by) VALUES ($1, 'imported', $2, $3, $4) ON CONFLICT (year) DO UPDATE " \
		"SET source = 'imported', reference = excluded.reference, " \
		"updated = excluded.updated, updated_by = excluded.updated_by")) \
	X(CAL_YEAR_COUNT, SQL("SELECT count(*) FROM calendar_days WHERE year = $1")) \
	X(CAL_DAYS_DELETE, SQL("DELETE FROM calendar_days WHERE year = $1")) \
	X(CAL_DAY_INSERT, SQL("INSERT INTO calendar_days (day, year, kind, name) " \
		"VALUES ($1, $2, $3, $4)"))

#endif
