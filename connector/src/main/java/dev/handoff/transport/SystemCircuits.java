package dev.handoff.transport;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link SystemCircuit} per external system, all with the same thresholds. */
public final class SystemCircuits {

    private final CircuitBreakerSettings settings;
    private final Clock clock;
    private final Map<String, SystemCircuit> circuits = new ConcurrentHashMap<>();

    public SystemCircuits(CircuitBreakerSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The circuit of {@code system} ({@code salesforce}, {@code marketo}, {@code hubspot}), made on first use. */
    public SystemCircuit forSystem(String system) {
        return circuits.computeIfAbsent(system, s -> SystemCircuit.of(s, settings, clock));
    }

    /** Each system's circuit state and transition counts, by system name. */
    public Map<String, SystemCircuit.Status> status() {
        Map<String, SystemCircuit.Status> out = new TreeMap<>();
        circuits.forEach((system, circuit) -> out.put(system, circuit.status()));
        return out;
    }
}
