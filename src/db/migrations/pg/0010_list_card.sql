-- Each worker row carries its list image, the "card": the fields a list
-- row shows but the id and the org, as one JSON object (see WORKER_CARD_*
-- in src/workers/sql.h, whose column form this must equal; `changai check`
-- compares them). Existing rows get theirs here; lists recompute a missing
-- one.
ALTER TABLE workers ADD COLUMN card TEXT;
UPDATE workers AS w SET card = replace(CAST(json_build_object('name', CAST(w.name AS TEXT),
	'id_no', CAST(w.id_mask AS TEXT), 'gender', CAST(w.gender AS TEXT),
	'birth_date', CAST(w.birth_date AS TEXT), 'phone', NULLIF(CAST(w.phone_mask AS TEXT), ''),
	'occupation', NULLIF(CAST(w.occupation AS TEXT), ''),
	'occupation_code', NULLIF(CAST(w.occupation_code AS TEXT), ''),
	'skill_level', CAST(w.skill_level AS SMALLINT),
	'union_member', CAST(w.union_member AS SMALLINT) = 1,
	'union_joined', NULLIF(CAST(w.union_joined AS TEXT), ''),
	'political_status', NULLIF(CAST(w.political_status AS TEXT), ''),
	'education', NULLIF(CAST(w.education AS TEXT), ''), 'hired', NULLIF(CAST(w.hired AS TEXT), ''),
	'status', CAST(w.status AS TEXT)) AS TEXT), '<', '\u003c');
