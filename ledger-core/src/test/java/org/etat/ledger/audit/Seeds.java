package org.etat.ledger.audit;

/** Seeds for randomized tests: {@code -Detat.seed=N} replays a run; the seed is printed and named in failures. */
public final class Seeds {
    private Seeds() {
    }

    public static long seed(String test) {
        String fixed = System.getProperty("etat.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : new java.util.Random().nextLong();
        System.out.println(test + ": seed " + seed + " (replay with -Detat.seed=" + seed + ")");
        return seed;
    }
}
