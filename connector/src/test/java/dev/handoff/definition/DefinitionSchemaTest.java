package dev.handoff.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** config/qualification.schema.json, which editors use for completion, agrees with the loader. */
class DefinitionSchemaTest {

    static final Path SCHEMA = Path.of("../config/qualification.schema.json");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new YAMLMapper();

    static JsonNode schemaNode() throws IOException {
        return JSON.readTree(SCHEMA.toFile());
    }

    static Set<ValidationMessage> validate(Path yaml) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode());
        return schema.validate(YAML.readTree(yaml.toFile()));
    }

    @Test
    void defaultDefinitionMatchesTheSchema() throws IOException {
        assertThat(validate(DefinitionLoaderTest.DEFAULT)).isEmpty();
    }

    @Test
    void compositeDefinitionMatchesTheSchema() throws IOException {
        assertThat(validate(Path.of("src/test/resources/definitions/composite/qualification.yaml"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-key", "wrong-type", "bad-threshold", "bad-duration", "unknown-field",
            "composite-part-without-test"})
    void brokenDefinitionsFailTheSchemaToo(String name) throws IOException {
        assertThat(validate(BrokenDefinitionsTest.BROKEN.resolve(name + ".yaml"))).isNotEmpty();
    }

    @Test
    void schemaIsDraft202012() throws IOException {
        assertThat(schemaNode().path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void fieldEnumIsTheLoadersListOfKnownLeadFields() throws IOException {
        List<String> names = new ArrayList<>();
        schemaNode().path("$defs").path("field").path("enum").forEach(n -> names.add(n.asText()));
        assertThat(names).isEqualTo(LeadFields.KNOWN);
    }

    @Test
    void everyPropertyHasADescriptionForEditorCompletion() throws IOException {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schemaNode(), "", undocumented);
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(JsonNode node, String path, List<String> out) {
        if (!node.isObject()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    collectUndocumented(node.get(i), path + "[" + i + "]", out);
                }
            }
            return;
        }
        JsonNode properties = node.get("properties");
        if (properties != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().hasNonNull("description")) {
                    out.add(path + "/properties/" + e.getKey());
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            collectUndocumented(e.getValue(), path + "/" + e.getKey(), out);
        }
    }

    @Test
    void editorsFindTheSchemaFromTheDefaultDefinitionsFirstLine() throws IOException {
        assertThat(Files.readAllLines(DefinitionLoaderTest.DEFAULT).get(0))
                .isEqualTo("# yaml-language-server: $schema=qualification.schema.json");
    }
}
