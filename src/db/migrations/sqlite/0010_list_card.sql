-- Each worker row carries its list image, the "card": the fields a list
-- row shows but the id and the org, as one JSON object (see WORKER_CARD_*
-- in src/workers/sql.h, whose column form this must equal; `changai check`
-- compares them). A page then reads one column per row instead of
-- seventeen. Existing rows get theirs here; lists recompute a missing one.
ALTER TABLE workers ADD COLUMN card TEXT;
UPDATE workers AS w SET card = replace(json_object('name', w.name, 'id_no', w.id_mask,
	'gender', w.gender, 'birth_date', w.birth_date, 'phone', NULLIF(w.phone_mask, ''),
	'occupation', NULLIF(w.occupation, ''), 'occupation_code', NULLIF(w.occupation_code, ''),
	'skill_level', CAST(w.skill_level AS INTEGER),
	'union_member', json(CASE WHEN w.union_member = 1 THEN 'true' ELSE 'false' END),
	'union_joined', NULLIF(w.union_joined, ''), 'political_status', NULLIF(w.political_status, ''),
	'education', NULLIF(w.education, ''), 'hired', NULLIF(w.hired, ''),
	'status', w.status), '<', '\u003c');
