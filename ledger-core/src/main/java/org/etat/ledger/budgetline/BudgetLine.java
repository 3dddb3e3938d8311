package org.etat.ledger.budgetline;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.etat.ledger.common.LedgerRejection.check;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.money.Money;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.CloseLine;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;
import org.etat.ledger.yearclose.YearDirectory;

/**
 * One budget line: one title in one fiscal year. It decides every entry against budget law and
 * records the outcome as events. Entries that touch two lines (reallocation, carry-over, their
 * reversal) are decided by handlers that load both lines in one unit of work and call the
 * package-visible leg methods here.
 */
public class BudgetLine {

    @AggregateIdentifier
    private String lineId;
    private int year;
    private TitleKey key;
    private String purpose;
    private LineKind kind;
    private boolean transferable;
    private List<CoverGroup> coverGroups = List.of();
    private LineBalance balance = LineBalance.ZERO;
    /** Carried money by grant year (§ 45); a snapshot from before it existed reads as none. */
    private Remainders remainders = Remainders.NONE;
    private boolean appropriationEnacted;
    private boolean closed;
    /** Keys of reversed entries: event ids, or the link id of a two-leg entry. */
    private Set<String> reversedKeys = new HashSet<>();
    /** Two-leg entries of this line by link id (reallocation or carry-over id): this leg's event. */
    private Map<String, LegRecord> legs = new HashMap<>();

    /** Id of the event applied last; lets a command return the ids it recorded. Not state. */
    private transient List<String> appliedEventIds = new ArrayList<>();

    protected BudgetLine() {
        // For Axon: rebuilt from events.
    }

    // ---------------------------------------------------------------- commands on this line only

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Receipt handle(OpenLine cmd, YearDirectory years) {
        check(lineId == null, Rule.LINE_ALREADY_OPEN, "budget line " + cmd.lineId() + " is already open");
        LineOpened opened = decideOpening(cmd);
        years.lockShared(opened.year());
        check(!years.isClosed(opened.year()), Rule.YEAR_CLOSED, "fiscal year " + opened.year() + " is closed");
        apply(opened);
        return receipt();
    }

