package io.github.drsretrybatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Settings of the DRS side: endpoint, auth, tenant allow-lists and the call's fault tolerance. */
@ConfigMapping(prefix = "drs")
public interface DrsConfig {

    /** Base URL template of the DRS API; {@code {region}} is replaced by the window's region. */
    @WithDefault("https://drs.{region}.myhuaweicloud.com")
    String endpoint();

    /** Region used for events that do not name one. */
    @WithDefault("cn-north-4")
    String region();

    /** How the calls authenticate. */
    Auth auth();

    /** Projects the service may act on; empty means all. */
    Optional<Set<String>> allowedProjects();

    /** Regions the service may act on; empty means all. */
    Optional<Set<String>> allowedRegions();

    /** Decide and publish {@code DRY_RUN} outcomes without calling the API. */
    @WithDefault("false")
    boolean dryRun();

    /** {@code X-Language} header of every call: {@code en-us} or {@code zh-cn}. */
    @WithDefault("en-us")
    String language();

    /** {@code is_sync_re_edit} sent for every job unless an event sets its own; omitted when unset. */
    Optional<Boolean> isSyncReEdit();

    /** CloudEvent types accepted on the input topic. */
    @WithDefault("drs.task.failed")
    List<String> acceptedEventTypes();

    /** Largest input record value accepted, in bytes. */
    @WithDefault("65536")
    int maxRecordBytes();

    /** {@code ce_source} of the outcome events. */
    @WithDefault("/drs-retry-batcher")
    String outcomeSource();

    /** HTTP and retry settings of the batch-retry-task call. */
    Call call();

    /** The circuit breaker around the call. */
    Breaker breaker();

    /** Pacing of the calls to each regional endpoint. */
    Rate rate();

    /** Calls per second per endpoint; halved on every throttling answer and recovered on success. */
    interface Rate {
        /** The most calls per second sent to one endpoint. */
        @WithDefault("50")
        double callsPerSecond();

        /** The rate never drops below this, however often the API throttles. */
        @WithDefault("0.5")
        double minCallsPerSecond();
    }

    /** Circuit breaker: opens when calls keep failing transiently; while open, no new records are taken. */
    interface Breaker {
        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("10")
        int requestVolumeThreshold();

        /** Share of failed calls in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before it lets a trial call through. */
        @WithDefault("10s")
        Duration delay();

        /** Successful trial calls that close it again. */
        @WithDefault("1")
        int successThreshold();
    }

    /** Authentication settings: defaults, and per-project (or per region and project) overrides. */
    interface Auth {
        /** {@code token}, {@code iam} or {@code aksk}. */
        @WithDefault("token")
        String mode();

        /** IAM token sent as {@code X-Auth-Token} in {@code token} mode. */
        Optional<String> token();

        /** Access key for {@code aksk} mode. */
        Optional<String> ak();

        /** Secret key for {@code aksk} mode. */
        Optional<String> sk();

        /** The IAM service that issues tokens in {@code iam} mode. */
        Iam iam();

        /** An IAM token is fetched again this long before it expires. */
        @WithDefault("5m")
        Duration tokenRefreshMargin();

        /**
         * Credentials of one project, keyed by project id or by {@code region/project-id} where a region needs
         * its own; unset fields fall back to the defaults above.
         */
        Map<String, Project> projects();
    }

    /** The IAM service and the user that asks it for tokens. */
    interface Iam {
        /** Base URL template of IAM; {@code {region}} is replaced. */
        @WithDefault("https://iam.{region}.myhuaweicloud.com")
        String endpoint();

        /** IAM user name. */
        Optional<String> user();

        /** IAM user password. */
        Optional<String> password();

        /** Account (domain) name of the user. */
        Optional<String> domain();
    }

    /** Overrides for one project. */
    interface Project {
        /** {@code token}, {@code iam} or {@code aksk}; the default mode when unset. */
        Optional<String> mode();

        Optional<String> token();

        Optional<String> ak();

        Optional<String> sk();

        /** IAM user, password and domain for this project. */
        Optional<String> iamUser();

        Optional<String> iamPassword();

        Optional<String> iamDomain();
    }

    /** Timeouts, retries and give-up time of one batch-retry-task call. */
    interface Call {
        /** TCP connect timeout. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time allowed for the answer of one call. */
        @WithDefault("15s")
        Duration readTimeout();

        /** Calls made for one batch before it is given up (first call included). */
        @WithDefault("6")
        int maxAttempts();

        /** Backoff ceiling before the first retry; it doubles each attempt (full jitter). */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Largest backoff between two attempts. */
        @WithDefault("10s")
        Duration maxBackoff();

        /** After this long without an answer the batch's jobs get {@code FAILED}/{@code API_UNAVAILABLE}. */
        @WithDefault("60s")
        Duration giveUpAfter();
    }
}
