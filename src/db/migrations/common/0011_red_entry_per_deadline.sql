-- Red inbox entries are keyed by task, owner and deadline (they were keyed
-- by task and owner, so a task whose deadline moved and passed again was
-- never announced again). An entry already there counts as the one for the
-- task's present deadline, so the upgrade announces nothing twice.
UPDATE plan_inbox SET dedupe = dedupe || ':' ||
	(SELECT n.deadline FROM plan_nodes n WHERE n.id = plan_inbox.node_id)
WHERE kind = 'red' AND dedupe NOT LIKE 'red:%:%:%';
