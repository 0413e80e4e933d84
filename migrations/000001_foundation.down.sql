BEGIN;
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP FUNCTION audit_log_immutable();
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE units;
COMMIT;
