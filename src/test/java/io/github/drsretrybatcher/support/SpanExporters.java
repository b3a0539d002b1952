package io.github.drsretrybatcher.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Keeps the spans of the service under test in memory, where tests can read them. */
public class SpanExporters {

    @Produces
    @Singleton
    InMemorySpanExporter inMemory() {
        return InMemorySpanExporter.create();
    }
}
