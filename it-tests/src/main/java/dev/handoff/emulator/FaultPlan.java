package dev.handoff.emulator;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Which calls an emulator answers with a transient fault instead of serving them. Every call
 * consumes the same number of draws from one seeded {@link Random}, so the sequence of faults is
 * fixed by the seed and the order of calls alone, whatever kinds each call is eligible for.
 *
 * <p>Identity and token endpoints are left clean unless the plan is built {@link #withAuthFaults()
 * with auth faults}: a connector's retry logic is what the plan exercises, not its credentials.
 */
public final class FaultPlan {

    /** One injected fault: its kind and a seed for any detail (e.g. which records of a batch). */
    public record Injection<K>(K kind, long detailSeed) {

        /** A fresh random for the details of this fault, independent of later calls. */
        public Random detail() {
            return new Random(detailSeed);
        }
    }

    private static final FaultPlan NONE = new FaultPlan(0, 0, false);

    private final double rate;
    private final long seed;
    private final boolean authFaults;
    private final Random random;

    /** Faults {@code rate} of all calls (0 = never, 1 = every call), drawn from {@code seed}. */
    public FaultPlan(double rate, long seed) {
        this(rate, seed, false);
    }

    private FaultPlan(double rate, long seed, boolean authFaults) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault rate must be in [0,1]: " + rate);
        }
        this.rate = rate;
        this.seed = seed;
        this.authFaults = authFaults;
        this.random = new Random(seed);
    }

    /** The default of every emulator: no call ever faults. */
    public static FaultPlan none() {
        return NONE;
    }

    /** The same rate and seed, restarted, and also applied to identity/token calls. */
    public FaultPlan withAuthFaults() {
        return new FaultPlan(rate, seed, true);
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

    /**
     * Decides the next call: empty when it is served normally, otherwise one of {@code kinds}
     * (the kinds this call can suffer), picked uniformly.
     */
    public <K> Optional<Injection<K>> next(List<K> kinds) {
        Objects.requireNonNull(kinds, "kinds");
        if (rate == 0 || kinds.isEmpty()) {
            return Optional.empty();
        }
        double draw;
        int pick;
        long detail;
        synchronized (random) {
            draw = random.nextDouble();
            pick = random.nextInt(Integer.MAX_VALUE);
            detail = random.nextLong();
        }
        if (draw >= rate) {
            return Optional.empty();
        }
        return Optional.of(new Injection<>(kinds.get(pick % kinds.size()), detail));
    }

    @Override
    public String toString() {
        return rate == 0 ? "no faults" : "faults at " + rate + " (seed " + seed + (authFaults ? ", auth too)" : ")");
    }
}
