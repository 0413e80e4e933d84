BEGIN;
ALTER TABLE shortlists DROP COLUMN return_reason, DROP COLUMN returned_by, DROP COLUMN returned_at;
ALTER TABLE achievements DROP COLUMN revoked_by_decision_id, DROP COLUMN decision_id;
DROP TABLE decision_awardees;
DROP FUNCTION decision_awardees_immutable();
DROP TABLE decisions;
DROP FUNCTION decisions_immutable();
DROP TABLE award_amounts, base_salaries, ballot_participation, session_nominees, session_members,
    council_sessions, vote_rules, council_members, councils, decision_registers, issuers;
COMMIT;
