package dev.handoff.definition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The shipped definition, and edited copies of it written next to a copy of its list files. */
final class Definitions {

    static final Path SHIPPED = Path.of("../config/qualification.yaml");

    private Definitions() {
    }

    static Definition shipped() {
        return DefinitionLoader.load(SHIPPED);
    }

    /** Writes the shipped YAML with {@code edit} applied to {@code dir/name} (lists copied along) and loads it. */
    static Definition edited(Path dir, String name, UnaryOperator<String> edit) {
        return DefinitionLoader.load(write(dir, name, edit));
    }

    static Path write(Path dir, String name, UnaryOperator<String> edit) {
        try {
            String original = Files.readString(SHIPPED);
            String changed = edit.apply(original);
            Path lists = dir.resolve("lists");
            Files.createDirectories(lists);
            try (var files = Files.list(SHIPPED.getParent().resolve("lists"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, lists.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path file = dir.resolve(name);
            Files.writeString(file, changed);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link String#replace} but fails when {@code target} is absent, so a stale edit cannot pass silently. */
    static String replace(String text, String target, String replacement) {
        if (!text.contains(target)) {
            throw new AssertionError("the shipped definition no longer contains: " + target);
        }
        return text.replace(target, replacement);
    }
}
