BEGIN;

-- Public notice (issue 11, part P): the keys the objection channel needs.
-- client_salt keys the hash of a sender's address (objections.client_key),
-- one secret per notice, so the rate limit counts per address and notice
-- while no address is stored and no two notices' hashes can be matched.
-- form_key is the hidden key of the objection form: the same form sent twice
-- finds the first objection and its receipt instead of a second one.
ALTER TABLE notices ADD COLUMN client_salt text NOT NULL DEFAULT '' CHECK (char_length(client_salt) <= 128);
ALTER TABLE objections ADD COLUMN form_key text CHECK (char_length(form_key) BETWEEN 16 AND 64);
CREATE UNIQUE INDEX objections_form_key ON objections (notice_id, form_key) WHERE form_key IS NOT NULL;
CREATE INDEX objections_client_idx ON objections (notice_id, client_key, created_at);

COMMIT;
