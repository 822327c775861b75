package dev.handoff.cli;

/**
 * Adds subcommands from modules the CLI does not depend on (the demo and sandbox live beside the
 * emulators). Found with {@link java.util.ServiceLoader}.
 */
public interface CommandProvider {
    /** A picocli {@code @Command}-annotated object. */
    Object command();
}
