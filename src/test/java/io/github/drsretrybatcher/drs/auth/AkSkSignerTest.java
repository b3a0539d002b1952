package io.github.drsretrybatcher.drs.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SimpleTimeZone;
import java.util.UUID;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link AkSkSigner} against the vendor's own signer, {@code AKSKSigner} of huaweicloud-sdk-core 3.1.130:
 * random requests signed by both must carry identical {@code X-Sdk-Date} and {@code Authorization}.
 */
class AkSkSignerTest {

    /** Change to explore other requests; a failure message names the seed and the case. */
    private static final long SEED = 0xD125_5EEDL;
    private static final int ORACLE_REQUESTS = 1000;
    private static final int VENDOR_CLOCK_REQUESTS = 50;

    private static final String PROJECT_PATH = "/v3/{project_id}/jobs/batch-retry-task";
    private static final String[] PATH_TEMPLATES = {
        PROJECT_PATH, PROJECT_PATH, PROJECT_PATH,
        "/v3/{project_id}/jobs", "/v3/{project_id}/jobs/", "/v3/{project_id}//jobs/batch-retry-task",
        "/v3/{project_id}", "/", "",
    };
    private static final String[] HOSTS = {
        "drs.cn-north-4.myhuaweicloud.com", "drs.ap-southeast-1.myhuaweicloud.com", "DRS.Example.COM",
        "127.0.0.1", "localhost",
    };
    /** Everything a project id could hold except '/', '?' and '#', which would change the URL's structure. */
    private static final String SPECIALS = " +*~!$&'(),;=:@%[]\"<>^`{}|\\-._äé中😀";
    private static final String QUERY_VALUE_CHARS = "aZ09 +*~!$&'(),;=:@%/?#[]\"<>^`{}|\\-._äé中😀";
    /** Query names the vendor leaves unencoded in its URL (it encodes only values), so both sides agree. */
    private static final String QUERY_NAME_CHARS = "abcxyzABCXYZ0189-._~";
    private static final String UNRESERVED = "-._~";

    // ---------------------------------------------------------------------------------------------------------
    // Oracle

    @Test
    void matchesVendorSignerOnRandomRequests() {
        Random random = new Random(SEED);
        for (int i = 0; i < ORACLE_REQUESTS; i++) {
            Req req = randomRequest(random);
            String date = vendorDate(req.now);

            Map<String, String> vendor = vendorSign(req, date);
            Map<String, String> ours = new AkSkSigner(req.ak, req.sk)
                    .sign(req.method, req.uri, req.headers, req.bodyBytes(), req.now);

            String where = "seed " + SEED + ", case " + i + ": " + req;
            assertThat(ours).as(where).containsOnlyKeys("X-Sdk-Date", "Authorization");
            assertThat(ours.get("X-Sdk-Date")).as(where).isEqualTo(date);
            assertThat(ours.get("Authorization")).as(where).isEqualTo(vendor.get("Authorization"));
        }
    }

