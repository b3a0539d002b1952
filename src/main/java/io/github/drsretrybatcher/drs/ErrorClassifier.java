package io.github.drsretrybatcher.drs;

import java.util.Map;
import java.util.Set;

/** Classifies a DRS or API gateway error by HTTP status and error code, from the table of documented codes. */
public final class ErrorClassifier {

    /** Per-item code meaning "another operation is running on the task": that job is tried again alone. */
    public static final String BUSY_ITEM_CODE = "DRS.M01504";

    private static final Map<String, ErrorClass> BY_CODE = Map.ofEntries(
            Map.entry("APIGW.0201", ErrorClass.TRANSIENT),
            Map.entry("APIGW.0601", ErrorClass.TRANSIENT),
            Map.entry("APIGW.0613", ErrorClass.TRANSIENT),
            Map.entry("DRS.M00002", ErrorClass.TRANSIENT),
            Map.entry("DRS.M00004", ErrorClass.TRANSIENT),
            Map.entry("DRS.M01501", ErrorClass.TRANSIENT),
            Map.entry(BUSY_ITEM_CODE, ErrorClass.TRANSIENT),
            Map.entry("APIGW.0308", ErrorClass.THROTTLE),
            Map.entry("DRS.M01503", ErrorClass.THROTTLE),
            Map.entry("APIGW.0307", ErrorClass.TOKEN_EXPIRED),
            Map.entry("APIGW.0301", ErrorClass.AUTH),
            Map.entry("APIGW.0302", ErrorClass.AUTH),
            Map.entry("APIGW.0306", ErrorClass.AUTH),
            Map.entry("APIGW.0310", ErrorClass.AUTH),
            Map.entry("DRS.M00100", ErrorClass.AUTH),
            Map.entry("DRS.M00101", ErrorClass.AUTH),
            Map.entry("DRS.M00102", ErrorClass.AUTH),
            Map.entry("DRS.M00103", ErrorClass.AUTH),
            Map.entry("DRS.M00104", ErrorClass.AUTH),
            Map.entry("DRS.M00105", ErrorClass.AUTH),
            Map.entry("DRS.M00261", ErrorClass.AUTH));

    /** Codes that blame one or more jobs of the batch (when answered with 400, 404 or 422). */
    private static final Set<String> ITEM_CODES = Set.of(
            "DRS.M00007", "DRS.M00200", "DRS.M00201", "DRS.M00202", "DRS.M00301", "DRS.M00304",
            "DRS.M00307", "DRS.M00308", "DRS.M05003", "DRS.M05004");

    private ErrorClassifier() {
    }

    /** The class of a non-200 answer; {@code code} may be null when the body carries none. */
    public static ErrorClass classify(int status, String code) {
        if (code != null) {
            ErrorClass known = BY_CODE.get(code);
            if (known != null) {
                return known;
            }
            if (ITEM_CODES.contains(code) && (status == 400 || status == 404 || status == 422)) {
                return ErrorClass.ITEM;
            }
        }
        if (status == 408 || status >= 500 || status < 400) {
            return ErrorClass.TRANSIENT;
        }
        if (status == 429) {
            return ErrorClass.THROTTLE;
        }
        if (status == 401 || status == 403) {
            return ErrorClass.AUTH;
        }
        return ErrorClass.REQUEST;
    }

    /** Whether a per-item failure code inside a 200 answer should be tried again for that job. */
    public static boolean isTransientItem(String code) {
        return BUSY_ITEM_CODE.equals(code);
    }
}
