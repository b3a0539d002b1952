package io.github.drsretrybatcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.config.BatchConfig;
import io.github.drsretrybatcher.config.DrsConfig;
import io.github.drsretrybatcher.config.RetryConfig;
import io.github.drsretrybatcher.drs.auth.CredentialsResolver;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.utils.StringUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code k8s/}, parsed with the fabric8 Kubernetes model (unknown fields fail), and checked
 * against the service: probe paths and ports, the shutdown bound, the settings the ConfigMap and Secret carry,
 * and the metrics that the alerts, the KEDA trigger and the Grafana dashboard name, scraped from the running
 * service.
 */
@QuarkusTest
@WithTestResource(PipelineResource.class)
class KubernetesManifestsTest extends PipelineScenariosSupport {

    static final Path K8S = Path.of("k8s");
    static final String APP = "drs-retry-batcher";
    static final String CONFIG_MAP = "drs-retry-batcher-config";
    static final String SECRET = "drs-retry-batcher-config-creds";

    /** Manifests kept beside the kustomization as the documented replacement of a listed one. */
    static final Map<String, String> ALTERNATIVES = Map.of("hpa.yaml", "keda-scaledobject.yaml");

    /**
     * KEDA ships no model in the fabric8 family, so a ScaledObject parses as a GenericKubernetesResource and its
     * spec is held to these field paths, from KEDA's ScaledObject and Kafka scaler documentation.
     */
    static final Set<String> SCALED_OBJECT_FIELDS = Set.of(
            "spec.scaleTargetRef.apiVersion", "spec.scaleTargetRef.kind", "spec.scaleTargetRef.name",
            "spec.minReplicaCount", "spec.maxReplicaCount", "spec.idleReplicaCount",
            "spec.pollingInterval", "spec.cooldownPeriod",
            "spec.triggers[].type", "spec.triggers[].authenticationRef.name",
            "spec.triggers[].metadata.bootstrapServers", "spec.triggers[].metadata.consumerGroup",
            "spec.triggers[].metadata.topic", "spec.triggers[].metadata.lagThreshold",
            "spec.triggers[].metadata.activationLagThreshold", "spec.triggers[].metadata.offsetResetPolicy",
            "spec.triggers[].metadata.allowIdleConsumers", "spec.triggers[].metadata.excludePersistentLag",
            "spec.triggers[].metadata.limitToPartitionsWithLag");

