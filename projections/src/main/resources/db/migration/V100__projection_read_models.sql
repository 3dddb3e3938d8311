-- Read models of the Etat ledger. They live in their own schema so a rebuild can fill a shadow
-- schema and swap it in with two renames in one transaction (see org.etat.projection.Rebuild).
-- Versions V100-V199 belong to the projections module; the event store uses V1-V99.
CREATE SCHEMA IF NOT EXISTS projection;

-- Events already projected: a replayed event changes nothing.
CREATE TABLE projection.applied_event (
    event_id        TEXT PRIMARY KEY,
    global_sequence BIGINT NOT NULL
);

-- One row per budget line: title data and every component of the availability formula.
CREATE TABLE projection.line_balance (
    line_id                 TEXT PRIMARY KEY,
    year                    INT NOT NULL,
    einzelplan              TEXT,
    kapitel                 TEXT,
    titel                   TEXT,
    titelgruppe             TEXT,
    funktion                TEXT,
    purpose                 TEXT,
    kind                    TEXT,
    transferable            BOOLEAN,
    closed                  BOOLEAN NOT NULL DEFAULT FALSE,
    appropriated_cents      BIGINT NOT NULL,
    amended_cents           BIGINT NOT NULL,
    blocked_cents           BIGINT NOT NULL,
    consented_cents         BIGINT NOT NULL,
    reallocated_in_cents    BIGINT NOT NULL,
    reallocated_out_cents   BIGINT NOT NULL,
    carried_in_cents        BIGINT NOT NULL,
    carried_out_cents       BIGINT NOT NULL,
    spent_cents             BIGINT NOT NULL,
    revenue_cents           BIGINT NOT NULL,
    lapsed_cents            BIGINT NOT NULL,
    available_cents         BIGINT NOT NULL,
    planned_cents           BIGINT NOT NULL,
    execution_rate_percent  NUMERIC(12, 2),
    -- spent / (appropriated + amended): the rate budget reports publish (ignores moves and remainders)
    soll_rate_percent       NUMERIC(12, 2),
    last_global_sequence    BIGINT NOT NULL
);
CREATE INDEX line_balance_year_einzelplan ON projection.line_balance (year, einzelplan);
CREATE INDEX line_balance_year_kapitel ON projection.line_balance (year, kapitel);
CREATE INDEX line_balance_year_titelgruppe ON projection.line_balance (year, kapitel, titelgruppe);
CREATE INDEX line_balance_year_funktion ON projection.line_balance (year, funktion);

-- Bitemporal history: one row per money-moving event of a line, with its component deltas.
-- As-of queries sum a range of one line's rows through an index; they never replay the log.
CREATE TABLE projection.line_history (
    line_id                TEXT NOT NULL,
    global_sequence        BIGINT NOT NULL,
    event_id               TEXT NOT NULL,
    event_type             TEXT NOT NULL,
    year                   INT NOT NULL,
    effective_date         DATE NOT NULL,
    recorded_at            TIMESTAMPTZ NOT NULL,
    principal              TEXT,
    appropriated_cents     BIGINT NOT NULL,
    amended_cents          BIGINT NOT NULL,
    blocked_cents          BIGINT NOT NULL,
    consented_cents        BIGINT NOT NULL,
    reallocated_in_cents   BIGINT NOT NULL,
    reallocated_out_cents  BIGINT NOT NULL,
    carried_in_cents       BIGINT NOT NULL,
    carried_out_cents      BIGINT NOT NULL,
    spent_cents            BIGINT NOT NULL,
    revenue_cents          BIGINT NOT NULL,
    lapsed_cents           BIGINT NOT NULL,
    PRIMARY KEY (line_id, global_sequence)
);
CREATE INDEX line_history_line_effective ON projection.line_history (line_id, effective_date);
CREATE INDEX line_history_line_recorded ON projection.line_history (line_id, recorded_at);
CREATE INDEX line_history_year_effective ON projection.line_history (year, effective_date);
CREATE INDEX line_history_year_recorded ON projection.line_history (year, recorded_at);

-- Every reallocation as an edge; both legs fill the same row, in either order.
CREATE TABLE projection.reallocation_flow (
    reallocation_id        TEXT PRIMARY KEY,
    year                   INT NOT NULL,
    from_line_id           TEXT NOT NULL,
    to_line_id             TEXT NOT NULL,
    amount_cents           BIGINT NOT NULL,
    legal_basis_kind       TEXT NOT NULL,
    legal_basis_reference  TEXT NOT NULL,
    justification          TEXT,
    effective_date         DATE NOT NULL,
    out_event_id           TEXT,
    in_event_id            TEXT,
    out_reversed           BOOLEAN NOT NULL DEFAULT FALSE,
    in_reversed            BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX reallocation_flow_from ON projection.reallocation_flow (from_line_id);
CREATE INDEX reallocation_flow_to ON projection.reallocation_flow (to_line_id);
CREATE INDEX reallocation_flow_year ON projection.reallocation_flow (year);
CREATE INDEX reallocation_flow_out_event ON projection.reallocation_flow (out_event_id);
CREATE INDEX reallocation_flow_in_event ON projection.reallocation_flow (in_event_id);

-- Every carry-over (Ausgaberest) from year N to the same title in N+1.
CREATE TABLE projection.carry_over (
    carry_over_id      TEXT PRIMARY KEY,
    from_year          INT NOT NULL,
    from_line_id       TEXT NOT NULL,
    to_line_id         TEXT NOT NULL,
    amount_cents       BIGINT NOT NULL,
    consent_reference  TEXT,
    justification      TEXT,
    effective_date     DATE,
    out_event_id       TEXT,
    in_event_id        TEXT,
    out_reversed       BOOLEAN NOT NULL DEFAULT FALSE,
    in_reversed        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX carry_over_from ON projection.carry_over (from_line_id);
CREATE INDEX carry_over_to ON projection.carry_over (to_line_id);
CREATE INDEX carry_over_year ON projection.carry_over (from_year);
CREATE INDEX carry_over_out_event ON projection.carry_over (out_event_id);
CREATE INDEX carry_over_in_event ON projection.carry_over (in_event_id);

-- Every expenditure, for project outflow and the money trail's "spent on which project".
CREATE TABLE projection.expenditure (
    event_id            TEXT PRIMARY KEY,
    global_sequence     BIGINT NOT NULL,
    line_id             TEXT NOT NULL,
    year                INT NOT NULL,
    project_id          TEXT,
    amount_cents        BIGINT NOT NULL,
    effective_date      DATE NOT NULL,
    purpose             TEXT,
    document_reference  TEXT,
    reversed            BOOLEAN NOT NULL DEFAULT FALSE,
    reversed_at         TIMESTAMPTZ
);
CREATE INDEX expenditure_line ON projection.expenditure (line_id);
CREATE INDEX expenditure_project ON projection.expenditure (project_id, year);

-- Every § 37 consent (über-/außerplanmäßig), for the annual account's annex.
CREATE TABLE projection.overplan_consent (
    event_id           TEXT PRIMARY KEY,
    global_sequence    BIGINT NOT NULL,
    line_id            TEXT NOT NULL,
    year               INT NOT NULL,
    amount_cents       BIGINT NOT NULL,
    consent_reference  TEXT,
    justification      TEXT,
    unplanned          BOOLEAN NOT NULL,
    effective_date     DATE NOT NULL,
    reversed           BOOLEAN NOT NULL DEFAULT FALSE,
    reversed_at        TIMESTAMPTZ
);
CREATE INDEX overplan_consent_year ON projection.overplan_consent (year, line_id);
