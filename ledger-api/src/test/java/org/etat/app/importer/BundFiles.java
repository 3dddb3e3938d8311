package org.etat.app.importer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The federal budget files copied into test resources (see src/test/resources/bund/README.md). */
final class BundFiles {

    /** Reference totals of the core budget in cents, from the data's README. */
    static final long SOLL_EXPENDITURE_2019 = 35_640_000_000_000L;
    static final long SOLL_EXPENDITURE_2020 = 36_200_000_000_000L;
    static final long SOLL_EXPENDITURE_2021 = 49_862_000_000_000L;
    static final long SOLL_EXPENDITURE_2022 = 49_579_147_500_000L;
    static final long SOLL_EXPENDITURE_2024 = 47_680_765_600_000L;
    static final long SOLL_ANLAGE_EXPENDITURE_2024 = 11_687_278_100_000L;
    static final long IST_EXPENDITURE_2019 = 35_712_142_160_586L;
    static final long IST_EXPENDITURE_2020 = 44_343_197_405_150L;
    static final long IST_EXPENDITURE_2021 = 55_709_304_619_706L;
    static final long IST_EXPENDITURE_2022 = 48_130_431_103_589L;

    private BundFiles() {
    }

    static SourceFile soll(int year) {
        return resource("bund_soll_" + year + ".csv");
    }

    static SourceFile istCsv(int year) {
        return resource("bund_ist_" + year + ".csv");
    }

    static SourceFile istXlsx(int year) {
        return resource("bund_ist_" + year + ".xlsx");
    }

    static SourceFile resource(String name) {
        try (InputStream in = BundFiles.class.getResourceAsStream("/bund/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /bund/" + name + " is missing");
            }
            return SourceFile.of(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SourceFile text(String name, String content) {
        return SourceFile.of(name, content.getBytes(StandardCharsets.UTF_8));
    }
}
