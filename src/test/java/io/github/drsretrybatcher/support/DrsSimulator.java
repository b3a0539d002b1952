package io.github.drsretrybatcher.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A DRS API on a WireMock server that behaves like the batch-retry-task page: it checks the headers and the body,
 * and answers per item. The job id decides the item's fate: {@code ...notfound...} fails with
 * {@code DRS.M05003}, {@code ...busy...} with the transient {@code DRS.M01504}, {@code ...silent...} is left out
 * of the answer, {@code ...poison...} makes the whole batch fail with a 400 {@code DRS.M05003}; every other job
 * succeeds. Tests may add WireMock stubs of higher priority for faults.
 */
public final class DrsSimulator implements AutoCloseable {

    public static final String PATH_PATTERN = "/[a-z0-9-]+/v3/[A-Za-z0-9]+/jobs/batch-retry-task";

    /** Decides whether a request is authenticated: null when it is, else the refusal. */
    @FunctionalInterface
    public interface Gate {
        ResponseDefinition refuse(com.github.tomakehurst.wiremock.http.Request request);
    }

    private final WireMockServer server;
    private final Answer answer;

    public DrsSimulator(String token, int port) {
        this(tokenGate(token::equals, t -> false), port);
    }

    public DrsSimulator(Gate gate, int port) {
        this(gate, wireMockConfig().port(port));
    }

    private DrsSimulator(Gate gate, WireMockConfiguration config) {
        answer = new Answer(gate);
        server = new WireMockServer(config.bindAddress("127.0.0.1").extensions(answer));
        server.start();
        server.stubFor(post(urlPathMatching(PATH_PATTERN)).atPriority(10)
                .willReturn(aResponse().withTransformers(Answer.NAME)));
    }

    public DrsSimulator(String token) {
        this(token, 0);
    }

    public DrsSimulator(Gate gate) {
        this(gate, 0);
    }

    /** Accepts {@code X-Auth-Token}s that {@code live} accepts; answers 401 APIGW.0307 to {@code expired} ones. */
    public static Gate tokenGate(java.util.function.Predicate<String> live,
            java.util.function.Predicate<String> expired) {
        return request -> {
            String token = request.getHeader("X-Auth-Token");
            if (token != null && expired.test(token)) {
                return Answer.error(401, "APIGW.0307", "The token expires.");
            }
            return token != null && live.test(token) ? null
                    : Answer.error(401, "APIGW.0301", "Incorrect IAM authentication information.");
        };
    }

