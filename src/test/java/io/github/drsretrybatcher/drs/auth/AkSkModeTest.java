package io.github.drsretrybatcher.drs.auth;

import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code drs.auth.mode=aksk}: every call is signed with the keys of its project (and region), and the simulator
 * accepts only signatures the vendor's own signer reproduces. Also the secrets check of the whole service.
 */
@QuarkusTest
@WithTestResource(AkSkModeResource.class)
class AkSkModeTest extends PipelineScenariosSupport {

    private static final List<String> SECRETS = List.of(AkSkModeResource.SK, AkSkModeResource.SK_B,
            AkSkModeResource.SK_A_OTHER);
    @TestHTTPResource("/q/metrics")
    URL metrics;

    @TestHTTPResource("/q/health")
    URL health;

    @Test
    void everyCallIsSignedWithTheKeysOfItsProjectAndRegion() {
        String a = Events.jobId("ok");
        String b = Events.jobId("ok");
        String aElsewhere = Events.jobId("ok");
        kafka.sendTask(a, task("projA1", a).toString());
        kafka.sendTask(b, task("projB2", b).toString());
        kafka.sendTask(aElsewhere, task("projA1", aElsewhere).put("region", PipelineResource.OTHER_REGION).toString());
        var outcomes = kafka.await(KafkaTestClient.OUTCOMES, r -> Set.of(a, b, aElsewhere).contains(Events.key(r)), 3,
                WAIT);
        assertThat(outcomes).allSatisfy(r ->
                assertThat(json(r.value()).get("outcome").asText()).isEqualTo("RETRY_ACCEPTED"));
        assertThat(accessKey(drs.requestsFor(Set.of(a)))).isEqualTo(AkSkModeResource.AK);
        assertThat(accessKey(drs.requestsFor(Set.of(b)))).isEqualTo(AkSkModeResource.AK_B);
        assertThat(accessKey(drs.requestsFor(Set.of(aElsewhere)))).isEqualTo(AkSkModeResource.AK_A_OTHER);
        LoggedRequest call = drs.requestsFor(Set.of(b)).get(0);
        assertThat(call.getHeader("X-Project-Id")).isEqualTo("projB2");
        assertThat(call.getHeader("X-Sdk-Date")).matches("\\d{8}T\\d{6}Z");
        assertThat(call.containsHeader("X-Auth-Token")).isFalse();
    }

    @Test
    void aProjectWithoutCredentialsIsDeadLetteredAndNoRequestLeaves() {
        String job = Events.jobId("ok");
        kafka.sendTask(job, task("projC3", job).toString());
        ConsumerRecord<byte[], byte[]> letter = kafka.await(KafkaTestClient.DEAD_LETTERS,
                r -> job.equals(Events.key(r)), 1, WAIT).get(0);
        assertThat(Events.header(letter, "dead-letter-code")).isEqualTo("AUTH_FAILED");
        assertThat(Events.header(letter, "dead-letter-reason")).contains("No DRS credentials", "projC3");
        assertThat(drs.requestsFor(Set.of(job))).isEmpty();
    }

    @Test
    void secretsAppearNowhere() throws IOException, InterruptedException {
        String job = Events.jobId("poison");
        kafka.sendTask(job, task("projB2", job).toString());
        kafka.await(KafkaTestClient.OUTCOMES, r -> job.equals(Events.key(r)), 1, WAIT);

        String log = Files.readString(Path.of("target", "aksk-mode-test.log"));
        assertThat(log).contains("Retry budget:", "DEBUG");
        StringBuilder everything = new StringBuilder(log);
        HttpClient http = HttpClient.newHttpClient();
        for (URL url : List.of(metrics, health)) {
            everything.append(http.send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        for (String topic : List.of(KafkaTestClient.OUTCOMES, KafkaTestClient.DEAD_LETTERS)) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topic, r -> true)) {
                everything.append(Events.text(record.value()));
                record.headers().forEach(h -> everything.append(new String(h.value(), StandardCharsets.UTF_8)));
            }
        }
        assertThat(everything).contains("drs_batcher_outcomes_total");
        for (String secret : SECRETS) {
            assertThat(everything.toString()).doesNotContain(secret);
        }
    }

    private static String accessKey(List<LoggedRequest> calls) {
        assertThat(calls).hasSize(1);
        String authorization = calls.get(0).getHeader("Authorization");
        return authorization.substring(authorization.indexOf("Access=") + 7, authorization.indexOf(','));
    }
}
