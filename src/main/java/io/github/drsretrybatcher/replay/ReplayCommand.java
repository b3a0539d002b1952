package io.github.drsretrybatcher.replay;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@link DeadLetterReplay}:
 * {@code replay [--code CODE[,CODE]] [--since RFC3339] [--until RFC3339] [--from TOPIC] [--to TOPIC]
 * [--bootstrap-servers HOSTS] [--kafka.<client setting>=VALUE] [--execute]}. Without {@code --execute} it only
 * lists. The broker defaults to {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class ReplayCommand {

    static final String USAGE = "usage: replay [--code CODE[,CODE...]] [--since 2026-11-29T10:00:00Z] [--until ...]"
            + " [--from drs.task.failed.dlq] [--to drs.task.failed] [--bootstrap-servers host:9092]"
            + " [--kafka.security.protocol=SASL_SSL ...] [--execute]";

    private ReplayCommand() {
    }

    /** Parses the arguments that follow {@code replay}. */
    public static DeadLetterReplay.Options parse(String[] args, Map<String, String> env) {
        String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String from = "drs.task.failed.dlq";
        String to = "drs.task.failed";
        Set<String> codes = new HashSet<>();
        Instant since = null;
        Instant until = null;
        boolean execute = false;
        Map<String, String> kafka = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--execute")) {
                execute = true;
            } else if (arg.startsWith("--kafka.") && arg.contains("=")) {
                kafka.put(arg.substring(8, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                String value = args[++i];
                switch (arg) {
                    case "--code" -> codes.addAll(Arrays.asList(value.split(",")));
                    case "--since" -> since = Instant.parse(value);
                    case "--until" -> until = Instant.parse(value);
                    case "--from" -> from = value;
                    case "--to" -> to = value;
                    case "--bootstrap-servers" -> bootstrap = value;
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
            }
        }
        return new DeadLetterReplay.Options(bootstrap, from, to, codes, since, until, execute, kafka);
    }

    /** Runs the command; returns the process exit code. */
    public static int main(String[] args) {
        try {
            DeadLetterReplay.run(parse(args, System.getenv()), System.out);
            return 0;
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            return 2;
        } catch (RuntimeException e) {
            System.err.println("replay failed: " + e.getMessage());
            return 1;
        }
    }
}
