package dev.handoff.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollingWindowTest {

    private long now = 1_000_000_000L;

    private RollingWindow window(int calls, Duration w) {
        return new RollingWindow(calls, w, () -> now);
    }

    @Test
    void theWholeLimitIsUsableAtOnce() {
        RollingWindow w = window(100, Duration.ofSeconds(20));
        for (int i = 0; i < 100; i++) {
            assertThat(w.tryAcquire()).isZero();
        }
        assertThat(w.tryAcquire()).as("every slot is held by a call in flight").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSlotFreesOneWindowAfterItsCallAnswered() {
        RollingWindow w = window(2, Duration.ofSeconds(20));
        assertThat(w.tryAcquire()).isZero();
        assertThat(w.tryAcquire()).isZero();
        now += Duration.ofMillis(100).toNanos();
        w.release();
        now += Duration.ofSeconds(5).toNanos();
        assertThat(w.tryAcquire()).isEqualTo(Duration.ofSeconds(15).toNanos());
        now += Duration.ofSeconds(15).toNanos() - 1;
        assertThat(w.tryAcquire()).isEqualTo(1);
        now += 1;
        assertThat(w.tryAcquire()).isZero();
        assertThat(w.held()).isEqualTo(2);
    }

    @Test
    void releaseWithoutAcquireIsAnError() {
        assertThatThrownBy(() -> window(2, Duration.ofSeconds(1)).release()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void acquireGivesUpAfterItsWait() throws InterruptedException {
        RollingWindow w = window(1, Duration.ofHours(1));
        assertThat(w.acquire(Duration.ZERO)).isTrue();
        assertThat(w.acquire(Duration.ZERO)).isFalse();
    }

    /**
     * Calls of random latency, sent as soon as a slot is free: the vendor, stamping each call when
     * it arrives (between send and answer), never sees more than the limit within one window.
     */
    @Test
    void theVendorNeverCountsMoreThanTheLimitInAnyWindow() {
        int limit = 10;
        long windowNanos = Duration.ofSeconds(2).toNanos();
        RollingWindow w = window(limit, Duration.ofNanos(windowNanos));
        Random random = new Random(42);
        List<Long> arrivals = new ArrayList<>();
        record Call(long arrives, long answers) {
        }
        List<Call> inFlight = new ArrayList<>();
        for (int step = 0; step < 20_000 && arrivals.size() < 500; step++) {
            now += Duration.ofMillis(random.nextInt(50)).toNanos();
            inFlight.removeIf(c -> {
                if (c.answers() <= now) {
                    w.release();
                    return true;
                }
                return false;
            });
            while (w.tryAcquire() == 0) {
                long arrives = now + Duration.ofMillis(1 + random.nextInt(300)).toNanos();
                arrivals.add(arrives);
                inFlight.add(new Call(arrives, arrives + Duration.ofMillis(random.nextInt(300)).toNanos()));
            }
        }
        assertThat(arrivals).hasSizeGreaterThanOrEqualTo(500);
        arrivals.sort(Long::compare);
        for (int i = limit; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - limit)).as("call %d and the %dth before it", i, limit)
                    .isGreaterThan(windowNanos);
        }
    }
}
