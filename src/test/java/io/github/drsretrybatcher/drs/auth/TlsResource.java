package io.github.drsretrybatcher.drs.auth;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DRS simulator behind HTTPS with a certificate made for the test by the JDK's keytool, and the service
 * trusting exactly that certificate through the {@code drs} TLS configuration.
 */
public class TlsResource implements QuarkusTestResourceLifecycleManager {

    private static final String PASSWORD = "changeit";
    private DrsSimulator drs;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "tls")).toAbsolutePath();
            Path keystore = dir.resolve("drs-simulator.p12");
            Path certificate = dir.resolve("drs-ca.pem");
            Files.deleteIfExists(keystore);
            keytool("-genkeypair", "-alias", "drs", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "drs", "-keystore", keystore.toString(),
                    "-storepass", PASSWORD, "-file", certificate.toString());
            drs = DrsSimulator.https(PipelineResource.TOKEN, keystore, PASSWORD);
            Map<String, String> config = PipelineResource.settings(TestBroker.bootstrapServers(),
                    drs.endpointTemplate());
            config.put("quarkus.tls.drs.trust-store.pem.certs", certificate.toString());
            config.put("mp.messaging.incoming.task-failed.group.id", "tls-test");
            return config;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(drs, new TestInjector.MatchesType(DrsSimulator.class));
    }

    @Override
    public void stop() {
        drs.close();
    }
}
