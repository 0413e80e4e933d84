BEGIN;

DROP TABLE session_revocations;

COMMIT;
