-- Step-up before personal data is shown in full: a session proves its user
-- again (the password; later the second factor) and may unmask for
-- step_up_minutes after (stepped_up is when). Each user's unmasked rows of
-- a business day are counted here against unmask_rows_per_day.
ALTER TABLE sessions ADD COLUMN stepped_up {{INT}} NOT NULL DEFAULT 0;
CREATE TABLE unmask_ledger (
	user_id {{INT}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	day TEXT NOT NULL,
	rows_shown {{INT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, day)
) {{STRICT}};
