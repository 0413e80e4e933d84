BEGIN;

-- Nominations of individuals (issue 11, part N): who saved a nomination
-- last, so a form sent over an older version can say whose changes it
-- meets ("saved by … at …") beside the text typed.
ALTER TABLE nominations ADD COLUMN updated_by bigint REFERENCES users (id);

COMMIT;
