package dev.handoff.ha;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Leader election between replicas that share one ledger ({@code handoff.ha.*}). It is on by
 * default when the ledger is PostgreSQL, where several replicas can meet, and off for the embedded
 * H2 file, which only one process can open: that process is then always the leader.
 *
 * @param enabled whether this replica competes for the lease (false: it runs every flow)
 * @param nodeId  this replica's name in the lease row and the logs; unique per replica
 * @param lease   how long a lease lasts without renewal: a standby takes over at most this long
 *                (plus one heartbeat) after the leader dies
 */
public record HaConfig(boolean enabled, String nodeId, Duration lease) {

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);
    private static final Duration MAX_LEASE = Duration.ofMinutes(10);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");

    public HaConfig {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new ConfigException("handoff.ha.node-id",
                    "'" + nodeId + "' must be 1-200 letters, digits or . _ : @ -");
        }
        if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new ConfigException("handoff.ha.lease", lease + " is outside 1s..10m");
        }
    }

    /** Reads {@code handoff.ha.*}; the default for {@code enabled} depends on the ledger URL. */
    public static HaConfig from(Settings settings, String ledgerUrl) {
        boolean shared = ledgerUrl.startsWith("jdbc:postgresql:");
        return new HaConfig(settings.bool("handoff.ha.enabled", shared),
                settings.string("handoff.ha.node-id", defaultNodeId()),
                settings.duration("handoff.ha.lease", DEFAULT_LEASE));
    }

    /** How often the leader renews its lease and a standby tries to take it: a tenth of the lease. */
    public Duration heartbeat() {
        Duration beat = lease.dividedBy(10);
        return beat.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : beat;
    }

    /**
     * How long before its lease runs out a leader that could not renew it stops its flows: a
     * quarter of the lease, so they are stopping before any standby can take the lease over.
     */
    public Duration stepDownMargin() {
        return lease.dividedBy(4);
    }

    /** {@code host-pid}: distinct for every process, readable in the logs. */
    static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            host = "handoff";
        }
        String clean = host.replaceAll("[^A-Za-z0-9._-]", "");
        if (clean.isEmpty()) {
            clean = "handoff";
        }
        if (clean.length() > 150) {
            clean = clean.substring(0, 150);
        }
        return clean + "-" + ProcessHandle.current().pid();
    }
}
