package dev.handoff.transport;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * At most {@code calls} calls in any rolling {@code window}, counted the safe way round: a call
 * holds its slot while in flight and for one window after its response arrived. The vendor stamps
 * a call when the request reaches it, which is after we sent it and before its response reaches
 * us, so any {@code calls + 1} calls the vendor sees within one window would all have held a slot
 * here at once: it can never count more than {@code calls}. Unlike a fixed allowance per period,
 * the whole limit is usable (100 calls in a 20 s window, not 90), and the price of safety is one
 * round trip per window, not a tenth of the limit.
 */
public final class RollingWindow {

    private final int calls;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** When each finished call's slot frees up, oldest first (calls finish in time order). */
    private final Deque<Long> frees = new ArrayDeque<>();
    private int inFlight;

    public RollingWindow(int calls, Duration window) {
        this(calls, window, System::nanoTime);
    }

    RollingWindow(int calls, Duration window, LongSupplier nanoTime) {
        if (calls < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rolling limit needs calls >= 1 and a positive window, got " + calls + " per "
                    + window);
        }
        this.calls = calls;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a slot if one is free now.
     *
     * @return 0 when the slot was taken, otherwise how many nanoseconds until the next one could free up
     *         (a finished call's window ends; {@link Long#MAX_VALUE} when every slot is held by a call in flight)
     */
    public long tryAcquire() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            while (!frees.isEmpty() && frees.peekFirst() - now <= 0) {
                frees.pollFirst();
            }
            if (inFlight + frees.size() < calls) {
                inFlight++;
                return 0;
            }
            return frees.isEmpty() ? Long.MAX_VALUE : Math.max(1, frees.peekFirst() - now);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code maxWait} for a slot; false when none freed up in time. */
    public boolean acquire(Duration maxWait) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + maxWait.toNanos();
        lock.lock();
        try {
            while (true) {
                long wait = tryAcquire();
                if (wait == 0) {
                    return true;
                }
                long left = deadline - nanoTime.getAsLong();
                if (left <= 0) {
                    return false;
                }
                changed.await(Math.min(wait, left), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The call that held a slot has its answer (or failed): its slot frees one window from now. */
    public void release() {
        lock.lock();
        try {
            if (inFlight == 0) {
                throw new IllegalStateException("release without a matching acquire");
            }
            inFlight--;
            frees.addLast(nanoTime.getAsLong() + windowNanos);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Slots held right now, by calls in flight and by calls whose window has not ended. */
    public int held() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            while (!frees.isEmpty() && frees.peekFirst() - now <= 0) {
                frees.pollFirst();
            }
            return inFlight + frees.size();
        } finally {
            lock.unlock();
        }
    }
}
