BEGIN;

DROP INDEX objections_client_idx;
DROP INDEX objections_form_key;
ALTER TABLE objections DROP COLUMN form_key;
ALTER TABLE notices DROP COLUMN client_salt;

COMMIT;