    /**
     * Accepts only requests whose AK/SK signature, recomputed by the vendor's own signer over the headers the
     * request says it signed, matches; {@code keys} maps access keys to secret keys.
     */
    public static Gate signatureGate(Map<String, String> keys) {
        return request -> {
            String authorization = request.getHeader("Authorization");
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)")
                    .matcher(authorization == null ? "" : authorization);
            if (!m.matches() || !keys.containsKey(m.group(1)) || request.getHeader("X-Sdk-Date") == null
                    || request.getHeader("X-Auth-Token") != null) {
                return Answer.error(401, "APIGW.0301", "Incorrect IAM authentication information.");
            }
            Set<String> signed = Set.of(m.group(2).split(";"));
            if (!signed.contains("host") || !signed.contains("x-sdk-date")) {
                return Answer.error(401, "APIGW.0301", "host and x-sdk-date must be signed.");
            }
            URI url = URI.create(request.getAbsoluteUrl());
            var builder = com.huaweicloud.sdk.core.http.HttpRequest.newBuilder()
                    .withEndpoint(url.getScheme() + "://" + request.getHeader("Host"))
                    .withPath(url.getRawPath())
                    .withMethod(com.huaweicloud.sdk.core.http.HttpMethod.valueOf(request.getMethod().getName()))
                    .withBodyAsString(request.getBodyAsString());
            for (String name : signed) {
                if (!name.equals("host")) {
                    builder.addHeader(name.equals("x-sdk-date") ? "X-Sdk-Date" : name, request.getHeader(name));
                }
            }
            String expected = com.huaweicloud.sdk.core.auth.AKSKSigner.getInstance().sign(builder.build(),
                    new com.huaweicloud.sdk.core.auth.BasicCredentials().withAk(m.group(1))
                            .withSk(keys.get(m.group(1)))).get("Authorization");
            return authorization.equals(expected) ? null
                    : Answer.error(401, "APIGW.0301", "The signature does not match.");
        };
    }

    /** A simulator that speaks only HTTPS, with the key and certificate in a PKCS12 {@code keystore}. */
    public static DrsSimulator https(String token, java.nio.file.Path keystore, String password) {
        return new DrsSimulator(tokenGate(token::equals, t -> false), wireMockConfig().httpDisabled(true).httpsPort(0)
                .keystorePath(keystore.toString()).keystoreType("PKCS12").keystorePassword(password)
                .keyManagerPassword(password));
    }

    /**
     * Optional: every batch-retry-task answer is sent {@code latency} after the request arrived, like a remote API.
     * Zero (the default) answers at once.
     */
    public DrsSimulator latency(java.time.Duration latency) {
        answer.latencyMillis = (int) Math.max(0, latency.toMillis());
        return this;
    }

    /**
     * Optional: each item that would succeed fails instead, with probability {@code rate}, with the permanent
     * {@code DRS.M05003} (so it is not asked again). Zero (the default) fails none.
     */
    public DrsSimulator itemFailureRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("the item failure rate must be within [0, 1]: " + rate);
        }
        answer.itemFailureRate = rate;
        return this;
    }

    /** The endpoint template to configure as {@code drs.endpoint}. */
    public String endpointTemplate() {
        return server.getOptions().getHttpDisabled()
                ? "https://localhost:" + server.httpsPort() + "/{region}"
                : "http://127.0.0.1:" + server.port() + "/{region}";
    }

    public WireMockServer server() {
        return server;
    }

    /** Every batch-retry-task request received so far. */
    public List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlPathMatching(PATH_PATTERN)));
    }

    /** The requests whose body names one of {@code jobIds}. */
    public List<LoggedRequest> requestsFor(Set<String> jobIds) {
        return requests().stream().filter(r -> jobIds(r).stream().anyMatch(jobIds::contains)).toList();
    }

    /** The job ids in a request body. */
    public static List<String> jobIds(LoggedRequest request) {
        List<String> ids = new ArrayList<>();
        try {
            for (JsonNode job : new ObjectMapper().readTree(request.getBodyAsString()).path("jobs")) {
                ids.add(job.path("job_id").asText());
            }
        } catch (IOException e) {
            // a body that is not JSON names no job
        }
        return ids;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The per-item behaviour of the API. */
    static final class Answer implements ResponseDefinitionTransformerV2 {

        static final String NAME = "drs-batch-retry";
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private final Gate gate;
        volatile int latencyMillis;
        volatile double itemFailureRate;

        Answer(Gate gate) {
            this.gate = gate;
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            ResponseDefinition answer = answer(event);
            int latency = latencyMillis;
            return latency > 0 ? ResponseDefinitionBuilder.like(answer).withFixedDelay(latency).build() : answer;
        }

        private ResponseDefinition answer(ServeEvent event) {
            var request = event.getRequest();
            double failureRate = itemFailureRate;
            ResponseDefinition refused = gate.refuse(request);
            if (refused != null) {
                return refused;
            }
            String contentType = request.getHeader("Content-Type");
            if (contentType == null || !contentType.startsWith("application/json")) {
                return error(400, "DRS.M00200", "Content-Type must be application/json.");
            }
            JsonNode jobs;
            try {
                JsonNode body = MAPPER.readTree(request.getBodyAsString());
                jobs = body.path("jobs");
                if (!jobs.isArray() || jobs.isEmpty() || body.size() != 1) {
                    return error(400, "DRS.M00201", "jobs must be a non-empty array and the only field.");
                }
            } catch (IOException e) {
                return error(400, "DRS.M00200", "The body is not JSON.");
            }
            Set<String> seen = new HashSet<>();
            ObjectNode answer = MAPPER.createObjectNode();
            ArrayNode results = answer.putArray("results");
            for (JsonNode job : jobs) {
                String id = job.path("job_id").asText("");
                if (id.isEmpty() || !seen.add(id)) {
                    return error(400, "DRS.M00301", "Duplicate or empty job_id in the request.");
                }
                if (id.contains("poison")) {
                    return error(400, "DRS.M05003", "The task does not exist.");
                }
                if (id.contains("silent")) {
                    continue;
                }
                ObjectNode item = results.addObject().put("id", id);
                if (id.contains("notfound")) {
                    item.put("status", "failed").put("error_code", "DRS.M05003").put("error_msg", "The task does not exist.");
                } else if (id.contains("busy")) {
                    item.put("status", "failed").put("error_code", "DRS.M01504").put("error_msg", "Another operation is running.");
                } else if (failureRate > 0
                        && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < failureRate) {
                    item.put("status", "failed").put("error_code", "DRS.M05003").put("error_msg", "The task does not exist.");
                } else {
                    item.put("status", "success");
                }
            }
            answer.put("count", results.size());
            return respond(200, answer);
        }

        static ResponseDefinition error(int status, String code, String message) {
            return respond(status, MAPPER.createObjectNode().put("error_code", code).put("error_msg", message));
        }

        private static ResponseDefinition respond(int status, JsonNode body) {
            return ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-Request-Id", UUID.randomUUID().toString())
                    .withBody(body.toString())
                    .build();
        }
    }
}
