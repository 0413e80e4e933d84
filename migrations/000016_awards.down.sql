BEGIN;

DROP TABLE objections;
DROP SEQUENCE objection_receipts;
DROP TABLE notices;
ALTER TABLE campaigns DROP COLUMN notice_days;
DROP TABLE shortlist_steps;
DROP TABLE shortlist_entries;
DROP TABLE shortlists;
DROP TABLE nomination_steps;
DROP TABLE nominations;
DROP TABLE achievements;
DROP TABLE pending_flags;
DROP TABLE award_quotas;
DROP TABLE award_rules;

COMMIT;
