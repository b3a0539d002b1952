package io.github.drsretrybatcher.drs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The answer to one batch-retry-task call.
 *
 * @param body the parsed body; a missing node when it was empty or not JSON
 * @param retryAfter the {@code Retry-After} the server asked for, or null
 */
record CallAnswer(int status, String requestId, JsonNode body, Duration retryAfter) {

    String errorCode() {
        return text("error_code");
    }

    String errorMsg() {
        return text("error_msg");
    }

    ErrorClass errorClass() {
        return ErrorClassifier.classify(status, errorCode());
    }

    private String text(String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
