package dev.handoff.routes;

import dev.handoff.ha.HaConfig;
import dev.handoff.ha.LeaderLease;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace's leadership, decided by the {@link LeaderLease} row in the ledger. Every
 * heartbeat (a tenth of the lease) the leader renews its lease and a standby tries to take it, so
 * a standby takes over at most one lease plus one heartbeat after the leader died. A separate
 * watchdog makes a leader that could not renew (the ledger unreachable, the call hanging) step
 * down a quarter of the lease before the lease runs out, without waiting for that call.
 *
 * <p><b>Why two leaders at once still cannot hand a lead off twice.</b> The lease makes overlap
 * rare, not impossible: a leader frozen longer than its lease (a long GC pause, a suspended VM)
 * wakes up in the middle of a batch after a standby has taken over, and a flow that was stopping
 * finishes its cycle. Nothing depends on the lease for correctness, though:
 * <ul>
 * <li>every Salesforce write is an upsert keyed by the external id (the MAP lead id), so the same
 *     lead sent by both replicas updates one Lead instead of creating a second;</li>
 * <li>each ledger transition is one transaction that only moves a lead forward from the state it
 *     expects (NEW → MQL → HANDED_OFF → ACCEPTED/REJECTED, feedback PENDING → WRITTEN), so the
 *     second replica's write of the same step changes nothing, and a watermark only moves with the
 *     batch it covers;</li>
 * <li>feedback to the MAP is an idempotent field update: writing the same verdict twice leaves the
 *     same values.</li>
 * </ul>
 * Overlap therefore costs at most some repeated API calls, never a duplicate or a lost lead.
 */
public final class LedgerClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerClusterView.class);

    private final LeaderLease lease;
    private final HaConfig config;
    private final AtomicBoolean leader = new AtomicBoolean();
    private final CamelClusterMember local;
    private volatile String knownLeader;
    private volatile String lastProblem;
    private ScheduledExecutorService heartbeat;
    private ScheduledExecutorService watchdog;

    LedgerClusterView(LedgerClusterService service, String namespace, LeaderLease lease, HaConfig config) {
        super(service, namespace);
        this.lease = lease;
        this.config = config;
        this.local = new Member(true, lease.nodeId());
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leader.get()) {
            return Optional.of(local);
        }
        String other = knownLeader;
        return other == null ? Optional.empty() : Optional.of(new Member(false, other));
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        List<CamelClusterMember> members = new ArrayList<>();
        members.add(local);
        getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
        return members;
    }

    @Override
    protected void doStart() {
        long beat = config.heartbeat().toMillis();
        var executors = getCamelContext().getExecutorServiceManager();
        heartbeat = executors.newSingleThreadScheduledExecutor(this, "handoff-election-" + getNamespace());
        watchdog = executors.newSingleThreadScheduledExecutor(this, "handoff-lease-watchdog-" + getNamespace());
        LOG.info("Node {} takes part in leader election for {} (lease {}, heartbeat {})", lease.nodeId(),
                getNamespace(), words(config.lease()), words(config.heartbeat()));
        heartbeat.scheduleWithFixedDelay(this::beat, 0, beat, TimeUnit.MILLISECONDS);
        watchdog.scheduleWithFixedDelay(this::checkLease, beat, Math.max(50, beat / 2), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        var executors = getCamelContext().getExecutorServiceManager();
        executors.shutdownNow(heartbeat);
        executors.shutdownNow(watchdog);
        if (leader.getAndSet(false)) {
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
        try {
            if (lease.held()) {
                lease.release();
                LOG.info("Node {} released leadership of {}", lease.nodeId(), getNamespace());
            }
        } catch (RuntimeException e) {
            LOG.warn("Node {} could not release its lease ({}); it runs out within {}", lease.nodeId(), e.getMessage(),
                    words(config.lease()));
        }
    }

    /** One heartbeat: the leader renews, a standby tries to take the lease. Never throws. */
    private void beat() {
        try {
            if (leader.get()) {
                if (!lease.renew()) {
                    stepDown("another node holds the lease now");
                }
            } else {
                if (lease.held()) {
                    // stepped down by the watchdog while a renewal was stuck: give the row up for good
                    lease.release();
                }
                if (lease.tryAcquire()) {
                    becomeLeader();
                } else {
                    String holder = lease.holder().orElse("unknown");
                    if (!holder.equals(knownLeader)) {
                        knownLeader = holder;
                        LOG.info("Node {} standing by (leader is {})", lease.nodeId(), holder);
                        fireLeadershipChangedEvent(new Member(false, holder));
                    }
                }
            }
            if (lastProblem != null) {
                LOG.info("Node {} reaches the ledger again for leader election", lease.nodeId());
                lastProblem = null;
            }
        } catch (RuntimeException e) {
            if (!Objects.equals(e.getMessage(), lastProblem)) {
                LOG.warn("Node {}: leader election: {}", lease.nodeId(), e.getMessage());
                lastProblem = e.getMessage();
            }
        }
    }

    /** A leader that could not renew in time stops its flows before anyone else can take over. */
    private void checkLease() {
        try {
            if (leader.get() && System.nanoTime() > lease.validUntilNanos() - config.stepDownMargin().toNanos()) {
                stepDown("the lease could not be renewed and runs out within " + words(config.stepDownMargin()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Node {}: lease watchdog: {}", lease.nodeId(), e.getMessage());
        }
    }

    private void becomeLeader() {
        if (leader.compareAndSet(false, true)) {
            knownLeader = null;
            LOG.info("Node {} became leader of {}; starting the polling flows", lease.nodeId(), getNamespace());
            fireLeadershipChangedEvent(local);
        }
    }

    private void stepDown(String why) {
        if (leader.compareAndSet(true, false)) {
            knownLeader = null;
            LOG.warn("Node {} lost leadership of {} ({}); stopping the polling flows", lease.nodeId(), getNamespace(), why);
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }

    /** {@code 20 s}, {@code 500 ms}. */
    static String words(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** This node, or the other node named in the lease row. */
    private final class Member implements CamelClusterMember {
        private final boolean isLocal;
        private final String id;

        Member(boolean isLocal, String id) {
            this.isLocal = isLocal;
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return isLocal ? leader.get() : Objects.equals(knownLeader, id);
        }

        @Override
        public boolean isLocal() {
            return isLocal;
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
