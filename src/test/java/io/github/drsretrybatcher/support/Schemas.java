package io.github.drsretrybatcher.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contracts in {@code schemas/}, for checking real messages and requests against them. */
public final class Schemas {

    public static final String TASK_FAILED = "task-failed.schema.json";
    public static final String OUTCOME = "retry-outcome.schema.json";
    public static final String DRS_REQUEST = "drs-batch-retry-request.schema.json";
    public static final String DRS_RESPONSE = "drs-batch-retry-response.schema.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Schemas() {
    }

    /** Asserts that {@code json} is valid against {@code schemas/<name>}, formats included. */
    public static void assertValid(String name, String json) {
        try (InputStream in = Files.newInputStream(Path.of("schemas", name))) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
            JsonNode node = MAPPER.readTree(json);
            assertThat(schema.validate(node)).as("%s against %s", json, name).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
