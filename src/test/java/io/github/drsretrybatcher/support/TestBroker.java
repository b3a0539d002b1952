package io.github.drsretrybatcher.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker the tests share within one JVM: a Testcontainers Kafka where a Docker engine answers, otherwise
 * {@link KafkaBroker} started from Apache Kafka's own jars ({@code -Dtests.broker=process} forces that). Either
 * way a real broker.
 */
public final class TestBroker {

    private static String bootstrapServers;

    private TestBroker() {
    }

    /** Creates a topic on the shared broker and returns its name. */
    public static String createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            return name;
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    private static void createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(KafkaTestClient.INPUT, KafkaTestClient.OUTCOMES, KafkaTestClient.DEAD_LETTERS)
                    .stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the test topics", e);
        }
    }

    /** Starts the broker on first use; it stops when the JVM exits. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            if (!"process".equals(System.getProperty("tests.broker")) && DockerClientFactory.instance().isDockerAvailable()) {
                KafkaContainer container = new KafkaContainer("apache/kafka-native:4.1.2");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                bootstrapServers = container.getBootstrapServers();
            } else {
                KafkaBroker broker = KafkaBroker.start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
                bootstrapServers = broker.bootstrapServers();
            }
            createTopics(bootstrapServers);
        }
        return bootstrapServers;
    }
}
