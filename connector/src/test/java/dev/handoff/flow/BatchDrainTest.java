package dev.handoff.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchDrainTest {

    private final ExecutorService executor = Prefetch.executor("test-read", 4);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Keys "k000".."k{n-1}", served after a key like the ledger's keyset queues. */
    private static BatchDrain.Queue<String> keys(int n) {
        List<String> all = IntStream.range(0, n).mapToObj(i -> String.format("k%03d", i)).toList();
        return (after, size) -> all.stream().filter(k -> k.compareTo(after) > 0).limit(size).toList();
    }

    @Test
    void processesEveryBatchInKeyOrderWithItsOwnFetchedData() {
        List<String> processed = Collections.synchronizedList(new ArrayList<>());
        int done = BatchDrain.drainAhead(3, 4, keys(10), k -> k, executor, batch -> "read:" + batch,
                (batch, read) -> {
                    assertThat(read).isEqualTo("read:" + batch);
                    processed.addAll(batch);
                    return batch.size() - 1;
                });
        assertThat(processed).containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> String.format("k%03d", i)).toList());
        assertThat(done).isEqualTo(10 - 4); // 4 batches (3+3+3+1), each reporting one fewer
    }

    @Test
    void keepsUpToAheadReadsInFlightWhileTheFirstIsProcessed() throws Exception {
        CountDownLatch threeStarted = new CountDownLatch(3);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        BatchDrain.drainAhead(1, 3, keys(7), k -> k, executor, batch -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            threeStarted.countDown();
            try {
                // the first three reads overlap: none returns before all three have started
                assertThat(threeStarted.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            inFlight.decrementAndGet();
            return batch;
        }, (batch, read) -> 1);
        assertThat(maxInFlight.get()).isBetween(2, 3);
    }

    @Test
    void aFailedReadSurfacesAfterTheBatchesBeforeItAndLaterReadsAreCancelled() {
        List<String> processed = new ArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> BatchDrain.drainAhead(2, 2, keys(20), k -> k, executor, batch -> {
            reads.incrementAndGet();
            if (batch.contains("k004")) {
                throw new IllegalStateException("MAP refused batch " + batch);
            }
            return batch;
        }, (batch, read) -> {
            processed.addAll(batch);
            return batch.size();
        })).isInstanceOf(IllegalStateException.class).hasMessage("MAP refused batch [k004, k005]");
        assertThat(processed).containsExactly("k000", "k001", "k002", "k003");
        // at most the failed batch's read-ahead companion was started after it, never the whole queue
        assertThat(reads.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void oneAheadIsTheSequentialDrain() {
        List<List<String>> batches = new ArrayList<>();
        int done = BatchDrain.drainAhead(4, 1, keys(9), k -> k, executor, batch -> batch, (batch, read) -> {
            batches.add(read);
            return read.size();
        });
        assertThat(done).isEqualTo(9);
        assertThat(batches).extracting(List::size).containsExactly(4, 4, 1);
    }
}
