package dev.handoff.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/configuration.md and the code agree on the keys an admin can set. */
class ConfigurationDocsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern KEY_IN_CODE = Pattern.compile("\"(handoff\\.[a-z0-9.-]+)");
    private static final Pattern KEY_IN_DOCS = Pattern.compile("^\\| `(handoff\\.[a-z0-9.<>-]+)`", Pattern.MULTILINE);

    private static Set<String> codeKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String module : new String[] {"connector", "routes"}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = KEY_IN_CODE.matcher(Files.readString(f));
                    while (m.find()) {
                        String key = m.group(1);
                        keys.add(key.endsWith(".") ? key + "<" + (key.endsWith("field.") ? "name" : key.endsWith("secret.") ? "source" : "role") + ">" : key);
                    }
                }
            }
        }
        return keys;
    }

    private static Set<String> documentedKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = KEY_IN_DOCS.matcher(Files.readString(ROOT.resolve("docs/configuration.md")));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    @Test
    void everyKeyTheCodeReadsIsDocumented() throws IOException {
        assertThat(documentedKeys()).containsAll(codeKeys());
    }

    @Test
    void everyDocumentedKeyIsReadByTheCode() throws IOException {
        assertThat(codeKeys()).containsAll(documentedKeys());
    }

    @Test
    void shippedConfigurationOnlyUsesDocumentedKeys() throws IOException {
        Set<String> documented = documentedKeys();
        for (String line : Files.readAllLines(ROOT.resolve("config/application.properties"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(documented).contains(line.substring(0, line.indexOf('=')).trim());
            }
        }
    }
}
