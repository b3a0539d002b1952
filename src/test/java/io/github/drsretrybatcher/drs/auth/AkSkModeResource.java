package io.github.drsretrybatcher.drs.auth;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The service in {@code aksk} mode: default keys, a project with its own keys, a region of a project with its
 * own keys, and a DRS simulator that recomputes every signature with the vendor's signer.
 */
public class AkSkModeResource implements QuarkusTestResourceLifecycleManager {

    static final String AK = "AKDEFAULT0001";
    static final String SK = "sk-default-never-in-any-output";
    static final String AK_B = "AKPROJECTB002";
    static final String SK_B = "sk-project-b-never-in-any-output";
    static final String AK_A_OTHER = "AKREGIONAL003";
    static final String SK_A_OTHER = "sk-regional-never-in-any-output";

    private DrsSimulator drs;

    @Override
    public Map<String, String> start() {
        drs = new DrsSimulator(DrsSimulator.signatureGate(Map.of(AK, SK, AK_B, SK_B, AK_A_OTHER, SK_A_OTHER)));
        Map<String, String> config = PipelineResource.settings(TestBroker.bootstrapServers(), drs.endpointTemplate());
        config.remove("drs.auth.token");
        config.put("drs.auth.mode", "aksk");
        config.put("drs.auth.ak", AK);
        config.put("drs.auth.sk", SK);
        config.put("drs.auth.projects.\"projB2\".ak", AK_B);
        config.put("drs.auth.projects.\"projB2\".sk", SK_B);
        config.put("drs.auth.projects.\"" + PipelineResource.OTHER_REGION + "/projA1\".ak", AK_A_OTHER);
        config.put("drs.auth.projects.\"" + PipelineResource.OTHER_REGION + "/projA1\".sk", SK_A_OTHER);
        config.put("drs.auth.projects.\"projC3\".mode", "token");
        config.put("drs.allowed-projects", "projA1,projB2,projC3");
        config.put("mp.messaging.incoming.task-failed.group.id", "aksk-mode-test");
        PipelineResource.debugLogTo(config, "aksk-mode-test");
        return config;
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
