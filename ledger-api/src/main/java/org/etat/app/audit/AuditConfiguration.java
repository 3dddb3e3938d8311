package org.etat.app.audit;

import org.etat.app.axon.ReadSideLinger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit chain in the application: the JDBC pieces, the service, and the processor that writes
 * the chain. {@code etat.audit.chain.enabled=false} turns the writer off (verification still works).
 * Digests: {@code etat.audit.signing-key} (env {@code ETAT_AUDIT_SIGNING_KEY}) or, embedded,
 * {@code etat.audit.key-directory}; {@code etat.audit.digest.interval} (default PT1H, 0 = off).
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {
    public static final String PROCESSING_GROUP = "audit-chain";
    /** Events per processor transaction: amortizes the commit, keeps the chain close behind the log. */
    static final int BATCH_SIZE = 100;

    @Bean
    public JdbcRawEventReader rawEventReader() {
        return new JdbcRawEventReader();
    }

    @Bean
    public JdbcAuditChainStore auditChainStore() {
        return new JdbcAuditChainStore();
    }

    @Bean
    public AuditChainWriter auditChainWriter(JdbcRawEventReader reader, JdbcAuditChainStore store) {
        return new AuditChainWriter(reader, store);
    }

    @Bean
    public AuditService auditService(DataSource dataSource, JdbcRawEventReader reader, JdbcAuditChainStore store) {
        return new AuditService(dataSource, reader, store);
    }

    @Bean
    public AuditVerification auditVerification(DataSource dataSource, JdbcRawEventReader reader, JdbcAuditChainStore store,
            @Qualifier("eventSerializer") Serializer serializer) {
        return new AuditVerification(dataSource, reader, store, serializer, Clock.systemUTC());
    }

    @Bean
    public JdbcVerificationStore verificationStore(DataSource dataSource) {
        return new JdbcVerificationStore(dataSource);
    }

    @Bean
    public AuditDigests auditDigests(AuditService audit, DataSource dataSource, JdbcAuditChainStore store,
            @Value("${" + SigningKey.PROPERTY + ":${" + SigningKey.ENV + ":}}") String signingKey,
            @Value("${etat.audit.key-directory:}") String keyDirectory) {
        return new AuditDigests(audit, dataSource, store, signingKey, keyDirectory.isBlank() ? null : Path.of(keyDirectory),
                Clock.systemUTC());
    }

    @Bean
    public PeriodicDigests periodicDigests(AuditDigests digests, @Value("${etat.audit.digest.interval:PT1H}") Duration interval) {
        return new PeriodicDigests(digests, interval);
    }

    @Bean
    @ConditionalOnProperty(name = "etat.audit.chain.enabled", havingValue = "true", matchIfMissing = true)
    public AuditChainProcessor auditChainProcessor(DataSource dataSource, AuditChainWriter writer, ReadSideLinger linger) {
        return new AuditChainProcessor(dataSource, writer, linger);
    }

    /** Chains the log's tail when the ledger goes quiet behind a gap (the processor only runs when handed events). */
    @Bean
    @ConditionalOnProperty(name = "etat.audit.chain.enabled", havingValue = "true", matchIfMissing = true)
    public AuditChainSettler auditChainSettler(DataSource dataSource, AuditChainWriter writer,
            @org.springframework.beans.factory.annotation.Value("${etat.audit.chain.settle-interval:PT10S}") java.time.Duration interval) {
        return new AuditChainSettler(dataSource, writer, interval);
    }

    /** One segment and one thread: the chain has one order, so it has one writer. */
    @Bean
    public ConfigurerModule auditChainProcessingModule() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerTrackingEventProcessor(
                PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andInitialSegmentsCount(1)
                        .andBatchSize(BATCH_SIZE)));
    }
}
