-- The rollups become a WITHOUT ROWID table, clustered on their primary
-- key: a count or a statistic for an org reads its rows in one range of
-- one b-tree, instead of walking the key index and looking each row up in
-- the table. The rollups are small (orgs x levels x 2 x 2), so the copy is
-- quick.
CREATE TABLE worker_rollup_clustered (
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	skill_level INTEGER NOT NULL,
	union_member INTEGER NOT NULL,
	status TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (org_id, skill_level, union_member, status)
) STRICT, WITHOUT ROWID;
INSERT INTO worker_rollup_clustered (org_id, skill_level, union_member, status, n)
	SELECT org_id, skill_level, union_member, status, n FROM worker_rollup;
DROP TABLE worker_rollup;
ALTER TABLE worker_rollup_clustered RENAME TO worker_rollup;
