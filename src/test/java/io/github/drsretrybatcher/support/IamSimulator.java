package io.github.drsretrybatcher.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An IAM token service on WireMock: checks the password-method body (user, password, domain, project scope) and
 * issues project-scoped tokens in {@code X-Subject-Token}, remembering which project each token is for, so a DRS
 * simulator can accept exactly the live tokens of the right project.
 */
public final class IamSimulator implements AutoCloseable {

    public static final String PATH_PATTERN = "/[a-z0-9-]+/v3/auth/tokens";

    private final WireMockServer server;
    private final Map<String, String> projectOfToken = new ConcurrentHashMap<>();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> lifetimes = new ConcurrentHashMap<>();

    public IamSimulator(String user, String password, String domain, Duration lifetime) {
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").port(0)
                .extensions(new Issue(user, password, domain, lifetime)));
        server.start();
        server.stubFor(post(urlPathMatching(PATH_PATTERN)).atPriority(10)
                .willReturn(aResponse().withTransformers(Issue.NAME)));
    }

    /** The endpoint template to configure as {@code drs.auth.iam.endpoint}. */
    public String endpointTemplate() {
        return "http://127.0.0.1:" + server.port() + "/{region}";
    }

    public WireMockServer server() {
        return server;
    }

    public List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlPathMatching(PATH_PATTERN)));
    }

    /** A DRS gate that accepts a live token only for the path of the project it was issued for. */
    public DrsSimulator.Gate drsGate() {
        return request -> {
            String token = request.getHeader("X-Auth-Token");
            String project = token == null ? null : projectOfToken.get(token);
            if (project != null && expired.contains(token)) {
                return DrsSimulator.Answer.error(401, "APIGW.0307", "The token expires.");
            }
            return project != null && request.getUrl().contains("/v3/" + project + "/") ? null
                    : DrsSimulator.Answer.error(401, "APIGW.0301", "Incorrect IAM authentication information.");
        };
    }

    /** Issues tokens for {@code project} that expire {@code lifetime} after issue. */
    public void lifetime(String project, Duration lifetime) {
        lifetimes.put(project, lifetime);
    }

    /** Every token issued so far. */
    public Set<String> issuedTokens() {
        return Set.copyOf(projectOfToken.keySet());
    }

    /** Makes DRS refuse every token issued so far as expired (a revocation). */
    public void expireAll() {
        expired.addAll(projectOfToken.keySet());
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Issue implements ResponseDefinitionTransformerV2 {

        static final String NAME = "iam-issue";
        private final ObjectMapper mapper = new ObjectMapper();
        private final String user;
        private final String password;
        private final String domain;
        private final Duration lifetime;

        Issue(String user, String password, String domain, Duration lifetime) {
            this.user = user;
            this.password = password;
            this.domain = domain;
            this.lifetime = lifetime;
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
            try {
                JsonNode auth = mapper.readTree(event.getRequest().getBodyAsString()).path("auth");
                JsonNode identity = auth.path("identity");
                JsonNode iamUser = identity.path("password").path("user");
                String project = auth.path("scope").path("project").path("id").asText("");
                boolean ok = identity.path("methods").toString().equals("[\"password\"]")
                        && user.equals(iamUser.path("name").asText())
                        && password.equals(iamUser.path("password").asText())
                        && domain.equals(iamUser.path("domain").path("name").asText())
                        && !project.isEmpty();
                if (!ok) {
                    return respond(401, "{\"error\":{\"code\":401,\"message\":\"The username or password is wrong.\"}}",
                            null);
                }
                String token = "MIIT-" + UUID.randomUUID();
                projectOfToken.put(token, project);
                String expiresAt = Instant.now().plus(lifetimes.getOrDefault(project, lifetime)).toString();
                return respond(201, "{\"token\":{\"expires_at\":\"" + expiresAt + "\",\"methods\":[\"password\"]}}",
                        token);
            } catch (IOException e) {
                return respond(400, "{\"error\":{\"code\":400,\"message\":\"bad body\"}}", null);
            }
        }

        private ResponseDefinition respond(int status, String body, String token) {
            ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                    .withHeader("Content-Type", "application/json").withBody(body);
            if (token != null) {
                builder.withHeader("X-Subject-Token", token);
            }
            return builder.build();
        }
    }
}
