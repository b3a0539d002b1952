package io.github.drsretrybatcher.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsretrybatcher.config.RetryConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The retry budget, remembered in a Kafka topic: one record per API call, naming its jobs and when they were
 * sent, acknowledged by the broker before the call is made. Every instance reads the topic at start-up and keeps
 * following it, so the budget survives restarts and rebalances; the topic keeps records for the budget period
 * (older sends no longer count), so its size is bounded by {@code retry.max-per-job} sends per job and period.
 */
@ApplicationScoped
public class RetryBudget {

    private static final Logger LOG = Logger.getLogger(RetryBudget.class);
    /** Names the process that wrote a budget record, so that it skips its own records when following. */
    private static final String WRITER_HEADER = "drs-batcher-writer";

    private final RetryConfig config;
    private final Map<String, Object> kafka;
    private final ObjectMapper mapper;
    private final RetryLedger ledger;
    private final byte[] writerId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> follower;
    private Thread followThread;

    RetryBudget(RetryConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            ObjectMapper mapper) {
        this.config = config;
        this.kafka = kafka;
        this.mapper = mapper;
        this.ledger = new RetryLedger(config.cooldown(), config.maxPerJob(), config.budgetPeriod(),
                config.maxTrackedJobs());
    }

    /** Before the messaging connectors start ({@code LIBRARY_BEFORE}): no window may flush on an unread budget. */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 500) StartupEvent event) throws Exception {
        ensureTopic();
        Map<String, Object> producerConfig = new HashMap<>(clientConfig());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a few KB per API call: compressing each (a 128 KB lz4 buffer per batch) would cost more than it saves
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        producerConfig.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "2097152");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "2097152");
        follower = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = follower.partitionsFor(config.topic(), config.loadTimeout()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        follower.assign(partitions);
        follower.seekToBeginning(partitions);
        catchUp(partitions);
        followThread = new Thread(this::follow, "drs-retry-budget");
        followThread.setDaemon(true);
        followThread.start();
        LOG.infof("Retry budget: %d jobs remembered from %s", ledger.size(), config.topic());
    }

    private void catchUp(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = follower.endOffsets(partitions, config.loadTimeout());
        long deadline = System.nanoTime() + config.loadTimeout().toNanos();
        while (partitions.stream().anyMatch(p -> follower.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Could not read the retry budget topic " + config.topic()
                        + " within " + config.loadTimeout());
            }
            follower.poll(Duration.ofMillis(200)).forEach(this::restore);
        }
    }

    private void follow() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : follower.poll(Duration.ofMillis(500))) {
                    // this process's own records are in the ledger already
                    Header writer = record.headers().lastHeader(WRITER_HEADER);
                    if (writer == null || !Arrays.equals(writer.value(), writerId)) {
                        restore(record);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            follower.close(Duration.ofSeconds(2));
        }
    }

    private void restore(ConsumerRecord<String, byte[]> record) {
        try {
            Sends sends = mapper.readValue(record.value(), Sends.class);
            Instant at = Instant.ofEpochMilli(sends.sentAt());
            if (at.plus(config.budgetPeriod()).isAfter(Instant.now())) {
                sends.jobs().forEach(jobId -> ledger.sent(jobId, at));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Ignoring an unreadable retry-budget record at %s-%d@%d: %s", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    /** Whether {@code jobId} may be sent now. */
    public RetryLedger.Verdict check(String jobId, Instant now) {
        return ledger.check(jobId, now);
    }

    /** Counts a send of each job, in one record; the Uni ends when the broker has it. */
    public Uni<Void> record(List<String> jobIds, Instant now) {
        jobIds.forEach(jobId -> ledger.sent(jobId, now));
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.topic(),
                    mapper.writeValueAsBytes(new Sends(now.toEpochMilli(), jobIds)));
            record.headers().add(WRITER_HEADER, writerId);
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
        } catch (IOException | RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return Uni.createFrom().completionStage(ack);
    }

    /** The value of a budget record: the jobs of one API call and when it was made (epoch milliseconds). */
    @RegisterForReflection
    record Sends(@JsonProperty("sent_at") long sentAt, @JsonProperty("jobs") List<String> jobs) {
    }

    private void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(clientConfig())) {
            NewTopic topic = new NewTopic(config.topic(), Optional.empty(), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention().toMillis())));
            admin.createTopics(List.of(topic)).all().get(config.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Sends older than the budget period no longer count; an hour more covers clocks that disagree. */
    private Duration retention() {
        return config.budgetPeriod().plusHours(1);
    }

    private Map<String, Object> clientConfig() {
        Map<String, Object> client = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (!key.startsWith("devservices") && !key.startsWith("health") && !key.startsWith("snappy")) {
                client.put(key, value);
            }
        });
        return client;
    }

    @PreDestroy
    void stop() {
        if (followThread != null) {
            follower.wakeup();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
