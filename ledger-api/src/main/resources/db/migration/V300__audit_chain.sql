-- The audit chain (org.etat.ledger.audit): one link per event of domain_event_entry, in global order.
-- No foreign key to the log on purpose: a link must outlive a deleted event, so the deletion shows.
CREATE TABLE audit_chain (
    chain_position   BIGINT       PRIMARY KEY,            -- 1, 2, 3 ... without gaps: the chain's own order
    global_index     BIGINT       NOT NULL UNIQUE,        -- domain_event_entry.global_index of the chained row
    event_identifier VARCHAR(255) NOT NULL UNIQUE,
    leaf_hash        BYTEA        NOT NULL CHECK (octet_length(leaf_hash) = 32),  -- SHA-256(canonical row)
    chain_hash       BYTEA        NOT NULL CHECK (octet_length(chain_hash) = 32), -- SHA-256(previous || canonical row)
    chained_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Signed digests issued over the chain's head; their exported files are the evidence, this is the index.
CREATE TABLE audit_digest (
    global_index     BIGINT       NOT NULL,
    event_count      BIGINT       NOT NULL CHECK (event_count >= 0),
    head_hash        BYTEA        NOT NULL CHECK (octet_length(head_hash) = 32),
    issued_at        TIMESTAMPTZ  NOT NULL,
    key_fingerprint  VARCHAR(64)  NOT NULL,
    signature        BYTEA        NOT NULL,
    PRIMARY KEY (global_index, key_fingerprint, issued_at)
);

-- Both tables are append-only. This stops mistakes, not an owner with DDL rights: the digests do that.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_digest_append_only BEFORE UPDATE OR DELETE ON audit_digest
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_digest_no_truncate BEFORE TRUNCATE ON audit_digest
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
