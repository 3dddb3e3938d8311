package org.etat.ledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The domain stays plain Java plus Axon annotations, and money stays integral. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.etat.ledger");

    @Test
    void domainHasNoSpring() {
        noClasses().that().resideInAPackage("org.etat.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework.spring..")
                .check(MAIN);
    }

    @Test
    void amountsAreNeverFloatingPoint() {
        fields().that().haveNameMatching("(?i).*(cents|amount|money|balance|available|sum|total|rate|percent).*")
                .and().areDeclaredInClassesThat().resideInAPackage("org.etat.ledger..")
                .should().notHaveRawType(double.class)
                .andShould().notHaveRawType(float.class)
                .andShould().notHaveRawType(Double.class)
                .andShould().notHaveRawType(Float.class)
                .check(MAIN);
    }

    @Test
    void thereAreClassesToCheck() {
        // Guards the two rules above against passing vacuously on an empty import.
        org.assertj.core.api.Assertions.assertThat(MAIN.contain("org.etat.ledger.budgetline.BudgetLine")).isTrue();
    }
}
