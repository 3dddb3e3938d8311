package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Soll and Ist at once (Ist on its own thread) plans exactly what reading them one after the other does. */
class ImportFilesTest {

    static final String SOLL_HEADER = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;"
            + "titel-text;flex;seite;soll;titelgruppe;tgr-text\n";
    static final String SOLL = SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n";
    static final String SOLL_MALFORMED = SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;1x0;;\n";
    static final String IST = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite\n4;11;42101;Bezüge;150000.25;1\n";
    static final String IST_MALFORMED = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite\n4;11;42101;Bezüge;15x;1\n";

    @Test
    void givenTheFederalBudget2022_whenBothFilesAreReadAtOnce_thenThePlanEqualsTheSequentialOne() {
        SourceFile soll = BundFiles.soll(2022);
        SourceFile ist = BundFiles.istXlsx(2022);
        ImportPlan sequential = new ImportPlanner().plan(2022, new SollCsvParser().parse(soll), new IstXlsxParser().parse(ist));

        ImportPlan parallel = ImportFiles.plan(2022, soll, ist, ImportPlanner.BATCH_ENTRIES);

        assertThat(parallel.report()).isEqualTo(sequential.report());
        assertThat(parallel.commands()).isEqualTo(sequential.commands());
    }

    @Test
    void givenFilesOnDisk_whenPlanned_thenTheyAreReadWithTheirNamesAndWithoutAnIstNothingIsBooked(@TempDir Path dir) throws Exception {
        Path soll = Files.writeString(dir.resolve("bund_soll_2021.csv"), SOLL);
        Path ist = Files.writeString(dir.resolve("bund_ist_2021.csv"), IST);

        ImportPlan both = ImportFiles.plan(2021, soll, ist);
        ImportPlan sollOnly = ImportFiles.plan(2021, soll, null);

        assertThat(both.report().recordedExpenditureCents()).isEqualTo(15_000_025L);
        assertThat(both.commands()).allMatch(c -> c.requestId().startsWith("bund:"));
        assertThat(sollOnly.report().istRows()).isZero();
        assertThat(sollOnly.entries(PlannedCommand.Phase.RECORD_ACTUALS)).isZero();
    }

    @Test
    void givenAMalformedSoll_whenPlanned_thenTheSollsRowIsNamed() {
        assertThatThrownBy(() -> ImportFiles.plan(2021, BundFiles.text("s.csv", SOLL_MALFORMED), BundFiles.text("i.csv", IST), 2))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> {
                    assertThat(e.fileName()).isEqualTo("s.csv");
                    assertThat(e.row()).isEqualTo(2);
                });
    }

    @Test
    void givenAMalformedIst_whenPlanned_thenTheIstsRowIsNamed() {
        assertThatThrownBy(() -> ImportFiles.plan(2021, BundFiles.text("s.csv", SOLL), BundFiles.text("i.csv", IST_MALFORMED), 2))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> {
                    assertThat(e.fileName()).isEqualTo("i.csv");
                    assertThat(e.row()).isEqualTo(2);
                });
    }

    @Test
    void givenBothMalformed_whenPlanned_thenTheIstsErrorComesFirstAsWhenReadOneAfterTheOther() {
        assertThatThrownBy(() -> ImportFiles.plan(2021, BundFiles.text("s.csv", SOLL_MALFORMED), BundFiles.text("i.csv", IST_MALFORMED), 2))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> assertThat(e.fileName()).isEqualTo("i.csv"));
    }
}
