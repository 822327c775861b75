package dev.handoff.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which calls an emulator answers with a transient fault instead of serving them. Every call
 * consumes the same number of draws from one seeded {@link Random}, so the sequence of faults is
 * fixed by the seed and the order of calls alone, whatever kinds each call is eligible for and
 * whichever kinds the plan {@link #onlyKinds(Collection) allows}.
 *
 * <p>Identity and token endpoints are left clean unless the plan is built {@link #withAuthFaults()
 * with auth faults}: a connector's retry logic is what the plan exercises, not its credentials.
 *
 * <p>A plan can start with a {@link #withBurst(int) burst}: its first calls that can fault all do,
 * whatever the rate, as in an outage; afterwards the rate applies again.
 */
public final class FaultPlan {

    /** One injected fault: its kind and a seed for any detail (e.g. which records of a batch). */
    public record Injection<K>(K kind, long detailSeed) {

        /** A fresh random for the details of this fault, independent of later calls. */
        public Random detail() {
            return new Random(detailSeed);
        }
    }

    /** How long a {@code TIMEOUT} fault holds its response back unless the plan says otherwise. */
    public static final Duration DEFAULT_TIMEOUT_DELAY = Duration.ofSeconds(3);

    private static final FaultPlan NONE = new FaultPlan(0, 0, false, null, 0, DEFAULT_TIMEOUT_DELAY);

    private final double rate;
    private final long seed;
    private final boolean authFaults;
    /** Kind names that may be injected; null for every kind. */
    private final Set<String> kinds;
    private final int burst;
    private final Duration timeoutDelay;
    private final Random random;
    private int burstLeft;

    /** Faults {@code rate} of all calls (0 = never, 1 = every call), drawn from {@code seed}. */
    public FaultPlan(double rate, long seed) {
        this(rate, seed, false, null, 0, DEFAULT_TIMEOUT_DELAY);
    }

    private FaultPlan(double rate, long seed, boolean authFaults, Set<String> kinds, int burst, Duration timeoutDelay) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault rate must be in [0,1]: " + rate);
        }
        if (burst < 0) {
            throw new IllegalArgumentException("fault burst must not be negative: " + burst);
        }
        if (timeoutDelay.isNegative() || timeoutDelay.isZero()) {
            throw new IllegalArgumentException("timeout delay must be positive: " + timeoutDelay);
        }
        this.rate = rate;
        this.seed = seed;
        this.authFaults = authFaults;
        this.kinds = kinds == null ? null : Set.copyOf(kinds);
        this.burst = burst;
        this.burstLeft = burst;
        this.timeoutDelay = timeoutDelay;
        this.random = new Random(seed);
    }

    /** The default of every emulator: no call ever faults. */
    public static FaultPlan none() {
        return NONE;
    }

    /** The same plan, restarted, and also applied to identity/token calls. */
    public FaultPlan withAuthFaults() {
        return new FaultPlan(rate, seed, true, kinds, burst, timeoutDelay);
    }

    /**
     * The same plan, restarted, injecting only the kinds named (an emulator's
     * {@code InjectedFault} names, e.g. {@code TIMEOUT}, {@code RECORD_LOCK}); a call that can
     * suffer none of them is served normally. Names no emulator knows are the caller's to reject.
     */
    public FaultPlan onlyKinds(Collection<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one fault kind");
        }
        return new FaultPlan(rate, seed, authFaults, new TreeSet<>(names), burst, timeoutDelay);
    }

    /** The same plan, restarted, drawing from {@code seed}. */
    public FaultPlan withSeed(long seed) {
        return new FaultPlan(rate, seed, authFaults, kinds, burst, timeoutDelay);
    }

    /** The same plan, restarted, whose first {@code calls} calls that can fault all do. */
    public FaultPlan withBurst(int calls) {
        return new FaultPlan(rate, seed, authFaults, kinds, calls, timeoutDelay);
    }

    /**
     * The same plan, restarted, whose {@code TIMEOUT} faults answer only after {@code delay}:
     * longer than the client's read timeout, so the client gives up first.
     */
    public FaultPlan withTimeoutDelay(Duration delay) {
        return new FaultPlan(rate, seed, authFaults, kinds, burst, Objects.requireNonNull(delay, "delay"));
    }

    public double rate() {
        return rate;
    }

    public long seed() {
        return seed;
    }

    /** Whether identity/token calls may fault too. */
    public boolean coversAuth() {
        return authFaults;
    }

    /** How long a {@code TIMEOUT} fault holds its response back. */
    public Duration timeoutDelay() {
        return timeoutDelay;
    }

    /** Whether this plan may inject the kind of this name. */
    public boolean allows(String kindName) {
        return kinds == null || kinds.contains(kindName);
    }

    /**
     * Decides the next call: empty when it is served normally, otherwise one of {@code kinds}
     * (the kinds this call can suffer) that the plan allows, picked uniformly.
     */
    public <K> Optional<Injection<K>> next(List<K> kinds) {
        Objects.requireNonNull(kinds, "kinds");
        if ((rate == 0 && burst == 0) || kinds.isEmpty()) {
            return Optional.empty();
        }
        List<K> allowed = kinds;
        if (this.kinds != null) {
            allowed = new ArrayList<>(kinds.size());
            for (K k : kinds) {
                if (this.kinds.contains(k.toString())) {
                    allowed.add(k);
                }
            }
        }
        double draw;
        int pick;
        long detail;
        boolean inBurst;
        synchronized (random) {
            draw = random.nextDouble();
            pick = random.nextInt(Integer.MAX_VALUE);
            detail = random.nextLong();
            inBurst = !allowed.isEmpty() && burstLeft > 0;
            if (inBurst) {
                burstLeft--;
            }
        }
        if (allowed.isEmpty() || (!inBurst && draw >= rate)) {
            return Optional.empty();
        }
        return Optional.of(new Injection<>(allowed.get(pick % allowed.size()), detail));
    }

    @Override
    public String toString() {
        if (rate == 0 && burst == 0) {
            return "no faults";
        }
        return "faults at " + rate + " (seed " + seed + (burst > 0 ? ", first " + burst + " calls" : "")
                + (kinds != null ? ", only " + kinds : "") + (authFaults ? ", auth too)" : ")");
    }
}
