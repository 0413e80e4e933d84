BEGIN;

DROP TABLE reminders;
ALTER TABLE phases DROP COLUMN reminder_days;
DROP TABLE app_secrets;
DROP TABLE mails;
DROP TABLE notification_prefs;
DROP TABLE notifications;

COMMIT;
