BEGIN;

-- Notifications: what the portal tells a user, written in the transaction of
-- the event it reports. The text is a catalogue key with its arguments, so
-- each reader sees it in their own language; detail holds words a person
-- typed (a return's reasons), shown as they are.
CREATE TABLE notifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    message     text NOT NULL CHECK (message ~ '^[a-z_.]+$'),
    args        text[] NOT NULL DEFAULT '{}',
    detail      text NOT NULL DEFAULT '' CHECK (char_length(detail) <= 4000),
    link        text NOT NULL CHECK (link LIKE '/%' AND link NOT LIKE '//%'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
-- The header's unread count on every signed-in page reads only this.
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- Which kinds a user receives by e-mail; no row means yes.
CREATE TABLE notification_prefs (
    user_id  bigint NOT NULL REFERENCES users (id),
    kind     text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    email    boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Every mail of a notification: queued in the event's transaction with the
-- job that sends it, rendered when it goes out. Kept (not sent) when no SMTP
-- server is configured: the admin's outbox.
CREATE TABLE mails (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id  bigint NOT NULL UNIQUE REFERENCES notifications (id),
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'kept', 'failed')),
    to_addr          text NOT NULL DEFAULT '',
    subject          text NOT NULL DEFAULT '',
    body             text NOT NULL DEFAULT '',
    message_id       text NOT NULL DEFAULT '',
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    done_at          timestamptz,
    CHECK ((state IN ('sent', 'kept', 'failed')) = (done_at IS NOT NULL))
);
CREATE INDEX mails_state_idx ON mails (state, id DESC);

-- Secrets the instances share (the key that signs unsubscribe links),
-- created once by whichever instance starts first.
CREATE TABLE app_secrets (
    name   text PRIMARY KEY,
    value  bytea NOT NULL CHECK (octet_length(value) >= 32)
);

-- Deadline reminders: how many days before each deadline of the phase, and
-- which unit was reminded of which deadline when (once each).
ALTER TABLE phases ADD COLUMN reminder_days integer[] NOT NULL DEFAULT '{7,3,1}'
    CHECK (cardinality(reminder_days) <= 5 AND 0 < ALL (reminder_days) AND 60 >= ALL (reminder_days));
CREATE TABLE reminders (
    phase_id     bigint NOT NULL REFERENCES phases (id),
    unit_id      bigint NOT NULL REFERENCES units (id),
    deadline     text NOT NULL CHECK (deadline IN ('assessment', 'reply', 'nomination')),
    due_on       date NOT NULL,
    days_before  integer NOT NULL CHECK (days_before > 0),
    sent_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (phase_id, unit_id, deadline, due_on, days_before)
);

COMMIT;