    @CommandHandler
    public Receipt handle(EnactAppropriation cmd) {
        apply(decideEnactment(cmd));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(AmendAppropriation cmd) {
        ensureOpenForEntries(cmd.effectiveDate());
        check(cmd.deltaCents() != 0, Rule.AMOUNT_NOT_POSITIVE, "an amendment must change the appropriation");
        check(Math.abs(cmd.deltaCents()) <= Money.MAX_CENTS, Rule.AMOUNT_OUT_OF_RANGE, "amendment exceeds the ledger's limit");
        Limits.requireText(cmd.legalBasis(), "legal basis", true, Limits.MAX_REFERENCE_LENGTH);
        long newAppropriation = balance.appropriatedCents() + balance.amendedCents() + cmd.deltaCents();
        check(newAppropriation >= 0, Rule.APPROPRIATION_BELOW_ZERO,
                "the amendment " + Money.format(cmd.deltaCents()) + " would cut the appropriation of line " + lineId + " below zero");
        if (kind == LineKind.EXPENDITURE && cmd.deltaCents() < 0) {
            requireAvailable(-cmd.deltaCents(), "cut the appropriation by");
        }
        apply(new AppropriationAmended(lineId, cmd.deltaCents(), cmd.legalBasis(), cmd.effectiveDate()));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(BlockFunds cmd) {
        ensureOpenForEntries(cmd.effectiveDate());
        requireExpenditureLine("block funds");
        requirePositive(cmd.amountCents());
        Limits.requireText(cmd.legalBasis(), "legal basis", true, Limits.MAX_REFERENCE_LENGTH);
        requireAvailable(cmd.amountCents(), "block");
        apply(new FundsBlocked(lineId, cmd.amountCents(), cmd.legalBasis(), cmd.effectiveDate()));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(ReleaseFunds cmd) {
        ensureOpenForEntries(cmd.effectiveDate());
        requireExpenditureLine("release funds");
        requirePositive(cmd.amountCents());
        Limits.requireText(cmd.legalBasis(), "legal basis", true, Limits.MAX_REFERENCE_LENGTH);
        check(cmd.amountCents() <= balance.blockedCents(), Rule.RELEASE_EXCEEDS_BLOCK,
                "line " + lineId + " has " + Money.format(balance.blockedCents()) + " blocked; cannot release "
                        + Money.format(cmd.amountCents()));
        apply(new FundsReleased(lineId, cmd.amountCents(), cmd.legalBasis(), cmd.effectiveDate()));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(GrantOverPlanConsent cmd) {
        apply(decideConsent(cmd));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(RecordExpenditure cmd) {
        apply(decideExpenditure(cmd.amountCents(), cmd.effectiveDate(), cmd.purpose(), cmd.documentReference(), cmd.projectId()));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(RecordRevenue cmd) {
        apply(decideRevenue(cmd.amountCents(), cmd.effectiveDate(), cmd.purpose(), cmd.documentReference(), cmd.projectId()));
        return receipt();
    }

    @CommandHandler
    public Receipt handle(CloseLine cmd) {
        check(!closed, Rule.YEAR_CLOSED, "fiscal year " + year + " of line " + lineId + " is already closed");
        LocalDate lastDay = LocalDate.of(year, 12, 31);
        appliedEventIds().clear();
        if (kind == LineKind.EXPENDITURE) {
            long rest = balance.availableCents() + balance.blockedCents();
            if (rest > 0 || balance.blockedCents() > 0) {
                String reason = transferable
                        ? "no remainder was formed (§ 45): the rest lapses"
                        : "the line is not transferable: the rest lapses (Verfall)";
                long expiring = remainders().expiringCents(year, balance);
                if (expiring > 0) {
                    reason += "; " + Money.format(expiring) + " of it were remainders at the end of the second year after their grant"
                            + " (§ 45): they lapse even on a transferable line";
                }
                apply(new LapsedAtClose(lineId, rest, balance.blockedCents(), reason, lastDay));
            }
        }
        apply(new YearClosed(lineId, year, cmd.justification(), lastDay));
        // Both events (lapse and close) belong in the receipt, not only the last one.
        List<String> ids = appliedEventIds();
        return new Receipt(List.copyOf(ids), Map.of(lineId, balance.availableCents()));
    }

    // ---------------------------------------------------------------- decisions shared with batches

    /**
     * Decides the opening of a line from the command alone; returns the event without applying it.
     * The caller must still take the year's shared lock and check that the year is not closed.
     */
    public static LineOpened decideOpening(OpenLine cmd) {
        BudgetLineId id = BudgetLineId.parse(cmd.lineId());
        check(cmd.key() != null, Rule.INVALID_TITLE_KEY, "title key is required");
        check(id.equals(BudgetLineId.of(id.year(), cmd.key())), Rule.INVALID_LINE_ID,
                "line id " + cmd.lineId() + " does not match Kapitel " + cmd.key().kapitel() + " Titel " + cmd.key().titel());
        check(cmd.kind() != null, Rule.TITLE_KIND_MISMATCH, "kind (REVENUE or EXPENDITURE) is required");
        check(cmd.kind() == cmd.key().kindByLaw(), Rule.TITLE_KIND_MISMATCH,
                "Titel " + cmd.key().titel() + " has Gruppierungsnummer " + cmd.key().gruppierungsnummer() + ", which is "
                        + cmd.key().kindByLaw() + ", not " + cmd.kind());
        Limits.requireText(cmd.purpose(), "purpose", true, Limits.MAX_TEXT_LENGTH);
        List<CoverGroup> groups = cmd.coverGroups() == null ? List.of() : cmd.coverGroups();
        check(groups.size() <= Limits.MAX_COVER_GROUPS, Rule.LIMIT_EXCEEDED, "a line belongs to at most " + Limits.MAX_COVER_GROUPS + " cover groups");
        check(groups.isEmpty() || cmd.kind() == LineKind.EXPENDITURE, Rule.REVENUE_LINE_HAS_NO_FUNDS, "only expenditure lines belong to cover groups");
        LocalDate effective = cmd.effectiveDate() == null ? id.year().firstDay() : cmd.effectiveDate();
        checkInYear(id.year(), effective);
        return new LineOpened(cmd.lineId(), id.year().value(), cmd.key(), cmd.purpose(), cmd.kind(), cmd.transferable(),
                groups, effective);
    }

    /**
     * A new line from its decided opening, with extra metadata (a batch entry's provenance). Call it
     * as the factory of {@code Repository.newInstance}, which applies the event to the new aggregate.
     */
    public static BudgetLine opened(LineOpened event, Map<String, String> metadata) {
        BudgetLine line = new BudgetLine();
        apply(event, MetaData.from(metadata));
        return line;
    }

    /** Decides the enactment of the appropriation; returns the event without applying it. */
    public AppropriationEnacted decideEnactment(EnactAppropriation cmd) {
        ensureOpenForEntries(cmd.effectiveDate());
        requirePositive(cmd.amountCents());
        check(!appropriationEnacted, Rule.APPROPRIATION_ALREADY_ENACTED,
                "line " + lineId + " already has its appropriation; change it by a supplementary budget (amendment)");
        Limits.requireText(cmd.legalBasis(), "legal basis", true, Limits.MAX_REFERENCE_LENGTH);
        return new AppropriationEnacted(lineId, cmd.amountCents(), cmd.legalBasis(), cmd.effectiveDate());
    }

    /** Decides a § 37 consent; returns the event without applying it. */
    public OverPlanConsentGranted decideConsent(GrantOverPlanConsent cmd) {
        ensureOpenForEntries(cmd.effectiveDate());
        requireExpenditureLine("grant a § 37 consent");
        requirePositive(cmd.amountCents());
        Limits.requireText(cmd.consentReference(), "consent reference", true, Limits.MAX_REFERENCE_LENGTH);
        Limits.requireText(cmd.justification(), "justification", false, Limits.MAX_TEXT_LENGTH);
        boolean unplanned = balance.appropriatedCents() + balance.amendedCents() <= 0;
        return new OverPlanConsentGranted(lineId, cmd.amountCents(), cmd.consentReference(), cmd.justification(), unplanned,
                cmd.effectiveDate());
    }

    /** Decides one expenditure; returns the event without applying it. Used alone and in batches. */
    public ExpenditureRecorded decideExpenditure(long amountCents, LocalDate effectiveDate, String purpose,
            String documentReference, String projectId) {
        ensureOpenForEntries(effectiveDate);
        if (kind != LineKind.EXPENDITURE) {
            throw new LedgerRejection(Rule.REVENUE_LINE_CANNOT_BE_SPENT, "line " + lineId + " is a revenue line and cannot be spent from");
        }
        requirePositive(amountCents);
        requireEntryTexts(purpose, documentReference, projectId);
        requireAvailable(amountCents, "spend");
        return new ExpenditureRecorded(lineId, amountCents, effectiveDate, purpose, documentReference, projectId);
    }

    /** Decides one revenue entry; returns the event without applying it. */
    public RevenueRecorded decideRevenue(long amountCents, LocalDate effectiveDate, String purpose,
            String documentReference, String projectId) {
        ensureOpenForEntries(effectiveDate);
        if (kind != LineKind.REVENUE) {
            throw new LedgerRejection(Rule.EXPENDITURE_LINE_TAKES_NO_REVENUE, "line " + lineId + " is an expenditure line and takes no revenue");
        }
        requirePositive(amountCents);
        requireEntryTexts(purpose, documentReference, projectId);
        check(balance.revenueCents() + amountCents <= Money.MAX_CENTS, Rule.AMOUNT_OUT_OF_RANGE, "revenue exceeds the ledger's limit");
        return new RevenueRecorded(lineId, amountCents, effectiveDate, purpose, documentReference, projectId);
    }

    /** Applies a decided entry with extra metadata (a batch entry's provenance). */
    public String record(LineEvent event, Map<String, String> metadata) {
        apply(event, MetaData.from(metadata));
        return lastEventId();
    }

    // ---------------------------------------------------------------- legs of two-line entries

    /** The giving leg of a reallocation; the handler checked the pair and the legal basis. */
    public String reallocateOut(String reallocationId, String toLineId, long amountCents, LegalBasis basis, String justification,
            LocalDate effectiveDate) {
        checkReallocateOut(amountCents, effectiveDate);
        apply(new ReallocatedOut(lineId, reallocationId, toLineId, amountCents, basis, justification, effectiveDate));
        return lastEventId();
    }

    /**
     * The giving leg's checks without recording anything, so a handler can refuse before it applies
     * any leg (legs are applied in line-id order, which may put the receiving leg first).
     */
    public void checkReallocateOut(long amountCents, LocalDate effectiveDate) {
        ensureOpenForEntries(effectiveDate);
        requireExpenditureLine("reallocate");
        requirePositive(amountCents);
        requireAvailable(amountCents, "reallocate");
    }

    /** The receiving leg of a reallocation. */
    public String reallocateIn(String reallocationId, String fromLineId, long amountCents, LegalBasis basis, String justification,
            LocalDate effectiveDate) {
        checkReallocateIn(amountCents, effectiveDate);
        apply(new ReallocatedIn(lineId, reallocationId, fromLineId, amountCents, basis, justification, effectiveDate));
        return lastEventId();
    }

    /** The receiving leg's checks without recording anything. */
    public void checkReallocateIn(long amountCents, LocalDate effectiveDate) {
        ensureOpenForEntries(effectiveDate);
        requireExpenditureLine("receive a reallocation");
        requirePositive(amountCents);
    }

    /**
     * The out-leg of a carry-over from this line (year N). {@code grantYearCents} is
     * {@link #carryOutSplit}: the handler passes the same split to the in-leg.
     */
    public String carryOut(String carryOverId, String toLineId, long amountCents, String consentReference, String justification,
            LocalDate effectiveDate, SortedMap<Integer, Long> grantYearCents) {
        checkCarryOut(amountCents, effectiveDate);
        check(grantYearCents.equals(carryOutSplit(amountCents)), Rule.REMAINDER_EXPIRED,
                "a carry-over from line " + lineId + " takes the oldest money that may still be carried first");
        apply(new RemainderCarriedOut(lineId, carryOverId, toLineId, amountCents, consentReference, justification, effectiveDate,
                grantYearCents));
        return lastEventId();
    }

    /** The out-leg's checks without recording anything. */
    public void checkCarryOut(long amountCents, LocalDate effectiveDate) {
        ensureOpenForEntries(effectiveDate);
        requireExpenditureLine("carry a remainder");
        check(transferable, Rule.CARRY_OVER_NOT_TRANSFERABLE, "line " + lineId + " is not transferable (übertragbar); its rest lapses at year end");
        requirePositive(amountCents);
        requireAvailable(amountCents, "carry over");
        long carryable = remainders().carryableCents(year, balance);
        if (amountCents > carryable) {
            throw new LedgerRejection(Rule.REMAINDER_EXPIRED, "line " + lineId + " has " + Money.format(balance.availableCents())
                    + " available, of which " + Money.format(balance.availableCents() - carryable)
                    + " are remainders that reach the end of the second year after their grant with " + year
                    + " (§ 45); at most " + Money.format(carryable) + " may be carried into " + (year + 1));
        }
    }

    /**
     * How a carry-over of {@code amountCents} from this line splits by grant year: the oldest money
     * that may still be carried first (see {@link Remainders}). Call after {@link #checkCarryOut}.
     */
    public SortedMap<Integer, Long> carryOutSplit(long amountCents) {
        return remainders().carryOutSplit(year, balance, amountCents);
    }

    /** The in-leg of a carry-over into this line (year N+1), effective on 1 January. */
    public String carryIn(String carryOverId, String fromLineId, long amountCents, String consentReference, String justification,
            SortedMap<Integer, Long> grantYearCents) {
        checkCarryIn(amountCents, grantYearCents);
        LocalDate firstDay = LocalDate.of(year, 1, 1);
        apply(new RemainderCarriedIn(lineId, carryOverId, fromLineId, amountCents, consentReference, justification, firstDay,
                grantYearCents));
        return lastEventId();
    }

    /** The in-leg's checks without recording anything: the out-leg is applied first. */
    public void checkCarryIn(long amountCents, SortedMap<Integer, Long> grantYearCents) {
        ensureOpenForEntries(LocalDate.of(year, 1, 1));
        requireExpenditureLine("receive a remainder");
        requirePositive(amountCents);
        for (int grantYear : grantYearCents.keySet()) {
            check(Remainders.lastYearOf(grantYear) >= year, Rule.REMAINDER_EXPIRED, "money granted in " + grantYear
                    + " is available at most until the end of " + Remainders.lastYearOf(grantYear) + " (§ 45), not in " + year);
        }
    }

    // ---------------------------------------------------------------- reversal

    /**
     * Reverses a one-leg entry of this line. {@code original} is the payload the event store holds
     * under {@code eventId}. Two-leg entries are reversed leg by leg with {@link #reverseLeg}.
     */
    public String reverse(String reversalId, String eventId, Object original, String reason, LocalDate effectiveDate) {
        ensureOpenForEntries(effectiveDate);
        Limits.requireText(reason, "reason", true, Limits.MAX_TEXT_LENGTH);
        Reversal r = Reversal.of(original);
        check(r != null && r.linkId() == null, Rule.ENTRY_NOT_REVERSIBLE,
                "an entry of type " + original.getClass().getSimpleName() + " cannot be reversed on its own");
        check(lineId.equals(((LineEvent) original).lineId()), Rule.REVERSAL_TARGET_UNKNOWN, "entry " + eventId + " is not on line " + lineId);
        check(!reversedKeys.contains(eventId), Rule.ENTRY_ALREADY_REVERSED, "entry " + eventId + " was already reversed");
        return applyReversal(reversalId, eventId, original.getClass().getSimpleName(), r.component(), r.deltaCents(), reason, effectiveDate);
    }

    /** Reverses this line's leg of a reallocation or carry-over, named by the link id both legs share. */
    public String reverseLeg(String reversalId, String linkId, String reason, LocalDate effectiveDate) {
        LegRecord leg = checkReverseLeg(linkId, reason, effectiveDate);
        checkReversalEffect(leg.eventId(), leg.component(), -leg.amountCents());
        apply(new EntryReversed(lineId, reversalId, leg.eventId(), leg.type(), leg.component(), -leg.amountCents(), reason, effectiveDate,
                negated(leg.grantYearCents())));
        return lastEventId();
    }

    /** Every check of {@link #reverseLeg} without recording anything, so a handler can refuse before the first leg. */
    public void checkLegReversal(String linkId, String reason, LocalDate effectiveDate) {
        checkReverseLeg(linkId, reason, effectiveDate);
    }

    private LegRecord checkReverseLeg(String linkId, String reason, LocalDate effectiveDate) {
        ensureOpenForEntries(effectiveDate);
        Limits.requireText(reason, "reason", true, Limits.MAX_TEXT_LENGTH);
        LegRecord leg = legs.get(linkId);
        check(leg != null, Rule.REVERSAL_TARGET_UNKNOWN, "line " + lineId + " has no leg of " + linkId);
        check(!reversedKeys.contains(linkId), Rule.ENTRY_ALREADY_REVERSED, "entry " + linkId + " was already reversed");
        checkReversalEffect(leg.eventId(), leg.component(), -leg.amountCents());
        return leg;
    }

    private String applyReversal(String reversalId, String eventId, String type, Component component, long deltaCents, String reason,
            LocalDate effectiveDate) {
        checkReversalEffect(eventId, component, deltaCents);
        apply(new EntryReversed(lineId, reversalId, eventId, type, component, deltaCents, reason, effectiveDate));
        return lastEventId();
    }

    private void checkReversalEffect(String eventId, Component component, long deltaCents) {
        if (component == Component.APPROPRIATED || component == Component.AMENDED) {
            check(balance.appropriatedCents() + balance.amendedCents() + deltaCents >= 0, Rule.APPROPRIATION_BELOW_ZERO,
                    "reversing " + eventId + " would leave line " + lineId + " with an appropriation below zero");
        }
        long reduces = reducesAvailable(component, deltaCents);
        if (reduces > 0 && kind == LineKind.EXPENDITURE) {
            requireAvailable(reduces, "reverse " + eventId + ", which would take away");
        }
        if (component == Component.BLOCKED && deltaCents < 0) {
            check(balance.blockedCents() + deltaCents >= 0, Rule.RELEASE_EXCEEDS_BLOCK,
                    "line " + lineId + " has only " + Money.format(balance.blockedCents()) + " blocked");
        }
    }

    private static SortedMap<Integer, Long> negated(SortedMap<Integer, Long> vintages) {
        if (vintages == null) {
            return null;
        }
        SortedMap<Integer, Long> n = new java.util.TreeMap<>();
        vintages.forEach((y, c) -> n.put(y, -c));
        return n;
    }

    /** How much a change of a component lowers the available amount (negative: raises it). */
    private static long reducesAvailable(Component c, long delta) {
        return switch (c) {
            case APPROPRIATED, AMENDED, CARRIED_IN, REALLOCATED_IN, CONSENTED -> -delta;
            case REALLOCATED_OUT, CARRIED_OUT, BLOCKED, SPENT, LAPSED -> delta;
            case REVENUE -> 0;
        };
    }

    /** What reversing an entry does to the balance, and the link shared by its legs, if any. */
    record Reversal(Component component, long deltaCents, String linkId) {
        static Reversal of(Object e) {
            if (e instanceof AppropriationEnacted x) {
                return new Reversal(Component.APPROPRIATED, -x.amountCents(), null);
            } else if (e instanceof AppropriationAmended x) {
                return new Reversal(Component.AMENDED, -x.deltaCents(), null);
            } else if (e instanceof FundsBlocked x) {
                return new Reversal(Component.BLOCKED, -x.amountCents(), null);
            } else if (e instanceof FundsReleased x) {
                return new Reversal(Component.BLOCKED, x.amountCents(), null);
            } else if (e instanceof OverPlanConsentGranted x) {
                return new Reversal(Component.CONSENTED, -x.amountCents(), null);
            } else if (e instanceof ExpenditureRecorded x) {
                return new Reversal(Component.SPENT, -x.amountCents(), null);
            } else if (e instanceof RevenueRecorded x) {
                return new Reversal(Component.REVENUE, -x.amountCents(), null);
            } else if (e instanceof ReallocatedOut x) {
                return new Reversal(Component.REALLOCATED_OUT, -x.amountCents(), x.reallocationId());
            } else if (e instanceof ReallocatedIn x) {
                return new Reversal(Component.REALLOCATED_IN, -x.amountCents(), x.reallocationId());
            } else if (e instanceof RemainderCarriedOut x) {
                return new Reversal(Component.CARRIED_OUT, -x.amountCents(), x.carryOverId());
            } else if (e instanceof RemainderCarriedIn x) {
                return new Reversal(Component.CARRIED_IN, -x.amountCents(), x.carryOverId());
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- state

    @EventSourcingHandler
    void on(LineEvent event, @MessageIdentifier String eventId) {
        if (event instanceof LineOpened e) {
            lineId = e.lineId();
            year = e.year();
            key = e.key();
            purpose = e.purpose();
            kind = e.kind();
            transferable = e.transferable();
            coverGroups = e.coverGroups();
        } else if (event instanceof AppropriationEnacted) {
            appropriationEnacted = true;
        } else if (event instanceof YearClosed) {
            closed = true;
        } else if (event instanceof ReallocatedOut e) {
            legs.put(e.reallocationId(), new LegRecord(eventId, "ReallocatedOut", Component.REALLOCATED_OUT, e.amountCents(), null));
        } else if (event instanceof ReallocatedIn e) {
            legs.put(e.reallocationId(), new LegRecord(eventId, "ReallocatedIn", Component.REALLOCATED_IN, e.amountCents(), null));
        } else if (event instanceof RemainderCarriedOut e) {
            legs.put(e.carryOverId(), new LegRecord(eventId, "RemainderCarriedOut", Component.CARRIED_OUT, e.amountCents(),
                    e.grantYearCents()));
        } else if (event instanceof RemainderCarriedIn e) {
            legs.put(e.carryOverId(), new LegRecord(eventId, "RemainderCarriedIn", Component.CARRIED_IN, e.amountCents(),
                    e.grantYearCents()));
        } else if (event instanceof EntryReversed e) {
            String link = linkOf(e.reversedEventId());
            reversedKeys.add(link != null ? link : e.reversedEventId());
            if (e.component() == Component.APPROPRIATED) {
                appropriationEnacted = false; // the enactment was reversed: a corrected one may follow
            }
        }
        balance = balance.apply(event);
        remainders = remainders().apply(event);
        if (appliedEventIds == null) {
            appliedEventIds = new ArrayList<>();
        }
        appliedEventIds.add(eventId);
        if (appliedEventIds.size() > MAX_TRACKED_EVENT_IDS) {
            appliedEventIds.remove(0); // a cached line must not hold every id it ever applied
        }
    }

    /** Enough for the largest receipt one command on one line produces (lapse + close). */
    private static final int MAX_TRACKED_EVENT_IDS = 8;

    private String linkOf(String legEventId) {
        for (Map.Entry<String, LegRecord> leg : legs.entrySet()) {
            if (leg.getValue().eventId().equals(legEventId)) {
                return leg.getKey();
            }
        }
        return null;
    }

    /** This line's leg of a two-leg entry: its event, type, component, amount and (carry-overs) its split by grant year. */
    record LegRecord(String eventId, String type, Component component, long amountCents, SortedMap<Integer, Long> grantYearCents) {
    }

    // ---------------------------------------------------------------- views and checks

    public LineView view() {
        return new LineView(lineId, year, key, kind, transferable, coverGroups, closed, balance);
    }

    /** Read-only facts about a line for handlers that decide across two lines. */
    public record LineView(String lineId, int year, TitleKey key, LineKind kind, boolean transferable, List<CoverGroup> coverGroups,
            boolean closed, LineBalance balance) {
    }

    public long availableCents() {
        return balance.availableCents();
    }

    /** Available money by grant year, oldest first (§ 45; see {@link Remainders}). */
    public SortedMap<Integer, Long> availableByGrantYear() {
        return remainders().availableByGrantYear(year, balance);
    }

    private Remainders remainders() {
        if (remainders == null) {
            remainders = Remainders.NONE;
        }
        return remainders;
    }

    /** The id of the event this line applied last (for a handler that created the line). */
    public String lastEventId() {
        List<String> ids = appliedEventIds();
        return ids.get(ids.size() - 1);
    }

    private List<String> appliedEventIds() {
        if (appliedEventIds == null) {
            appliedEventIds = new ArrayList<>();
        }
        return appliedEventIds;
    }

    private Receipt receipt() {
        return new Receipt(List.of(lastEventId()), Map.of(lineId, balance.availableCents()));
    }

    // The checks on every entry build their message only when they refuse (a batch runs them per entry).
    private void ensureOpenForEntries(LocalDate effectiveDate) {
        if (closed) {
            throw new LedgerRejection(Rule.YEAR_CLOSED, "fiscal year " + year + " is closed: line " + lineId + " takes no more entries");
        }
        checkInYear(FiscalYear.of(year), effectiveDate);
    }

    private static void checkInYear(FiscalYear fy, LocalDate effectiveDate) {
        check(effectiveDate != null, Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, "effective date is required");
        if (!fy.contains(effectiveDate)) {
            throw new LedgerRejection(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, "effective date " + effectiveDate + " is outside fiscal year " + fy);
        }
    }

    private void requireExpenditureLine(String what) {
        check(kind == LineKind.EXPENDITURE, Rule.REVENUE_LINE_HAS_NO_FUNDS, "line " + lineId + " is a revenue line: cannot " + what);
    }

    private static void requirePositive(long amountCents) {
        if (amountCents <= 0) {
            throw new LedgerRejection(Rule.AMOUNT_NOT_POSITIVE, "amount must be greater than zero, got " + Money.format(amountCents));
        }
        if (amountCents > Money.MAX_CENTS) {
            throw new LedgerRejection(Rule.AMOUNT_OUT_OF_RANGE, "amount exceeds the ledger's limit of " + Money.format(Money.MAX_CENTS));
        }
    }

    private void requireAvailable(long amountCents, String what) {
        long available = balance.availableCents();
        if (amountCents > available) {
            throw new LedgerRejection(Rule.INSUFFICIENT_FUNDS, "line " + lineId + " has " + Money.format(available)
                    + " available; cannot " + what + " " + Money.format(amountCents));
        }
    }

    private static void requireEntryTexts(String purpose, String documentReference, String projectId) {
        Limits.requireText(purpose, "purpose", true, Limits.MAX_TEXT_LENGTH);
        Limits.requireText(documentReference, "document reference", true, Limits.MAX_REFERENCE_LENGTH);
        Limits.requireText(projectId, "project id", false, Limits.MAX_REFERENCE_LENGTH);
    }
}
