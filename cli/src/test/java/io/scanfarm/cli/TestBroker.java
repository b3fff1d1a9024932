package io.scanfarm.cli;

import io.scanfarm.cli.farm.EmbeddedKafka;
import io.scanfarm.cli.farm.LocalFarm;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real broker a Kafka test runs against, chosen at run time with the same test code: a Testcontainers
 * Kafka container where a Docker engine answers, otherwise the in-process KRaft broker from Kafka's jars.
 */
final class TestBroker {

    private static final boolean DOCKER = dockerAvailable();

    private TestBroker() {
    }

    static LocalFarm farm(String segment, int partitions) throws Exception {
        if (DOCKER) {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");
            kafka.start();
            return LocalFarm.on(kafka.getBootstrapServers(), kafka::stop, segment, partitions);
        }
        EmbeddedKafka broker = EmbeddedKafka.start(0);
        return LocalFarm.on(broker.bootstrapServers(), broker, segment, partitions);
    }

    static String kind() {
        return DOCKER ? "Testcontainers Kafka (apache/kafka:4.1.0)" : "in-process KRaft broker (no Docker engine)";
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
