package org.etat.app.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import javax.sql.DataSource;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.command.Repository;
import org.axonframework.serialization.Serializer;
import org.etat.app.axon.LiveSnapshotTriggerDefinition;
import org.etat.app.axon.LruCache;
import org.etat.ledger.batch.BatchHandler;
import org.etat.ledger.batch.BudgetBatchHandler;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.carryover.CarryOverHandler;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.correction.EntryLocator;
import org.etat.ledger.correction.ReversalHandler;
import org.etat.ledger.reallocation.ReallocationHandler;
import org.etat.ledger.recording.IdempotencyInterceptor;
import org.etat.ledger.recording.LedgerMetadataInterceptor;
import org.etat.ledger.recording.PreviousRecordedAt;
import org.etat.ledger.recording.RecordingClock;
import org.etat.ledger.recording.RequestLog;
import org.etat.ledger.yearclose.YearCloseHandler;
import org.etat.ledger.yearclose.YearDirectory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ledger on Axon: the BudgetLine aggregate (the domain is Spring-free, so no stereotype), the
 * multi-line handlers, the ports the domain asks for, and the recording rules (metadata, idempotency).
 */
@Configuration(proxyBeanMethods = false)
public class LedgerAxonConfiguration {

    /** The wall clock behind recordedAt; a test may provide its own {@link Clock} bean. */
    @Bean
    public RecordingClock recordingClock(ObjectProvider<Clock> clock) {
        return new RecordingClock(clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    public YearDirectory yearDirectory(DataSource dataSource) {
        return new JdbcYearDirectory(dataSource);
    }

    @Bean
    public EntryLocator entryLocator(DataSource dataSource, @Qualifier("eventSerializer") Serializer eventSerializer) {
        return new JdbcEntryLocator(dataSource, eventSerializer);
    }

    @Bean
    public RequestLog requestLog(DataSource dataSource, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return new JdbcRequestLog(dataSource, mapper);
    }

    /** Registered on the command bus by Axon's InterceptorAutoConfiguration, inside the command's transaction. */
    @Bean
    public IdempotencyInterceptor idempotencyInterceptor(RequestLog requestLog) {
        return new IdempotencyInterceptor(requestLog);
    }

    /** Copies who and which request from the command onto every event it causes. */
    @Bean
    public CorrelationDataProvider ledgerCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(LedgerMetadata.PRINCIPAL, LedgerMetadata.REQUEST_ID);
    }

    /** Axon's default (correlation and trace ids); declaring any provider switches its default off. */
    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * recordedAt and effectiveDate on every event. Registered on the event bus itself: Axon's
     * auto-configuration would put a dispatch interceptor bean on the EventGateway only, which
     * aggregates bypass.
     */
    @Bean
    public SmartInitializingSingleton ledgerMetadataRegistration(EventBus eventBus, RecordingClock clock, DataSource dataSource,
            @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper, @Value("${etat.ledger.cache.max-lines:10000}") int maxLines) {
        // recordedAt never goes back along a line, even when another node's clock is ahead of ours.
        PreviousRecordedAt previous = new JdbcPreviousRecordedAt(dataSource, mapper, maxLines);
        return () -> eventBus.registerDispatchInterceptor(new LedgerMetadataInterceptor(clock, previous));
    }

    @Bean
    public LruCache budgetLineCache(@Value("${etat.ledger.cache.max-lines:10000}") int maxLines) {
        return new LruCache(maxLines);
    }

    /** A bean, because Axon's Spring snapshotter finds aggregate factories in the application context. */
    @Bean
    public AggregateFactory<BudgetLine> budgetLineFactory() {
        return new BudgetLineFactory();
    }

    @Bean
    public ConfigurerModule budgetLineModule(AggregateFactory<BudgetLine> budgetLineFactory, LruCache budgetLineCache,
            YearDirectory years, EntryLocator locator,
            @Value("${etat.ledger.snapshot.every-events:250}") int snapshotEveryEvents) {
        return configurer -> {
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(BudgetLine.class)
                    .configureAggregateFactory(c -> budgetLineFactory)
                    .configureCache(c -> budgetLineCache)
                    .configureSnapshotTrigger(c -> new LiveSnapshotTriggerDefinition(
                            new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshotEveryEvents))));
            configurer.registerCommandHandler(c -> new ReallocationHandler(lines(c)));
            configurer.registerCommandHandler(c -> new CarryOverHandler(lines(c)));
            configurer.registerCommandHandler(c -> new YearCloseHandler(lines(c), years));
            configurer.registerCommandHandler(c -> new ReversalHandler(lines(c), locator));
            configurer.registerCommandHandler(c -> new BatchHandler(lines(c)));
            configurer.registerCommandHandler(c -> new BudgetBatchHandler(lines(c), years));
        };
    }

    private static LineLoader lines(org.axonframework.config.Configuration c) {
        Repository<BudgetLine> repository = c.repository(BudgetLine.class);
        return new LineLoader(repository);
    }
}
