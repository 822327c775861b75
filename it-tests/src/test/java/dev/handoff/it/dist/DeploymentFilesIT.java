package dev.handoff.it.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment examples in {@code src/} cannot be run here (no Docker engine, no cluster), so
 * this keeps them honest against the code: the image runs as non-root on a JRE, the pod's probes
 * hit the health endpoints, secrets come from a Secret, and every configuration key they set is
 * one the configuration reference documents.
 */
class DeploymentFilesIT {

    private static final Path DOCS = Path.of("docs/configuration.md");

    @Test
    void theImageIsMultiStageNonRootOnAJre() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/docker/Dockerfile"));
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).hasSize(2);
        assertThat(from.get(1)).contains("-jre");
        assertThat(lines).anyMatch(l -> l.matches("USER 10001(:10001)?"));
        assertThat(lines).anyMatch(l -> l.contains("ENTRYPOINT [\"bin/handoff\"]"));
        assertThat(String.join("\n", lines)).contains("routes/target/handoff-*.tar.gz");
    }

    @Test
    void theSidecarPodProbesHealthAndTakesSecretsFromASecret() throws IOException {
        List<JsonNode> docs = yamlDocuments(Path.of("src/k8s/handoff.yaml"));
        JsonNode deployment = docs.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        JsonNode handoff = null;
        for (JsonNode c : pod.path("containers")) {
            if ("handoff".equals(c.path("name").asText())) {
                handoff = c;
            }
        }
        assertThat(handoff).as("a container named handoff beside the app container").isNotNull();
        assertThat(pod.path("containers").size()).isGreaterThanOrEqualTo(2);
        assertThat(handoff.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(handoff.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(handoff.path("envFrom").get(0).path("secretRef").path("name").asText()).isEqualTo("handoff-secrets");
        assertThat(docs).anyMatch(d -> "Secret".equals(d.path("kind").asText())
                && "handoff-secrets".equals(d.path("metadata").path("name").asText()));
    }

    @Test
    void everyKeyTheExamplesSetIsDocumented() throws IOException {
        String reference = Files.readString(DOCS);
        List<JsonNode> docs = yamlDocuments(Path.of("src/k8s/handoff.yaml"));
        JsonNode config = docs.stream().filter(d -> "ConfigMap".equals(d.path("kind").asText())).findFirst().orElseThrow();
        Properties p = new Properties();
        p.load(new StringReader(config.path("data").path("application.properties").asText()));
        assertThat(p.stringPropertyNames()).isNotEmpty();
        for (String key : p.stringPropertyNames()) {
            assertThat(documented(reference, key)).as("%s is in docs/configuration.md", key).isTrue();
        }
    }

    /** A key is documented literally (`key`) or through a pattern row such as `handoff.webhook.secret.<source>`. */
    private static boolean documented(String reference, String key) {
        if (reference.contains("`" + key + "`")) {
            return true;
        }
        var rows = Pattern.compile("`(handoff\\.[a-z0-9.\\-]*<[a-z\\-]+>[a-z0-9.\\-]*)`").matcher(reference);
        while (rows.find()) {
            String regex = Pattern.quote(rows.group(1)).replaceAll("<[a-z\\-]+>", "\\\\E[A-Za-z0-9_\\\\-]+\\\\Q");
            if (key.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> yamlDocuments(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> out = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(file.toFile())) {
            var it = yaml.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }
}
