package dev.handoff.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.flow.PollSchedule;
import dev.handoff.ledger.LedgerException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The contract every polling flow route keeps, run against the real {@link PollSchedule} on a
 * clock only the test moves, with the flow beans replaced by {@link FakeFlowStep}s. The timer
 * ticks every 10 ms, so "once per interval" is checked over many ticks, never by waiting.
 */
abstract class PollingFlowRouteTestSupport {

    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final int REDELIVERIES = 2;
    /** Ticks to watch after a cycle to be sure nothing else runs: 20 ticks of 10 ms. */
    private static final int QUIET_TICKS = 20;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T09:00:00Z"));
    final List<String> journal = new CopyOnWriteArrayList<>();
    final Map<String, FakeFlowStep> beans = new LinkedHashMap<>();
    PollSchedule schedule;
    long initialRedeliveryDelayMs = 1;
    CamelContext camel;
    private NotifyBuilder failedExchanges;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    /** The route id, which is also the flow's name in the schedule. */
    abstract String flow();

    abstract RoutesBuilder route();

    /** The flow's steps in the order they must run, each as "registryName.method". */
    abstract List<String> steps();

    @BeforeEach
    void bindFakes() {
        for (String step : steps()) {
            String bean = step.substring(0, step.indexOf('.'));
            beans.computeIfAbsent(bean, name -> new FakeFlowStep(name, journal));
        }
        logs.start();
        rootLogger.addAppender(logs);
    }

    @AfterEach
    void stopCamel() throws Exception {
        rootLogger.detachAppender(logs);
        if (camel != null) {
            try {
                assertThat(failedExchanges.matches()).as("every failure is handled by the route configuration").isFalse();
            } finally {
                camel.close();
            }
        }
    }

    /** Starts the route with the test properties; the first tick comes at once. */
    void start() throws Exception {
        schedule = new PollSchedule(clock, Map.of(flow(), INTERVAL));
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.put("route.tick-ms", "10");
        properties.put("route.retry.redeliveries", String.valueOf(REDELIVERIES));
        properties.put("route.retry.initial-delay-ms", String.valueOf(initialRedeliveryDelayMs));
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("pollSchedule", schedule);
        beans.forEach(camel.getRegistry()::bind);
        camel.addRoutes(new ErrorHandlingConfiguration());
        camel.addRoutes(route());
        camel.build();
        failedExchanges = new NotifyBuilder(camel).fromRoute(flow()).whenFailed(1).create();
        camel.start();
    }

    FakeFlowStep bean(int stepIndex) {
        String step = steps().get(stepIndex);
        return beans.get(step.substring(0, step.indexOf('.')));
    }

