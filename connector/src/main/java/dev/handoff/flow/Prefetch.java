package dev.handoff.flow;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The flows' background calls: reading ahead (the next pages or batches are asked for on a few
 * threads while the one in hand is recorded, and the answers taken in order) and the parallel
 * calls of a handoff round. The threads exist only while there is something to do.
 */
final class Prefetch {

    private Prefetch() {
    }

    /** Up to {@code threads} daemon threads named {@code name-N}, gone after 10 s without work. */
    static ExecutorService executor(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, name + "-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** The fetched value, or the exception the fetch threw, as if it had been called on this thread. */
    static <T> T await(Future<T> fetched) {
        try {
            return fetched.get();
        } catch (InterruptedException e) {
            fetched.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a read-ahead answer", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(String.valueOf(cause), cause);
        }
    }
}
