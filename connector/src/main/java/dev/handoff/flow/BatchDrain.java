package dev.handoff.flow;

import java.util.List;
import java.util.function.Function;
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
}
