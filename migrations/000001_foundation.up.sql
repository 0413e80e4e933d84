BEGIN;

-- Units: the minimal registry that focal points belong to. The full,
-- date-versioned registry extends this table in a later migration.
CREATE TABLE units (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id  bigint REFERENCES units (id),
    name       text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX units_parent_id_idx ON units (parent_id);

CREATE TABLE users (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email                text NOT NULL CHECK (email = lower(email) AND email IS NFC NORMALIZED AND char_length(email) BETWEEN 3 AND 254),
    full_name            text NOT NULL CHECK (full_name IS NFC NORMALIZED AND char_length(full_name) BETWEEN 1 AND 200),
    role                 text NOT NULL CHECK (role IN ('admin', 'staff', 'focal_point', 'leader')),
    unit_id              bigint REFERENCES units (id),
    password_hash        text NOT NULL,
    locale               text NOT NULL DEFAULT 'vi' CHECK (locale IN ('vi', 'en')),
    -- Bumped to end every live session of the user (logout everywhere,
    -- disabling, role change); each request compares it with the session's copy.
    session_epoch        integer NOT NULL DEFAULT 1,
    disabled_at          timestamptz,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'focal_point' OR unit_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_unit_id_idx ON users (unit_id);

-- Sessions as the scs PostgreSQL store expects them.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed logins, kept in the database so throttling holds across instances.
CREATE TABLE login_failures (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account     text NOT NULL,
    client_addr inet NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_account_idx ON login_failures (account, failed_at);
CREATE INDEX login_failures_client_idx ON login_failures (client_addr, failed_at);

-- The audit log is append-only: the triggers below refuse every change.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES users (id),
    action      text NOT NULL,
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}',
    request_id  text NOT NULL DEFAULT '',
    client_addr inet
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);

CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();

-- Idempotency keys make form submissions that create things safe to repeat:
-- the second submission of the same key finds the first one's result.
CREATE TABLE idempotency_keys (
    key        text PRIMARY KEY CHECK (char_length(key) BETWEEN 16 AND 64),
    user_id    bigint REFERENCES users (id), -- NULL: the system (CLI, seed)
    result     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMIT;
