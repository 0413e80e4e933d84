BEGIN;

-- Awards, part 2 (issue 12): the council (Hội đồng Thi đua – Khen thưởng),
-- its sessions and secret ballot, the award decision and its number
-- register, reward amounts. Later migrations of the same work add to these
-- tables.

-- Issuing bodies of decisions (cơ quan ban hành), with what their documents
-- print: the governing body above the name (cơ quan chủ quản, may be empty),
-- the short code of their numbers ("UBND" in "05/QĐ-UBND"), the place of
-- the place-and-date line, and the usual signature block.
CREATE TABLE issuers (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL UNIQUE CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 300),
    parent_name      text NOT NULL DEFAULT '' CHECK (parent_name IS NFC NORMALIZED AND char_length(parent_name) <= 300),
    code             text NOT NULL CHECK (code IS NFC NORMALIZED AND code ~ '^[[:upper:]Đ0-9-]{1,20}$'),
    place            text NOT NULL CHECK (place IS NFC NORMALIZED AND char_length(place) BETWEEN 1 AND 100),
    signer_authority text NOT NULL DEFAULT '' CHECK (signer_authority IS NFC NORMALIZED AND char_length(signer_authority) <= 100),
    signer_title     text NOT NULL DEFAULT '' CHECK (signer_title IS NFC NORMALIZED AND char_length(signer_title) <= 100),
    unit_id          bigint REFERENCES units (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- The number register (sổ đăng ký văn bản) per issuing body and year: the
-- last number given. A number is taken by UPDATE … RETURNING under the
-- row's lock, so two decisions numbered at the same moment get two numbers.
CREATE TABLE decision_registers (
    issuer_id   bigint NOT NULL REFERENCES issuers (id),
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    PRIMARY KEY (issuer_id, year)
);

-- The council: standing (campaign_id NULL, membership valid over dates) or
-- set up for one campaign.
CREATE TABLE councils (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 300),
    campaign_id bigint REFERENCES campaigns (id),
    issuer_id   bigint REFERENCES issuers (id),
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A member of a council from valid_from to valid_to (open when NULL), in a
-- role: chair, vice-chair, member or secretary (who does not vote).
-- Membership is never deleted: it ends with valid_to and a reason.
CREATE TABLE council_members (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id  bigint NOT NULL REFERENCES councils (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    role        text NOT NULL CHECK (role IN ('chair', 'vice_chair', 'member', 'secretary')),
    position    text NOT NULL DEFAULT '' CHECK (position IS NFC NORMALIZED AND char_length(position) <= 300),
    valid_from  date NOT NULL,
    valid_to    date,
    added_by    bigint REFERENCES users (id),
    added_at    timestamptz NOT NULL DEFAULT now(),
    end_reason  text NOT NULL DEFAULT '' CHECK (end_reason IS NFC NORMALIZED AND char_length(end_reason) <= 2000),
    ended_by    bigint REFERENCES users (id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX council_members_council_idx ON council_members (council_id, valid_from);
CREATE INDEX council_members_user_idx ON council_members (user_id);

-- The passing threshold of a council vote per award form: a share of the
-- voting members in total ('total') or of those who took part ('present':
-- present in person or by a written ballot), and a quorum (the share of all
-- voting members who must take part). Data with its citation and the days
-- it is in force, never code.
CREATE TABLE vote_rules (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    award_form_id bigint NOT NULL REFERENCES award_forms (id),
    basis         text NOT NULL CHECK (basis IN ('total', 'present')),
    share         numeric(5,2) NOT NULL CHECK (share > 0 AND share <= 100),
    quorum        numeric(5,2) NOT NULL DEFAULT 0 CHECK (quorum >= 0 AND quorum <= 100),
    citation      text NOT NULL DEFAULT '' CHECK (citation IS NFC NORMALIZED AND char_length(citation) <= 1000),
    in_force_from date,
    in_force_to   date,
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (in_force_to IS NULL OR in_force_from IS NULL OR in_force_to >= in_force_from)
);
CREATE INDEX vote_rules_form_idx ON vote_rules (award_form_id);

-- The forms' vote rules as a starting point; each province confirms its own
-- in its emulation regulations (quy chế thi đua, khen thưởng) and staff edit
-- them as data. Chiến sĩ thi đua cấp tỉnh needed at least 90 % of all the
-- council's members under the rules in force until 31/12/2023; other forms
-- pass with more than half of all members. The quorum is two thirds of all
-- members, written 66,66 % so that 6 of 9 reach it (comparisons are exact).
INSERT INTO vote_rules (award_form_id, basis, share, quorum, citation, in_force_to)
    SELECT id, 'total', 90, 66.66,
        'Quy định trước 01/01/2024 (Nghị định 91/2017/NĐ-CP): Chiến sĩ thi đua cấp tỉnh được từ 90 % tổng số thành viên Hội đồng đồng ý',
        DATE '2023-12-31'
    FROM award_forms WHERE code = 'chien_si_thi_dua_tinh';
INSERT INTO vote_rules (award_form_id, basis, share, quorum, citation, in_force_from)
    SELECT id, 'total', 90, 66.66,
        'Quy chế thi đua, khen thưởng của tỉnh (giữ mức từ 90 % tổng số thành viên Hội đồng; tỉnh xác nhận)',
        DATE '2024-01-01'
    FROM award_forms WHERE code = 'chien_si_thi_dua_tinh';
INSERT INTO vote_rules (award_form_id, basis, share, quorum, citation)
    SELECT id, 'total', 50.01, 66.66,
        'Quy chế hoạt động của Hội đồng Thi đua – Khen thưởng (quá nửa tổng số thành viên; tỉnh xác nhận)'
    FROM award_forms WHERE code <> 'chien_si_thi_dua_tinh';

-- A session of a council on the nominees of one campaign. draft: nominees
-- and attendance are being set; open: voting; closed: tallied, outcomes
-- fixed. The counts of the minutes are kept at closing.
CREATE TABLE council_sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id      bigint NOT NULL REFERENCES councils (id),
    campaign_id     bigint NOT NULL REFERENCES campaigns (id),
    held_on         date NOT NULL,
    starts_at       text NOT NULL DEFAULT '' CHECK (char_length(starts_at) <= 20),
    place           text NOT NULL DEFAULT '' CHECK (place IS NFC NORMALIZED AND char_length(place) <= 300),
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    note            text NOT NULL DEFAULT '' CHECK (note IS NFC NORMALIZED AND char_length(note) <= 4000),
    version         integer NOT NULL DEFAULT 1,
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    opened_by       bigint REFERENCES users (id),
    opened_at       timestamptz,
    closed_by       bigint REFERENCES users (id),
    closed_at       timestamptz,
    -- At closing: voting members in total, present in person, by a written
    -- ballot, and ballots returned.
    members_total   integer,
    members_present integer,
    members_written integer,
    ballots_returned integer
);
CREATE INDEX council_sessions_council_idx ON council_sessions (council_id, held_on);
CREATE INDEX council_sessions_campaign_idx ON council_sessions (campaign_id);

-- The roster of a session, fixed when it opens: each member valid on the
-- session's date with their role and attendance (present, absent with a
-- written ballot, absent).
CREATE TABLE session_members (
    session_id bigint NOT NULL REFERENCES council_sessions (id),
    member_id  bigint NOT NULL REFERENCES council_members (id),
    user_id    bigint NOT NULL REFERENCES users (id),
    role       text NOT NULL CHECK (role IN ('chair', 'vice_chair', 'member', 'secretary')),
    attendance text NOT NULL DEFAULT 'present' CHECK (attendance IN ('present', 'written', 'absent')),
    PRIMARY KEY (session_id, member_id)
);

-- A nominee put to a session: a shortlist entry whose notice has ended and
-- whose objections are all answered. votes_for, votes_against and
-- votes_blank are the anonymous tally, updated in the transaction that
-- records a ballot, with no voter column and no time. The rule used and
-- the outcome are fixed at closing.
CREATE TABLE session_nominees (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     bigint NOT NULL REFERENCES council_sessions (id),
    entry_id       bigint NOT NULL REFERENCES shortlist_entries (id),
    award_form_id  bigint NOT NULL REFERENCES award_forms (id),
    sort           integer NOT NULL DEFAULT 0,
    votes_for      integer NOT NULL DEFAULT 0 CHECK (votes_for >= 0),
    votes_against  integer NOT NULL DEFAULT 0 CHECK (votes_against >= 0),
    votes_blank    integer NOT NULL DEFAULT 0 CHECK (votes_blank >= 0),
    rule_id        bigint REFERENCES vote_rules (id),
    basis          text CHECK (basis IN ('total', 'present')),
    share          numeric(5,2),
    quorum         numeric(5,2),
    denominator    integer,
    outcome        text CHECK (outcome IN ('passed', 'failed', 'no_quorum')),
    UNIQUE (session_id, entry_id)
);

-- Who has voted in a session: one row per member, in person or by a
-- written ballot entered by the secretary. No choice, no time, no ordering
-- column: nothing joins it to the tally.
CREATE TABLE ballot_participation (
    session_id bigint NOT NULL REFERENCES council_sessions (id),
    member_id  bigint NOT NULL REFERENCES council_members (id),
    kind       text NOT NULL CHECK (kind IN ('in_person', 'written')),
    PRIMARY KEY (session_id, member_id)
);

-- The base salary (mức lương cơ sở) reward amounts are multiples of: data
-- with its citation and the day it takes effect.
CREATE TABLE base_salaries (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount        bigint NOT NULL CHECK (amount > 0),
    in_force_from date NOT NULL UNIQUE,
    citation      text NOT NULL DEFAULT '' CHECK (citation IS NFC NORMALIZED AND char_length(citation) <= 1000)
);
INSERT INTO base_salaries (amount, in_force_from, citation) VALUES
    (1800000, DATE '2023-07-01', 'Nghị định 24/2023/NĐ-CP'),
    (2340000, DATE '2024-07-01', 'Nghị định 73/2024/NĐ-CP');

-- The reward of an award form as a multiple of the base salary, per target
-- (a collective usually gets twice an individual's), with its citation and
-- the days it is in force.
CREATE TABLE award_amounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    award_form_id bigint NOT NULL REFERENCES award_forms (id),
    target        text NOT NULL CHECK (target IN ('collective', 'individual')),
    multiple      numeric(5,2) NOT NULL CHECK (multiple > 0 AND multiple <= 100),
    citation      text NOT NULL DEFAULT '' CHECK (citation IS NFC NORMALIZED AND char_length(citation) <= 1000),
    in_force_from date,
    in_force_to   date,
    CHECK (in_force_to IS NULL OR in_force_from IS NULL OR in_force_to >= in_force_from)
);
INSERT INTO award_amounts (award_form_id, target, multiple, citation, in_force_from)
    SELECT f.id, v.target, v.multiple, v.citation, DATE '2024-01-01'
    FROM (VALUES
        ('chien_si_thi_dua_tinh', 'individual', 3.0, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('chien_si_thi_dua_co_so', 'individual', 1.0, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('lao_dong_tien_tien', 'individual', 0.3, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('tap_the_lao_dong_xuat_sac', 'collective', 1.5, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('tap_the_lao_dong_tien_tien', 'collective', 0.8, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('bang_khen_chu_tich_tinh', 'individual', 1.0, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('bang_khen_chu_tich_tinh', 'collective', 2.0, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('co_thi_dua_tinh', 'collective', 3.0, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('giay_khen', 'individual', 0.3, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)'),
        ('giay_khen', 'collective', 0.6, 'Nghị định 98/2023/NĐ-CP (mức tiền thưởng theo lần mức lương cơ sở)')
    ) AS v (code, target, multiple, citation)
    JOIN award_forms f ON f.code = v.code;

-- The award decision (quyết định khen thưởng), drafted by staff from a
-- closed session's passing nominees, approved and signed by a leader who did
-- not draft it. The number (seq of the issuer's register in year) is given
-- at signing. A signed decision is immutable (the trigger below); it is
-- revoked only by another decision (kind 'revocation', revokes_id) with a
-- reason.
CREATE TABLE decisions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer_id        bigint NOT NULL REFERENCES issuers (id),
    kind             text NOT NULL DEFAULT 'award' CHECK (kind IN ('award', 'revocation')),
    campaign_id      bigint REFERENCES campaigns (id),
    session_id       bigint REFERENCES council_sessions (id),
    revokes_id       bigint REFERENCES decisions (id),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed', 'revoked')),
    year             integer,
    seq              integer CHECK (seq > 0),
    number           text NOT NULL DEFAULT '' CHECK (char_length(number) <= 60),
    place            text NOT NULL CHECK (place IS NFC NORMALIZED AND char_length(place) BETWEEN 1 AND 100),
    decision_date    date,
    title            text NOT NULL CHECK (title IS NFC NORMALIZED AND char_length(title) BETWEEN 1 AND 1000),
    -- One ground (căn cứ) per line, then the proposal it answers.
    grounds          text NOT NULL DEFAULT '' CHECK (grounds IS NFC NORMALIZED AND char_length(grounds) <= 10000),
    proposal         text NOT NULL DEFAULT '' CHECK (proposal IS NFC NORMALIZED AND char_length(proposal) <= 2000),
    -- The articles after the first (the awards), one per line.
    articles         text NOT NULL DEFAULT '' CHECK (articles IS NFC NORMALIZED AND char_length(articles) <= 10000),
    -- The achievement the awards recognise ("Đã có thành tích xuất sắc …").
    achievement      text NOT NULL DEFAULT '' CHECK (achievement IS NFC NORMALIZED AND char_length(achievement) <= 2000),
    recipients       text NOT NULL DEFAULT '' CHECK (recipients IS NFC NORMALIZED AND char_length(recipients) <= 4000),
    signer_authority text NOT NULL DEFAULT '' CHECK (signer_authority IS NFC NORMALIZED AND char_length(signer_authority) <= 100),
    signer_title     text NOT NULL DEFAULT '' CHECK (signer_title IS NFC NORMALIZED AND char_length(signer_title) <= 100),
    signer_name      text NOT NULL DEFAULT '' CHECK (signer_name IS NFC NORMALIZED AND char_length(signer_name) <= 200),
    reason           text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 4000),
    version          integer NOT NULL DEFAULT 1,
    drafted_by       bigint REFERENCES users (id),
    drafted_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    signed_by        bigint REFERENCES users (id),
    signed_at        timestamptz,
    revoked_by_id    bigint REFERENCES decisions (id),
    UNIQUE (issuer_id, year, seq),
    CHECK ((status = 'draft') = (seq IS NULL)),
    CHECK (status = 'draft' OR (signed_by IS NOT NULL AND signed_at IS NOT NULL AND decision_date IS NOT NULL)),
    CHECK (signed_by IS NULL OR signed_by IS DISTINCT FROM drafted_by),
    CHECK ((kind = 'revocation') = (revokes_id IS NOT NULL)),
    CHECK ((status = 'revoked') = (revoked_by_id IS NOT NULL))
);
CREATE INDEX decisions_status_idx ON decisions (status, signed_at DESC);
CREATE INDEX decisions_session_idx ON decisions (session_id) WHERE session_id IS NOT NULL;

-- The awardees of a decision, in its appendix (I. Cá nhân, II. Tập thể):
-- the form, and the amount where the law sets one (the multiple and the
-- base salary in force on the decision's date, and their product).
CREATE TABLE decision_awardees (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    decision_id   bigint NOT NULL REFERENCES decisions (id),
    nominee_id    bigint REFERENCES session_nominees (id),
    target        text NOT NULL CHECK (target IN ('collective', 'individual')),
    unit_id       bigint NOT NULL REFERENCES units (id),
    person_id     bigint REFERENCES people (id),
    award_form_id bigint NOT NULL REFERENCES award_forms (id),
    -- As printed: the person's name and position, or the unit's name.
    name          text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 300),
    position      text NOT NULL DEFAULT '' CHECK (position IS NFC NORMALIZED AND char_length(position) <= 300),
    multiple      numeric(5,2),
    base_salary   bigint,
    amount        bigint,
    sort          integer NOT NULL DEFAULT 0,
    CHECK ((target = 'individual') = (person_id IS NOT NULL)),
    UNIQUE NULLS NOT DISTINCT (decision_id, unit_id, person_id, award_form_id)
);
CREATE INDEX decision_awardees_decision_idx ON decision_awardees (decision_id, target, sort);

-- An award granted through the portal enters the achievement history with
-- its decision; a revocation marks it.
ALTER TABLE achievements ADD COLUMN decision_id bigint REFERENCES decisions (id);
ALTER TABLE achievements ADD COLUMN revoked_by_decision_id bigint REFERENCES decisions (id);

-- A signed decision is immutable: only its revocation (status 'revoked'
-- with revoked_by_id) may change it, and its awardees never change.
CREATE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF OLD.status = 'signed' AND NEW.status = 'revoked'
        AND (to_jsonb(NEW) - 'status' - 'revoked_by_id' - 'version' - 'updated_at')
          = (to_jsonb(OLD) - 'status' - 'revoked_by_id' - 'version' - 'updated_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'decision % is signed and cannot change', OLD.id USING ERRCODE = 'check_violation',
        CONSTRAINT = 'decisions_immutable';
END $$;
CREATE TRIGGER decisions_immutable BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION decisions_immutable();

CREATE FUNCTION decision_awardees_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s text;
BEGIN
    SELECT status INTO s FROM decisions WHERE id = COALESCE(NEW.decision_id, OLD.decision_id);
    IF s IS DISTINCT FROM 'draft' THEN
        RAISE EXCEPTION 'the awardees of signed decision % cannot change', COALESCE(NEW.decision_id, OLD.decision_id)
            USING ERRCODE = 'check_violation', CONSTRAINT = 'decisions_immutable';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER decision_awardees_immutable BEFORE INSERT OR UPDATE OR DELETE ON decision_awardees
    FOR EACH ROW EXECUTE FUNCTION decision_awardees_immutable();

-- Leaders return a shortlist to staff with a reason; it stays off the
-- council until staff propose it again.
ALTER TABLE shortlists ADD COLUMN returned_at timestamptz;
ALTER TABLE shortlists ADD COLUMN returned_by bigint REFERENCES users (id);
ALTER TABLE shortlists ADD COLUMN return_reason text NOT NULL DEFAULT ''
    CHECK (return_reason IS NFC NORMALIZED AND char_length(return_reason) <= 2000);

COMMIT;
