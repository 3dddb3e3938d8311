package org.etat.ledger.common;

/**
 * Every rule of budget law (and of the ledger itself) that can refuse a command. The slug is stable:
 * the HTTP layer builds its problem type URI from it, so clients can branch on it.
 */
public enum Rule {
    AMOUNT_NOT_POSITIVE("amount-not-positive", "Amounts must be greater than zero"),
    AMOUNT_OUT_OF_RANGE("amount-out-of-range", "Amount exceeds the ledger's limit"),
    INSUFFICIENT_FUNDS("insufficient-funds", "Available funds do not cover the entry (§ 34: spend only what is available; beyond it § 37 consent is needed)"),
    EFFECTIVE_DATE_OUTSIDE_YEAR("effective-date-outside-year", "The effective date must lie in the line's fiscal year"),
    YEAR_CLOSED("year-closed", "The fiscal year is closed: no more entries"),
    LINE_ALREADY_OPEN("line-already-open", "The budget line is already open"),
    LINE_NOT_OPEN("line-not-open", "The budget line does not exist"),
    INVALID_LINE_ID("invalid-line-id", "A budget line id is year-Kapitel-Titel, such as 2024-08030-54669"),
    INVALID_TITLE_KEY("invalid-title-key", "The budget title key is malformed"),
    TITLE_KIND_MISMATCH("title-kind-mismatch", "Gruppierungsnummer 0-3 is revenue, 4-9 is expenditure"),
    REVENUE_LINE_CANNOT_BE_SPENT("revenue-line-cannot-be-spent", "A revenue line cannot be spent from"),
    EXPENDITURE_LINE_TAKES_NO_REVENUE("expenditure-line-takes-no-revenue", "An expenditure line takes no revenue"),
    REVENUE_LINE_HAS_NO_FUNDS("revenue-line-has-no-funds", "Blocks, consents, reallocations and carry-overs apply to expenditure lines only"),
    APPROPRIATION_ALREADY_ENACTED("appropriation-already-enacted", "The appropriation is enacted once; change it by a supplementary budget"),
    APPROPRIATION_BELOW_ZERO("appropriation-below-zero", "A supplementary budget cannot cut an appropriation below zero"),
    RELEASE_EXCEEDS_BLOCK("release-exceeds-block", "Only blocked funds can be released"),
    LEGAL_BASIS_REQUIRED("legal-basis-required", "This entry needs a legal basis or justification"),
    REALLOCATION_WITHIN_ONE_LINE("reallocation-within-one-line", "A reallocation needs two different lines"),
    REALLOCATION_ACROSS_YEARS("reallocation-across-years", "A reallocation stays within one fiscal year"),
    REALLOCATION_NEEDS_COVER("reallocation-needs-cover", "A reallocation needs a shared cover group (§ 20) or an explicit consent or budget note reference"),
    CARRY_OVER_NOT_TRANSFERABLE("carry-over-not-transferable", "Only transferable lines form remainders (§ 19, § 45)"),
    REMAINDER_EXPIRED("remainder-expired", "A remainder is available at most until the end of the second year after the year it was granted (§ 45)"),
    CARRY_OVER_TARGET_INVALID("carry-over-target-invalid", "A remainder goes to the same title in the next fiscal year"),
    REVERSAL_TARGET_UNKNOWN("reversal-target-unknown", "The entry to reverse does not exist"),
    ENTRY_NOT_REVERSIBLE("entry-not-reversible", "This kind of entry cannot be reversed"),
    ENTRY_ALREADY_REVERSED("entry-already-reversed", "The entry was already reversed"),
    YEAR_HAS_NO_LINES("year-has-no-lines", "There are no budget lines in this fiscal year"),
    BATCH_REJECTED("batch-rejected", "The batch was refused as a whole; see the per-entry errors"),
    LIMIT_EXCEEDED("limit-exceeded", "A limit of the ledger was exceeded"),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", "The request id was already used for a different request");

    private final String slug;
    private final String title;

    Rule(String slug, String title) {
        this.slug = slug;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
