package org.etat.ledger.audit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A minimal reader of the journals HledgerJournal writes, for checking them without hledger. */
public final class JournalParsing {
    private JournalParsing() {
    }

    record Posting(String account, long cents) {
    }

    static List<List<Posting>> transactions(String journal) {
        List<List<Posting>> out = new ArrayList<>();
        List<Posting> current = null;
        for (String line : journal.split("\n")) {
            if (line.matches("[0-9]{4}-[0-9]{2}-[0-9]{2} .*")) {
                current = new ArrayList<>();
                out.add(current);
            } else if (line.startsWith("    ") && current != null) {
                String[] parts = line.trim().split("\\s{2,}");
                current.add(new Posting(parts[0], cents(parts[1])));
            }
        }
        return out;
    }

    public static Map<String, Long> balances(String journal) {
        Map<String, Long> sums = new TreeMap<>();
        for (List<Posting> t : transactions(journal)) {
            for (Posting p : t) {
                sums.merge(p.account(), p.cents(), Long::sum);
            }
        }
        return sums;
    }

    /** "-123.45 EUR" or "0" (hledger's zero) to cents, exactly. */
    static long cents(String amount) {
        String number = amount.endsWith(" " + HledgerJournal.COMMODITY)
                ? amount.substring(0, amount.length() - HledgerJournal.COMMODITY.length() - 1) : amount;
        return new BigDecimal(number).movePointRight(2).longValueExact();
    }
}
