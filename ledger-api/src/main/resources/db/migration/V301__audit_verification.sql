-- Results of verifications of the log (POST /api/v1/audit/verification, ./etat verify), as answered.
CREATE TABLE audit_verification (
    id           BIGSERIAL    PRIMARY KEY,
    verified_at  TIMESTAMPTZ  NOT NULL,
    principal    VARCHAR(255) NOT NULL,
    ok           BOOLEAN      NOT NULL,
    result       TEXT         NOT NULL   -- the JSON answer (VerificationReport), exactly as returned
);

CREATE TRIGGER audit_verification_append_only BEFORE UPDATE OR DELETE ON audit_verification
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_verification_no_truncate BEFORE TRUNCATE ON audit_verification
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
