-- Idempotency keys of the HTTP API (draft-ietf-httpapi-idempotency-key-header): one row per key,
-- claimed before the write runs, completed with the first successful response, deleted when the
-- write was refused (a refused request changes nothing, so its key may be used again).
CREATE TABLE http_idempotency (
    idempotency_key VARCHAR(200) PRIMARY KEY,
    request_sha256  BYTEA        NOT NULL,
    principal       VARCHAR(200) NOT NULL,
    claimed_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    status          INTEGER,
    headers         TEXT,
    body            BYTEA
);