    /** Waits until the cycle that starts at the clock's current time has finished, then for some more ticks. */
    void awaitCycleAndQuietTicks() {
        Instant cycleStart = clock.instant();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> schedule.completedSince(flow(), cycleStart));
        awaitTicks(QUIET_TICKS);
    }

    void awaitTicks(int ticks) {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(flow()).whenDone(ticks).create();
        assertThat(done.matches(10, TimeUnit.SECONDS)).as("%d timer ticks", ticks).isTrue();
    }

    List<String> logged(Level level) {
        synchronized (logs) {
            return logs.list.stream()
                    .filter(e -> e.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith(flow() + ": "))
                    .toList();
        }
    }

    static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    static List<String> times(int n, String step) {
        return Collections.nCopies(n, step);
    }

    static ConnectorException connectorFailure(ErrorClass errorClass) {
        return new ConnectorException("marketo", errorClass == ErrorClass.TRANSIENT ? "606" : "603", errorClass,
                "simulated", null);
    }

    @Test
    void stepsRunInOrderOncePerIntervalHoweverFastTheTimerTicks() throws Exception {
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(steps());

        clock.advance(INTERVAL.minusMillis(1));
        awaitTicks(QUIET_TICKS);
        assertThat(journal).as("a millisecond before the interval is up").containsExactlyElementsOf(steps());

        clock.advance(Duration.ofMillis(1));
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(concat(steps(), steps()));
    }

    @Test
    void transientFailureIsRedeliveredThenEndsTheCycleAndTheNextIntervalRunsAgain() throws Exception {
        String first = steps().get(0);
        bean(0).failNext(1 + REDELIVERIES, () -> connectorFailure(ErrorClass.TRANSIENT));
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).as("first attempt and %d redeliveries, later steps skipped", REDELIVERIES)
                .containsExactlyElementsOf(times(1 + REDELIVERIES, first));
        assertThat(logged(Level.WARN)).singleElement().asString().contains("606", "run again at the next poll");

        clock.advance(INTERVAL);
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(concat(times(1 + REDELIVERIES, first), steps()));
    }

    @Test
    void transientRedeliveriesBackOffExponentiallyFromTheInitialDelay() throws Exception {
        initialRedeliveryDelayMs = 40;
        bean(0).failNext(1 + REDELIVERIES, () -> connectorFailure(ErrorClass.TRANSIENT));
        start();
        awaitCycleAndQuietTicks();
        List<Long> calls = bean(0).callNanos();
        assertThat(calls).hasSize(1 + REDELIVERIES);
        // Lower bounds only, so a slow machine stays green. Collision avoidance moves each delay by up to
        // 15% and the doubling applies to the moved delay: 40 ms → at least 34 ms, then at least 57 ms,
        // which a constant 40 ms delay (at most 46 ms) never reaches.
        assertThat(Duration.ofNanos(calls.get(1) - calls.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(34));
        assertThat(Duration.ofNanos(calls.get(2) - calls.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(57));
    }

    @Test
    void transientFailureThatClearsOnRedeliveryRepeatsOnlyTheFailedStep() throws Exception {
        int last = steps().size() - 1;
        bean(last).failNext(REDELIVERIES, () -> connectorFailure(ErrorClass.TRANSIENT));
        start();
        awaitCycleAndQuietTicks();
        List<String> expected = new ArrayList<>(steps());
        expected.addAll(times(REDELIVERIES, steps().get(last)));
        assertThat(journal).containsExactlyElementsOf(expected);
        assertThat(logged(Level.WARN)).isEmpty();
        assertThat(logged(Level.ERROR)).isEmpty();
    }

    @Test
    void fatalFailureIsNotRedeliveredAndIsLoggedAsAnError() throws Exception {
        bean(0).failNext(1, () -> connectorFailure(ErrorClass.FATAL));
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactly(steps().get(0));
        assertThat(logged(Level.ERROR)).singleElement().asString().contains("603", "needs attention");

        clock.advance(INTERVAL);
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(concat(List.of(steps().get(0)), steps()));
    }

    @Test
    void reauthenticateFailureThatEscapesTheClientIsNotRedelivered() throws Exception {
        bean(0).failNext(1, () -> connectorFailure(ErrorClass.REAUTHENTICATE));
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactly(steps().get(0));
        assertThat(logged(Level.ERROR)).hasSize(1);
    }

    @Test
    void ledgerFailureIsHandledWithoutRedeliveryAndTheNextIntervalRunsAgain() throws Exception {
        int last = steps().size() - 1;
        bean(last).failNext(1, () -> new LedgerException("ledger unreachable", null));
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(steps());
        assertThat(logged(Level.ERROR)).singleElement().asString().contains("ledger unreachable", "needs attention");

        clock.advance(INTERVAL);
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(concat(steps(), steps()));
    }

    @Test
    void anOpenCircuitSkipsTheCycleWithoutRedeliveryAndTheNextIntervalRunsAgain() throws Exception {
        bean(0).failNext(1, () -> new ConnectorException("salesforce", dev.handoff.transport.SystemCircuit.OPEN_CODE,
                ErrorClass.TRANSIENT, "circuit for salesforce is OPEN after repeated failures", null));
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).as("failing fast again at once would only repeat the same answer")
                .containsExactly(steps().get(0));
        assertThat(logged(Level.WARN)).singleElement().asString()
                .contains("cycle skipped", "circuit for salesforce is OPEN", "the next poll tries again");
        assertThat(logged(Level.ERROR)).isEmpty();

        clock.advance(INTERVAL);
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(concat(List.of(steps().get(0)), steps()));
    }

    @Test
    void unexpectedFailureIsHandledAndTheNextIntervalRunsAgain() throws Exception {
        bean(0).failNext(1, () -> new IllegalStateException("bug"));
        start();
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactly(steps().get(0));
        assertThat(logged(Level.ERROR)).singleElement().asString().contains("IllegalStateException", "bug");

        clock.advance(INTERVAL);
        awaitCycleAndQuietTicks();
        assertThat(journal).containsExactlyElementsOf(concat(List.of(steps().get(0)), steps()));
    }
}
