-- Axon's JDBC event store, token store and dead-letter queue, in snake_case (stack.md "Table names").
-- Columns follow Axon's PostgresEventTableFactory / PostgresTokenTableFactory; the EventSchema,
-- TokenSchema and DeadLetterSchema beans in EtatAxonAutoConfiguration name the same columns.
-- Versions: core/app V1-V99, projections V100+, audit V300+, import V400+.

CREATE TABLE domain_event_entry (
    global_index         BIGSERIAL    NOT NULL,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    event_identifier     VARCHAR(255) NOT NULL,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    CONSTRAINT domain_event_entry_pk PRIMARY KEY (global_index),
    -- Optimistic concurrency: two writers of the same line cannot both append sequence n.
    CONSTRAINT domain_event_entry_aggregate_sequence_uk UNIQUE (aggregate_identifier, sequence_number),
    CONSTRAINT domain_event_entry_event_identifier_uk UNIQUE (event_identifier)
);

-- A year's lines: every line's first event (sequence 0) has an id that starts with its year.
CREATE INDEX domain_event_entry_line_year_ix
    ON domain_event_entry ((substr(aggregate_identifier, 1, 4)), aggregate_identifier)
    WHERE sequence_number = 0;

-- Whether a year is closed: its lines' YearClosed events.
CREATE INDEX domain_event_entry_year_closed_ix
    ON domain_event_entry ((substr(aggregate_identifier, 1, 4)))
    WHERE payload_type = 'org.etat.ledger.yearclose.YearClosed';

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    CONSTRAINT snapshot_event_entry_pk PRIMARY KEY (aggregate_identifier, sequence_number),
    CONSTRAINT snapshot_event_entry_event_identifier_uk UNIQUE (event_identifier)
);

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    CONSTRAINT token_entry_pk PRIMARY KEY (processor_name, segment)
);

-- Axon's JdbcSequencedDeadLetterQueue, for processing groups that enable a dead-letter queue.
CREATE TABLE dead_letter_entry (
    dead_letter_id       VARCHAR(255) NOT NULL,
    processing_group     VARCHAR(255) NOT NULL,
    sequence_identifier  VARCHAR(255) NOT NULL,
    sequence_index       BIGINT       NOT NULL,
    message_type         VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    aggregate_type       VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number      BIGINT,
    token_type           VARCHAR(255),
    token                BYTEA,
    enqueued_at          VARCHAR(255) NOT NULL,
    last_touched         VARCHAR(255),
    processing_started   VARCHAR(255),
    cause_type           VARCHAR(255),
    cause_message        TEXT,
    diagnostics          BYTEA,
    CONSTRAINT dead_letter_entry_pk PRIMARY KEY (dead_letter_id),
    CONSTRAINT dead_letter_entry_sequence_uk UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_group_ix ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence_ix ON dead_letter_entry (processing_group, sequence_identifier);

-- Idempotency: one row per client request id, written in the same transaction as the request's
-- events, so two concurrent retries cannot both record.
CREATE TABLE request_log (
    request_id   VARCHAR(200) NOT NULL,
    fingerprint  CHAR(64)     NOT NULL,
    principal    VARCHAR(200) NOT NULL,
    command_type VARCHAR(255) NOT NULL,
    receipt      JSONB        NOT NULL,
    recorded_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT request_log_pk PRIMARY KEY (request_id)
);
