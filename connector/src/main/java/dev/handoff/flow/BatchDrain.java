package dev.handoff.flow;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import java.util.function.ToIntFunction;

/**
 * Works through a ledger queue one API-sized batch at a time, in key order. Each batch starts
 * after the last key of the one before, so items that stay queued (a record to retry on the next
 * poll, an opportunity still open) never hold back the items behind them, and a run always ends.
 */
final class BatchDrain {

    /** The next batch: at most {@code size} items with keys after {@code afterKey} ("" for the first). */
    @FunctionalInterface
    interface Queue<T> {
        List<T> next(String afterKey, int size);
    }

    private BatchDrain() {
    }

    /**
     * @param process handles one batch, returns how many items it completed
     * @return the total completed
     */
    static <T> int drain(int size, Queue<T> queue, Function<T, String> key, ToIntFunction<List<T>> process) {
        String after = "";
        int done = 0;
        while (true) {
            List<T> batch = queue.next(after, size);
            if (batch.isEmpty()) {
                return done;
            }
            after = key.apply(batch.get(batch.size() - 1));
            done += process.applyAsInt(batch);
        }
    }

    /**
     * Like {@link #drain}, with the slow part of each batch (the API read) started up to
     * {@code ahead} batches early on {@code executor}. Batches are still processed one at a time,
     * in key order, on the calling thread; a failed read surfaces when its batch's turn comes, after
     * the batches before it are processed. Reads still in flight when the drain ends are cancelled.
     *
     * @param fetch   the part that may run early and concurrently (it must not touch what
     *                {@code process} writes)
     * @param process handles one batch with its fetched data, returns how many items it completed
     */
    static <T, R> int drainAhead(int size, int ahead, Queue<T> queue, Function<T, String> key, ExecutorService executor,
            Function<List<T>, R> fetch, ToIntBiFunction<List<T>, R> process) {
        Deque<Map.Entry<List<T>, Future<R>>> inFlight = new ArrayDeque<>();
        String after = "";
        boolean exhausted = false;
        int done = 0;
        try {
            while (true) {
                while (!exhausted && inFlight.size() < Math.max(1, ahead)) {
                    List<T> batch = queue.next(after, size);
                    if (batch.isEmpty()) {
                        exhausted = true;
                    } else {
                        after = key.apply(batch.get(batch.size() - 1));
                        inFlight.add(Map.entry(batch, executor.submit(() -> fetch.apply(batch))));
                    }
                }
                Map.Entry<List<T>, Future<R>> next = inFlight.poll();
                if (next == null) {
                    return done;
                }
                done += process.applyAsInt(next.getKey(), Prefetch.await(next.getValue()));
            }
        } finally {
            inFlight.forEach(e -> e.getValue().cancel(true));
        }
    }
}
