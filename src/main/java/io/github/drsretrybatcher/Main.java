package io.github.drsretrybatcher;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * Starts the service. SIGTERM is the normal way a Kubernetes pod stops, so it asks for an orderly exit with
 * status 0 (the JVM's default would be 143) after the graceful shutdown has flushed and committed.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }
}
