package io.github.drsretrybatcher.drs.auth;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Which certificates the DRS and IAM clients trust: the JVM's trust store, unless the Quarkus TLS configuration
 * named {@value #NAME} exists (e.g. {@code quarkus.tls.drs.trust-store.pem.certs=/etc/drs/ca.pem}).
 */
@ApplicationScoped
public class TrustSettings {

    /** Name of the TLS configuration the clients use when it is set. */
    public static final String NAME = "drs";

    private final Optional<TlsConfiguration> configuration;

    TrustSettings(TlsConfigurationRegistry registry) {
        this.configuration = registry.get(NAME);
    }

    /** Applies the configured trust to a client builder. */
    public QuarkusRestClientBuilder apply(QuarkusRestClientBuilder builder) {
        return configuration.map(builder::tlsConfiguration).orElse(builder);
    }
}
