package dev.handoff.bench;

import dev.handoff.cli.CommandProvider;

/** Registers {@code handoff bench}. */
public final class BenchCommandProvider implements CommandProvider {
    @Override
    public Object command() {
        return new BenchCommand();
    }
}
