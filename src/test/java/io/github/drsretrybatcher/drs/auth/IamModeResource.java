package io.github.drsretrybatcher.drs.auth;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.IamSimulator;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/** The service in {@code iam} mode against an IAM simulator and a DRS simulator that accepts only its tokens. */
public class IamModeResource implements QuarkusTestResourceLifecycleManager {

    static final String USER = "batcher";
    static final String PASSWORD = "pw-9Xq-never-in-any-output";
    static final String DOMAIN = "ops-domain";
    static final String WRONG_PASSWORD = "wrong-pw-never-in-any-output";

    private IamSimulator iam;
    private DrsSimulator drs;

    @Override
    public Map<String, String> start() {
        iam = new IamSimulator(USER, PASSWORD, DOMAIN, Duration.ofHours(1));
        drs = new DrsSimulator(iam.drsGate());
        Map<String, String> config = PipelineResource.settings(TestBroker.bootstrapServers(), drs.endpointTemplate());
        config.remove("drs.auth.token");
        config.put("drs.auth.mode", "iam");
        config.put("drs.auth.iam.endpoint", iam.endpointTemplate());
        config.put("drs.auth.iam.user", USER);
        config.put("drs.auth.iam.password", PASSWORD);
        config.put("drs.auth.iam.domain", DOMAIN);
        config.put("drs.auth.projects.\"projE5\".iam-password", WRONG_PASSWORD);
        config.put("drs.auth.projects.\"projF6\".mode", "aksk");
        config.put("drs.allowed-projects", "projA1,projB2,projC3,projD4,projE5,projF6,projG7,projH8");
        config.put("mp.messaging.incoming.task-failed.group.id", "iam-mode-test");
        PipelineResource.debugLogTo(config, "iam-mode-test");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(iam, new TestInjector.MatchesType(IamSimulator.class));
        injector.injectIntoFields(drs, new TestInjector.MatchesType(DrsSimulator.class));
    }

    @Override
    public void stop() {
        drs.close();
        iam.close();
    }
}
