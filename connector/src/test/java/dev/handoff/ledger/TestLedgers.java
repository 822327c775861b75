package dev.handoff.ledger;

import dev.handoff.config.Secret;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The two ledgers every ledger test runs on: an H2 file in {@code dir} and a fresh schema on the
 * real PostgreSQL server at 127.0.0.1:5432 (database {@code test}, user {@code postgres}).
 */
public final class TestLedgers {

    private TestLedgers() {
    }

    /** JDBC URLs of a new H2 file and a new PostgreSQL schema named {@code prefix_<random>}. */
    public static Stream<String> urls(Path dir, String prefix) throws SQLException {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return Stream.of("jdbc:h2:file:" + dir.resolve("ledger-" + UUID.randomUUID()),
                "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
    }

    /** Opens (and migrates) the ledger at {@code url} with the user each database expects. */
    public static Ledger open(String url, Clock clock) {
        return Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), clock);
    }
}
