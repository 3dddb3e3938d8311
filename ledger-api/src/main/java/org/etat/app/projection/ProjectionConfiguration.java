package org.etat.app.projection;

import org.etat.app.axon.ReadSideLinger;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.etat.projection.Projector;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the read models to Axon: one pooled streaming processor, {@value #PROCESSING_GROUP}, reads
 * the event store from its start in batches of {@code etat.projection.batch-size} (default 500)
 * over {@code etat.projection.segments} segments (default 2). Axon's default sequencing policy keeps
 * each line's events in order within one segment, which is what the projector needs.
 * {@code etat.projection.enabled=false} leaves the read models alone (e.g. a write-only node); it
 * still reads them ({@link ReadModelConfiguration}), as other nodes keep them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "etat.projection.enabled", havingValue = "true", matchIfMissing = true)
public class ProjectionConfiguration {

    public static final String PROCESSING_GROUP = "etat-projections";

    /** Explicit bounds: a batch is held in memory, and each segment is a thread and a token row. */
    static final int MAX_BATCH_SIZE = 10_000;
    static final int MAX_SEGMENTS = 64;

    @Bean
    public Projector projector(DataSource dataSource) {
        return new Projector(dataSource);
    }

    @Bean
    public ReadModelProjection readModelProjection(DataSource dataSource, Projector projector, ReadSideLinger linger) {
        return new ReadModelProjection(dataSource, projector, linger);
    }

    /** Rebuilds (HTTP, {@code etat replay}); batches of {@code etat.projection.rebuild-batch-size} (default 5000). */
    @Bean(destroyMethod = "close")
    public RebuildService rebuildService(DataSource dataSource, @Qualifier("eventSerializer") Serializer eventSerializer,
            ObjectProvider<EventProcessingConfiguration> processing, @Value("${etat.projection.rebuild-batch-size:5000}") int batchSize) {
        return new RebuildService(dataSource, eventSerializer, processing.getIfAvailable(), batchSize);
    }

    @Bean
    public ConfigurerModule projectionProcessor(@Value("${etat.projection.batch-size:500}") int batchSize,
            @Value("${etat.projection.segments:2}") int segments) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("etat.projection.batch-size must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        if (segments < 1 || segments > MAX_SEGMENTS) {
            throw new IllegalArgumentException("etat.projection.segments must be 1.." + MAX_SEGMENTS + ", got " + segments);
        }
        return configurer -> configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessor(
                PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                (config, builder) -> builder.batchSize(batchSize).initialSegmentCount(segments).maxClaimedSegments(segments)));
    }
}
