-- KernelForge archive, schema version 1: problems, candidates and the append-only log of evaluations.
--
-- Conventions:
--   * every quantity's column name carries its unit (_us microseconds, _seconds, _bytes);
--   * NULL means "not measured", never -1;
--   * timestamps are ISO 8601 UTC text with 7 fractional digits ('2025-01-31T12:00:00.0000000Z'), so they sort as text;
--   * *_json columns are System.Text.Json with snake_case names, numbers in invariant culture;
--   * enum-valued text columns hold the C# name in snake_case ('torch_extension', 'kernel_bench').
-- ArchiveSchema applies this file and sets PRAGMA user_version = 1 in the same transaction; the number prefix of
-- the file name is the version, so the next change is a new 002_*.sql, never an edit of this one.

-- One row per distinct problem content. Name and path follow the latest evaluation that saw the hash.
CREATE TABLE problems (
    hash          TEXT    NOT NULL PRIMARY KEY,  -- ProblemInfo.Hash
    name          TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    bytes_moved   INTEGER NOT NULL,              -- every input, parameter and output once: the memory floor's numerator
    tensors_json  TEXT    NOT NULL,              -- [TensorSpec] in ABI order: inputs, parameters, buffers
    outputs_json  TEXT    NOT NULL,              -- [TensorSpec]
    seeds_json    TEXT    NOT NULL,              -- [long]
    warnings_json TEXT    NOT NULL,              -- [string]
    first_seen_at TEXT    NOT NULL               -- finished_at of the first evaluation that saw this problem
) STRICT;

-- One row per distinct candidate source. The first origin seen is kept; later evaluations of the same source
-- from another proposer add evaluations, not candidates.
CREATE TABLE candidates (
    id            TEXT NOT NULL PRIMARY KEY,     -- SHA-256 of source, lower-case hex (Candidate.Id)
    source        TEXT NOT NULL,
    format        TEXT NOT NULL,                 -- 'abi' | 'torch_extension'
    origin        TEXT NOT NULL,
    first_seen_at TEXT NOT NULL
) STRICT;

-- One row per evaluation, never updated or deleted (see the triggers below).
CREATE TABLE evaluations (
    id                     INTEGER NOT NULL PRIMARY KEY,
    candidate_id           TEXT    NOT NULL REFERENCES candidates (id),
    problem_hash           TEXT             REFERENCES problems (hash),  -- NULL when the problem never loaded
    precision              TEXT    NOT NULL,                             -- 'strict' | 'tf32' | 'kernel_bench'
    verdict                TEXT    NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
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
    kforge_version         TEXT    NOT NULL
) STRICT;

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
