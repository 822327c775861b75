package dev.handoff.flow;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Qualification and handoff of one cycle, overlapped. While the qualifier reads and scores batch
 * after batch, full rounds of the MQLs already recorded (a whole dedupe lookup's worth) go to the
 * CRM on a second thread, so the CRM calls of a large backlog happen while the MAP is still being
 * read, and no more of them than if they came after it. What is left when qualification ends (the
 * last part-filled round, or everything if the CRM refused meanwhile) is handed off after it on the
 * calling thread, as before. At most one writer runs at a time, and the cycle
 * never ends while it runs.
 */
public final class QualifyAndHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(QualifyAndHandOff.class);

    private final LeadQualifier qualifier;
    private final SalesforceLeadWriter writer;
    private final ExecutorService background = Prefetch.executor("handoff-writer", 1);

    public QualifyAndHandOff(LeadQualifier qualifier, SalesforceLeadWriter writer) {
        this.qualifier = qualifier;
        this.writer = writer;
    }

    /** @return the number of Leads handed off in this cycle */
    public int run() {
        Cycle cycle = new Cycle();
        try {
            qualifier.qualifyNewLeads(cycle::batchRecorded);
        } finally {
            cycle.finishWriting();
        }
        return cycle.handedOff + writer.handOff();
    }

    /** The background writer of one cycle; used from the cycle's thread only. */
    private final class Cycle {
        private Future<Integer> writing;
        private boolean failed;
        private int handedOff;

        void batchRecorded() {
            if (failed || (writing != null && !writing.isDone())) {
                return;
            }
            collect();
            if (!failed) {
                writing = background.submit(writer::handOffFullRounds);
            }
        }

        void finishWriting() {
            collect();
        }

        /** Waits for the writer, if any, and counts what it handed off; a failure stops writing early. */
        private void collect() {
            if (writing == null) {
                return;
            }
            try {
                handedOff += Prefetch.await(writing);
            } catch (RuntimeException e) {
                failed = true;
                LOG.warn("handoff: writing to the CRM during qualification failed ({}); the cycle's MQLs are handed off "
                        + "after qualification", e.getMessage());
            } finally {
                writing = null;
            }
        }
    }
}
