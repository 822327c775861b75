package dev.handoff.demo;

import dev.handoff.cli.CommandProvider;

/** Registers {@code handoff sandbox}. */
public final class SandboxCommandProvider implements CommandProvider {
    @Override
    public Object command() {
        return new SandboxCommand();
    }
}
