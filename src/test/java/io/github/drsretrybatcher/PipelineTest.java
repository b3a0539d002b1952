package io.github.drsretrybatcher;

import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The end-to-end scenarios against the service running in the test JVM. */
@QuarkusTest
@WithTestResource(PipelineResource.class)
class PipelineTest extends PipelineScenarios {
}
