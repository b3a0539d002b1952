package io.github.drsretrybatcher.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (KRaft, single node) run as a child process from the jars that the build copies to
 * {@code target/kafka-broker/libs}, so that no broker class sits on the service's classpath.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String libs;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, String libs) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.libs = libs;
    }

    /** Formats a fresh log directory and starts the broker; returns once its port accepts connections. */
    public static KafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("kafka-broker-");
            KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort(), libs());
            broker.format();
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private void format() throws IOException {
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") + "\n");
        Process format = java("kafka.tools.StorageTool", "format", "--standalone",
                "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                "-c", dir.resolve("server.properties").toString())
                .redirectOutput(dir.resolve("format.log").toFile()).start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("kafka storage format failed, see " + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker process on the same ports and data; used to start it again after {@link #stop()}. */
    public void launch() {
        try {
            process = java("kafka.Kafka", dir.resolve("server.properties").toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("kafka broker did not start, see " + dir.resolve("broker.log"));
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops the broker with SIGTERM and waits for it. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.level=WARN", "-Dlog4j.configurationFile=" + log4jConfig(),
                "-cp", libs + "/*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private String log4jConfig() {
        Path config = dir.resolve("log4j2.properties");
        try {
            if (!Files.exists(config)) {
                Files.writeString(config, "rootLogger.level=WARN\nrootLogger.appenderRef.out.ref=out\n"
                        + "appender.out.type=Console\nappender.out.name=out\n"
                        + "appender.out.layout.type=PatternLayout\nappender.out.layout.pattern=%d %p %c - %m%n\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config.toString();
    }

    private static String libs() {
        String libs = System.getProperty("kafka.broker.libs", "target/kafka-broker/libs");
        if (!Files.isDirectory(Path.of(libs))) {
            throw new IllegalStateException("No Kafka broker jars in " + libs + "; run the build (mvn verify) first");
        }
        return Path.of(libs).toAbsolutePath().toString();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
