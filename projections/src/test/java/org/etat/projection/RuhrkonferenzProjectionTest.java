package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.projection.Fixtures.*;

import java.util.List;
import javax.sql.DataSource;
import org.etat.ledger.money.Money;
import org.etat.projection.AnnualAccount.CsvDialect;
import org.etat.projection.MoneyTrail.End;
import org.etat.projection.MoneyTrail.EndKind;
import org.etat.projection.ReadModels.Level;
import org.etat.projection.ReadModels.LineView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Given the Ruhrkonferenz history, projected in batches of 7: the figures an auditor checks. */
class RuhrkonferenzProjectionTest {

    static EventLog log;
    static DataSource db;
    static ReadModels models;

    @BeforeAll
    static void project() {
        log = ruhrkonferenz();
        assertThat(log.conservation().balanced()).as("the fixture itself balances: %s", log.conservation()).isTrue();
        db = freshDatabase();
        projectAll(new Projector(db), log.events, 7);
        models = new ReadModels(db);
    }

    @Test
    void executionRatesAreThePublishedOnes() {
        LineView y2023 = models.line(RK_2023).orElseThrow();
        assertThat(y2023.balance().spentCents()).isEqualTo(19_627_047);
        assertThat(y2023.executionRatePercent()).isEqualTo("28.04");
        assertThat(y2023.balance().lapsedCents()).isEqualTo(50_372_953);
        assertThat(y2023.availableCents()).isZero();
        assertThat(y2023.closed()).isTrue();

        LineView y2024 = models.line(RK_2024).orElseThrow();
        assertThat(y2024.balance().spentCents()).isEqualTo(39_764);
        assertThat(y2024.balance().reallocatedOutCents()).isEqualTo(8_000_000);
        assertThat(y2024.balance().carriedOutCents()).isEqualTo(61_960_236);
        assertThat(y2024.executionRatePercent()).isEqualTo("0.06");
        assertThat(y2024.sollRatePercent()).as("397.64 of the 700,000.00 Soll").isEqualTo("0.06");
        assertThat(models.line(GRANTS_2024).orElseThrow().executionRatePercent()).as("235,000 of a 200,000 Soll; moves are not in the base")
                .isEqualTo("117.50");
        assertThat(models.line(GRANTS_2024).orElseThrow().sollRatePercent()).isEqualTo("117.50");
        assertThat(y2024.titelgruppe()).isEqualTo("69");
        assertThat(y2024.funktion()).isEqualTo("019");
        assertThat(y2024.einzelplan()).isEqualTo("08");
        assertThat(y2024.transferable()).isTrue();
        assertThat(y2024.kind()).isEqualTo("EXPENDITURE");
    }

