package org.etat.app.axon;

import com.fasterxml.jackson.databind.ObjectMapper;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.axonframework.springboot.autoconfig.NoOpTransactionAutoConfiguration;
import org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration;
import org.axonframework.springboot.autoconfig.TransactionAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Axon on PostgreSQL through plain JDBC, for Spring Boot 4.
 *
 * <p>Axon 4.13 orders its JdbcAutoConfiguration and TransactionAutoConfiguration after Boot 3's class
 * names, so on Boot 4 they run before the DataSource exists: no event store, and a no-op transaction
 * manager without a word (stack.md "Traps"). This configuration runs after Boot 4's DataSource and
 * transaction manager and before Axon's, and provides the pieces Axon's own would have got wrong.
 */
@AutoConfiguration(
        after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class},
        before = {JdbcAutoConfiguration.class, TransactionAutoConfiguration.class, NoOpTransactionAutoConfiguration.class,
                ObjectMapperAutoConfiguration.class, AxonAutoConfiguration.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(TokenStoreProperties.class)
public class EtatAxonAutoConfiguration {

    /** For the read side's processors (projection, audit chain): {@code etat.read-side.linger-ms} (20), {@code ...small-batch-events} (64). */
    @Bean
    public ReadSideLinger readSideLinger(@Value("${etat.read-side.linger-ms:20}") long lingerMillis,
            @Value("${etat.read-side.small-batch-events:64}") int smallBatchEvents) {
        return new ReadSideLinger(lingerMillis, smallBatchEvents);
    }

    /** Axon's transactions are Spring's: a command's events, its request log row and its locks commit together. */
    @Bean
    @ConditionalOnMissingBean(TransactionManager.class)
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    @Bean(name = "defaultAxonObjectMapper")
    @ConditionalOnMissingBean(name = "defaultAxonObjectMapper")
    public ObjectMapper defaultAxonObjectMapper() {
        return AxonJson.newMapper();
    }

    @Bean
    @Primary
    @ConditionalOnMissingBean(name = "serializer")
    public Serializer serializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return jackson(mapper);
    }

    /** Jackson, with a short path for event metadata ({@link EventSerializer}). */
    @Bean
    @Qualifier("eventSerializer")
    @ConditionalOnMissingBean(name = "eventSerializer")
    public Serializer eventSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return EventSerializer.of(JacksonSerializer.builder().objectMapper(mapper).lenientDeserialization());
    }

    @Bean
    @Qualifier("messageSerializer")
    @ConditionalOnMissingBean(name = "messageSerializer")
    public Serializer messageSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return jackson(mapper);
    }

    private static Serializer jackson(ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(mapper).lenientDeserialization().build();
    }

    @Bean
    @ConditionalOnMissingBean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeyResolver();
    }

    @Bean
    @ConditionalOnMissingBean
    public ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    public DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /**
     * Axon's embedded event store, with each processor reading the log on its own. Its default
     * (optimized) consumption runs one producer thread that fetches the log for every processor each
     * time an event commits: at a few hundred single writes a second that is one query, one token
     * and its gap set per event, which cost more CPU than the projection itself. Each processor now
     * fetches when it is ready for its next batch (after {@link ReadSideLinger}'s wait), so a fetch
     * brings several events. Idle, the processors wait for the commit notification as before.
     */
    @Bean
    @ConditionalOnMissingBean(EventBus.class)
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration) {
        return EmbeddedEventStore.builder().storageEngine(storageEngine).optimizeEventConsumption(false)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)).build();
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public EventStorageEngine eventStorageEngine(Serializer serializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            org.axonframework.config.Configuration configuration,
            ConnectionProvider connectionProvider,
            TransactionManager transactionManager,
            EventSchema eventSchema,
            @Value("${etat.axon.gap-timeout-ms:60000}") int gapTimeoutMs,
            @Value("${etat.axon.gap-cleaning-threshold:250}") int gapCleaningThreshold,
            @Value("${etat.axon.max-gap-offset:1000000}") int maxGapOffset) {
        // Gaps are kept while a transaction that may fill them runs, whatever the gap timeout (GapSafeJdbcEventStorageEngine).
        return GapSafeJdbcEventStorageEngine.of(JdbcEventStorageEngine.builder()
                .gapTimeout(gapTimeoutMs)
                .gapCleaningThreshold(gapCleaningThreshold)
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema), maxGapOffset);
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
            TokenStoreProperties properties) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .build();
    }

    /**
     * Snapshots are taken on a background thread. Taken in the committing thread (Axon's default),
     * a snapshot needs a second pooled connection while that thread still holds the line's lock; with
     * the pool drained by commands waiting for that lock, both sides would wait for each other.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SnapshotThread snapshotThread(DataSource closesAfterTheSnapshots) {
        // The DataSource parameter makes Spring close this bean (which waits for queued snapshots) before the pool.
        return new SnapshotThread();
    }

    /**
     * Snapshots from the committed in-memory state ({@link CommittedStateSnapshotter}); Axon's
     * replaying snapshotter (on the same thread) where no such state is at hand.
     */
    @Bean
    @ConditionalOnMissingBean(Snapshotter.class)
    public Snapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
            HandlerDefinition handlerDefinition, ParameterResolverFactory parameterResolverFactory, EventStore eventStore,
            TransactionManager transactionManager, SnapshotterSpanFactory spanFactory,
            SnapshotThread snapshotThread, Serializer serializer, org.springframework.context.ApplicationContext applicationContext) {
        SpringAggregateSnapshotter replaying = SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(snapshotThread.executor())
                .build();
        replaying.setApplicationContext(applicationContext); // finds the aggregate factories there; not a bean itself
        return new CommittedStateSnapshotter(replaying, type -> configuration.repository(type), serializer, eventStore,
                transactionManager, snapshotThread.executor());
    }
}
