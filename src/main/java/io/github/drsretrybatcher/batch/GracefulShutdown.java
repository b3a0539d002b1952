package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.config.BatchConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * On SIGTERM: stop taking records, flush the open windows, and wait (bounded) until their outcomes are published
 * and their records acknowledged; the Kafka connector then commits those offsets as it closes.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    void onStop(@Observes @Priority(1) ShutdownEvent event, InFlight inFlight, BatchService batches,
            BatchConfig config) {
        inFlight.close();
        boolean drained = batches.drain(config.shutdownTimeout());
        LOG.infof("Shutdown: open windows flushed, %s", drained
                ? "all outcomes published" : "gave up waiting after " + config.shutdownTimeout());
    }
}
