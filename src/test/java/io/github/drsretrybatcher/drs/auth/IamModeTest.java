package io.github.drsretrybatcher.drs.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.IamSimulator;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@code drs.auth.mode=iam}: project-scoped tokens from an IAM simulator that a DRS simulator checks. */
@QuarkusTest
@WithTestResource(IamModeResource.class)
class IamModeTest extends PipelineScenariosSupport {

    IamSimulator iam;
    @Test
    void oneTokenPerProjectAndRegionIsFetchedAndReused() {
        List<String> jobs = new ArrayList<>();
        for (String project : List.of("projA1", "projB2")) {
            for (int i = 0; i < 3; i++) {
                String job = Events.jobId("ok");
                jobs.add(job);
                kafka.sendTask(job, task(project, job).toString());
            }
        }
        String elsewhere = Events.jobId("ok");
        jobs.add(elsewhere);
        kafka.sendTask(elsewhere, task("projA1", elsewhere).put("region", PipelineResource.OTHER_REGION).toString());
        assertAccepted(jobs);
        String again = Events.jobId("ok");
        kafka.sendTask(again, task("projA1", again).toString());
        assertAccepted(List.of(again));

        assertThat(iamScopes()).filteredOn(s -> s.startsWith("projA1") || s.startsWith("projB2"))
                .containsExactlyInAnyOrder("projA1@/cn-north-4/", "projB2@/cn-north-4/", "projA1@/ap-southeast-1/");
    }

    @Test
    void windowsThatNeedATokenAtOnceShareOneFetch() {
        iam.server().stubFor(post(urlPathMatching(IamSimulator.PATH_PATTERN)).atPriority(5)
                .withRequestBody(containing("projG7"))
                .willReturn(aResponse().withTransformers("iam-issue").withFixedDelay(500)));
        List<String> jobs = IntStream.range(0, 250).mapToObj(i -> Events.jobId("ok")).toList();
        kafka.sendTasks(jobs.get(0), jobs.stream().map(job -> task("projG7", job).toString()).toArray(String[]::new));
        assertAccepted(jobs);
        assertThat(drs.requestsFor(new HashSet<>(jobs)).size()).isGreaterThanOrEqualTo(3);
        assertThat(iamScopes()).filteredOn(s -> s.startsWith("projG7")).hasSize(1);
    }

    @Test
    void anExpiredTokenIsRefreshedAndTheCallRetriedOnce() {
        String first = Events.jobId("ok");
        kafka.sendTask(first, task("projC3", first).toString());
        assertAccepted(List.of(first));
        iam.expireAll();
        String second = Events.jobId("ok");
        kafka.sendTask(second, task("projC3", second).toString());
        assertAccepted(List.of(second));
        assertThat(drs.requestsFor(Set.of(second))).hasSize(2);
        assertThat(iamScopes()).filteredOn(s -> s.startsWith("projC3")).hasSize(2);
    }

    @Test
    void aTokenIsFetchedAgainWithinTheRefreshMarginBeforeItExpires() {
        // valid for 4 more minutes, but the margin is 5: each window wants a fresh one
        iam.lifetime("projH8", Duration.ofMinutes(4));
        for (int i = 0; i < 2; i++) {
            String job = Events.jobId("ok");
            kafka.sendTask(job, task("projH8", job).toString());
            assertAccepted(List.of(job));
        }
        assertThat(iamScopes()).filteredOn(s -> s.startsWith("projH8")).hasSize(2);
    }

    @Test
    void anIamOutageIsRetriedLikeAnyTransientFailure() {
        iam.server().stubFor(post(urlPathMatching(IamSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing("projD4"))
                .inScenario("iam-down").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"code\":503}}")));
        String job = Events.jobId("ok");
        kafka.sendTask(job, task("projD4", job).toString());
        assertAccepted(List.of(job));
        assertThat(iamScopes()).filteredOn(s -> s.startsWith("projD4")).hasSize(2);
    }

    @Test
    void refusedOrMissingCredentialsAreDeadLetteredWithAClearSentence() {
        String refused = Events.jobId("ok");
        String missing = Events.jobId("ok");
        kafka.sendTask(refused, task("projE5", refused).toString());
        kafka.sendTask(missing, task("projF6", missing).toString());
        Map<String, ConsumerRecord<byte[], byte[]>> letters = kafka.await(KafkaTestClient.DEAD_LETTERS,
                        r -> Set.of(refused, missing).contains(Events.key(r)), 2, WAIT).stream()
                .collect(Collectors.toMap(Events::key, Function.identity()));
        assertThat(Events.header(letters.get(refused), "dead-letter-code")).isEqualTo("AUTH_FAILED");
        assertThat(Events.header(letters.get(refused), "dead-letter-reason")).contains("IAM refused a token");
        assertThat(Events.header(letters.get(missing), "dead-letter-code")).isEqualTo("AUTH_FAILED");
        assertThat(Events.header(letters.get(missing), "dead-letter-reason"))
                .contains("No DRS credentials are configured for project projF6");
        var outcomes = kafka.await(KafkaTestClient.OUTCOMES, r -> Set.of(refused, missing).contains(Events.key(r)), 2,
                WAIT);
        assertThat(outcomes).allSatisfy(r -> assertThat(json(r.value()).get("reason").asText()).isEqualTo("AUTH_FAILED"));
        assertThat(drs.requestsFor(Set.of(refused, missing))).isEmpty();
    }

    @Test
    void passwordsAndTokensAppearNowhere() throws java.io.IOException {
        String job = Events.jobId("ok");
        kafka.sendTask(job, task("projA1", job).toString());
        assertAccepted(List.of(job));
        StringBuilder everything = new StringBuilder(
                java.nio.file.Files.readString(java.nio.file.Path.of("target", "iam-mode-test.log")));
        assertThat(everything).contains("Retry budget:");
        for (String topic : List.of(KafkaTestClient.OUTCOMES, KafkaTestClient.DEAD_LETTERS)) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topic, r -> true)) {
                everything.append(Events.text(record.value()));
                record.headers().forEach(h -> everything.append(new String(h.value(),
                        java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        assertThat(iam.issuedTokens()).isNotEmpty();
        for (String secret : iam.issuedTokens()) {
            assertThat(everything.toString()).doesNotContain(secret);
        }
        assertThat(everything.toString()).doesNotContain(IamModeResource.PASSWORD)
                .doesNotContain(IamModeResource.WRONG_PASSWORD);
    }

    private void assertAccepted(List<String> jobs) {
        Set<String> wanted = new HashSet<>(jobs);
        var outcomes = kafka.await(KafkaTestClient.OUTCOMES, r -> wanted.contains(Events.key(r)), jobs.size(), WAIT);
        assertThat(outcomes).allSatisfy(r ->
                assertThat(json(r.value()).get("outcome").asText()).as(Events.key(r)).isEqualTo("RETRY_ACCEPTED"));
    }

    /** The project and region of every token request IAM answered with a token or an error. */
    private List<String> iamScopes() {
        return iam.requests().stream().map(IamModeTest::scope).toList();
    }

    private static String scope(LoggedRequest request) {
        String project = json(request.getBody()).path("auth").path("scope").path("project").path("id").asText();
        String url = request.getUrl();
        return project + "@" + url.substring(0, url.indexOf("v3/"));
    }
}
