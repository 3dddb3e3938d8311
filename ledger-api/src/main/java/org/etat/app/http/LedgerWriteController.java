package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.common.Receipt;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import tools.jackson.databind.JsonNode;

/**
 * The write side: each endpoint reads one JSON body into a ledger command and sends it with the
 * caller's principal and Idempotency-Key. The ledger decides; this class only translates.
 */
@RestController
@RequestMapping(path = "/api/v1", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Writes", description = "Every write needs an Idempotency-Key header; a retry with the same key and body answers the first response again")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class LedgerWriteController {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final LedgerGateway ledger;
    private final LedgerMetrics metrics;

    public LedgerWriteController(LedgerGateway ledger, LedgerMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    @PostMapping("/lines")
    @Operation(summary = "Open a budget line (BUDGET_ADMIN)", description = "One title in one fiscal year; Location is the line.")
    public ResponseEntity<WriteResponse> openLine(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.OpenLineBody.class)))
            @RequestBody JsonNode body) {
        var command = WriteRequests.OpenLineBody.parse(body);
        return send(command, auth, key, r -> URI.create("/api/v1/lines/" + command.lineId()));
    }

    @PostMapping("/lines/{lineId}/appropriations")
    @Operation(summary = "Enact the appropriation (Ansatz) of a line (BUDGET_ADMIN)")
    public ResponseEntity<WriteResponse> appropriation(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.AmountBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.AmountBody.appropriation(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/lines/{lineId}/amendments")
    @Operation(summary = "Amend the appropriation by a supplementary budget (BUDGET_ADMIN)")
    public ResponseEntity<WriteResponse> amendment(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.AmendmentBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.AmendmentBody.parse(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/lines/{lineId}/blocks")
    @Operation(summary = "Block funds (Sperre, § 22, § 41) (BUDGET_ADMIN)")
    public ResponseEntity<WriteResponse> block(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.AmountBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.AmountBody.block(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/lines/{lineId}/releases")
    @Operation(summary = "Release blocked funds (BUDGET_ADMIN)")
    public ResponseEntity<WriteResponse> release(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.AmountBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.AmountBody.release(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/lines/{lineId}/over-plan-consents")
    @Operation(summary = "Grant a § 37 consent to over-plan or unplanned spending (BUDGET_ADMIN)")
    public ResponseEntity<WriteResponse> consent(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.ConsentBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.ConsentBody.parse(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/lines/{lineId}/expenditures")
    @Operation(summary = "Record an expenditure (Ist) (FINANCE)")
    public ResponseEntity<WriteResponse> expenditure(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.ExpenditureBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.ExpenditureBody.expenditure(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/lines/{lineId}/revenues")
    @Operation(summary = "Record revenue on a revenue line (FINANCE)")
    public ResponseEntity<WriteResponse> revenue(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @LineIdParam @PathVariable String lineId, @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.ExpenditureBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.ExpenditureBody.revenue(pathLineId(lineId), body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/expenditure-batches")
    @Operation(summary = "Record up to 10,000 entries, all or nothing (FINANCE)",
            description = "A refusal lists every offending entry with its index: field errors as entries[i].field (400), rule errors as index + rule (409).")
    public ResponseEntity<WriteResponse> batch(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.BatchBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.BatchBody.parse(body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/reallocations")
    @Operation(summary = "Reallocate between two lines of one year (§ 20) (FINANCE)")
    public ResponseEntity<WriteResponse> reallocation(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.ReallocationBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.ReallocationBody.parse(body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/carry-overs")
    @Operation(summary = "Carry a remainder over to the next year (§ 19, § 45) (FINANCE)")
    public ResponseEntity<WriteResponse> carryOver(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.CarryOverBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.CarryOverBody.parse(body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/years/{year}/closing")
    @Operation(summary = "Close a fiscal year: the unspent rest lapses (BUDGET_ADMIN)")
    public ResponseEntity<WriteResponse> closeYear(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @Parameter(description = "Fiscal year", example = "2023") @PathVariable int year,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.ClosingBody.class)))
            @RequestBody JsonNode body) {
        return send(WriteRequests.ClosingBody.parse(year, body), auth, key, LedgerWriteController::entry);
    }

    @PostMapping("/entries/{eventId}/reversal")
    @Operation(summary = "Reverse an entry (Storno) (FINANCE)", description = "Two-leg entries (reallocation, carry-over) are reversed on both lines.")
    public ResponseEntity<WriteResponse> reverse(@Key @RequestHeader(IDEMPOTENCY_KEY) String key, Authentication auth,
            @Parameter(description = "Id of the event to reverse") @PathVariable String eventId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(schema = @Schema(implementation = WriteRequests.ReversalBody.class)))
            @RequestBody JsonNode body) {
        if (eventId.length() > 100) {
            throw new InvalidRequestException(java.util.List.of(new FieldError("eventId", "is longer than 100 characters")));
        }
        return send(WriteRequests.ReversalBody.parse(eventId, body), auth, key, LedgerWriteController::entry);
    }

    private ResponseEntity<WriteResponse> send(Object command, Authentication auth, String key, Function<Receipt, URI> location) {
        LedgerGateway.Outcome outcome = ledger.submit(command, auth.getName(), key, deferredClaim(key));
        Receipt receipt = outcome.receipt();
        ResponseEntity.BodyBuilder created = ResponseEntity.created(location.apply(receipt));
        if (outcome.replayed()) {
            // The first response again, built from the receipt the ledger kept for this key.
            created.header(IdempotencyFilter.REPLAYED, "true");
        } else {
            metrics.appended(receipt.eventIds().size());
        }
        return created.body(WriteResponse.of(receipt));
    }

    /** The Idempotency-Key for the command to claim in its transaction, as IdempotencyFilter asked. */
    private static Map<String, String> deferredClaim(String key) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object claim = request == null ? null : request.getAttribute(IdempotencyFilter.DEFERRED_CLAIM, RequestAttributes.SCOPE_REQUEST);
        if (claim instanceof IdempotencyFilter.DeferredClaim c && c.key().equals(key)) {
            return Map.of(HttpIdempotencyInterceptor.KEY, c.key(), HttpIdempotencyInterceptor.REQUEST_SHA256, HexFormat.of().formatHex(c.requestSha256()));
        }
        return Map.of();
    }

    private static URI entry(Receipt receipt) {
        return receipt.eventIds().isEmpty() ? URI.create("/api/v1/events") : URI.create("/api/v1/entries/" + receipt.eventIds().get(0));
    }

    static String pathLineId(String lineId) {
        Fields.Errors errors = new Fields.Errors();
        String id = Fields.lineIdText("lineId", lineId, errors);
        if (id == null) {
            throw new InvalidRequestException(errors.list);
        }
        return id;
    }

}
