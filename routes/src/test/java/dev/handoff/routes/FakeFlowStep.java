package dev.handoff.routes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Stands in for any flow bean. The routes know a bean only by registry name and method name, so
 * one fake answers to every step method and writes "name.method" to a journal shared by all steps,
 * which keeps the order of calls across beans.
 */
public final class FakeFlowStep {

    private final String name;
    private final List<String> journal;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Supplier<? extends RuntimeException> failure;
    private final List<Long> callNanos = new CopyOnWriteArrayList<>();

    FakeFlowStep(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
    }

    /** The next {@code times} calls throw a fresh exception from {@code failure}; later calls succeed. */
    FakeFlowStep failNext(int times, Supplier<? extends RuntimeException> failure) {
        this.failure = failure;
        failuresLeft.set(times);
        return this;
    }

    /** {@link System#nanoTime()} at each call, in order. */
    List<Long> callNanos() {
        return List.copyOf(callNanos);
    }

    public int poll() {
        return record("poll");
    }

    public int run() {
        return record("run");
    }

    public int writePending() {
        return record("writePending");
    }

    public int check() {
        return record("check");
    }

    public int recycle() {
        return record("recycle");
    }

    private int record(String method) {
        callNanos.add(System.nanoTime());
        journal.add(name + "." + method);
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw failure.get();
        }
        return 0;
    }
}
