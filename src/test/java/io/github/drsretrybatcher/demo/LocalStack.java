package io.github.drsretrybatcher.demo;

import static io.github.drsretrybatcher.support.Events.task;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaBroker;
import io.github.drsretrybatcher.support.KafkaTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Runs everything on this machine: a real Kafka broker, the DRS simulator on port 8089, the packaged service,
 * and a few sample events; then prints outcomes and dead letters as they appear. Ctrl-C stops it all.
 * Started by {@code mvn -B -ntp -Pdemo -DskipTests package}.
 */
public final class LocalStack {

    private static final String TOKEN = "local-demo-token";

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        KafkaBroker broker = KafkaBroker.start();
        DrsSimulator drs = new DrsSimulator(TOKEN, Integer.getInteger("demo.drs.port", 8089));
        int port = Integer.getInteger("demo.http.port", 8080);
        Process service = startService(broker.bootstrapServers(), drs.endpointTemplate(), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the service, the simulator and the broker...");
            service.destroy();
            try {
                service.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            drs.close();
            broker.stop();
        }));
        System.out.printf("Kafka broker on %s, DRS simulator on %s, service on http://127.0.0.1:%d (log: %s)%n",
                broker.bootstrapServers(), drs.endpointTemplate(), port, Path.of("target", "local-service.log"));
        awaitReady(port, service);
        sendSamples(broker.bootstrapServers());
        tail(broker.bootstrapServers());
    }

    private static Process startService(String bootstrap, String endpoint, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Ddrs.endpoint=" + endpoint,
                "-Ddrs.auth.token=" + TOKEN,
                "-Dquarkus.http.port=" + port,
                "-jar", "target/quarkus-app/quarkus-run.jar"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "local-service.log").toFile()).start();
    }

    private static void awaitReady(int port, Process service) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build();
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.out.println("Service ready.");
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            service.waitFor(250, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("the service did not become ready; see target/local-service.log");
    }

    private static void sendSamples(String bootstrap) {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            String ok = "140b5236-88ad-43c8-811c-1268453jb101";
            String notFound = "notfound-2f0c1a";
            kafka.sendTask(ok, task("054babbbde80d4602f5cc0043a40ed8c", ok).toString());
            kafka.sendTask(ok, task("054babbbde80d4602f5cc0043a40ed8c", ok).put("event_id", "duplicate-1").toString());
            kafka.sendTask(notFound, task("054babbbde80d4602f5cc0043a40ed8c", notFound).toString());
            kafka.sendTask("parent-1", task("054babbbde80d4602f5cc0043a40ed8c", "parent-1").put("is_parent", true).toString());
            kafka.sendTask("bad-1", "{\"project_id\":\"054babbb\",\"job_id\":\"x\",\"region\":\"evil.example.com/\"}");
            kafka.sendTask("bad-2", "not json at all");
            System.out.println("Sent 6 sample events to " + KafkaTestClient.INPUT
                    + "; send your own with: kcat -P -b " + bootstrap + " -t " + KafkaTestClient.INPUT);
        }
    }

    private static void tail(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-tail");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(KafkaTestClient.OUTCOMES, KafkaTestClient.DEAD_LETTERS));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(KafkaTestClient.OUTCOMES)) {
                        System.out.println("OUTCOME     " + Events.text(record.value()));
                    } else {
                        System.out.printf("DEAD LETTER %s: %s | value: %s%n",
                                Events.header(record, "dead-letter-code"), Events.header(record, "dead-letter-reason"),
                                record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

}
