package dev.handoff.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/definition.md documents every key the definition loader accepts. */
class DefinitionLanguageDocsTest {

    static final Path DOCS = Path.of("../docs/definition.md");

    /** Every {@code @JsonProperty} name of the document records: exactly the keys a definition file may use. */
    static Set<String> acceptedKeys() {
        Set<String> keys = new TreeSet<>();
        collect(DefinitionDocument.class, keys, new java.util.HashSet<>());
        return keys;
    }

    private static void collect(Class<?> type, Set<String> keys, Set<Class<?>> seen) {
        if (!type.isRecord() || !seen.add(type)) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            if (p == null) {
                p = c.getAnnotation(JsonProperty.class);
            }
            if (p != null) {
                keys.add(p.value());
            }
        }
        for (Class<?> nested : DefinitionDocument.class.getDeclaredClasses()) {
            collect(nested, keys, seen);
        }
    }

    @Test
    void everyKeyTheLoaderAcceptsIsDocumented() throws IOException {
        String docs = Files.readString(DOCS);

        assertThat(acceptedKeys()).isNotEmpty().allSatisfy(key -> assertThat(
                docs.contains("`" + key + "`") || docs.contains(key + ":") || docs.contains("\"" + key + "\":"))
                .as("docs/definition.md mentions key '%s'", key).isTrue());
    }

    @Test
    void everyCommandOfTheDefinitionLanguageIsDocumented() throws IOException {
        String docs = Files.readString(DOCS);

        assertThat(docs).contains("handoff validate").contains("handoff explain").contains("handoff describe").contains("handoff diff");
    }
}
