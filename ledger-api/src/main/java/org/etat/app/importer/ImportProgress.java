package org.etat.app.importer;

import java.io.PrintStream;

/**
 * Progress of an import: a redrawn bar on a terminal, plain lines (every 10 % and at the end of each
 * phase) otherwise, so logs of unattended runs stay short and readable.
 */
public interface ImportProgress {

    void phase(String name, int total);

    void advance(int done);

    void endPhase();

    ImportProgress NONE = new ImportProgress() {
        @Override
        public void phase(String name, int total) {
        }

        @Override
        public void advance(int done) {
        }

        @Override
        public void endPhase() {
        }
    };

    /** A bar when {@code terminal} (use {@code System.console() != null}), plain lines otherwise. */
    static ImportProgress to(PrintStream out, boolean terminal) {
        return new Printed(out, terminal);
    }

    /** Prints progress; only redraws or prints when the shown percentage changes. */
    final class Printed implements ImportProgress {
        private static final int BAR_WIDTH = 40;
        private final PrintStream out;
        private final boolean terminal;
        private String name;
        private int total;
        private int done;
        private int shownPercent = -1;

        Printed(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public void phase(String name, int total) {
            this.name = name;
            this.total = total;
            this.done = 0;
            this.shownPercent = -1;
            show();
        }

        @Override
        public void advance(int n) {
            done = Math.min(total, done + n);
            show();
        }

        @Override
        public void endPhase() {
            done = total;
            show();
            if (terminal) {
                out.println();
            }
            out.flush();
        }

        private void show() {
            int percent = total == 0 ? 100 : (int) (100L * done / total);
            if (terminal) {
                if (percent != shownPercent) {
                    out.print("\r" + bar(name, done, total));
                    out.flush();
                }
            } else if (percent / 10 != shownPercent / 10 || (done == total && percent != shownPercent)) {
                out.println(name + ": " + done + "/" + total + " (" + percent + " %)");
            }
            shownPercent = percent;
        }

        /** {@code open lines [########------------]  40 % 2840/7100}. */
        static String bar(String name, int done, int total) {
            int percent = total == 0 ? 100 : (int) (100L * done / total);
            int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
            return String.format("%-22s [%s%s] %3d %% %d/%d", name, "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), percent, done, total);
        }
    }
}
