package org.etat.ledger.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.axonframework.commandhandling.AnnotationCommandHandlerAdapter;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.etat.ledger.batch.BatchHandler;
import org.etat.ledger.batch.BudgetBatchHandler;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.recording.IdempotencyInterceptor;
import org.etat.ledger.recording.RequestLog;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.carryover.CarryOverHandler;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.conservation.RecordedEvent;
import org.etat.ledger.correction.EntryLocator;
import org.etat.ledger.correction.ReversalHandler;
import org.etat.ledger.reallocation.ReallocationHandler;
import org.etat.ledger.yearclose.YearCloseHandler;
import org.etat.ledger.yearclose.YearClosed;
import org.etat.ledger.yearclose.YearDirectory;

/**
 * The whole ledger domain on plain Axon, in memory: the BudgetLine aggregate and every multi-line
 * handler on one command bus, with the year directory and entry locator read from the event store.
 * Each command runs in its own unit of work, so a refused command records nothing. No Spring.
 */
public final class InMemoryLedger implements AutoCloseable {

    private final InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    private final EmbeddedEventStore eventStore = EmbeddedEventStore.builder().storageEngine(engine).build();
    private final EventSourcingRepository<BudgetLine> repository;
    private final CommandGateway gateway;
    private final YearDirectory years = new StoreYearDirectory();
    private final EntryLocator locator = new StoreEntryLocator();
    /** Request ids of commands sent with one; kept only when the unit of work commits. */
    private final java.util.Map<String, RequestLog.LoggedRequest> loggedRequests = new java.util.concurrent.ConcurrentHashMap<>();
    private final RequestLog requests = new RequestLog() {
        @Override
        public Optional<LoggedRequest> find(String requestId) {
            return Optional.ofNullable(loggedRequests.get(requestId));
        }

        @Override
        public Optional<LoggedRequest> record(LoggedRequest request) {
            org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().onCommit(u -> loggedRequests.putIfAbsent(request.requestId(), request));
            return Optional.empty();
        }
    };

    public InMemoryLedger() {
        ParameterResolverFactory resolvers = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(BudgetLine.class),
                new SimpleResourceParameterResolverFactory(List.of(years)));
        repository = EventSourcingRepository.builder(BudgetLine.class)
                .eventStore(eventStore)
                .parameterResolverFactory(resolvers)
                .build();
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        AggregateAnnotationCommandHandler.<BudgetLine>builder()
                .aggregateType(BudgetLine.class)
                .repository(repository)
                .parameterResolverFactory(resolvers)
                .build()
                .subscribe(bus);
        LineLoader loader = new LineLoader(repository);
        subscribe(bus, resolvers, new ReallocationHandler(loader));
        subscribe(bus, resolvers, new CarryOverHandler(loader));
        subscribe(bus, resolvers, new YearCloseHandler(loader, years));
        subscribe(bus, resolvers, new ReversalHandler(loader, locator));
        subscribe(bus, resolvers, new BatchHandler(loader));
        subscribe(bus, resolvers, new BudgetBatchHandler(loader, years));
        bus.registerHandlerInterceptor(new IdempotencyInterceptor(requests));
        gateway = DefaultCommandGateway.builder().commandBus(bus).build();
    }

    private static void subscribe(SimpleCommandBus bus, ParameterResolverFactory resolvers, Object handler) {
        new AnnotationCommandHandlerAdapter<>(handler, resolvers).subscribe(bus);
    }

    /** Sends a command and waits; a rule's refusal surfaces as the LedgerRejection itself. */
    public Receipt send(Object command) {
        return gateway.sendAndWait(command);
    }

    /** Sends a command under a request id: a retry with the same id and content records nothing again. */
    public Receipt send(Object command, String requestId) {
        return gateway.sendAndWait(new org.axonframework.commandhandling.GenericCommandMessage<>(command)
                .andMetaData(java.util.Map.of(LedgerMetadata.REQUEST_ID, requestId, LedgerMetadata.PRINCIPAL, "test")));
    }

    public Repository<BudgetLine> repository() {
        return repository;
    }

    public YearDirectory years() {
        return years;
    }

    /** The current state of a line, read in a throwaway unit of work. */
    public BudgetLine.LineView view(String lineId) {
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        try {
            return repository.load(lineId).invoke(BudgetLine::view);
        } finally {
            uow.rollback();
        }
    }

    /** Whether the line exists. */
    public boolean exists(String lineId) {
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        try {
            repository.load(lineId);
            return true;
        } catch (AggregateNotFoundException e) {
            return false;
        } finally {
            uow.rollback();
        }
    }

    /** The full log in global order, as the conservation check reads it. */
    public List<RecordedEvent> log() {
        List<RecordedEvent> log = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> s = engine.readEvents(null, false)) {
            s.forEach(m -> log.add(new RecordedEvent(m.getIdentifier(),
                    ((GlobalSequenceTrackingToken) m.trackingToken()).getGlobalIndex(), m.getPayload())));
        }
        return log;
    }

    /** Events of one line, in order. */
    public List<Object> eventsOf(String lineId) {
        List<Object> events = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> s = engine.readEvents(null, false)) {
            s.filter(m -> m instanceof DomainEventMessage<?> d && lineId.equals(d.getAggregateIdentifier()))
                    .forEach(m -> events.add(m.getPayload()));
        }
        return events;
    }

    /** Metadata of one line's events, in order. */
    public List<java.util.Map<String, Object>> metaDataOf(String lineId) {
        List<java.util.Map<String, Object>> metaData = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> s = engine.readEvents(null, false)) {
            s.filter(m -> m instanceof DomainEventMessage<?> d && lineId.equals(d.getAggregateIdentifier()))
                    .forEach(m -> metaData.add(java.util.Map.copyOf(m.getMetaData())));
        }
        return metaData;
    }

    public ConservationReport conservation() {
        return ConservationCheck.check(log());
    }

    @Override
    public void close() {
        eventStore.shutDown();
    }

    /** Reads lines and closed years from the store; one node, so the locks are no-ops. */
    private final class StoreYearDirectory implements YearDirectory {
        @Override
        public List<String> lineIdsOf(int year) {
            TreeSet<String> ids = new TreeSet<>();
            for (RecordedEvent e : log()) {
                if (e.payload() instanceof LineOpened o && o.year() == year) {
                    ids.add(o.lineId());
                }
            }
            return new ArrayList<>(ids);
        }

        @Override
        public boolean isClosed(int year) {
            List<String> lines = lineIdsOf(year);
            java.util.Set<String> closed = new java.util.HashSet<>();
            for (RecordedEvent e : log()) {
                if (e.payload() instanceof YearClosed c && c.year() == year) {
                    closed.add(c.lineId());
                }
            }
            return !lines.isEmpty() && closed.containsAll(lines);
        }

        @Override
        public void lockShared(int year) {
        }

        @Override
        public void lockExclusive(int year) {
        }
    }

    private final class StoreEntryLocator implements EntryLocator {
        @Override
        public Optional<LocatedEntry> locate(String eventId) {
            try (Stream<? extends TrackedEventMessage<?>> s = engine.readEvents(null, false)) {
                return s.filter(m -> m.getIdentifier().equals(eventId) && m instanceof DomainEventMessage<?>)
                        .findFirst()
                        .map(m -> new LocatedEntry(m.getIdentifier(), ((DomainEventMessage<?>) m).getAggregateIdentifier(), m.getPayload()));
            }
        }
    }
}
