package io.github.drsretrybatcher.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Real parts for a test of the whole service: the shared Kafka broker and a {@link DrsSimulator} on a dynamic
 * port, with settings that keep the test short (short window, fast backoff).
 */
public class PipelineResource implements QuarkusTestResourceLifecycleManager {

    /** The token the simulator accepts; tests check that it never leaks. */
    public static final String TOKEN = "tok-7Qz3-never-in-any-output";
    /** Projects in {@code drs.allowed-projects}. */
    public static final String PROJECT_A = "projA1";
    public static final String PROJECT_B = "projB2";
    /** Regions in {@code drs.allowed-regions}; the first one is the default region. */
    public static final String REGION = "cn-north-4";
    public static final String OTHER_REGION = "ap-southeast-1";

    private DrsSimulator drs;

    @Override
    public Map<String, String> start() {
        drs = new DrsSimulator(TOKEN);
        Map<String, String> config = new HashMap<>(settings(TestBroker.bootstrapServers(), drs.endpointTemplate()));
        return config;
    }

    /** The configuration a test run of the service gets. */
    public static Map<String, String> settings(String bootstrapServers, String endpoint) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("quarkus.kafka.devservices.enabled", "false");
        config.put("drs.endpoint", endpoint);
        config.put("drs.region", REGION);
        config.put("drs.auth.mode", "token");
        config.put("drs.auth.token", TOKEN);
        config.put("drs.allowed-projects", PROJECT_A + "," + PROJECT_B);
        config.put("drs.allowed-regions", REGION + "," + OTHER_REGION);
        config.put("batch.window", "400ms");
        config.put("drs.call.max-attempts", "3");
        config.put("drs.call.initial-backoff", "20ms");
        config.put("drs.call.max-backoff", "200ms");
        config.put("drs.call.read-timeout", "5s");
        config.put("drs.call.give-up-after", "10s");
        // the scenarios fail calls on purpose; only the breaker tests want it to open
        config.put("drs.breaker.request-volume-threshold", "1000");
        return config;
    }

    /** Debug logging of the service and its REST clients into {@code target/<name>.log}, for secret searches. */
    public static void debugLogTo(Map<String, String> config, String name) {
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", "target/" + name + ".log");
        config.put("quarkus.log.file.level", "DEBUG");
        config.put("quarkus.log.category.\"io.github.drsretrybatcher\".level", "DEBUG");
        config.put("quarkus.rest-client.logging.scope", "request-response");
        config.put("quarkus.log.category.\"org.jboss.resteasy.reactive.client.logging\".level", "DEBUG");
    }

    /** Settings for the packaged service run as a process on its own input topic and consumer group. */
    public static Map<String, String> processSettings(String bootstrapServers, DrsSimulator drs, String topic,
            String group, String window) {
        Map<String, String> config = settings(bootstrapServers, drs.endpointTemplate());
        config.put("batch.window", window);
        config.put("mp.messaging.incoming.task-failed.topic", topic);
        config.put("mp.messaging.incoming.task-failed.group.id", group);
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(drs, new TestInjector.AnnotatedAndMatchesType(InjectDrsSimulator.class,
                DrsSimulator.class));
    }

    @Override
    public void stop() {
        if (drs != null) {
            drs.close();
        }
    }
}
