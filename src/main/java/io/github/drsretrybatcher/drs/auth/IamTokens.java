package io.github.drsretrybatcher.drs.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsretrybatcher.config.DrsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.LoggingScope;

/**
 * Project-scoped IAM tokens: fetched with the password method, cached per (region, project, user), fetched again
 * a margin before they expire, fetched once however many windows ask at the same moment, and dropped when the
 * API says they expired.
 */
@ApplicationScoped
public class IamTokens {

    private record Issued(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    private static final Logger LOG = Logger.getLogger(IamTokens.class);

    private final DrsConfig config;
    private final TrustSettings tls;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Counter refreshes;
    private final Map<String, Issued> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Issued>> fetching = new ConcurrentHashMap<>();
    private final Map<String, IamRestClient> clients = new ConcurrentHashMap<>();

    IamTokens(DrsConfig config, TrustSettings tls, ObjectMapper mapper, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.tls = tls;
        this.mapper = mapper;
        this.clock = clock;
        this.refreshes = registry.counter("drs_batcher_token_refreshes");
    }

    /** A valid token for the project; failures are {@link AuthFailedException} (refused) or transient. */
    public Uni<String> token(String region, String projectId, Credentials.Iam user) {
        String key = key(region, projectId, user);
        Issued cached = cache.get(key);
        Duration margin = config.auth().tokenRefreshMargin();
        if (cached != null && cached.expiresAt().minus(margin).isAfter(clock.instant())) {
            return Uni.createFrom().item(cached.token());
        }
        CompletableFuture<Issued> mine = new CompletableFuture<>();
        CompletableFuture<Issued> running = fetching.putIfAbsent(key, mine);
        if (running == null) {
            refreshes.increment();
            fetch(region, projectId, user).subscribe().with(issued -> {
                LOG.debugf("IAM token for project %s in %s (user %s) valid until %s", projectId, region, user.user(),
                        issued.expiresAt());
                cache.put(key, issued);
                fetching.remove(key, mine);
                mine.complete(issued);
            }, failure -> {
                fetching.remove(key, mine);
                mine.completeExceptionally(failure);
            });
            running = mine;
        }
        return Uni.createFrom().completionStage(running).map(Issued::token);
    }

    /** Forgets the token the API just refused as expired, so that the next call fetches a fresh one. */
    public void invalidate(String region, String projectId, Credentials.Iam user) {
        cache.remove(key(region, projectId, user));
    }

    private Uni<Issued> fetch(String region, String projectId, Credentials.Iam user) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode iamUser = identity.putObject("password").putObject("user");
        iamUser.put("name", user.user()).put("password", user.password()).putObject("domain").put("name", user.domain());
        ((ObjectNode) body.get("auth")).putObject("scope").putObject("project").put("id", projectId);
        return client(region).issueToken(body.toString()).map(response -> issued(response, projectId));
    }

    private Issued issued(Response response, String projectId) {
        try (response) {
            int status = response.getStatus();
            if (status == 401 || status == 403 || status == 400 || status == 404) {
                throw new AuthFailedException("IAM refused a token for project " + projectId + " (HTTP " + status
                        + "): check drs.auth.iam.user, password and domain.");
            }
            String token = response.getHeaderString("X-Subject-Token");
            if (status != 201 && status != 200 || token == null || token.isBlank()) {
                throw new IllegalStateException("IAM answered HTTP " + status + " without a token");
            }
            JsonNode answer = mapper.readTree(response.readEntity(String.class));
            String expires = answer.path("token").path("expires_at").asText(null);
            Instant expiresAt = expires == null ? clock.instant().plus(Duration.ofHours(1))
                    : OffsetDateTime.parse(expires).toInstant();
            return new Issued(token, expiresAt);
        } catch (IOException e) {
            throw new IllegalStateException("IAM answered with a body that is not JSON", e);
        }
    }

    private IamRestClient client(String region) {
        return clients.computeIfAbsent(region, r -> tls.apply(QuarkusRestClientBuilder.newBuilder())
                .baseUri(URI.create(config.auth().iam().endpoint().replace("{region}", r)))
                .connectTimeout(config.call().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.call().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                // the request body carries the password: never log this client's traffic, whatever the config
                .loggingScope(LoggingScope.NONE)
                .loggingMaskedHeaders(Set.of("X-Subject-Token", "X-Auth-Token"))
                .build(IamRestClient.class));
    }

    private static String key(String region, String projectId, Credentials.Iam user) {
        return region + "/" + projectId + "/" + user.domain() + "/" + user.user();
    }
}
