package org.etat.ledger.budgetline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TitleKeyAndIdTest {

    @Test
    void titleKeyKnowsItsPartsAndKindByLaw() {
        TitleKey key = TitleKey.of("08030", "54669").withTitelgruppe("69").withFunktion("011");
        assertThat(key.einzelplan()).isEqualTo("08");
        assertThat(key.gruppierungsnummer()).isEqualTo("546");
        assertThat(key.titelgruppe()).isEqualTo("69");
        assertThat(key.funktion()).isEqualTo("011");
        assertThat(key.kindByLaw()).isEqualTo(LineKind.EXPENDITURE);
        assertThat(TitleKey.of("0101", "11901").kindByLaw()).isEqualTo(LineKind.REVENUE);
    }

    @ParameterizedTest
    @CsvSource({"01901, REVENUE", "31999, REVENUE", "40001, EXPENDITURE", "99999, EXPENDITURE"})
    void firstDigitOfTheGruppierungsnummerDecidesTheKind(String titel, LineKind kind) {
        assertThat(LineKind.ofTitel(titel)).isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource(value = {"8, 08030, 54669, ,", "08, 080, 54669, ,", "08, 08030, 5466, ,", "08, 08030, 546690, ,",
            "08, 09030, 54669, ,", "08, 08030, 54669, 6, ", "08, 08030, 54669, , 01", "08, 08030, 5466a, ,",
            "null, 08030, 54669, ,"}, nullValues = "null")
    void malformedTitleKeysAreRefused(String ep, String kapitel, String titel, String gruppe, String funktion) {
        assertThatThrownBy(() -> new TitleKey(ep, kapitel, titel, gruppe, funktion))
                .isInstanceOf(LedgerRejection.class)
                .extracting(e -> ((LedgerRejection) e).rule()).isEqualTo(Rule.INVALID_TITLE_KEY);
    }

    @Test
    void lineIdParsesAndPrints() {
        BudgetLineId id = BudgetLineId.parse("2024-08030-54669");
        assertThat(id.year()).isEqualTo(FiscalYear.of(2024));
        assertThat(id.kapitel()).isEqualTo("08030");
        assertThat(id.titel()).isEqualTo("54669");
        assertThat(id).hasToString("2024-08030-54669");
        assertThat(id.inYear(id.year().next())).hasToString("2025-08030-54669");
        assertThat(BudgetLineId.of(FiscalYear.of(2024), TitleKey.of("08030", "54669"))).isEqualTo(id);
        assertThat(BudgetLineId.parse("2024-0101-11901").kapitel()).isEqualTo("0101");
        assertThat(BudgetLineId.parse("2023-08030-54669")).isLessThan(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"24-08030-54669", "2024-080-54669", "2024-08030-5466", "2024_08030_54669", "2024-08030-54669 ",
            "1949-08030-54669", "2201-08030-54669", ""})
    void malformedLineIdsAreRefused(String text) {
        assertThatThrownBy(() -> BudgetLineId.parse(text))
                .isInstanceOf(LedgerRejection.class)
                .extracting(e -> ((LedgerRejection) e).rule()).isEqualTo(Rule.INVALID_LINE_ID);
    }

    @Test
    void missingLineIdIsRefused() {
        assertThatThrownBy(() -> BudgetLineId.parse(null)).isInstanceOf(LedgerRejection.class);
    }

    @Test
    void fiscalYearIsTheCalendarYear() {
        FiscalYear y = FiscalYear.of(2024);
        assertThat(y.firstDay()).isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(y.lastDay()).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(y.contains(LocalDate.of(2024, 12, 31))).isTrue();
        assertThat(y.contains(LocalDate.of(2025, 1, 1))).isFalse();
        assertThat(y.contains(null)).isFalse();
        assertThat(y.next()).isEqualTo(FiscalYear.of(2025));
        assertThat(y).isLessThan(FiscalYear.of(2025));
        assertThatThrownBy(() -> FiscalYear.of(1949)).isInstanceOf(LedgerRejection.class);
        assertThatThrownBy(() -> FiscalYear.of(2201)).isInstanceOf(LedgerRejection.class);
        assertThatThrownBy(() -> FiscalYear.of(2200).next()).isInstanceOf(LedgerRejection.class);
    }

    @Test
    void coverGroupRolesSayWhoMayGiveAndReceive() {
        assertThat(CoverGroup.mutual("TG69").mayGive()).isTrue();
        assertThat(CoverGroup.mutual("TG69").mayReceive()).isTrue();
        assertThat(new CoverGroup("TG69", CoverGroup.CoverRole.GIVES).mayReceive()).isFalse();
        assertThat(new CoverGroup("TG69", CoverGroup.CoverRole.RECEIVES).mayGive()).isFalse();
        assertThat(new CoverGroup("TG69", null).role()).isEqualTo(CoverGroup.CoverRole.MUTUAL);
        assertThatThrownBy(() -> CoverGroup.mutual("bad group")).isInstanceOf(LedgerRejection.class);
    }
}
