package io.github.drsretrybatcher;

import io.github.drsretrybatcher.replay.ReplayCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import sun.misc.Signal;

/**
 * Starts the service, or with the first argument {@code replay} the dead-letter replay command
 * ({@link ReplayCommand}). SIGTERM is the normal way a Kubernetes pod stops, so it asks for an orderly exit with
 * status 0 (the JVM's default would be 143) after the graceful shutdown has flushed and committed.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(ReplayCommand.main(Arrays.copyOfRange(args, 1, args.length)));
        }
        Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }
}
