package org.etat.app.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics if they are missing (an existing topic is left as it is). */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * Creates {@code name} with the given partitions and replicas unless it exists.
     *
     * @throws KafkaUnavailableException when the broker does not answer within {@code timeout}
     */
    public static void ensure(String bootstrap, String name, int partitions, short replicationFactor, int minInsyncReplicas,
            Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 15_000));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            if (existing.contains(name)) {
                return;
            }
            NewTopic topic = new NewTopic(name, partitions, replicationFactor)
                    .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas)));
            try {
                admin.createTopics(java.util.List.of(topic)).all().get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another node created it meanwhile: fine
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("cannot create topic " + name + " on " + bootstrap, e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while creating topic " + name, e);
        }
    }
}
