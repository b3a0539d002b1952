package io.github.drsretrybatcher.drs.auth;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs Huawei Cloud API requests with an access key / secret key pair ({@code SDK-HMAC-SHA256}), producing the
 * same {@code Authorization} header as {@code com.huaweicloud.sdk.core.auth.AKSKSigner} of huaweicloud-sdk-core.
 *
 * <p>Immutable and thread-safe. The secret key is held only as an HMAC key and never appears in {@link #toString()}
 * or in exception messages.
 */
public final class AkSkSigner {

    /** Name of the signing scheme, first word of the {@code Authorization} header. */
    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    /** Header carrying the signing time. */
    public static final String DATE_HEADER = "X-Sdk-Date";
    /** Header carrying the signature. */
    public static final String AUTHORIZATION_HEADER = "Authorization";
    /**
     * Optional request header whose value, when present, replaces the body hash (e.g. {@code UNSIGNED-PAYLOAD});
     * the vendor signer honours it, so this one does too.
     */
    public static final String CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256";

    private static final String HMAC = "HmacSHA256";
    private static final DateTimeFormatter SDK_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private final String accessKey;
    private final SecretKeySpec secretKey;

    /**
     * @param accessKey the AK, sent in clear in every {@code Authorization} header
     * @param secretKey the SK, used only as the HMAC-SHA256 key (its UTF-8 bytes, as the vendor does)
     * @throws IllegalArgumentException if either is empty or the AK could not be written into a header
     */
    public AkSkSigner(String accessKey, String secretKey) {
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("access key must not be empty");
        }
        // The AK is copied verbatim into "Access=..., SignedHeaders=..." so it must not break that list.
        for (int i = 0; i < accessKey.length(); i++) {
            char c = accessKey.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ',') {
                throw new IllegalArgumentException("access key must be printable ASCII without spaces or commas");
            }
        }
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("secret key must not be empty");
        }
        this.accessKey = accessKey;
        this.secretKey = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /**
     * Computes the headers that authenticate one request.
     *
     * @param method  HTTP method, e.g. {@code POST}
     * @param uri     absolute {@code http}/{@code https} URI exactly as it will be sent (path and query may be
     *                percent-encoded in any valid way; they are normalised before signing)
     * @param headers the other headers the request will carry (e.g. {@code Content-Type}, {@code X-Language},
     *                {@code X-Project-Id}); may be {@code null}. Must not contain {@code X-Sdk-Date} or
     *                {@code Authorization}, which this method produces. A {@code Host} entry overrides the host
     *                derived from {@code uri}.
     * @param body    the exact body bytes, {@code null} or empty for none
     * @param now     signing time; truncated to the second
     * @return an unmodifiable map with {@code X-Sdk-Date} and {@code Authorization}, to be added to the request
     * @throws IllegalArgumentException if the request cannot be signed as given
     */
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body, Instant now) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(now, "now");
        String verb = canonicalMethod(method);
        String date = SDK_DATE.format(now);

        // Sorted by lower-case name: TreeMap's natural String order is the order the vendor signs in.
        TreeMap<String, String> signed = new TreeMap<>();
        String payloadHash = null;
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                String name = header.getKey();
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException("header name must not be empty");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("x-sdk-date") || lower.equals("authorization")) {
                    throw new IllegalArgumentException("header " + name + " is produced by the signer, do not pass it");
                }
                String value = header.getValue();
                if (value == null) {
                    throw new IllegalArgumentException("header " + name + " has no value");
                }
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header " + name + " contains a line break");
                }
                // Trimmed because the receiving server drops surrounding whitespace when it parses the header
                // (the vendor signs the raw value; both agree whenever the value has no such whitespace).
                value = value.trim();
                if (lower.equals(CONTENT_SHA256_HEADER.toLowerCase(Locale.ROOT))) {
                    payloadHash = value;
                }
                // Like the vendor: Content-Type is not signed (clients tend to rewrite it, e.g. add a charset),
                // nor are names with '_' (proxies such as nginx drop those by default).
                if (lower.equals("content-type") || name.indexOf('_') >= 0) {
                    continue;
                }
                if (signed.put(lower, value) != null) {
                    throw new IllegalArgumentException("header " + name + " is given more than once");
                }
            }
        }
        signed.putIfAbsent("host", host(uri));
        signed.put("x-sdk-date", date);

        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        if (payloadHash == null) {
            payloadHash = hex(sha256(body == null ? new byte[0] : body));
        }

        // canonicalHeaders already ends in '\n', so joining with '\n' leaves the blank line the vendor has.
        String canonicalRequest = String.join("\n",
                verb,
                canonicalPath(uri.getRawPath()),
                canonicalQuery(uri.getRawQuery()),
                canonicalHeaders,
                signedHeaders,
                payloadHash);
        String stringToSign = String.join("\n",
                ALGORITHM, date, hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        String signature = hex(hmac(stringToSign.getBytes(StandardCharsets.UTF_8)));

        Map<String, String> result = new LinkedHashMap<>();
        result.put(DATE_HEADER, date);
        result.put(AUTHORIZATION_HEADER, ALGORITHM + " Access=" + accessKey
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return Collections.unmodifiableMap(result);
    }

    /** Shows the access key only; the secret key is never rendered. */
    @Override
    public String toString() {
        return "AkSkSigner[accessKey=" + accessKey + "]";
    }

    private static String canonicalMethod(String method) {
        if (method.isEmpty()) {
            throw new IllegalArgumentException("method must not be empty");
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                throw new IllegalArgumentException("method must be letters only");
            }
        }
        return method.toUpperCase(Locale.ROOT);
    }

    /**
     * Host as HTTP clients put it in the {@code Host} header: the port only when it is not the scheme's default.
     * The vendor uses {@code URL.getAuthority()} verbatim, which differs only for an explicit default port
     * ({@code https://h:443}); there the vendor signs {@code h:443} while JDK/Vert.x clients send {@code Host: h}.
     * Pass a {@code Host} header to sign something else.
     */
    private static String host(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            throw new IllegalArgumentException("uri must be absolute and have a host");
        }
        int defaultPort;
        if (scheme.equalsIgnoreCase("https")) {
            defaultPort = 443;
        } else if (scheme.equalsIgnoreCase("http")) {
            defaultPort = 80;
        } else {
            throw new IllegalArgumentException("uri scheme must be http or https");
        }
        int port = uri.getPort();
        return port == -1 || port == defaultPort ? host : host + ":" + port;
    }

    /**
     * Each segment is percent-decoded then re-encoded, so any valid encoding of the same path signs the same, and
     * a "/" is appended to every segment, as the vendor does: {@code /v3/p/jobs} becomes {@code /v3/p/jobs/}.
     * Splitting with {@link String#split} on purpose: like the vendor it keeps empty inner segments and drops
     * trailing ones.
     */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.equals("/")) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            out.append(reencode(segment)).append('/');
        }
        return out.toString();
    }

    /**
     * Parameters sorted by encoded name; the values of one name keep their order (the vendor does not sort them).
     * A name without "=" signs as {@code name=}. '+' is a literal plus, not a space (RFC 3986, not form encoding).
     */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = reencode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : reencode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        List<String> parts = new ArrayList<>();
        params.forEach((name, values) -> values.forEach(value -> parts.add(name + "=" + value)));
        return String.join("&", parts);
    }

    /**
     * Percent-decodes then encodes everything but RFC 3986 unreserved characters, upper-case hex: byte for byte
     * what the vendor's {@code SignUtils.urlEncode} (URLEncoder plus fix-ups for '+', '*', '~') yields. Works on
     * bytes, so percent-encoded bytes that are not UTF-8 survive unchanged instead of turning into U+FFFD.
     */
    private static String reencode(String raw) {
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("uri has a malformed percent-escape");
                }
                decoded.write(hi << 4 | lo);
                i += 2;
            } else {
                decoded.write(in[i]);
            }
        }
        StringBuilder out = new StringBuilder();
        for (byte b : decoded.toByteArray()) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
            }
        }
        return out.toString();
    }

    private byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secretKey);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // Never the key in the message: the cause is an algorithm/provider problem.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
