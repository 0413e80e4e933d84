BEGIN;

-- The last day a unit may send its nominations of a phase (hạn gửi hồ sơ đề
-- nghị khen thưởng): reminded of before like the other deadlines, refused
-- after. Empty: nominations are taken while the campaign is announced.
ALTER TABLE phases ADD COLUMN nomination_to date;

COMMIT;
