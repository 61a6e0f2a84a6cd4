-- Every check that ran on the candidate and what it saw (kforge verify --explain), as a JSON array of
-- {"check", "passed", "saw"}; NULL for evaluations archived before this column existed.
ALTER TABLE evaluations ADD COLUMN explanation_json TEXT;
