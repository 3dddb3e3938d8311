package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.TitleKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given spending in 2024 and a correction recorded on 2025-01-20 but effective 2024-12-20: the
 * books known today change for 2024, the books as known on 2025-01-15 do not.
 */
class AsOfTest {

    static final TitleKey KEY = new TitleKey("08", "08030", "54669", "69", "019");
    static final String LINE = "2024-08030-54669";
    static DataSource db;
    static ReadModels models;

    @BeforeAll
    static void project() {
        EventLog log = new EventLog();
        log.at(Instant.parse("2024-01-02T08:00:00Z"));
        log.open(2024, KEY, "Ruhrkonferenz", true);
        log.appropriate(LINE, 10_000_000, LocalDate.of(2024, 1, 1));
        log.at(Instant.parse("2024-03-01T10:00:00Z"));
        String wrong = log.spend(LINE, 1_000_000, LocalDate.of(2024, 3, 1), "RK-01");
        log.at(Instant.parse("2024-11-30T10:00:00Z"));
        log.spend(LINE, 500_000, LocalDate.of(2024, 11, 30), "RK-02");
        log.consent(LINE, 200_000, "FM-37/1", false, LocalDate.of(2024, 12, 1));
        log.at(Instant.parse("2025-01-20T10:00:00Z"));
        log.reverse(wrong, LocalDate.of(2024, 12, 20));
        assertThat(log.conservation().balanced()).isTrue();
        db = Fixtures.freshDatabase();
        Fixtures.projectAll(new Projector(db), log.events, 2);
        models = new ReadModels(db);
    }

    @Test
    void knownTodayTheCorrectionCounts() {
        assertThat(models.lineAsOf(LINE, LocalDate.of(2024, 12, 31), null).orElseThrow().balance().spentCents()).isEqualTo(500_000);
        assertThat(models.line(LINE).orElseThrow().balance().spentCents()).isEqualTo(500_000);
        assertThat(new AnnualAccount(models).of(2024).rows().get(0).istCents()).isEqualTo(500_000);
        assertThat(models.projectOutflow("RK-01")).isEmpty();
    }

    @Test
    void knownOn15JanuaryTheBooksStillShowTheWrongPayment() {
        Instant published = Instant.parse("2025-01-15T00:00:00Z");
        assertThat(models.lineAsOf(LINE, LocalDate.of(2024, 12, 31), published).orElseThrow().balance().spentCents()).isEqualTo(1_500_000);
        AnnualAccount.Account then = new AnnualAccount(models).of(2024, published);
        assertThat(then.rows().get(0).istCents()).isEqualTo(1_500_000);
        assertThat(then.rows().get(0).consentReferences()).isEqualTo("FM-37/1");
        assertThat(models.linesAsOf(2024, null, published).get(0).executionRatePercent()).isEqualTo("15.00");
    }

    @Test
    void theCorrectionIsListedAsChangingWhatWasPublished() {
        var changes = models.recordedAfter(2024, Instant.parse("2025-01-15T00:00:00Z"));
        assertThat(changes).singleElement().satisfies(ch -> {
            assertThat(ch.eventType()).isEqualTo("EntryReversed");
            assertThat(ch.effectiveDate()).isEqualTo(LocalDate.of(2024, 12, 20));
            assertThat(ch.deltas().spentCents()).isEqualTo(-1_000_000);
            assertThat(ch.principal()).isEqualTo("clerk@nrw");
        });
        assertThat(models.recordedAfter(2024, Instant.parse("2025-02-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void effectiveAsOfABookingDateCountsOnlyEntriesUpToIt() {
        assertThat(models.lineAsOf(LINE, LocalDate.of(2024, 6, 30), null).orElseThrow().balance().spentCents()).isEqualTo(1_000_000);
        assertThat(models.lineAsOf(LINE, LocalDate.of(2024, 12, 19), null).orElseThrow().balance().spentCents()).isEqualTo(1_500_000);
        assertThat(models.lineAsOf(LINE, LocalDate.of(2024, 2, 1), Instant.parse("2024-02-01T00:00:00Z")).orElseThrow()
                .availableCents()).isEqualTo(10_000_000);
        assertThat(models.lineAsOf(LINE, LocalDate.of(2023, 12, 31), null).orElseThrow().availableCents()).isZero();
    }

    @Test
    void expendituresAreChangesOfSpentRecordedWhenTheyWere() {
        var changes = models.recordedAfter(2024, Instant.parse("2024-11-01T00:00:00Z"));
        assertThat(changes).extracting(ReadModels.Change::eventType).containsExactly("ExpenditureRecorded", "OverPlanConsentGranted",
                "EntryReversed");
        assertThat(changes.get(0)).satisfies(ch -> {
            assertThat(ch.lineId()).isEqualTo(LINE);
            assertThat(ch.recordedAt()).isEqualTo(Instant.parse("2024-11-30T10:00:00Z"));
            assertThat(ch.effectiveDate()).isEqualTo(LocalDate.of(2024, 11, 30));
            assertThat(ch.deltas()).isEqualTo(LineBalance.ZERO.plus(Component.SPENT, 500_000));
            assertThat(ch.principal()).isEqualTo("clerk@nrw");
        });
    }

    @Test
    void asOfQueriesSeekBothTablesThroughTheirKeys() throws Exception {
        try (var c = db.getConnection(); var st = c.createStatement()) {
            st.execute("SET enable_seqscan = off"); // tiny test tables: show that an index path exists at all
            try (var ps = c.prepareStatement("EXPLAIN " + models.lineAsOfSql())) {
                ps.setObject(1, LocalDate.of(2024, 12, 31));
                ps.setObject(2, java.time.OffsetDateTime.parse("2025-01-15T00:00:00Z"));
                ps.setString(3, LINE);
                StringBuilder plan = new StringBuilder();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertThat(plan.toString()).contains("line_history_pkey").contains("expenditure_pkey").doesNotContain("Seq Scan");
            }
        }
    }
}
