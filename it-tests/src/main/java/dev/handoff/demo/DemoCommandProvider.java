package dev.handoff.demo;

import dev.handoff.cli.CommandProvider;

/** Registers {@code handoff demo}. */
public final class DemoCommandProvider implements CommandProvider {
    @Override
    public Object command() {
        return new DemoCommand();
    }
}
