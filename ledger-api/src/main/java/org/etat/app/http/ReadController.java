package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.money.Money;
import org.etat.projection.AnnualAccount;
import org.etat.projection.MoneyTrail;
import org.etat.projection.ReadModels;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reads, straight from the projections' query API: balances (also as of a date and as known at
 * an instant), roll-ups, money trails, reallocations, projects and the annual account. Amounts are
 * decimal strings.
 */
@RestController
@RequestMapping(path = "/api/v1")
@Tag(name = "Reads", description = "Read models (COURT_OF_AUDIT, AUDITOR)")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class ReadController {

    static final int MAX_PAGE_SIZE = 1_000;
    static final String TEXT_CSV = "text/csv";

    private final ReadModels models;
    private final MoneyTrail trails;
    private final AnnualAccount accounts;

    public ReadController(ReadModels models) {
        this.models = models;
        this.trails = new MoneyTrail(models);
        this.accounts = new AnnualAccount(models);
    }

    @GetMapping(path = "/lines/{lineId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A line's balance, now, or as of a booking date and/or as known at an instant")
    public Map<String, Object> line(@LineIdParam @PathVariable String lineId,
            @Parameter(description = "Effective (booking) date up to which entries count", example = "2024-06-30") @RequestParam(required = false) String asOf,
            @Parameter(description = "Only what was recorded by this instant", example = "2025-01-15T00:00:00Z") @RequestParam(required = false) String knownAt) {
        String id = LedgerWriteController.pathLineId(lineId);
        LocalDate effective = date("asOf", asOf);
        Instant known = instant("knownAt", knownAt);
        var view = effective == null && known == null ? models.line(id) : models.lineAsOf(id, effective, known);
        return view.map(ReadController::line).orElseThrow(() -> new NotFoundException("no budget line " + id));
    }

    @GetMapping(path = "/years/{year}/lines", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The lines of a year, paged, filtered by Einzelplan, Kapitel, Titelgruppe, Funktion or kind")
    public Map<String, Object> lines(@Parameter(example = "2024") @PathVariable int year,
            @Parameter(example = "08") @RequestParam(required = false) String einzelplan,
            @Parameter(example = "08030") @RequestParam(required = false) String kapitel,
            @Parameter(example = "69") @RequestParam(required = false) String titelgruppe,
            @Parameter(example = "013") @RequestParam(required = false) String funktion,
            @Parameter(example = "EXPENDITURE") @RequestParam(required = false) String kind,
            @Parameter(example = "0") @RequestParam(defaultValue = "0") int page,
            @Parameter(example = "100") @RequestParam(defaultValue = "100") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidRequestException(List.of(new FieldError(page < 0 ? "page" : "size",
                    page < 0 ? "must not be negative" : "must be between 1 and " + MAX_PAGE_SIZE)));
        }
        List<ReadModels.LineView> all = models.lines(year).stream()
                .filter(v -> einzelplan == null || einzelplan.equals(v.einzelplan()))
                .filter(v -> kapitel == null || kapitel.equals(v.kapitel()))
                .filter(v -> titelgruppe == null || titelgruppe.equals(v.titelgruppe()))
                .filter(v -> funktion == null || funktion.equals(v.funktion()))
                .filter(v -> kind == null || kind.equalsIgnoreCase(v.kind()))
                .toList();
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("year", year);
        out.put("page", page);
        out.put("size", size);
        out.put("total", all.size());
        out.put("lines", all.subList(from, to).stream().map(ReadController::line).toList());
        return out;
    }

    @GetMapping(path = "/years/{year}/rollups", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Expenditure lines of a year summed by EINZELPLAN, KAPITEL, TITELGRUPPE or FUNKTION")
    public List<Map<String, Object>> rollups(@Parameter(example = "2024") @PathVariable int year,
            @Parameter(example = "KAPITEL") @RequestParam(defaultValue = "KAPITEL") String by) {
        ReadModels.Level level;
        try {
            level = ReadModels.Level.valueOf(by.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(List.of(new FieldError("by", "must be one of " + List.of(ReadModels.Level.values()))));
        }
        return models.rollUp(year, level).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", r.key());
            m.put("lines", r.lines());
            m.putAll(balance(r.balance()));
            m.put("executionRatePercent", r.executionRatePercent());
            return m;
        }).toList();
    }

    @GetMapping(path = "/lines/{lineId}/trail", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Where a line's money went: spent, lapsed, still available, via reallocations and carry-overs")
    public Map<String, Object> trail(@LineIdParam @PathVariable String lineId) {
        String id = LedgerWriteController.pathLineId(lineId);
        if (models.line(id).isEmpty()) {
            throw new NotFoundException("no budget line " + id);
        }
        MoneyTrail.Trail t = trails.of(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lineId", t.lineId());
        out.put("left", Money.format(t.leftCents()));
        out.put("ends", t.ends().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lineId", e.lineId());
            m.put("year", e.year());
            m.put("kind", e.kind().name());
            m.put("projectId", e.projectId());
            m.put("amount", Money.format(e.amountCents()));
            return m;
        }).toList());
        out.put("hops", t.hops().stream().map(h -> Map.of("fromLineId", h.fromLineId(), "toLineId", h.toLineId(),
                "carryOver", h.carryOver(), "amount", Money.format(h.amountCents()))).toList());
        return out;
    }

    @GetMapping(path = "/years/{year}/reallocations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every reallocation of a year (reversed ones too, marked reversed)")
    public List<Map<String, Object>> reallocations(@Parameter(example = "2024") @PathVariable int year) {
        return models.flows(year).stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reallocationId", f.reallocationId());
            m.put("fromLineId", f.fromLineId());
            m.put("toLineId", f.toLineId());
            m.put("amount", Money.format(f.amountCents()));
            m.put("legalBasisKind", f.legalBasisKind());
            m.put("legalBasisReference", f.legalBasisReference());
            m.put("justification", f.justification());
            m.put("effectiveDate", f.effectiveDate() == null ? null : f.effectiveDate().toString());
            m.put("reversed", f.reversed());
            return m;
        }).toList();
    }

    @GetMapping(path = "/years/{year}/projects", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Outflows per project of a year")
    public List<Map<String, Object>> projects(@Parameter(example = "2023") @PathVariable int year) {
        return models.projectOutflows(year).stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("projectId", p.projectId());
            m.put("lineId", p.lineId());
            m.put("expenditures", p.expenditures());
            m.put("spent", Money.format(p.spentCents()));
            return m;
        }).toList();
    }

    @GetMapping(path = "/years/{year}/annual-account", produces = {MediaType.APPLICATION_JSON_VALUE, TEXT_CSV})
    @Operation(summary = "The annual account (Haushaltsrechnung, § 81) as JSON, or as CSV in two variants",
            description = "CSV with `Accept: text/csv` or `format=csv`: RFC 4180 (`,` separator, decimal point, CRLF). "
                    + "The German variant (`;` separator, decimal comma) with `Accept: text/csv;variant=german` or `variant=german`. "
                    + "CSV answers carry a Content-Disposition file name.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The account", content = {
            @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
            @io.swagger.v3.oas.annotations.media.Content(mediaType = TEXT_CSV, examples = {
                    @io.swagger.v3.oas.annotations.media.ExampleObject(name = "rfc4180", summary = "RFC 4180 (default)",
                            value = "Jahr,Haushaltsstelle,...,Soll,...\r\n2024,2024-08030-54669,...,700000.00,...\r\n"),
                    @io.swagger.v3.oas.annotations.media.ExampleObject(name = "german", summary = "variant=german",
                            value = "Jahr;Haushaltsstelle;...;Soll;...\r\n2024;2024-08030-54669;...;700000,00;...\r\n")})})
    public ResponseEntity<Object> annualAccount(@Parameter(example = "2023") @PathVariable int year,
            @Parameter(description = "As the books said at this instant") @RequestParam(required = false) String knownAt,
            @Parameter(description = "json or csv; wins over the Accept header (for download links)", example = "csv")
            @RequestParam(required = false) String format,
            @Parameter(description = "CSV variant: rfc4180 (default) or german", example = "german")
            @RequestParam(required = false) String variant,
            @org.springframework.web.bind.annotation.RequestHeader(name = "Accept", required = false) String accept) {
        AnnualAccount.Account account = accounts.of(year, instant("knownAt", knownAt));
        MediaType chosen = chooseAccountType(format, accept);
        if (chosen != null) {
            String v = variant != null ? variant : chosen.getParameter("variant");
            AnnualAccount.CsvDialect dialect = csvDialect(v);
            String file = "haushaltsrechnung-" + year + (dialect == AnnualAccount.CsvDialect.GERMAN ? "-de" : "") + ".csv";
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                    .header("Content-Disposition", org.springframework.http.ContentDisposition.attachment().filename(file).build().toString())
                    .body(AnnualAccount.csv(account, dialect));
        }
        if (variant != null) {
            csvDialect(variant); // validated even when JSON is answered
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("year", account.year());
        out.put("knownAt", account.knownAt() == null ? null : account.knownAt().toString());
        out.put("rows", account.rows().stream().map(AnnualAccount.Row::json).toList());
        out.put("section37Annex", account.annex().stream().map(AnnualAccount.Section37Case::json).toList());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out);
    }

    /** text/csv (with its parameters) when CSV is asked for, else null for JSON. */
    private static MediaType chooseAccountType(String format, String accept) {
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> MediaType.parseMediaType(TEXT_CSV);
                case "json" -> null;
                default -> throw new InvalidRequestException(List.of(new FieldError("format", "must be json or csv")));
            };
        }
        if (accept == null || accept.isBlank()) {
            return null;
        }
        List<MediaType> types;
        try {
            types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            return null;
        }
        MimeTypeUtils.sortBySpecificity(types);
        for (MediaType t : types) {
            if (t.getQualityValue() == 0) {
                continue;
            }
            if (t.isCompatibleWith(MediaType.APPLICATION_JSON) && !t.isWildcardType()) {
                return null;
            }
            if (t.getType().equals("text") && t.getSubtype().equals("csv")) {
                return t;
            }
        }
        return null;
    }

    private static AnnualAccount.CsvDialect csvDialect(String variant) {
        if (variant == null || variant.isBlank() || variant.equalsIgnoreCase("rfc4180")) {
            return AnnualAccount.CsvDialect.RFC4180;
        }
        if (variant.equalsIgnoreCase("german") || variant.equalsIgnoreCase("de")) {
            return AnnualAccount.CsvDialect.GERMAN;
        }
        throw new InvalidRequestException(List.of(new FieldError("variant", "must be rfc4180 or german")));
    }

    @GetMapping(path = "/years/{year}/carry-overs", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Remainders carried out of a year into the next (Ausgabereste, § 19, § 45)")
    public List<Map<String, Object>> carryOvers(@Parameter(example = "2023", description = "The year the remainders leave") @PathVariable int year) {
        return models.carryOvers(year).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("carryOverId", c.carryOverId());
            m.put("fromYear", c.fromYear());
            m.put("fromLineId", c.fromLineId());
            m.put("toLineId", c.toLineId());
            m.put("amount", Money.format(c.amountCents()));
            m.put("consentReference", c.consentReference());
            m.put("reversed", c.reversed());
            return m;
        }).toList();
    }

    @GetMapping(path = "/years", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The fiscal years that have lines, with their number of lines")
    public List<Map<String, Object>> years() {
        return models.years().stream().map(y -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("year", y.year());
            m.put("lines", y.lines());
            return m;
        }).toList();
    }

    static Map<String, Object> line(ReadModels.LineView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lineId", v.lineId());
        m.put("year", v.year());
        m.put("einzelplan", v.einzelplan());
        m.put("kapitel", v.kapitel());
        m.put("titel", v.titel());
        m.put("titelgruppe", v.titelgruppe());
        m.put("funktion", v.funktion());
        m.put("purpose", v.purpose());
        m.put("kind", v.kind());
        m.put("transferable", v.transferable());
        m.put("closed", v.closed());
        m.putAll(balance(v.balance()));
        m.put("executionRatePercent", v.executionRatePercent());
        return m;
    }

    static Map<String, Object> balance(LineBalance b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appropriated", Money.format(b.appropriatedCents()));
        m.put("amended", Money.format(b.amendedCents()));
        m.put("carriedIn", Money.format(b.carriedInCents()));
        m.put("reallocatedIn", Money.format(b.reallocatedInCents()));
        m.put("consented", Money.format(b.consentedCents()));
        m.put("reallocatedOut", Money.format(b.reallocatedOutCents()));
        m.put("carriedOut", Money.format(b.carriedOutCents()));
        m.put("blocked", Money.format(b.blockedCents()));
        m.put("spent", Money.format(b.spentCents()));
        m.put("revenue", Money.format(b.revenueCents()));
        m.put("lapsed", Money.format(b.lapsedCents()));
        m.put("available", Money.format(b.availableCents()));
        return m;
    }

    private static LocalDate date(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(List.of(new FieldError(name, "must be an ISO-8601 date, like 2024-06-30")));
        }
    }

    private static Instant instant(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(List.of(new FieldError(name, "must be an ISO-8601 instant, like 2025-01-15T00:00:00Z")));
        }
    }
}
