package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The raw event log, in append order, payload and metadata decoded: what an auditor checks the books against. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Event log", description = "The append-only log itself (AUDITOR)")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class EventLogController {

    static final int MAX_LIMIT = 1_000;
    private static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp, "
            + "payload_type, payload, meta_data";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    public EventLogController(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Schema(description = "One recorded event")
    public record LoggedEvent(
            @Schema(example = "42") long globalSequence,
            @Schema(example = "6f1c2a9e-0d7b-4c1e-9a55-3f1f0c2b7d10") String eventId,
            @Schema(example = "2024-08030-54669", description = "The line (aggregate) it belongs to") String lineId,
            @Schema(example = "3") long sequenceNumber,
            @Schema(example = "2024-04-02T09:15:00.123Z") String recordedAt,
            @Schema(example = "org.etat.ledger.budgetline.ExpenditureRecorded") String payloadType,
            @Schema(description = "The event as recorded (JSON)") Object payload,
            @Schema(description = "principal, requestId, recordedAt, effectiveDate, provenance") Object metadata) {
    }

    @Schema(description = "A page of the log")
    public record EventPage(List<LoggedEvent> events,
            @Schema(description = "Pass as after= for the next page; null when the page is empty") Long next) {
    }

    @GetMapping("/events")
    @Operation(summary = "Read the raw log in append order (AUDITOR)")
    public EventPage events(
            @Parameter(description = "Global sequence after which to start", example = "0") @RequestParam(defaultValue = "-1") long after,
            @Parameter(description = "At most this many events (1-1000)", example = "100") @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException(List.of(new FieldError("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        List<LoggedEvent> events = jdbc.query("SELECT " + COLUMNS + " FROM domain_event_entry WHERE global_index > ? "
                + "ORDER BY global_index LIMIT ?", this::row, after, limit);
        return new EventPage(events, events.isEmpty() ? null : events.get(events.size() - 1).globalSequence());
    }

    @GetMapping("/entries/{eventId}")
    @Operation(summary = "Read one recorded entry by its event id (COURT_OF_AUDIT, AUDITOR)")
    public LoggedEvent entry(@Parameter(description = "Event id") @PathVariable String eventId) {
        List<LoggedEvent> found = eventId.length() > 100 ? List.of()
                : jdbc.query("SELECT " + COLUMNS + " FROM domain_event_entry WHERE event_identifier = ?", this::row, eventId);
        if (found.isEmpty()) {
            throw new NotFoundException("no entry with event id " + eventId);
        }
        return found.get(0);
    }

    private LoggedEvent row(ResultSet rs, int n) throws SQLException {
        return new LoggedEvent(rs.getLong("global_index"), rs.getString("event_identifier"), rs.getString("aggregate_identifier"),
                rs.getLong("sequence_number"), rs.getString("time_stamp"), rs.getString("payload_type"), decode(rs.getBytes("payload")),
                decode(rs.getBytes("meta_data")));
    }

    private Object decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return json.readValue(bytes, JsonNode.class);
        } catch (RuntimeException e) {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