    /** Labels that Prometheus adds from the scrape target; the service's own series do not carry them. */
    static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "service", "container", "endpoint",
            "job", "instance");

    static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");

    /** Parses typed models and fails on any field the model lacks instead of keeping it aside. */
    static final KubernetesSerialization STRICT = new KubernetesSerialization(strictMapper(), true);
    static final KubernetesSerialization LENIENT = new KubernetesSerialization();

    @TestHTTPResource("/")
    URL root;

    static Map<String, HasMetadata> manifests;

    /**
     * fabric8 models keep unknown fields through {@code @JsonAnySetter} in {@code additionalProperties}; without
     * the any-setter, Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES} names the unknown field and its path.
     */
    static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public Boolean hasAnySetter(Annotated a) {
                return false;
            }
        });
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }

    /** The manifests of the kustomization and its alternatives, by file name. */
    static synchronized Map<String, HasMetadata> manifests() throws IOException {
        if (manifests == null) {
            Map<String, HasMetadata> parsed = new LinkedHashMap<>();
            for (String file : listedFiles()) {
                parsed.put(file, parse(Files.readString(K8S.resolve(file))));
            }
            manifests = parsed;
        }
        return manifests;
    }

    record Kustomization(String apiVersion, String kind, List<String> resources) {
    }

    static List<String> listedFiles() throws IOException {
        Kustomization kustomization = new ObjectMapper(new YAMLFactory())
                .readValue(K8S.resolve("kustomization.yaml").toFile(), Kustomization.class);
        List<String> files = new ArrayList<>(kustomization.resources());
        files.addAll(ALTERNATIVES.keySet());
        return files;
    }

    static HasMetadata parse(String yaml) {
        GenericKubernetesResource generic = LENIENT.unmarshal(yaml, GenericKubernetesResource.class);
        var type = LENIENT.getRegisteredKubernetesResource(generic.getApiVersion(), generic.getKind());
        if (type == null) {
            assertThat(generic.getKind()).as("a kind with no model").isEqualTo("ScaledObject");
            assertThat(leafPaths("spec", LENIENT.convertValue(generic.getAdditionalProperties().get("spec"),
                    JsonNode.class))).isSubsetOf(SCALED_OBJECT_FIELDS);
            assertThat(generic.getAdditionalProperties()).containsOnlyKeys("spec");
            assertThat(generic.getMetadata().getAdditionalProperties()).isEmpty();
            return generic;
        }
        return (HasMetadata) STRICT.unmarshal(yaml, type);
    }

    static Set<String> leafPaths(String path, JsonNode node) {
        Set<String> paths = new TreeSet<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> paths.addAll(leafPaths(path + "." + e.getKey(), e.getValue())));
        } else if (node.isArray()) {
            node.forEach(element -> paths.addAll(leafPaths(path + "[]", element)));
        } else {
            paths.add(path);
        }
        return paths;
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T one(Class<T> type) throws IOException {
        List<HasMetadata> found = manifests().values().stream().filter(type::isInstance).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return (T) found.get(0);
    }

    static GenericKubernetesResource scaledObject() throws IOException {
        return (GenericKubernetesResource) manifests().get("keda-scaledobject.yaml");
    }

    @Test
    void everyManifestIsListedAndParsesWithItsModel() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            Set<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml")).collect(Collectors.toSet());
            present.remove("kustomization.yaml");
            assertThat(listedFiles()).as("files in kustomization.yaml (and their alternatives)")
                    .containsExactlyInAnyOrderElementsOf(present);
        }
        assertThat(ALTERNATIVES.values()).isSubsetOf(listedFiles());
        assertThat(manifests().values()).allSatisfy(m -> {
            assertThat(m.getMetadata().getName()).startsWith(APP);
            assertThat(m.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", APP);
        });
        assertThat(manifests().values().stream().map(m -> m.getClass().getSimpleName()))
                .containsExactlyInAnyOrder("ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget",
                        "HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule", "NetworkPolicy",
                        "GenericKubernetesResource");
    }

    @Test
    void anUnknownFieldFailsTheParse() throws IOException {
        String deployment = Files.readString(K8S.resolve("deployment.yaml"))
                .replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
        assertThatThrownBy(() -> parse(deployment)).hasStackTraceContaining("readOnlyRootFileSystem");
        String monitor = Files.readString(K8S.resolve("servicemonitor.yaml")).replace("interval:", "intervall:");
        assertThatThrownBy(() -> parse(monitor)).hasStackTraceContaining("intervall");
        String scaledObject = Files.readString(K8S.resolve("keda-scaledobject.yaml"))
                .replace("lagThreshold:", "lagTreshold:");
        assertThatThrownBy(() -> parse(scaledObject)).hasMessageContaining("spec.triggers[].metadata.lagTreshold");
    }

    @Test
    void deploymentProbesPortsSecurityAndGracePeriod() throws IOException {
        Deployment deployment = one(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).hasSize(1);
        Container container = pod.getContainers().get(0);

        ContainerPort http = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                .orElseThrow();
        assertThat(http.getContainerPort()).isEqualTo(httpPort());
        Map<String, Probe> probes = Map.of("/q/health/started", container.getStartupProbe(),
                "/q/health/ready", container.getReadinessProbe(), "/q/health/live", container.getLivenessProbe());
        probes.forEach((path, probe) -> {
            HTTPGetAction get = probe.getHttpGet();
            assertThat(get.getPath()).isEqualTo(path);
            assertThat(get.getPort().getStrVal()).isEqualTo(http.getName());
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        });

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isNotEqualTo(Boolean.FALSE);
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
                .orElseThrow();
        assertThat(volume.getEmptyDir()).as("writable /tmp").isNotNull();

        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        for (String resource : List.of("cpu", "memory")) {
            assertThat(requests.get(resource).getNumericalAmount())
                    .isLessThanOrEqualTo(limits.get(resource).getNumericalAmount());
        }

        // the drain and Quarkus' own shutdown, as the service sees them with the ConfigMap and Secret applied
        SmallRyeConfig config = prodConfig();
        Duration drain = config.getConfigMapping(BatchConfig.class).shutdownTimeout();
        Duration quarkus = config.getValue("quarkus.shutdown.timeout", Duration.class);
        assertThat(drain).isLessThanOrEqualTo(quarkus);
        assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).isGreaterThan(quarkus);

        List<EnvFromSource> envFrom = container.getEnvFrom();
        assertThat(envFrom).extracting(e -> e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName())
                .contains(one(ConfigMap.class).getMetadata().getName()).contains(CONFIG_MAP);
        assertThat(envFrom).extracting(e -> e.getSecretRef() == null ? null : e.getSecretRef().getName())
                .contains(one(Secret.class).getMetadata().getName()).contains(SECRET);
    }

    @Test
    void selectorsAndTargetsPointAtTheDeployment() throws IOException {
        Deployment deployment = one(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        Service service = one(Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        ServicePort servicePort = service.getSpec().getPorts().get(0);
        assertThat(container.getPorts()).extracting(ContainerPort::getName)
                .contains(servicePort.getTargetPort().getStrVal());

        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

        NetworkPolicy policy = one(NetworkPolicy.class);
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getIngress()).flatExtracting(i -> i.getPorts())
                .extracting(NetworkPolicyPort::getPort)
                .anyMatch(p -> servicePort.getTargetPort().getStrVal().equals(p.getStrVal())
                        || container.getPorts().get(0).getContainerPort().equals(p.getIntVal()));

        CrossVersionObjectReference hpaTarget = one(HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef();
        assertThat(List.of(hpaTarget.getApiVersion(), hpaTarget.getKind(), hpaTarget.getName()))
                .containsExactly(deployment.getApiVersion(), deployment.getKind(), deployment.getMetadata().getName());
        @SuppressWarnings("unchecked")
        Map<String, Object> kedaTarget = (Map<String, Object>) scaledObjectSpec().get("scaleTargetRef");
        assertThat(kedaTarget).containsExactlyInAnyOrderEntriesOf(Map.of("apiVersion", deployment.getApiVersion(),
                "kind", deployment.getKind(), "name", deployment.getMetadata().getName()));

        ServiceMonitor monitor = one(ServiceMonitor.class);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector()
                .getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).extracting(Endpoint::getPort)
                .containsOnly(servicePort.getName());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> scaledObjectSpec() throws IOException {
        return (Map<String, Object>) scaledObject().getAdditionalProperties().get("spec");
    }

    /** The ConfigMap's and the Secret's entries: what the container gets as environment variables. */
    static Map<String, String> environment() throws IOException {
        Map<String, String> env = new HashMap<>(one(ConfigMap.class).getData());
        Secret secret = one(Secret.class);
        if (secret.getStringData() != null) {
            env.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> env.put(k, new String(Base64.getDecoder().decode(v),
                    StandardCharsets.UTF_8)));
        }
        return env;
    }

    /** The service's configuration in production: application.properties with the manifests' environment. */
    static SmallRyeConfig prodConfig() throws IOException {
        return new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(applicationProperties(), 250))
                .withSources(new EnvConfigSource(environment(), 300))
                .withMapping(DrsConfig.class).withMapping(BatchConfig.class).withMapping(RetryConfig.class)
                .build();
    }

    /** The service's HTTP port in production: Quarkus' default unless application.properties or the ConfigMap set it. */
    static int httpPort() throws IOException {
        String quarkusDefault = ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(
                VertxHttpConfig.class, "quarkus.http")).get("quarkus.http.port").getDefaultValue();
        return prodConfig().getOptionalValue("quarkus.http.port", Integer.class)
                .orElse(Integer.valueOf(quarkusDefault));
    }

    static URL applicationProperties() {
        return KubernetesManifestsTest.class.getClassLoader().getResource("application.properties");
    }

    /** Every property the service reads: its config mappings and the keys of application.properties. */
    static Set<String> readProperties() throws IOException {
        Set<String> names = new TreeSet<>();
        for (var mapping : Map.of(DrsConfig.class, "drs", BatchConfig.class, "batch", RetryConfig.class, "retry")
                .entrySet()) {
            names.addAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping.getKey(),
                    mapping.getValue())).keySet());
        }
        new PropertiesConfigSource(applicationProperties(), 250).getPropertyNames().stream()
                .filter(n -> !n.startsWith("%")).forEach(names::add);
        return names;
    }

    /** MicroProfile Config's environment-variable name of a property. */
    static String envName(String property) {
        return StringUtil.replaceNonAlphanumericByUnderscores(property).toUpperCase();
    }

    @Test
    void configMapAndSecretKeysAreSettingsTheServiceReads() throws IOException {
        Map<String, String> byEnvName = new HashMap<>();
        readProperties().forEach(p -> byEnvName.put(envName(p), p));
        SmallRyeConfig config = prodConfig();
        environment().forEach((key, value) -> {
            assertThat(byEnvName).as("%s names a setting the service reads", key).containsKey(key);
            assertThat(config.getRawValue(byEnvName.get(key))).as(key).isEqualTo(value);
        });

        // application.properties points at a local broker; in the cluster the ConfigMap must name the real one
        assertThat(one(ConfigMap.class).getData()).containsKey(envName("kafka.bootstrap.servers"));
        // every allowed project and region finds credentials in the auth mode the ConfigMap sets
        DrsConfig drs = config.getConfigMapping(DrsConfig.class);
        CredentialsResolver credentials = new CredentialsResolver(drs.auth());
        Set<String> regions = drs.allowedRegions().orElse(Set.of(drs.region()));
        Set<String> projects = drs.allowedProjects().orElse(Set.of("any-project"));
        for (String region : regions) {
            for (String project : projects) {
                assertThat(credentials.resolve(region, project)).as(credentials.missing(region, project))
                        .isPresent();
            }
        }
        assertThat(one(ConfigMap.class).getData().keySet()).as("credentials belong in the Secret")
                .noneMatch(key -> key.startsWith("DRS_AUTH_") && !key.equals("DRS_AUTH_MODE"));
    }

    @Test
    void kedaTriggerWatchesTheServiceConsumerGroup() throws IOException {
        SmallRyeConfig config = prodConfig();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) scaledObjectSpec().get("triggers");
        assertThat(triggers).hasSize(1);
        assertThat(triggers.get(0)).containsEntry("type", "kafka");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) triggers.get(0).get("metadata");
        assertThat(metadata)
                .containsEntry("bootstrapServers", config.getRawValue("kafka.bootstrap.servers"))
                .containsEntry("consumerGroup", config.getRawValue("mp.messaging.incoming.task-failed.group.id"))
                .containsEntry("topic", config.getRawValue("mp.messaging.incoming.task-failed.topic"))
                .containsEntry("offsetResetPolicy",
                        config.getRawValue("mp.messaging.incoming.task-failed.auto.offset.reset"));
    }

    @Test
    void alertsAndDashboardNameOnlyExportedMetrics() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (var group : one(PrometheusRule.class).getSpec().getGroups()) {
            for (Rule rule : group.getRules()) {
                expressions.put("alert " + rule.getAlert(), rule.getExpr().getStrVal());
            }
        }
        JsonNode dashboard = new ObjectMapper().readTree(K8S.resolve("grafana-dashboard.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put("panel " + panel.path("title").asText(), target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\((.*),\\s*\\w+\\)").matcher(variable.path("definition")
                    .asText());
            assertThat(m.matches()).as(variable.toString()).isTrue();
            expressions.put("variable " + variable.path("name").asText(), m.group(1));
        }
        assertThat(expressions).isNotEmpty();
        assertThat(expressions).allSatisfy((where, expr) -> assertThat(metricNames(expr)).as(where).isNotEmpty());

        // one call to the API, so that the call timer has series too
        String job = Events.jobId("ok");
        kafka.sendTask(job, Events.task(PipelineResource.PROJECT_A, job).toString());
        outcomes(job);

        String path = one(ServiceMonitor.class).getSpec().getEndpoints().get(0).getPath();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, List<Map<String, String>>> scraped = scrape(path);
            expressions.forEach((where, expr) -> {
                for (String metric : metricNames(expr)) {
                    assertThat(scraped.keySet()).as("%s names %s", where, metric).contains(metric);
                }
                selectors(expr).forEach((metric, matchers) -> matchers.forEach((label, regex) ->
                        assertThat(scraped.get(metric)).as("%s: %s{%s=~\"%s\"}", where, metric, label, regex)
                                .anyMatch(series -> series.getOrDefault(label, "").matches(regex))));
            });
        });
    }

    /** The metric names of a PromQL expression: identifiers that are no function, keyword or label. */
    static Set<String> metricNames(String expr) {
        String names = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")      // strings
                .replaceAll("\\{[^}]*}", " ")                          // label matchers
                .replaceAll("\\[[^]]*]", " ")                          // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");                           // Grafana variables
        Set<String> metrics = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(names);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_KEYWORDS.contains(m.group(1).toLowerCase())) {
                metrics.add(m.group(1));
            }
        }
        return metrics;
    }

    /** The label matchers ({@code =} and {@code =~}) on the service's own labels, as regexes, by metric. */
    static Map<String, Map<String, String>> selectors(String expr) {
        Map<String, Map<String, String>> selectors = new HashMap<>();
        Matcher s = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}").matcher(expr);
        while (s.find()) {
            Matcher l = Pattern.compile("(\\w+)\\s*(=~|=)\\s*\"([^\"]*)\"").matcher(s.group(2));
            while (l.find()) {
                if (!TARGET_LABELS.contains(l.group(1)) && !l.group(3).contains("$")) {
                    selectors.computeIfAbsent(s.group(1), k -> new HashMap<>()).put(l.group(1),
                            l.group(2).equals("=") ? Pattern.quote(l.group(3)) : l.group(3));
                }
            }
        }
        return selectors;
    }

    /** The service's metrics endpoint: series labels by sample name, as exposed (with _total, _bucket, ...). */
    Map<String, List<Map<String, String>>> scrape(String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, List<Map<String, String>>> series = new HashMap<>();
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*");
        Pattern label = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String line : response.body().split("\n")) {
            Matcher m = sample.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = label.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            series.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return series;
    }

    HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.toURI().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
