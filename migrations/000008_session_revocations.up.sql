BEGIN;

-- Tokens of sessions ended by sign-out or by a new token at sign-in, kept
-- until they would have expired anyway: a request that loaded the session
-- before it ended must not write it back afterwards (postgres.SessionStore).
CREATE TABLE session_revocations (
    token  text PRIMARY KEY,
    expiry timestamptz NOT NULL
);
CREATE INDEX session_revocations_expiry_idx ON session_revocations (expiry);

COMMIT;
