package dev.handoff.ha;

import dev.handoff.ledger.LedgerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The leader's lease: one ShedLock lock row in the ledger's {@code leader_lock} table (migration
 * V6), taken, extended and released with the database's own clock. Whoever holds the row is the
 * one replica that runs the polling flows. This class only speaks to the database; when to try,
 * renew or give up is decided by the caller (the Camel cluster view in {@code routes}).
 *
 * <p>A lease this node holds is known to be valid until {@link #validUntilNanos()}: the moment
 * the last successful take or renewal started, plus the lease. The row itself says a little
 * later (the database stamped it after the call started), so the local figure is the safe one.
 */
public final class LeaderLease {

    /** The lock's name in {@code leader_lock} for the polling flows: one leader runs them all. */
    public static final String FLOWS = "handoff-flows";
    static final String TABLE = "leader_lock";

    private final DataSource dataSource;
    private final LockProvider locks;
    private final String name;
    private final String nodeId;
    private final Duration lease;
    // Written under this object's lock; read without it, so a watchdog never waits on a stuck call.
    private volatile SimpleLock lock;
    private volatile long validUntilNanos;

    /**
     * @param name   the lock's name: what is being led (e.g. {@link #FLOWS})
     * @param nodeId this node's name in the row; every replica needs its own
     * @param lease  how long the lease lasts unless renewed
     */
    public LeaderLease(DataSource dataSource, String name, String nodeId, Duration lease) {
        this.dataSource = dataSource;
        this.name = name;
        this.nodeId = nodeId;
        this.lease = lease;
        this.locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName(TABLE)
                .withLockedByValue(nodeId)
                .usingDbTime()
                .build());
    }

    public String nodeId() {
        return nodeId;
    }

    public Duration lease() {
        return lease;
    }

    public String name() {
        return name;
    }

    /** Whether this node holds the lease, as far as it knows (see {@link #validUntilNanos()}). */
    public boolean held() {
        return lock != null;
    }

    /**
     * Takes the lease if nobody holds a valid one. True when this node holds it afterwards.
     *
     * @throws LedgerException when the ledger cannot be reached
     */
    public synchronized boolean tryAcquire() {
        if (lock != null) {
            return true;
        }
        long started = System.nanoTime();
        try {
            Optional<SimpleLock> taken = locks.lock(new LockConfiguration(Instant.now(), name, lease, Duration.ZERO));
            taken.ifPresent(l -> {
                lock = l;
                validUntilNanos = started + lease.toNanos();
            });
            return taken.isPresent();
        } catch (RuntimeException e) {
            throw failure("take", e);
        }
    }

    /**
     * Extends the lease this node holds by a full lease from now. False when it is no longer this
     * node's (it ran out and another node took it): the lease is then dropped.
     *
     * @throws LedgerException when the ledger cannot be reached; the lease is kept and may be
     *                         renewed again until it runs out
     * @throws IllegalStateException when this node does not hold the lease
     */
    public synchronized boolean renew() {
        if (lock == null) {
            throw new IllegalStateException("node " + nodeId + " does not hold the lease");
        }
        long started = System.nanoTime();
        Optional<SimpleLock> extended;
        try {
            extended = lock.extend(lease, Duration.ZERO);
        } catch (RuntimeException e) {
            throw failure("renew", e);
        }
        lock = extended.orElse(null);
        if (lock != null) {
            validUntilNanos = started + lease.toNanos();
        }
        return lock != null;
    }

    /**
     * Gives the lease up so a standby can take it at once. Without a reachable ledger the lease is
     * only forgotten here, and runs out on its own.
     */
    public synchronized void release() {
        if (lock == null) {
            return;
        }
        SimpleLock held = lock;
        lock = null;
        try {
            held.unlock();
        } catch (RuntimeException e) {
            throw failure("release", e);
        }
    }

    /** {@link System#nanoTime()} until which this node's lease is surely valid; meaningless when not held. */
    public long validUntilNanos() {
        return validUntilNanos;
    }

    /** The node named in the lease row: the leader, or the last one if its lease ran out. */
    public Optional<String> holder() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT locked_by FROM " + TABLE + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the leader lease: " + e.getMessage(), e);
        }
    }

    private LedgerException failure(String what, RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new LedgerException("cannot " + what + " the leader lease: " + root.getMessage(), e);
    }
}
