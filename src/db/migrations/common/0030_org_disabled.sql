-- A unit that closes or merges is disabled (停用), not deleted: its
-- workers' histories, plans and audit rows still name it. disabled holds
-- when it was disabled (0: in use); nothing new is placed in it.
ALTER TABLE orgs ADD COLUMN disabled {{INT}} NOT NULL DEFAULT 0;
