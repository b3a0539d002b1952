package io.github.drsretrybatcher.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsretrybatcher.ingest.TaskFailedParser;
import io.github.drsretrybatcher.ingest.TenantPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashSet;

/** Wires the plain classes that the configuration parameterises. */
public class Beans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    TaskFailedParser taskFailedParser(ObjectMapper mapper, DrsConfig config) {
        return new TaskFailedParser(mapper, new HashSet<>(config.acceptedEventTypes()), config.region(),
                config.maxRecordBytes());
    }

    @Produces
    @Singleton
    TenantPolicy tenantPolicy(DrsConfig config) {
        return new TenantPolicy(config.allowedProjects(), config.allowedRegions());
    }
}
