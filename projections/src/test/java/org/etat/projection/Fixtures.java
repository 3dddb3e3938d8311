package org.etat.projection;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.testsupport.TestDatabase;

/** A fresh migrated database, batching helpers, and the Ruhrkonferenz history. */
final class Fixtures {

    private Fixtures() {
    }

    static DataSource freshDatabase() {
        DataSource ds = TestDatabase.create().dataSource();
        Migrations.migrate(ds);
        return ds;
    }

    /** Projects a log in batches of {@code size}. */
    static void projectAll(Projector projector, List<ProjectedEvent> log, int size) {
        for (List<ProjectedEvent> batch : batches(log, size)) {
            projector.project(batch);
        }
    }

    static List<List<ProjectedEvent>> batches(List<ProjectedEvent> log, int size) {
        List<List<ProjectedEvent>> out = new ArrayList<>();
        for (int i = 0; i < log.size(); i += size) {
            out.add(log.subList(i, Math.min(log.size(), i + size)));
        }
        return out;
    }

    static final TitleKey TG69 = new TitleKey("08", "08030", "54669", "69", "019");
    static final TitleKey ADMIN = new TitleKey("08", "08030", "54601", null, "019");
    static final TitleKey GRANTS = new TitleKey("08", "08020", "68469", null, "251");

    static final TitleKey FEES = new TitleKey("08", "08030", "11901", null, "019");
    static final String FEES_2024 = "2024-08030-11901";
    static final String RK_2023 = "2023-08030-54669";
    static final String RK_2024 = "2024-08030-54669";
    static final String RK_2025 = "2025-08030-54669";
    static final String ADMIN_2024 = "2024-08030-54601";
    static final String GRANTS_2024 = "2024-08020-68469";
    static final String ADMIN_2025 = "2025-08030-54601";

    /**
     * NRW Einzelplan 08, Titelgruppe 69 "Ruhrkonferenz": 2023 700,000.00 appropriated, 196,270.47
     * spent (28.04 %), the rest lapses. 2024: 700,000.00 appropriated, 397.64 spent, 80,000.00 moved
     * to two other titles during the year (so 0.06 % of 620,000.00), 619,602.36 carried into 2025,
     * where part is moved on again. The 2024 trail therefore covers 699,602.36.
     */
    static EventLog ruhrkonferenz() {
        EventLog log = new EventLog();
        log.at(Instant.parse("2023-01-02T08:00:00Z"));
        log.open(2023, TG69, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false);
        log.appropriate(RK_2023, 70_000_000, LocalDate.of(2023, 1, 1));
        log.spend(RK_2023, 10_000_000, LocalDate.of(2023, 3, 15), "RK-01");
        log.spend(RK_2023, 9_627_047, LocalDate.of(2023, 9, 1), "RK-17");
        log.at(Instant.parse("2024-01-03T08:00:00Z"));
        log.close(2023);

        log.open(2024, TG69, "Ruhrkonferenz: sächliche Verwaltungsausgaben", true);
        log.open(2024, ADMIN, "Geschäftsbedarf", false);
        log.open(2024, GRANTS, "Zuschüsse an Gemeinden", false);
        log.appropriate(RK_2024, 70_000_000, LocalDate.of(2024, 1, 1));
        log.appropriate(ADMIN_2024, 10_000_000, LocalDate.of(2024, 1, 1));
        log.appropriate(GRANTS_2024, 20_000_000, LocalDate.of(2024, 1, 1));
        log.open(2024, FEES, "Gebühren", false);
        log.appropriate(FEES_2024, 500_000, LocalDate.of(2024, 1, 1));
        log.receive(FEES_2024, 612_345, LocalDate.of(2024, 7, 1));
        log.at(Instant.parse("2024-05-06T09:00:00Z"));
        log.spend(RK_2024, 39_764, LocalDate.of(2024, 5, 6), "RK-03");
        log.spend(ADMIN_2024, 4_000_000, LocalDate.of(2024, 5, 7), null);
        log.spend(GRANTS_2024, 15_000_000, LocalDate.of(2024, 5, 8), "RK-07");
        log.at(Instant.parse("2024-06-10T09:00:00Z"));
        log.reallocate(RK_2024, ADMIN_2024, 5_000_000, LegalBasis.budgetNote("HV 08030 Nr. 2"), LocalDate.of(2024, 6, 10));
        log.reallocate(RK_2024, GRANTS_2024, 3_000_000, LegalBasis.consent("FM I 2-0815"), LocalDate.of(2024, 6, 11));
        log.consent(GRANTS_2024, 1_000_000, "FM II-37/2024", false, LocalDate.of(2024, 9, 1));
        log.spend(ADMIN_2024, 9_000_000, LocalDate.of(2024, 9, 2), "DIGI-1");
        log.spend(GRANTS_2024, 8_500_000, LocalDate.of(2024, 9, 3), "RK-07");
        log.at(Instant.parse("2024-12-30T09:00:00Z"));
        log.open(2025, TG69, "Ruhrkonferenz: sächliche Verwaltungsausgaben", true);
        log.open(2025, ADMIN, "Geschäftsbedarf", false);
        log.carry(RK_2024, 61_960_236, LocalDate.of(2024, 12, 31));
        log.at(Instant.parse("2025-01-10T09:00:00Z"));
        log.close(2024);

        log.appropriate(RK_2025, 45_000_000, LocalDate.of(2025, 1, 1));
        log.appropriate(ADMIN_2025, 10_000_000, LocalDate.of(2025, 1, 1));
        log.at(Instant.parse("2025-03-03T09:00:00Z"));
        log.reallocate(RK_2025, ADMIN_2025, 30_000_000, LegalBasis.budgetNote("HV 08030 Nr. 2"), LocalDate.of(2025, 3, 3));
        log.spend(RK_2025, 12_000_000, LocalDate.of(2025, 4, 1), "RK-42");
        log.spend(ADMIN_2025, 25_000_000, LocalDate.of(2025, 4, 2), "DIGI-2");
        return log;
    }
}
