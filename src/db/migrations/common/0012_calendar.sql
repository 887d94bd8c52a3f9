-- The working-day calendar (工作日历): per year, the days that differ from
-- Monday to Friday as the State Council's yearly notice publishes them:
-- every day of a holiday span (weekends inside it too, so the span shows
-- whole), and the weekend days worked in exchange (调休上班). A year without
-- a row in calendar_years falls back to Monday to Friday.
--
-- Seeded here, each from its notice:
--   2024  国务院办公厅关于2024年部分节假日安排的通知, 国办发明电〔2023〕7号 (2023-10-25)
--   2025  国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号 (2024-11-12)
--   2026  国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号 (2025-11-04)
-- Later years are imported by the city admin (PUT /api/v1/calendar/{year}).
CREATE TABLE calendar_years (
	year {{INT}} PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
	source TEXT NOT NULL CHECK (source IN ('seeded', 'imported')),
	reference TEXT NOT NULL DEFAULT '',
	updated {{INT}} NOT NULL,
	updated_by {{INT}}
) {{STRICT}};

CREATE TABLE calendar_days (
	day TEXT PRIMARY KEY CHECK (length(day) = 10),
	year {{INT}} NOT NULL REFERENCES calendar_years(year),
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL
) {{STRICT}};
CREATE INDEX calendar_days_year ON calendar_days (year, day);

-- 2024: 国务院办公厅关于2024年部分节假日安排的通知（2023年10月25日）, 国办发明电〔2023〕7号
INSERT INTO calendar_years (year, source, reference, updated) VALUES (2024, 'seeded', '国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）', 0);
INSERT INTO calendar_days (day, year, kind, name) VALUES
	('2024-01-01', 2024, 'holiday', '元旦'),
	('2024-02-04', 2024, 'workday', '春节'),
	('2024-02-10', 2024, 'holiday', '春节'),
	('2024-02-11', 2024, 'holiday', '春节'),
	('2024-02-12', 2024, 'holiday', '春节'),
	('2024-02-13', 2024, 'holiday', '春节'),
	('2024-02-14', 2024, 'holiday', '春节'),
	('2024-02-15', 2024, 'holiday', '春节'),
	('2024-02-16', 2024, 'holiday', '春节'),
	('2024-02-17', 2024, 'holiday', '春节'),
	('2024-02-18', 2024, 'workday', '春节'),
	('2024-04-04', 2024, 'holiday', '清明节'),
	('2024-04-05', 2024, 'holiday', '清明节'),
	('2024-04-06', 2024, 'holiday', '清明节'),
	('2024-04-07', 2024, 'workday', '清明节'),
	('2024-04-28', 2024, 'workday', '劳动节'),
	('2024-05-01', 2024, 'holiday', '劳动节'),
	('2024-05-02', 2024, 'holiday', '劳动节'),
	('2024-05-03', 2024, 'holiday', '劳动节'),
	('2024-05-04', 2024, 'holiday', '劳动节'),
	('2024-05-05', 2024, 'holiday', '劳动节'),
	('2024-05-11', 2024, 'workday', '劳动节'),
	('2024-06-10', 2024, 'holiday', '端午节'),
	('2024-09-14', 2024, 'workday', '中秋节'),
	('2024-09-15', 2024, 'holiday', '中秋节'),
	('2024-09-16', 2024, 'holiday', '中秋节'),
	('2024-09-17', 2024, 'holiday', '中秋节'),
	('2024-09-29', 2024, 'workday', '国庆节'),
	('2024-10-01', 2024, 'holiday', '国庆节'),
	('2024-10-02', 2024, 'holiday', '国庆节'),
	('2024-10-03', 2024, 'holiday', '国庆节'),
	('2024-10-04', 2024, 'holiday', '国庆节'),
	('2024-10-05', 2024, 'holiday', '国庆节'),
	('2024-10-06', 2024, 'holiday', '国庆节'),
	('2024-10-07', 2024, 'holiday', '国庆节'),
	('2024-10-12', 2024, 'workday', '国庆节');

