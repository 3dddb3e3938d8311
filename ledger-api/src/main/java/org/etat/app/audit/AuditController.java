package org.etat.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.sql.SQLException;
import java.util.List;
import org.etat.app.http.FieldError;
import org.etat.app.http.InvalidRequestException;
import org.etat.app.http.NotFoundException;
import org.etat.app.http.Problems;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit over HTTP: verify the log now (AUDITOR; the result is stored), read the last result
 * (COURT_OF_AUDIT, AUDITOR), issue a signed digest (AUDITOR) and fetch the latest one as JSON or as
 * the exportable file. POSTs need an Idempotency-Key like every write. Bodies are JSON written by
 * Jackson 2 (the same text is stored and returned later).
 */
@RestController
@RequestMapping(path = "/api/v1/audit")
@Tag(name = "Audit", description = "Verification of the hash-chained log and signed digests")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class AuditController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditVerification verification;
    private final JdbcVerificationStore results;
    private final AuditDigests digests;

    public AuditController(AuditVerification verification, JdbcVerificationStore results, AuditDigests digests) {
        this.verification = verification;
        this.results = results;
        this.digests = digests;
    }

    @PostMapping(path = "/verification", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Verify the log now: chain, conservation, and optionally an exported digest (AUDITOR)",
            description = "Body (optional): an exported digest file as is, or {\"digest\": <digest file>}. The answer is stored; "
                    + "ok=false (with firstBad, conservation.firstViolation or digest.outcome) is still 200.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = VerificationReport.class)))
    public ResponseEntity<String> verify(@RequestBody(required = false) byte[] body, Principal principal) throws SQLException {
        Digest digest = digestOf(body);
        VerificationReport report = digest == null ? verification.verify(null, null, Progress.NONE)
                : verification.verify(digest, digests.trustedKey(), Progress.NONE);
        results.save(report, principal == null ? "anonymous" : principal.getName());
        return json(HttpStatus.OK, report.toJson());
    }

    @GetMapping(path = "/verification/latest", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The last stored verification result (COURT_OF_AUDIT, AUDITOR)")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = VerificationReport.class)))
    public ResponseEntity<String> latestVerification() throws SQLException {
        return json(HttpStatus.OK, results.latestJson().orElseThrow(() -> new NotFoundException("no verification has been run yet")));
    }

    @PostMapping(path = "/digests", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Issue a signed digest of the chain's head now (AUDITOR)",
            description = "Answers the digest in the format of the exportable file (etat-audit-digest/1).")
    public ResponseEntity<String> issueDigest() throws SQLException {
        return json(HttpStatus.CREATED, DigestFile.toJson(digests.issue()));
    }

    @GetMapping(path = "/digests/latest", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The latest digest (COURT_OF_AUDIT, AUDITOR)")
    public ResponseEntity<String> latestDigest() throws SQLException {
        return json(HttpStatus.OK, DigestFile.toJson(latestOrNotFound()));
    }

    @GetMapping(path = "/digests/latest/file")
    @Operation(summary = "The latest digest as a file to download and publish (COURT_OF_AUDIT, AUDITOR)")
    public ResponseEntity<byte[]> latestDigestFile() throws SQLException {
        Digest d = latestOrNotFound();
        String name = "etat-digest-" + d.sequence() + "-" + d.issuedAt().toString().replaceAll("[^0-9TZ]", "") + ".json";
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
                .body(DigestFile.toJson(d).getBytes(StandardCharsets.UTF_8));
    }

    private Digest latestOrNotFound() throws SQLException {
        return digests.latest().orElseThrow(() -> new NotFoundException("no digest has been issued yet"));
    }

    /** The digest of a verification request: none for no body, {} or {"digest": null}. */
    static Digest digestOf(byte[] body) {
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw invalid("", "request body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw invalid("", "the body is a digest file or {\"digest\": <digest file>}");
        }
        JsonNode d = n.has("format") ? n : n.get("digest");
        if (d == null || d.isNull()) {
            if (n.size() > (n.has("digest") ? 1 : 0)) {
                throw invalid("", "the body is a digest file or {\"digest\": <digest file>}");
            }
            return null;
        }
        try {
            return DigestFile.fromJson(d.isTextual() ? d.asText() : d.toString());
        } catch (IllegalArgumentException e) {
            throw invalid("digest", e.getMessage());
        }
    }

    private static InvalidRequestException invalid(String field, String detail) {
        return new InvalidRequestException(List.of(new FieldError(field, detail)));
    }

    private static ResponseEntity<String> json(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @ExceptionHandler(AuditDigests.NoSigningKeyException.class)
    ResponseEntity<ProblemDetail> noKey(AuditDigests.NoSigningKeyException e, HttpServletRequest request) {
        return problem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE, "No signing key", e.getMessage()), request);
    }

    @ExceptionHandler(AuditDigests.EmptyChainException.class)
    ResponseEntity<ProblemDetail> emptyChain(AuditDigests.EmptyChainException e, HttpServletRequest request) {
        return problem(Problems.of(HttpStatus.CONFLICT, java.net.URI.create(Problems.BASE + "audit-chain-empty"), "Nothing to sign",
                e.getMessage()), request);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail p, HttpServletRequest request) {
        p.setInstance(java.net.URI.create(request.getRequestURI()));
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
