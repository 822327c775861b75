package dev.handoff.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated world's clock, shared by the emulators and (in the demo) by the connector, so that
 * a day of sales work can pass in a second while every timestamp stays consistent.
 */
public final class VirtualClock extends Clock {

    private final AtomicReference<Instant> now;

    public VirtualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a virtual clock never goes back: " + step);
        }
        now.updateAndGet(t -> t.plus(step));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new IllegalArgumentException("the virtual clock runs in UTC only");
    }
}
