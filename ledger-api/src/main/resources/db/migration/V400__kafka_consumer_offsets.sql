-- Kafka consumer offsets of the standalone projection service (org.etat.app.kafka.KafkaProjectionConsumer):
-- written in the same transaction as the read-model rows of the records they cover, so a crash can
-- neither skip nor re-apply a record. Outside the projection schema on purpose: a rebuild swaps that.
CREATE TABLE kafka_consumer_offset (
    consumer_group VARCHAR(255) NOT NULL,
    topic          VARCHAR(255) NOT NULL,
    partition_no   INTEGER      NOT NULL CHECK (partition_no >= 0),
    next_offset    BIGINT       NOT NULL CHECK (next_offset >= 0),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT kafka_consumer_offset_pk PRIMARY KEY (consumer_group, topic, partition_no)
);
