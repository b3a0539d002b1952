package io.github.drsretrybatcher.drs.auth;

import io.github.drsretrybatcher.config.DrsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Adds a call's authentication: a fixed token, an IAM token, or an AK/SK signature over the exact request. */
@ApplicationScoped
public class RequestAuthenticator {

    /** The authentication headers of one request; absent ones are null. */
    public record AuthHeaders(String token, String sdkDate, String authorization, String projectId) {
        @Override
        public String toString() {
            return "AuthHeaders[***]";
        }
    }

    private final CredentialsResolver resolver;
    private final IamTokens tokens;
    private final Clock clock;

    RequestAuthenticator(DrsConfig config, IamTokens tokens, Clock clock) {
        this.resolver = new CredentialsResolver(config.auth());
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * The headers for a POST of {@code body} to {@code uri} that also carries {@code X-Language: language};
     * fails with {@link AuthFailedException} when the project has no credentials.
     */
    public Uni<AuthHeaders> headers(String region, String projectId, URI uri, String language, String body) {
        Credentials credentials = resolver.resolve(region, projectId)
                .orElseThrow(() -> new AuthFailedException(resolver.missing(region, projectId)));
        if (credentials instanceof Credentials.Token token) {
            return Uni.createFrom().item(new AuthHeaders(token.token(), null, null, null));
        }
        if (credentials instanceof Credentials.Iam user) {
            return tokens.token(region, projectId, user).map(token -> new AuthHeaders(token, null, null, null));
        }
        Credentials.AkSk keys = (Credentials.AkSk) credentials;
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("Content-Type", "application/json");
        signed.put("X-Language", language);
        signed.put("X-Project-Id", projectId);
        Map<String, String> added = new AkSkSigner(keys.ak(), keys.sk())
                .sign("POST", uri, signed, body.getBytes(StandardCharsets.UTF_8), clock.instant());
        return Uni.createFrom().item(new AuthHeaders(null, added.get(AkSkSigner.DATE_HEADER),
                added.get(AkSkSigner.AUTHORIZATION_HEADER), projectId));
    }

    /** The sentence for a dead letter when the project has no credentials, or empty when it has some. */
    public Optional<String> missingCredentials(String region, String projectId) {
        return resolver.resolve(region, projectId).isPresent() ? Optional.empty()
                : Optional.of(resolver.missing(region, projectId));
    }

    /** After a 401 "token expired": true when a fresh token can be fetched (IAM mode), after dropping the old one. */
    public boolean refreshable(String region, String projectId) {
        return resolver.resolve(region, projectId).map(credentials -> {
            if (credentials instanceof Credentials.Iam user) {
                tokens.invalidate(region, projectId, user);
                return true;
            }
            return false;
        }).orElse(false);
    }
}
