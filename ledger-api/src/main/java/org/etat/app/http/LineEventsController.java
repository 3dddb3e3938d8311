package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.etat.ledger.budgetline.AppropriationAmended;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FundsBlocked;
import org.etat.ledger.budgetline.FundsReleased;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.budgetline.RevenueRecorded;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.money.Money;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One line's entries in the order they were recorded, each with who recorded it, when, its effective
 * date, legal basis and justification, and which entry a reversal reverses (and which reversals
 * reversed it): the timeline of a budget line for readers, without the raw log's AUDITOR role.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Reads", description = "Read models (COURT_OF_AUDIT, AUDITOR)")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class LineEventsController {

    static final int MAX_LIMIT = 1_000;
    private static final String REVERSAL_TYPE = EntryReversed.class.getName();

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    public LineEventsController(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    @Schema(description = "One entry of a line, as recorded")
    public record LineEntry(
            @Schema(example = "6f1c2a9e-0d7b-4c1e-9a55-3f1f0c2b7d10") String eventId,
            @Schema(example = "12", description = "Position in the whole log") long globalSequence,
            @Schema(example = "3", description = "Position in the line's own history") long sequenceNumber,
            @Schema(example = "ReallocatedOut") String type,
            @Schema(example = "2024-09-16") String effectiveDate,
            @Schema(example = "2024-09-16T08:01:02.123456Z", description = "When the ledger recorded it") String recordedAt,
            @Schema(example = "finance", description = "Who recorded it") String principal,
            @Schema(example = "400000.00", description = "The entry's amount (a delta for amendments and reversals), a decimal string") String amount,
            @Schema(example = "2024-08030-68469", description = "The other line of a two-leg entry (reallocation, carry-over)") String counterpartLineId,
            @Schema(example = "COVER_GROUP 08030-TG69", description = "Budget law, consent reference or cover group the entry rests on") String legalBasis,
            @Schema(example = "Umschichtung zugunsten der Projektförderung", description = "Justification, reason or purpose") String justification,
            @Schema(example = "RK-2024-0001") String documentReference,
            @Schema(example = "RK-12") String projectId,
            @Schema(description = "A reversal: the event id it reverses") String reversesEventId,
            @Schema(description = "Reversals recorded against this entry (as far as the same filters show them)") List<String> reversedByEventIds) {
    }

    @Schema(description = "A page of a line's entries")
    public record LineEntries(@Schema(example = "2024-08030-54669") String lineId, List<LineEntry> events,
            @Schema(description = "Pass as after= for the next page; null when this page is the last") Long next) {
    }

    @GetMapping("/lines/{lineId}/events")
    @Operation(summary = "A line's entries in recording order, for its timeline (COURT_OF_AUDIT, AUDITOR)",
            description = "knownAt leaves out what was recorded later; asOf leaves out what takes effect later. "
                    + "A reversal names the entry it reverses; an entry lists the reversals recorded against it.")
    public LineEntries events(@LineIdParam @PathVariable String lineId,
            @Parameter(description = "Only entries effective on or before this date", example = "2024-06-30") @RequestParam(required = false) String asOf,
            @Parameter(description = "Only entries recorded by this instant", example = "2025-01-15T00:00:00Z") @RequestParam(required = false) String knownAt,
            @Parameter(description = "Line sequence number after which to start", example = "-1") @RequestParam(defaultValue = "-1") long after,
            @Parameter(description = "At most this many entries scanned (1-1000)", example = "500") @RequestParam(defaultValue = "500") int limit) {
        String id = LedgerWriteController.pathLineId(lineId);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException(List.of(new FieldError("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        LocalDate effectiveBound = parse("asOf", asOf, LocalDate::parse);
        Instant knownBound = parse("knownAt", knownAt, Instant::parse);
        Integer opened = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0",
                Integer.class, id);
        if (opened == null || opened == 0) {
            throw new NotFoundException("no budget line " + id);
        }
        List<Stored> page = jdbc.query("SELECT global_index, event_identifier, sequence_number, payload_type, payload_revision, payload, meta_data"
                + " FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number > ? ORDER BY sequence_number LIMIT ?",
                (rs, n) -> stored(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getBytes(6),
                        rs.getBytes(7)), id, after, limit);
        // Reversals against this line's entries, wherever they sit in its history (same filters).
        Map<String, List<String>> reversedBy = new LinkedHashMap<>();
        jdbc.query("SELECT global_index, event_identifier, sequence_number, payload_type, payload_revision, payload, meta_data"
                + " FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type = ? ORDER BY sequence_number",
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                    Stored s = stored(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getBytes(6),
                            rs.getBytes(7));
                    if (s.visible(effectiveBound, knownBound) && s.payload() instanceof EntryReversed r) {
                        reversedBy.computeIfAbsent(r.reversedEventId(), k -> new ArrayList<>()).add(s.eventId());
                    }
                }, id, REVERSAL_TYPE);
        List<LineEntry> events = new ArrayList<>();
        for (Stored s : page) {
            if (s.visible(effectiveBound, knownBound)) {
                events.add(entry(s, reversedBy.getOrDefault(s.eventId(), List.of())));
            }
        }
        Long next = page.size() < limit ? null : page.get(page.size() - 1).sequenceNumber();
        return new LineEntries(id, events, next);
    }

    private record Stored(long globalIndex, String eventId, long sequenceNumber, Object payload, MetaData metaData) {
        String recordedAt() {
            Object v = metaData.get(LedgerMetadata.RECORDED_AT);
            return v == null ? null : v.toString();
        }

        String principal() {
            Object v = metaData.get(LedgerMetadata.PRINCIPAL);
            return v == null ? null : v.toString();
        }

        LocalDate effectiveDate() {
            return payload instanceof LineEvent e ? e.effectiveDate() : null;
        }

        boolean visible(LocalDate effectiveBound, Instant knownBound) {
            if (effectiveBound != null && effectiveDate() != null && effectiveDate().isAfter(effectiveBound)) {
                return false;
            }
            if (knownBound != null) {
                String recorded = recordedAt();
                return recorded != null && !Instant.parse(recorded).isAfter(knownBound);
            }
            return true;
        }
    }

    private Stored stored(long globalIndex, String eventId, long sequence, String type, String revision, byte[] payload, byte[] meta) {
        Object event = serializer.deserialize(new SimpleSerializedObject<>(payload, byte[].class, type, revision));
        MetaData metaData = meta == null ? MetaData.emptyInstance()
                : serializer.deserialize(new SimpleSerializedObject<>(meta, byte[].class, MetaData.class.getName(), null));
        return new Stored(globalIndex, eventId, sequence, event, metaData);
    }

    /** Flattens each event type to the timeline's fields; an unknown type still shows who, when and what type. */
    static LineEntry entry(Stored s, List<String> reversedBy) {
        Object p = s.payload();
        Long cents = null;
        String counterpart = null;
        String legalBasis = null;
        String justification = null;
        String document = null;
        String project = null;
        String reverses = null;
        if (p instanceof LineOpened e) {
            justification = e.purpose();
        } else if (p instanceof AppropriationEnacted e) {
            cents = e.amountCents();
            legalBasis = e.legalBasis();
        } else if (p instanceof AppropriationAmended e) {
            cents = e.deltaCents();
            legalBasis = e.legalBasis();
        } else if (p instanceof FundsBlocked e) {
            cents = e.amountCents();
            legalBasis = e.legalBasis();
        } else if (p instanceof FundsReleased e) {
            cents = e.amountCents();
            legalBasis = e.legalBasis();
        } else if (p instanceof OverPlanConsentGranted e) {
            cents = e.amountCents();
            legalBasis = e.consentReference();
            justification = e.justification();
        } else if (p instanceof ExpenditureRecorded e) {
            cents = e.amountCents();
            justification = e.purpose();
            document = e.documentReference();
            project = e.projectId();
        } else if (p instanceof RevenueRecorded e) {
            cents = e.amountCents();
            justification = e.purpose();
            document = e.documentReference();
            project = e.projectId();
        } else if (p instanceof ReallocatedOut e) {
            cents = e.amountCents();
            counterpart = e.toLineId();
            legalBasis = e.legalBasis() == null ? null : e.legalBasis().kind() + " " + e.legalBasis().reference();
            justification = e.justification();
        } else if (p instanceof ReallocatedIn e) {
            cents = e.amountCents();
            counterpart = e.fromLineId();
            legalBasis = e.legalBasis() == null ? null : e.legalBasis().kind() + " " + e.legalBasis().reference();
            justification = e.justification();
        } else if (p instanceof RemainderCarriedOut e) {
            cents = e.amountCents();
            counterpart = e.toLineId();
            legalBasis = e.consentReference();
            justification = e.justification();
        } else if (p instanceof RemainderCarriedIn e) {
            cents = e.amountCents();
            counterpart = e.fromLineId();
            legalBasis = e.consentReference();
            justification = e.justification();
        } else if (p instanceof LapsedAtClose e) {
            cents = e.lapsedCents();
            justification = e.reason();
        } else if (p instanceof YearClosed e) {
            justification = e.justification();
        } else if (p instanceof EntryReversed e) {
            cents = e.deltaCents();
            justification = e.reason();
            reverses = e.reversedEventId();
        }
        LocalDate effective = s.effectiveDate();
        return new LineEntry(s.eventId(), s.globalIndex(), s.sequenceNumber(), p.getClass().getSimpleName(),
                effective == null ? null : effective.toString(), s.recordedAt(), s.principal(), cents == null ? null : Money.format(cents),
                counterpart, legalBasis, justification, document, project, reverses, List.copyOf(reversedBy));
    }

    private static <T> T parse(String name, String text, java.util.function.Function<String, T> parser) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(List.of(new FieldError(name, "asOf".equals(name)
                    ? "must be an ISO-8601 date, like 2024-06-30" : "must be an ISO-8601 instant, like 2025-01-15T00:00:00Z")));
        }
    }
}
