package dev.handoff.demo;

import dev.handoff.config.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What the demo and the sandbox both ask: which platform to emulate, with which seed and definition. */
final class EmulationOptions {

    @Option(names = "--seed", defaultValue = "7", description = "Seed for leads and sales reps (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--map", defaultValue = "marketo", description = "Marketing platform to emulate: marketo or hubspot (default ${DEFAULT-VALUE}).")
    String map;

    @Option(names = "--definition", description = "Qualification definition (default: config/qualification.yaml).")
    Path definition;

    boolean hubspot() {
        if (!"marketo".equals(map) && !"hubspot".equals(map)) {
            throw new ConfigException("--map", "'" + map + "' is not one of marketo, hubspot");
        }
        return "hubspot".equals(map);
    }

    /** The given definition, or the repository's (the launcher passes its root as handoff.home). */
    Path definitionPath() {
        return definition != null ? definition : Path.of(System.getProperty("handoff.home", ".")).resolve("config/qualification.yaml");
    }
}