    @Test
    void storedColumnsEqualTheFold() throws Exception {
        try (var c = db.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT available_cents, execution_rate_percent::text, soll_rate_percent::text FROM projection.line_balance WHERE line_id = '"
                        + RK_2023 + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.getString(2)).isEqualTo("28.04");
            assertThat(rs.getString(3)).isEqualTo("28.04");
        }
    }

    @Test
    void trailOf2024AddsUpToWhatLeftToTheCent() {
        MoneyTrail.Trail trail = new MoneyTrail(models).of(RK_2024);
        assertThat(trail.leftCents()).isEqualTo(Money.parseCents("699602.36"));
        assertThat(trail.endedCents()).isEqualTo(69_960_236);
        // 50,000.00 went to a line that spent 90,000.00 of its 150,000.00 on DIGI-1: exactly 30,000.00 of it.
        assertThat(trail.ends()).contains(new End(ADMIN_2024, 2024, EndKind.SPENT, "DIGI-1", 3_000_000));
        long lapsedOnAdmin = trail.ends().stream().filter(e -> e.lineId().equals(ADMIN_2024) && e.kind() == EndKind.LAPSED)
                .mapToLong(End::amountCents).sum();
        long unassignedSpentOnAdmin = trail.ends().stream().filter(e -> e.lineId().equals(ADMIN_2024) && e.kind() == EndKind.SPENT
                && e.projectId() == null).mapToLong(End::amountCents).sum();
        assertThat(lapsedOnAdmin + unassignedSpentOnAdmin).isEqualTo(2_000_000);
        // the carried remainder was partly moved on in 2025 and spent there on DIGI-2
        assertThat(trail.ends()).anySatisfy(e -> {
            assertThat(e.lineId()).isEqualTo(ADMIN_2025);
            assertThat(e.projectId()).isEqualTo("DIGI-2");
        });
        assertThat(trail.hops()).contains(new MoneyTrail.Hop(RK_2024, RK_2025, true, 61_960_236));
        assertThat(trail.ends()).noneMatch(e -> e.kind() == EndKind.CIRCULATING);
    }

    @Test
    void annualAccountShowsThe2023LapseAndThe2024Moves() {
        AnnualAccount account = new AnnualAccount(models);
        AnnualAccount.Row r2023 = account.of(2023).rows().get(0);
        assertThat(r2023.sollCents()).isEqualTo(70_000_000);
        assertThat(r2023.istCents()).isEqualTo(19_627_047);
        assertThat(r2023.lapsedCents()).isEqualTo(50_372_953);
        assertThat(r2023.differenceCents()).isEqualTo(-50_372_953);

        AnnualAccount.Account a2024 = account.of(2024);
        AnnualAccount.Row rk = a2024.rows().stream().filter(r -> r.lineId().equals(RK_2024)).findFirst().orElseThrow();
        assertThat(rk.istCents()).isEqualTo(39_764);
        assertThat(rk.reallocatedOutCents()).isEqualTo(8_000_000);
        assertThat(rk.carriedOutCents()).isEqualTo(61_960_236);
        assertThat(rk.istPlusCarriedOutCents()).isEqualTo(62_000_000);
        assertThat(rk.differenceCents()).isEqualTo(-8_000_000);
        AnnualAccount.Row grants = a2024.rows().stream().filter(r -> r.lineId().equals(GRANTS_2024)).findFirst().orElseThrow();
        assertThat(grants.overPlanSpentCents()).isEqualTo(500_000);
        assertThat(grants.consentReferences()).isEqualTo("FM II-37/2024");
        assertThat(a2024.annex()).singleElement().satisfies(c -> {
            assertThat(c.amountCents()).isEqualTo(1_000_000);
            assertThat(c.unplanned()).isFalse();
        });
        AnnualAccount.Row fees = a2024.rows().stream().filter(r -> r.lineId().equals(FEES_2024)).findFirst().orElseThrow();
        assertThat(fees.kind()).isEqualTo("REVENUE");
        assertThat(fees.istCents()).as("Ist of a revenue title is what was received").isEqualTo(612_345);
        assertThat(fees.differenceCents()).isEqualTo(112_345);
        AnnualAccount.Row rk2025 = account.of(2025).rows().stream().filter(r -> r.lineId().equals(RK_2025)).findFirst().orElseThrow();
        assertThat(rk2025.carriedInCents()).isEqualTo(61_960_236);
        assertThat(rk.json()).containsEntry("carriedOut", "619602.36").containsEntry("soll", "700000.00");
    }

    @Test
    void csvComesInTwoDialectsWithAHeader() {
        AnnualAccount.Account a2024 = new AnnualAccount(models).of(2024);
        String rfc = AnnualAccount.csv(a2024, CsvDialect.RFC4180);
        String german = AnnualAccount.csv(a2024, CsvDialect.GERMAN);
        List<String> rfcLines = List.of(rfc.split("\r\n"));
        assertThat(rfcLines.get(0)).startsWith("Jahr,Haushaltsstelle,Einzelplan,Kapitel,Titel");
        assertThat(rfcLines).hasSize(1 + a2024.rows().size());
        assertThat(rfc).contains("2024,2024-08030-54669,08,08030,54669,69,019,Ruhrkonferenz: sächliche Verwaltungsausgaben,EXPENDITURE,"
                + "700000.00,0.00,397.64,619602.36,620000.00,-80000.00,0.00,80000.00,0.00,0.00,0.00,\r\n");
        assertThat(german).startsWith("Jahr;Haushaltsstelle;Einzelplan;")
                .contains("2024;2024-08030-54669;08;08030;54669;69;019;Ruhrkonferenz: sächliche Verwaltungsausgaben;EXPENDITURE;"
                        + "700000,00;0,00;397,64;619602,36;620000,00;-80000,00;0,00;80000,00;0,00;0,00;0,00;\r\n");
        assertThat(AnnualAccount.annexCsv(a2024, CsvDialect.GERMAN)).contains(";10000,00;FM II-37/2024;");
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        assertThat(AnnualAccount.quote("a,b", ',')).isEqualTo("\"a,b\"");
        assertThat(AnnualAccount.quote("a,b", ';')).isEqualTo("a,b");
        assertThat(AnnualAccount.quote("say \"no\"", ';')).isEqualTo("\"say \"\"no\"\"\"");
    }

    @Test
    void flowsAreEdgesWithTheirLegalBasisAndPairSums() {
        List<ReadModels.Flow> flows = models.flows(2024);
        assertThat(flows).hasSize(2);
        assertThat(flows.get(0).fromLineId()).isEqualTo(RK_2024);
        assertThat(flows.get(0).toLineId()).isEqualTo(ADMIN_2024);
        assertThat(flows.get(0).legalBasisKind()).isEqualTo("BUDGET_NOTE");
        assertThat(flows.get(0).legalBasisReference()).isEqualTo("HV 08030 Nr. 2");
        assertThat(flows.get(0).outEventId()).isNotNull();
        assertThat(flows.get(0).inEventId()).isNotNull();
        assertThat(flows.get(1).legalBasisKind()).isEqualTo("CONSENT");
        assertThat(flows).noneMatch(ReadModels.Flow::reversed);
        assertThat(models.pairSums(2024)).containsExactly(new ReadModels.PairSum(RK_2024, GRANTS_2024, 1, 3_000_000),
                new ReadModels.PairSum(RK_2024, ADMIN_2024, 1, 5_000_000));
        assertThat(models.carryOvers(2024)).singleElement().satisfies(c -> assertThat(c.amountCents()).isEqualTo(61_960_236));
    }

    @Test
    void projectOutflowPerProjectLineAndYear() {
        assertThat(models.projectOutflow("RK-07")).containsExactly(new ReadModels.ProjectOutflow("RK-07", 2024, GRANTS_2024, 2, 23_500_000));
        assertThat(models.projectOutflows(2023)).extracting(ReadModels.ProjectOutflow::projectId).containsExactly("RK-01", "RK-17");
    }

    @Test
    void rollUpsByEinzelplanKapitelTitelgruppeAndFunktion() {
        List<ReadModels.RollUp> byPlan = models.rollUp(2024, Level.EINZELPLAN);
        assertThat(byPlan).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("08");
            assertThat(r.lines()).isEqualTo(3);
            assertThat(r.balance().appropriatedCents()).isEqualTo(100_000_000);
            assertThat(r.balance().reallocatedInCents()).isEqualTo(r.balance().reallocatedOutCents());
        });
        assertThat(models.rollUp(2024, Level.KAPITEL)).extracting(ReadModels.RollUp::key).containsExactly("08020", "08030");
        assertThat(models.rollUp(2024, Level.TITELGRUPPE)).extracting(ReadModels.RollUp::key).containsExactly("08020/-", "08030/-", "08030/69");
        assertThat(models.rollUp(2024, Level.FUNKTION)).extracting(ReadModels.RollUp::key).containsExactly("019", "251");
        ReadModels.RollUp tg69 = models.rollUp(2023, Level.TITELGRUPPE).get(0);
        assertThat(tg69.executionRatePercent()).isEqualTo("28.04");
    }
}
