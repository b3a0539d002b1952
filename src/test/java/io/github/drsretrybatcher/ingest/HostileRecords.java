package io.github.drsretrybatcher.ingest;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of adversarial task-failed values, shared by the parser properties and the pipeline fuzz test. */
public final class HostileRecords {

    private HostileRecords() {
    }

    /** Values that look like task-failed objects but break them in every way. */
    public static Arbitrary<String> json() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(70),
                Arbitraries.strings().withChars("abcXYZ019-._/@#%\u0000\u001f\"\\\u00e9\u0430\ud83d\ude00").ofMaxLength(80),
                Arbitraries.of("projA1", "projB2", "job-1", "cn-north-4", "evil.example.com", "a/../b", "%2e%2e",
                        "\u0441n-north-4", "x".repeat(65), ""));
        Arbitrary<String> scalar = Arbitraries.oneOf(
                text.map(HostileRecords::quote),
                Arbitraries.of("true", "false", "null", "0", "-1", "1e309", "123456789012345678901234567890",
                        "1.5", "[]", "{}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "\"2026-11-29T10:00:00Z\""));
        Arbitrary<String> field = Combinators.combine(
                Arbitraries.of("project_id", "job_id", "event_id", "region", "job_name", "status", "error_code",
                        "error_message", "is_parent", "is_sync_re_edit", "occurred_at", "unknown", "project_id"),
                scalar).as((name, value) -> quote(name) + ":" + value);
        Arbitrary<String> object = field.list().ofMaxSize(12).map(fields -> "{" + String.join(",", fields) + "}");
        return Arbitraries.oneOf(object, object.map(o -> "[" + o + "]"), object.map(o -> o + "garbage"),
                Arbitraries.integers().between(1, 3000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                scalar);
    }

    /** Well-formed task-failed objects for the allowed projects, with noise around them. */
    public static Arbitrary<String> valid(String... projects) {
        Arbitrary<String> jobId = Arbitraries.strings().withChars("abcdef0123456789-").ofMinLength(8).ofMaxLength(40)
                .map(id -> "fuzz-" + id);
        return Combinators.combine(Arbitraries.of(projects), jobId, Arbitraries.of(true, false, false, false),
                Arbitraries.strings().ofMaxLength(30)).as((project, job, parent, noise) ->
                        "{\"project_id\":\"" + project + "\",\"job_id\":\"" + job + "\",\"is_parent\":" + parent
                                + ",\"noise\":" + quote(noise) + ",\"status\":\"SOMETHING_NEW\"}");
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