-- 2025: 国务院办公厅关于2025年部分节假日安排的通知（2024年11月12日）, 国办发明电〔2024〕12号
INSERT INTO calendar_years (year, source, reference, updated) VALUES (2025, 'seeded', '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）', 0);
INSERT INTO calendar_days (day, year, kind, name) VALUES
	('2025-01-01', 2025, 'holiday', '元旦'),
	('2025-01-26', 2025, 'workday', '春节'),
	('2025-01-28', 2025, 'holiday', '春节'),
	('2025-01-29', 2025, 'holiday', '春节'),
	('2025-01-30', 2025, 'holiday', '春节'),
	('2025-01-31', 2025, 'holiday', '春节'),
	('2025-02-01', 2025, 'holiday', '春节'),
	('2025-02-02', 2025, 'holiday', '春节'),
	('2025-02-03', 2025, 'holiday', '春节'),
	('2025-02-04', 2025, 'holiday', '春节'),
	('2025-02-08', 2025, 'workday', '春节'),
	('2025-04-04', 2025, 'holiday', '清明节'),
	('2025-04-05', 2025, 'holiday', '清明节'),
	('2025-04-06', 2025, 'holiday', '清明节'),
	('2025-04-27', 2025, 'workday', '劳动节'),
	('2025-05-01', 2025, 'holiday', '劳动节'),
	('2025-05-02', 2025, 'holiday', '劳动节'),
	('2025-05-03', 2025, 'holiday', '劳动节'),
	('2025-05-04', 2025, 'holiday', '劳动节'),
	('2025-05-05', 2025, 'holiday', '劳动节'),
	('2025-05-31', 2025, 'holiday', '端午节'),
	('2025-06-01', 2025, 'holiday', '端午节'),
	('2025-06-02', 2025, 'holiday', '端午节'),
	('2025-09-28', 2025, 'workday', '国庆节、中秋节'),
	('2025-10-01', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-02', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-03', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-04', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-05', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-06', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-07', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-08', 2025, 'holiday', '国庆节、中秋节'),
	('2025-10-11', 2025, 'workday', '国庆节、中秋节');

-- 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）, 国办发明电〔2025〕7号
INSERT INTO calendar_years (year, source, reference, updated) VALUES (2026, 'seeded', '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）', 0);
INSERT INTO calendar_days (day, year, kind, name) VALUES
	('2026-01-01', 2026, 'holiday', '元旦'),
	('2026-01-02', 2026, 'holiday', '元旦'),
	('2026-01-03', 2026, 'holiday', '元旦'),
	('2026-01-04', 2026, 'workday', '元旦'),
	('2026-02-14', 2026, 'workday', '春节'),
	('2026-02-15', 2026, 'holiday', '春节'),
	('2026-02-16', 2026, 'holiday', '春节'),
	('2026-02-17', 2026, 'holiday', '春节'),
	('2026-02-18', 2026, 'holiday', '春节'),
	('2026-02-19', 2026, 'holiday', '春节'),
	('2026-02-20', 2026, 'holiday', '春节'),
	('2026-02-21', 2026, 'holiday', '春节'),
	('2026-02-22', 2026, 'holiday', '春节'),
	('2026-02-23', 2026, 'holiday', '春节'),
	('2026-02-28', 2026, 'workday', '春节'),
	('2026-04-04', 2026, 'holiday', '清明节'),
	('2026-04-05', 2026, 'holiday', '清明节'),
	('2026-04-06', 2026, 'holiday', '清明节'),
	('2026-05-01', 2026, 'holiday', '劳动节'),
	('2026-05-02', 2026, 'holiday', '劳动节'),
	('2026-05-03', 2026, 'holiday', '劳动节'),
	('2026-05-04', 2026, 'holiday', '劳动节'),
	('2026-05-05', 2026, 'holiday', '劳动节'),
	('2026-05-09', 2026, 'workday', '劳动节'),
	('2026-06-19', 2026, 'holiday', '端午节'),
	('2026-06-20', 2026, 'holiday', '端午节'),
	('2026-06-21', 2026, 'holiday', '端午节'),
	('2026-09-20', 2026, 'workday', '国庆节'),
	('2026-09-25', 2026, 'holiday', '中秋节'),
	('2026-09-26', 2026, 'holiday', '中秋节'),
	('2026-09-27', 2026, 'holiday', '中秋节'),
	('2026-10-01', 2026, 'holiday', '国庆节'),
	('2026-10-02', 2026, 'holiday', '国庆节'),
	('2026-10-03', 2026, 'holiday', '国庆节'),
	('2026-10-04', 2026, 'holiday', '国庆节'),
	('2026-10-05', 2026, 'holiday', '国庆节'),
	('2026-10-06', 2026, 'holiday', '国庆节'),
	('2026-10-07', 2026, 'holiday', '国庆节'),
	('2026-10-10', 2026, 'workday', '国庆节');
