-- 三权分立 with a second person: a change the security admin proposes that
-- could hand someone the city (an admin or pii grant, a password reset of
-- an account holding one) or that touches a security admin's or an
-- auditor's account waits here until a system admin other than the
-- proposer and the account's owner approves it; only then is it applied,
-- by the same code as a direct change. A one-time password made on
-- approval is split: the approver sees one half in the answer, the
-- proposer fetches the other (secret) once, so neither alone can log in.
CREATE TABLE approvals (
	id {{ID}},
	action TEXT NOT NULL CHECK (action IN ('user.update', 'grant.add', 'grant.remove')),
	user_id {{INT}} NOT NULL REFERENCES users(id),
	org_path TEXT NOT NULL,
	payload TEXT NOT NULL,
	proposed_by {{INT}} NOT NULL REFERENCES users(id),
	proposed {{INT}} NOT NULL,
	expires {{INT}} NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
	decided_by {{INT}} REFERENCES users(id),
	decided {{INT}},
	reason TEXT NOT NULL DEFAULT '',
	secret TEXT NOT NULL DEFAULT ''
) {{STRICT}};
CREATE INDEX approvals_state ON approvals(state, id);