    /** Without the X-Sdk-Date seam the vendor reads its own clock; signing at the instant it reports agrees too. */
    @Test
    void matchesVendorSignerUsingItsOwnClock() throws ParseException {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < VENDOR_CLOCK_REQUESTS; i++) {
            Req req = randomRequest(random);
            Map<String, String> vendor = vendorSign(req, null);
            String vendorDate = vendor.get("X-Sdk-Date");
            Instant at = sdkDateFormat().parse(vendorDate).toInstant();

            Map<String, String> ours = new AkSkSigner(req.ak, req.sk)
                    .sign(req.method, req.uri, req.headers, req.bodyBytes(), at);

            String where = "seed " + (SEED + 1) + ", case " + i + ": " + req;
            assertThat(ours.get("X-Sdk-Date")).as(where).isEqualTo(vendorDate);
            assertThat(ours.get("Authorization")).as(where).isEqualTo(vendor.get("Authorization"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Known answers, computed once with the vendor signer: they also catch a change of the oracle itself.

    @Test
    void knownAnswerBatchRetryTask() {
        Req req = new Req("POST", "https", "drs.cn-north-4.myhuaweicloud.com", PROJECT_PATH,
                "0123456789abcdef0123456789abcdef", new LinkedHashMap<>(),
                headers("Content-Type", "application/json;charset=UTF-8", "X-Language", "en-us",
                        "X-Project-Id", "0123456789abcdef0123456789abcdef"),
                "{\"jobs\":[\"a1b2c3d4-e5f6-4711-8000-00000000j001\",\"a1b2c3d4-e5f6-4711-8000-00000000j002\"]}",
                "HPUAEXAMPLEAK0000001", "exampleSecretKey0123456789abcdefghijKLMN",
                Instant.parse("2025-01-02T03:04:05.678Z"),
                URI.create("https://drs.cn-north-4.myhuaweicloud.com/v3/0123456789abcdef0123456789abcdef"
                        + "/jobs/batch-retry-task"));
        assertKnownAnswer(req, "20250102T030405Z", "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, "
                + "SignedHeaders=host;x-language;x-project-id;x-sdk-date, "
                + "Signature=6db70bce4c864eb279ab26501896c0a7c65251b5856b04662896efe383f95e53");
    }

    @Test
    void knownAnswerQueryPortAndEncodedPath() {
        LinkedHashMap<String, List<String>> query = new LinkedHashMap<>();
        query.put("offset", List.of("0"));
        query.put("limit", List.of("10"));
        query.put("name", List.of("a b+c", "zürich"));
        query.put("flag", List.of());
        Req req = new Req("GET", "https", "drs.example.com:8443", "/v3/{project_id}/jobs", "proj ä~x",
                query, headers("X-Language", "zh-cn", "X-Request-Id", "5f0e8a1c-0000-4000-8000-000000000001"),
                null, "HPUAEXAMPLEAK0000002", "sk with spaces & ünïcödé",
                Instant.parse("2031-12-31T23:59:59Z"),
                URI.create("https://drs.example.com:8443/v3/proj%20%C3%A4~x/jobs"
                        + "?offset=0&limit=10&name=a%20b%2Bc&name=z%C3%BCrich&flag"));
        assertKnownAnswer(req, "20311231T235959Z", "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000002, "
                + "SignedHeaders=host;x-language;x-request-id;x-sdk-date, "
                + "Signature=024b28d316c3a11de5dd77d3e15b7c16e4bad405d4be64ae8b5ee6a5f4bbb410");
    }

    @Test
    void knownAnswerEmptyBodyRootPathUnsignedPayloadHeader() {
        Req req = new Req("POST", "http", "localhost:8080", "/", "", new LinkedHashMap<>(),
                headers("Content-Type", "application/json", "X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD",
                        "X_Not_Signed", "1", "X-Note", "café"),
                "", "HPUAEXAMPLEAK0000003", "k",
                Instant.parse("2000-02-29T12:00:00Z"), URI.create("http://localhost:8080/"));
        assertKnownAnswer(req, "20000229T120000Z", "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000003, "
                + "SignedHeaders=host;x-note;x-sdk-content-sha256;x-sdk-date, "
                + "Signature=765b64809b6637249f74c5e4367041999e487bf4d43139c8078d762963d3143c");
    }

    private static void assertKnownAnswer(Req req, String date, String authorization) {
        assertThat(vendorDate(req.now)).isEqualTo(date);
        assertThat(vendorSign(req, date).get("Authorization")).as("vendor").isEqualTo(authorization);
        assertThat(new AkSkSigner(req.ak, req.sk).sign(req.method, req.uri, req.headers, req.bodyBytes(), req.now))
                .as("AkSkSigner")
                .containsExactly(Map.entry("X-Sdk-Date", date), Map.entry("Authorization", authorization));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deliberate choices

    /**
     * The vendor signs {@code URL.getAuthority()} verbatim, so {@code https://h:443} signs as {@code h:443}, while
     * the HTTP client sends {@code Host: h}. AkSkSigner signs what is sent: the same as the vendor given {@code https://h}.
     */
    @Test
    void explicitDefaultPortSignsLikeTheHostHeaderClientsSend() {
        Instant now = Instant.parse("2025-06-01T00:00:00Z");
        AkSkSigner signer = new AkSkSigner("AK", "SK");
        Map<String, String> explicit = signer.sign("GET", URI.create("https://drs.example.com:443/v3/p/jobs"),
                Map.of(), null, now);
        Map<String, String> implicit = signer.sign("GET", URI.create("https://drs.example.com/v3/p/jobs"),
                Map.of(), null, now);
        assertThat(explicit).isEqualTo(implicit);
        assertThat(signer.sign("GET", URI.create("http://drs.example.com:80/v3/p/jobs"), Map.of(), null, now))
                .isEqualTo(signer.sign("GET", URI.create("http://drs.example.com/v3/p/jobs"), Map.of(), null, now));

        Req vendorReq = new Req("GET", "https", "drs.example.com", "/v3/{project_id}/jobs", "p",
                new LinkedHashMap<>(), new LinkedHashMap<>(), null, "AK", "SK", now, null);
        assertThat(explicit.get("Authorization")).isEqualTo(vendorSign(vendorReq, vendorDate(now)).get("Authorization"));

        // A Host header wins on both sides, so whoever wants "h:443" signed can say so.
        Req withHost = new Req("GET", "https", "drs.example.com:443", "/v3/{project_id}/jobs", "p",
                new LinkedHashMap<>(), headers("Host", "drs.example.com:443"), null, "AK", "SK", now, null);
        assertThat(signer.sign("GET", URI.create("https://drs.example.com/v3/p/jobs"),
                        Map.of("Host", "drs.example.com:443"), null, now).get("Authorization"))
                .isEqualTo(vendorSign(withHost, vendorDate(now)).get("Authorization"));
    }

    /** Servers drop whitespace around header values; the vendor signs it raw, AkSkSigner trims it. */
    @Test
    void headerValuesAreTrimmed() {
        Instant now = Instant.parse("2025-06-01T00:00:00Z");
        AkSkSigner signer = new AkSkSigner("AK", "SK");
        URI uri = URI.create("https://drs.example.com/v3/p/jobs/batch-retry-task");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> padded = signer.sign("POST", uri, Map.of("X-Language", " \ten-us  "), body, now);
        Map<String, String> clean = signer.sign("POST", uri, Map.of("X-Language", "en-us"), body, now);
        assertThat(padded).isEqualTo(clean);

        Req req = new Req("POST", "https", "drs.example.com", PROJECT_PATH, "p", new LinkedHashMap<>(),
                headers("X-Language", "en-us"), "{}", "AK", "SK", now, uri);
        assertThat(clean.get("Authorization")).isEqualTo(vendorSign(req, vendorDate(now)).get("Authorization"));
    }

    @Test
    void resultIsTheTwoHeadersAndUnmodifiable() {
        Map<String, String> out = new AkSkSigner("AK", "SK").sign("post",
                URI.create("https://drs.example.com/v3/p/jobs/batch-retry-task"), null, null, Instant.EPOCH);
        assertThat(out).containsOnlyKeys("X-Sdk-Date", "Authorization");
        assertThat(out.get("X-Sdk-Date")).isEqualTo("19700101T000000Z");
        assertThat(out.get("Authorization"))
                .startsWith("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=")
                .matches(".*Signature=[0-9a-f]{64}");
        assertThatThrownBy(() -> out.put("X", "Y")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The secret key never leaks

    @Test
    void secretKeyNeverAppearsInToStringOrExceptions() {
        String sk = "Sk-MUST-NOT-LEAK-7f3a9c1e5b2d4f6a8c0e";
        AkSkSigner signer = new AkSkSigner("HPUAEXAMPLEAK0000009", sk);
        assertThat(signer.toString()).contains("HPUAEXAMPLEAK0000009").doesNotContain(sk);

        URI uri = URI.create("https://drs.example.com/v3/p/jobs/batch-retry-task");
        Instant now = Instant.now();
        Map<String, String> duplicate = new HashMap<>();
        duplicate.put("X-Language", sk);
        duplicate.put("x-language", sk);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("X-Secret", null);
        List<ThrowingCallable> failures = List.of(
                () -> new AkSkSigner(null, sk),
                () -> new AkSkSigner("", sk),
                () -> new AkSkSigner("AK " + sk, sk),
                () -> new AkSkSigner("AK," + sk, sk),
                () -> new AkSkSigner("AK", ""),
                () -> new AkSkSigner("AK", null),
                () -> signer.sign(null, uri, Map.of(), null, now),
                () -> signer.sign("", uri, Map.of(), null, now),
                () -> signer.sign("PO ST", uri, Map.of(), null, now),
                () -> signer.sign("POST", null, Map.of(), null, now),
                () -> signer.sign("POST", uri, Map.of(), null, null),
                () -> signer.sign("POST", URI.create("/relative/" + sk), Map.of(), null, now),
                () -> signer.sign("POST", URI.create("ftp://drs.example.com/" + sk), Map.of(), null, now),
                () -> signer.sign("POST", uri, Map.of("X-Sdk-Date", sk), null, now),
                () -> signer.sign("POST", uri, Map.of("Authorization", sk), null, now),
                () -> signer.sign("POST", uri, Map.of("X-Secret", sk + "\r\nX-Injected: 1"), null, now),
                () -> signer.sign("POST", uri, Map.of("", sk), null, now),
                () -> signer.sign("POST", uri, duplicate, null, now),
                () -> signer.sign("POST", uri, nullValue, null, now));
        for (ThrowingCallable failure : failures) {
            Throwable thrown = catchThrowable(failure);
            assertThat(thrown).isNotNull();
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).as("stack trace of %s", thrown.getClass()).doesNotContain(sk);
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(sk);
            }
        }
        // The signature itself is of course not the key either.
        assertThat(signer.sign("POST", uri, Map.of(), null, now).values()).noneMatch(v -> v.contains(sk));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Vendor side

    /**
     * Signs with {@code AKSKSigner.getInstance().sign(HttpRequest, BasicCredentials)}. The vendor reads its date
     * from an {@code X-Sdk-Date} header already on the request (else {@code new Date()}), which is the seam used to
     * fix the instant; {@code date == null} lets it read the clock, and it then returns the date it used.
     */
    private static Map<String, String> vendorSign(Req req, String date) {
        HttpRequest.HttpRequestBuilder builder = HttpRequest.newBuilder()
                .withEndpoint(req.scheme + "://" + req.authority)
                .withPath(req.pathTemplate)
                .withMethod(HttpMethod.valueOf(req.method))
                .addPathParam("project_id", req.projectId);
        req.headers.forEach(builder::addHeader);
        if (date != null) {
            builder.addHeader("X-Sdk-Date", date);
        }
        req.query.forEach(builder::addQueryParam);
        if (req.body != null) {
            builder.withBodyAsString(req.body);
        }
        BasicCredentials credentials = new BasicCredentials().withAk(req.ak).withSk(req.sk);
        Map<String, String> signed = AKSKSigner.getInstance().sign(builder.build(), credentials);
        if (date != null) {
            assertThat(signed).doesNotContainKey("X-Sdk-Date"); // it kept ours
        }
        return signed;
    }

    /** Formatted the way the vendor formats it (SimpleDateFormat, UTC), independently of AkSkSigner. */
    private static String vendorDate(Instant now) {
        return sdkDateFormat().format(Date.from(now));
    }

    private static SimpleDateFormat sdkDateFormat() {
        SimpleDateFormat format = new SimpleDateFormat("yyyyMMdd'T'HHmmss'Z'");
        format.setTimeZone(new SimpleTimeZone(0, "UTC"));
        return format;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Random requests

    /**
     * One request in two forms: the vendor's (endpoint, path template, path parameter, query map) and ours (the
     * URI as it goes on the wire, percent-encoded in one of several valid ways).
     */
    private record Req(String method, String scheme, String authority, String pathTemplate, String projectId,
            LinkedHashMap<String, List<String>> query, LinkedHashMap<String, String> headers, String body,
            String ak, String sk, Instant now, URI uri) {

        byte[] bodyBytes() {
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static Req randomRequest(Random random) {
        String method = pick(random, "POST", "POST", "POST", "GET", "GET", "GET", "PUT", "DELETE", "PATCH");
        String scheme = random.nextInt(5) == 0 ? "http" : "https";
        String host = pick(random, HOSTS);

        LinkedHashMap<String, String> headers = randomHeaders(random, host);
        boolean hostHeader = headers.containsKey("Host");
        String authority = host;
        int portChoice = random.nextInt(10);
        if (portChoice >= 6) {
            int port = pick(random, 8443, 8080, 31943, scheme.equals("https") ? 80 : 443);
            authority = host + ":" + port;
        } else if (portChoice == 5 && hostHeader) {
            // An explicit default port is only comparable when a Host header settles the host on both sides.
            authority = host + (scheme.equals("https") ? ":443" : ":80");
        }

        String projectId = randomProjectId(random);
        String pathTemplate = pick(random, PATH_TEMPLATES);
        String path = pathTemplate.replace("{project_id}", projectId);

        LinkedHashMap<String, List<String>> query = random.nextInt(10) < 4
                ? randomQuery(random) : new LinkedHashMap<>();

        String body;
        boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        int bodyChoice = random.nextInt(20);
        if (hasBody) {
            body = bodyChoice < 17 ? randomJson(random) : bodyChoice < 19 ? "" : null;
        } else {
            body = bodyChoice < 16 ? null : bodyChoice < 18 ? "" : randomJson(random);
        }

        String ak = randomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20, 20);
        String sk = randomString(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 40, 40);
        if (random.nextInt(5) == 0) {
            sk = sk.substring(0, 30) + randomString(random, " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~äé中😀", 1, 10);
        }
        long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
        Instant now = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)),
                random.nextInt(1_000_000_000));

        URI uri = URI.create(scheme + "://" + authority + encodePath(random, path) + rawQuery(random, query));
        return new Req(method, scheme, authority, pathTemplate, projectId, query, headers, body, ak, sk, now, uri);
    }

    private static LinkedHashMap<String, String> randomHeaders(Random random, String host) {
        LinkedHashMap<String, String> headers = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        if (random.nextInt(10) < 7) {
            put(random, headers, taken, "Content-Type",
                    pick(random, "application/json", "application/json;charset=UTF-8"), true);
        }
        if (random.nextInt(10) < 6) {
            put(random, headers, taken, "X-Language", pick(random, "en-us", "zh-cn"), true);
        }
        if (random.nextInt(10) < 6) {
            put(random, headers, taken, "X-Project-Id", randomString(random, "0123456789abcdef", 32, 32), true);
        }
        if (random.nextInt(10) < 3) {
            put(random, headers, taken, "User-Agent", "drs-retry-batcher/0.1.0 (Java 17; Quarkus)", true);
        }
        if (random.nextInt(10) < 3) {
            put(random, headers, taken, "X-Request-Id", new UUID(random.nextLong(), random.nextLong()).toString(), true);
        }
        if (random.nextInt(10) < 2) {
            put(random, headers, taken, "X_Trace_Id", randomString(random, "0123456789abcdef", 16, 16), true);
        }
        if (random.nextInt(20) == 0) {
            // The vendor looks these two up with their exact spelling, so they keep it.
            put(random, headers, taken, "X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD", false);
        }
        if (random.nextInt(10) == 0) {
            put(random, headers, taken, "Host", random.nextBoolean() ? host : host + ":443", false);
        }
        int custom = random.nextInt(3);
        for (int i = 0; i < custom; i++) {
            String name = "X-" + randomString(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", 1, 12);
            String chars = random.nextInt(10) == 0 ? "abc äé中😀" : " !\"#$%&'()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~";
            String value = randomString(random, chars, 0, 24).strip();
            put(random, headers, taken, name, value, true);
        }
        return headers;
    }

    private static void put(Random random, Map<String, String> headers, Set<String> taken, String name, String value,
            boolean anyCase) {
        if (!taken.add(name.toLowerCase(Locale.ROOT))) {
            return; // the vendor cannot take two spellings of one name either
        }
        if (anyCase) {
            int c = random.nextInt(4);
            name = c == 0 ? name.toLowerCase(Locale.ROOT) : c == 1 ? name.toUpperCase(Locale.ROOT) : name;
        }
        headers.put(name, value);
    }

    private static String randomProjectId(Random random) {
        if (random.nextInt(10) < 7) {
            return randomString(random, "0123456789abcdef", 32, 32);
        }
        return randomString(random, "0123456789abcdef" + SPECIALS + SPECIALS, 1, 12);
    }

    private static LinkedHashMap<String, List<String>> randomQuery(Random random) {
        LinkedHashMap<String, List<String>> query = new LinkedHashMap<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = random.nextBoolean()
                    ? pick(random, "limit", "offset", "Limit", "name", "job_id", "a.b", "x-y", "z~", "_k")
                    : randomString(random, QUERY_NAME_CHARS, 1, 8);
            List<String> values = new ArrayList<>();
            if (random.nextInt(7) != 0) {
                int count = 1 + random.nextInt(3);
                for (int v = 0; v < count; v++) {
                    values.add(random.nextInt(8) == 0 ? "" : randomString(random, QUERY_VALUE_CHARS, 1, 10));
                }
            }
            query.putIfAbsent(name, values);
        }
        return query;
    }

    private static String randomJson(Random random) {
        StringBuilder json = new StringBuilder("{\"jobs\":[");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"job_id\":\"")
                    .append(new UUID(random.nextLong(), random.nextLong()))
                    .append("\",\"note\":\"")
                    .append(randomString(random, "abc XYZ 019 äöü é 中文 😀 \\\\ \\\" \\n \\u00e9 ☃", 0, 30))
                    .append("\"}");
        }
        return json.append("]}").toString();
    }

    /** Percent-encodes a path in one of three valid ways; the signer must normalise them all alike. */
    private static String encodePath(Random random, String path) {
        if (path.isEmpty()) {
            return "";
        }
        switch (random.nextInt(3)) {
            case 0:
                return strictEncode(path, true, "/");
            case 1:
                return strictEncode(path, false, "/");
            default:
                try {
                    // Quotes only what a URI path cannot hold; sub-delims and non-ASCII letters stay as they are.
                    return new URI(null, null, path, null).getRawPath();
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
        }
    }

    /** Query as a client would write it, with one name's values interleaved with others' (order kept per name). */
    private static String rawQuery(Random random, LinkedHashMap<String, List<String>> query) {
        if (query.isEmpty()) {
            return "";
        }
        List<Deque<String>> queues = new ArrayList<>();
        query.forEach((name, values) -> {
            Deque<String> pairs = new ArrayDeque<>();
            if (values.isEmpty()) {
                pairs.add(random.nextBoolean() ? name : name + "=");
            }
            Function<String, String> encoder = pick(random,
                    v -> strictEncode(v, true, ""), v -> strictEncode(v, false, ""),
                    AkSkSignerTest::lenientQueryEncode);
            values.forEach(v -> pairs.add(name + "=" + encoder.apply(v)));
            queues.add(pairs);
        });
        List<String> pairs = new ArrayList<>();
        while (!queues.isEmpty()) {
            Deque<String> queue = queues.get(random.nextInt(queues.size()));
            pairs.add(queue.poll());
            if (queue.isEmpty()) {
                queues.remove(queue);
            }
        }
        return "?" + String.join("&", pairs);
    }

    private static String strictEncode(String s, boolean upperHex, String keep) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || UNRESERVED.indexOf(c) >= 0 || keep.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                String hex = String.format("%%%02X", c);
                out.append(upperHex ? hex : hex.toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    /** Encodes only what must be encoded in a query value; '!', '*', ':', '@', '/', '?', non-ASCII... stay raw. */
    private static String lenientQueryEncode(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x80 && " \"#%&+<=>[\\]^`{|}".indexOf(cp) >= 0) {
                out.append(String.format("%%%02X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static LinkedHashMap<String, String> headers(String... nameValues) {
        LinkedHashMap<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    /** Random string of code points from {@code chars}, so surrogate pairs stay whole. */
    private static String randomString(Random random, String chars, int min, int max) {
        int[] cps = chars.codePoints().toArray();
        int n = min + random.nextInt(max - min + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return out.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
