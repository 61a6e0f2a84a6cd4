-- Verdict 'correct': every check passed and the candidate was not timed (kforge verify --check-only).
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the same columns in the same order
-- (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"). Dropping the old
-- table drops its indexes and triggers without firing them; both are created again below.

CREATE TABLE evaluations_v3 (
    id                     INTEGER NOT NULL PRIMARY KEY,
    candidate_id           TEXT    NOT NULL REFERENCES candidates (id),
    problem_hash           TEXT             REFERENCES problems (hash),  -- NULL when the problem never loaded
    precision              TEXT    NOT NULL,                             -- 'strict' | 'tf32' | 'kernel_bench'
    verdict                TEXT    NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'correct')),
    reached_stage          TEXT    NOT NULL,                             -- 'compile' | 'load' | 'run' | 'check' | 'time'
    failure_kind           TEXT,                                         -- FailureKind value; NULL when accepted
    failure_message        TEXT,

    compile_seconds        REAL,
    compile_cache_hit      INTEGER CHECK (compile_cache_hit IN (0, 1)),
    compile_log            TEXT,
    kernels_json           TEXT,                                         -- [KernelResourceUsage] from ptxas -v

    checks_json            TEXT    NOT NULL,                             -- [InputSetCheck], one per seeded input set

    candidate_median_us    REAL,                                         -- set only when every check passed
    candidate_iqr_us       REAL,
    candidate_min_us       REAL,
    candidate_samples_json TEXT,                                         -- [double] microseconds, in trial order
    eager_median_us        REAL,                                         -- the reference, same session, same GPU
    eager_samples_json     TEXT,
    compiled_median_us     REAL,                                         -- the reference under torch.compile
    compiled_samples_json  TEXT,
    speedup_over_eager     REAL,                                         -- eager_median_us / candidate_median_us
    speedup_over_compiled  REAL,                                         -- compiled_median_us / candidate_median_us
    bytes_moved            INTEGER,
    memory_floor_us        REAL,                                         -- bytes_moved / measured peak bandwidth
    fraction_of_floor      REAL,                                         -- memory_floor_us / candidate_median_us
    l2_flushed             INTEGER CHECK (l2_flushed IN (0, 1)),         -- timing mode of the candidate's samples

    environment_json       TEXT,                                         -- EnvironmentInfo
    gpu_name               TEXT,
    warnings_json          TEXT    NOT NULL,                             -- [string] analyzer conclusions
    finished_at            TEXT    NOT NULL,
    kforge_version         TEXT    NOT NULL,
    explanation_json       TEXT                                          -- added by 002
) STRICT;

INSERT INTO evaluations_v3 SELECT * FROM evaluations;
DROP TABLE evaluations;
ALTER TABLE evaluations_v3 RENAME TO evaluations;

CREATE INDEX evaluations_problem_hash ON evaluations (problem_hash);
CREATE INDEX evaluations_candidate_id ON evaluations (candidate_id);

CREATE TRIGGER evaluations_no_update BEFORE UPDATE ON evaluations
BEGIN
    SELECT RAISE(ABORT, 'evaluations are append-only');
END;

CREATE TRIGGER evaluations_no_delete BEFORE DELETE ON evaluations
BEGIN
    SELECT RAISE(ABORT, 'evaluations are append-only');
END;
