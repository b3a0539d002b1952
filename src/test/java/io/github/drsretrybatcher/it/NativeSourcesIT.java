package io.github.drsretrybatcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.drsretrybatcher.event.RetryOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inputs of the native-image build, as {@code mvn verify -Dnative -Dquarkus.native.sources-only=true} writes
 * them to {@code target/native-sources/}: what would fail the native build or break the executable at run time,
 * checked without GraalVM. Run only by the native-sources profile.
 */
class NativeSourcesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUILDER_IMAGE = "/quarkus/ubi9-quarkus-mandrel-builder-image:";

    private static Path dir;
    private static List<String> args;
    private static Path runnerJar;
    private static JsonNode reflection;
    private static JsonNode resources;

    @BeforeAll
    static void readTheSources() throws IOException {
        dir = Path.of(System.getProperty("native.sources.dir", "target/native-sources"));
        Path argsFile = dir.resolve("native-image.args");
        assertThat(argsFile).as("run mvn verify -Dnative -Dquarkus.native.sources-only=true").isRegularFile();
        args = List.of(Files.readString(argsFile).trim().split("\\s+"));
        assertThat(args).as("the last arguments: -jar <runner jar>").hasSizeGreaterThan(2);
        assertThat(args.get(args.size() - 2)).isEqualTo("-jar");
        runnerJar = dir.resolve(args.get(args.size() - 1));
        assertThat(runnerJar).isRegularFile();
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            reflection = json(jar, "META-INF/native-image/reflect-config.json");
            resources = json(jar, "META-INF/native-image/resource-config.json");
        }
    }

    @Test
    void theExecutableIsNamedWhereTheIntegrationTestsLookForIt() {
        String image = args.get(args.size() - 3);
        assertThat(args.get(args.size() - 1)).isEqualTo(image + ".jar");
        // the native profile passes this to failsafe; @QuarkusIntegrationTest and ServiceProcess start it
        String expected = System.getProperty("native.image.path", "");
        assertThat(expected).as("native.image.path, set by the native profile").isNotBlank();
        assertThat(Path.of(expected).getFileName()).hasToString(image);
    }

    @Test
    void everyJarOfTheClassPathIsThere() throws IOException {
        String classPath;
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        }
        List<String> entries = Arrays.stream(classPath.trim().split("\\s+")).toList();
        assertThat(entries).hasSizeGreaterThan(50).allMatch(entry -> entry.startsWith("lib/"));
        assertThat(entries).allSatisfy(entry -> assertThat(dir.resolve(entry)).isRegularFile());
    }

    @Test
    void noEscapeHatchesAndNoFallbackImage() {
        assertThat(args).contains("--no-fallback", "--link-at-build-time")
                .doesNotContain("--allow-incomplete-classpath", "--report-unsupported-elements-at-runtime",
                        "-H:+AllowIncompleteClasspath", "-H:+ReportUnsupportedElementsAtRuntime",
                        "--auto-fallback", "--force-fallback");
    }

    @Test
    void httpsUrlsAreEnabled() {
        // the DRS and IAM endpoints are https URLs
        assertThat(args).filteredOn(arg -> arg.startsWith("--enable-url-protocols="))
                .singleElement()
                .satisfies(arg -> assertThat(arg.substring(arg.indexOf('=') + 1).split(","))
                        .contains("http", "https"));
    }

    @Test
    void theSchemasAreIncludedAsResources() throws IOException {
        List<String> schemas;
        try (Stream<Path> files = Files.list(Path.of("schemas"))) {
            schemas = files.map(file -> "schemas/" + file.getFileName()).sorted().toList();
        }
        // TaskFailedParser reads this one from the class path on every start
        assertThat(schemas).contains("schemas/task-failed.schema.json");
        List<String> includes = patterns(resources.path("resources").path("includes"));
        List<String> excludes = patterns(resources.path("resources").path("excludes"));
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            for (String schema : schemas) {
                assertThat(jar.getJarEntry(schema)).as(schema + " in the runner jar").isNotNull();
                assertThat(includes).as(schema + " matched by an include of resource-config.json")
                        .anyMatch(pattern -> schema.matches(pattern));
                assertThat(excludes).as(schema + " excluded").noneMatch(pattern -> schema.matches(pattern));
            }
        }
    }

    @Test
    void theSchemaValidatorKeepsItsOwnResources() throws IOException {
        // json-schema-validator ships the resource config for its messages and meta-schemas in its jar
        Path validator;
        try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
            validator = jars.filter(jar -> jar.getFileName().toString().startsWith("com.networknt.json-schema-"))
                    .findFirst().orElseThrow();
        }
        List<String> includes = new ArrayList<>();
        try (JarFile jar = new JarFile(validator.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                if (entry.getName().startsWith("META-INF/native-image/")
                        && entry.getName().endsWith("/resource-config.json")) {
                    includes.addAll(patterns(json(jar, entry.getName()).path("resources").path("includes")));
                }
            }
        }
        assertThat(includes).anyMatch("jsv-messages.properties"::matches)
                .anyMatch("draft/2020-12/schema"::matches);
        // --exclude-config <class-path entry regex> <config regex> would drop them
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--exclude-config")) {
                assertThat(Pattern.compile(args.get(i + 1)).matcher(validator.toString()).find())
                        .as(validator + " excluded by " + args.get(i + 1)).isFalse();
            }
        }
    }

    @Test
    void whatJacksonSerialisesByReflectionIsRegistered() {
        // the outcome event is the one object Jackson reads by reflection; every other JSON is a tree
        assertThat(registration(RetryOutcome.class.getName())).as(RetryOutcome.class.getName())
                .anySatisfy(entry -> {
                    assertThat(entry.path("allDeclaredConstructors").asBoolean()).isTrue();
                    assertThat(entry.path("allDeclaredMethods").asBoolean()).isTrue();
                    assertThat(entry.path("allDeclaredFields").asBoolean()).isTrue();
                });
        String naming = RetryOutcome.class.getAnnotation(JsonNaming.class).value().getName();
        assertThat(registration(naming)).as(naming + ", instantiated by Jackson").anyMatch(NativeSourcesIT::constructs);
    }

    @Test
    void kafkaClassesNamedInTheConfigurationAreRegistered() throws IOException {
        Properties config = new Properties();
        try (InputStream in = NativeSourcesIT.class.getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        Pattern className = Pattern.compile("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");
        List<String> named = config.stringPropertyNames().stream().map(config::getProperty)
                .filter(value -> className.matcher(value).matches()).distinct().sorted().toList();
        // the (de)serialisers and the partition assignor, instantiated by the Kafka clients from their names
        assertThat(named).contains("org.apache.kafka.common.serialization.ByteArrayDeserializer",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        assertThat(named).allSatisfy(name -> assertThat(registration(name)).as(name)
                .anyMatch(NativeSourcesIT::constructs));
    }

    @Test
    void theBuilderImageIsTheGraalVmLineQuarkusExpects() throws IOException {
        String expected = Files.readString(dir.resolve("graalvm.version")).trim();
        String dockerfile = Files.readString(Path.of("docker", "Dockerfile.native"));
        Matcher from = Pattern.compile("(?m)^FROM (\\S+" + Pattern.quote(BUILDER_IMAGE) + "(\\S+)) AS build$")
                .matcher(dockerfile);
        assertThat(from.find()).as("Dockerfile.native builds FROM <registry>" + BUILDER_IMAGE + "<tag>").isTrue();
        String image = from.group(1);
        // Mandrel builder tags name the line by its JDK: jdk-25 for GraalVM/Mandrel 25
        assertThat(from.group(2)).as("the Mandrel line of Quarkus' GraalVM " + expected)
                .isEqualTo("jdk-" + expected.substring(0, expected.indexOf('.')));
        // the hosted native CI builds with the same image
        assertThat(Files.readString(Path.of(".github", "workflows", "native.yml"))).contains(image);
    }

    private static List<JsonNode> registration(String className) {
        List<JsonNode> entries = new ArrayList<>();
        reflection.forEach(entry -> {
            if (entry.path("name").asText().equals(className)) {
                entries.add(entry);
            }
        });
        return entries;
    }

    private static boolean constructs(JsonNode entry) {
        if (entry.path("allDeclaredConstructors").asBoolean() || entry.path("allPublicConstructors").asBoolean()) {
            return true;
        }
        for (JsonNode method : entry.path("methods")) {
            if (method.path("name").asText().equals("<init>")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> patterns(JsonNode list) {
        List<String> patterns = new ArrayList<>();
        list.forEach(item -> patterns.add(item.path("pattern").asText()));
        return patterns;
    }

    private static JsonNode json(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name + " in " + jar.getName()).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
            return JSON.readTree(in);
        }
    }
}
