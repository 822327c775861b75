package dev.handoff.it.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code handoff} as a separate JVM, the way an admin runs it: same classpath as the tests, output
 * to a log file, stopped with a real signal. {@link #kill()} sends SIGKILL (no shutdown hook runs),
 * {@link #terminate()} sends SIGTERM (the shutdown hook runs).
 */
public final class HandoffProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private HandoffProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code handoff ARGS...} (e.g. {@code run --config FILE}) with extra environment
     * variables, writing stdout and stderr to {@code log}.
     */
    public static HandoffProcess start(Path log, Map<String, String> env, String... args) throws IOException {
        return start(log, env, List.of("-Xmx512m"), args);
    }

    /** As {@link #start(Path, Map, String...)}, with these JVM options (e.g. a smaller {@code -Xmx}). */
    public static HandoffProcess start(Path log, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add("dev.handoff.cli.HandoffCli");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new HandoffProcess(pb.start(), log);
    }

    /**
     * The test classpath. Failsafe may run tests from a manifest-only jar, so {@code java.class.path}
     * alone can be a single booter jar; it publishes the real one as {@code surefire.test.class.path}.
     */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return cp;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM dies at once, mid-batch, with no shutdown hook. Waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: asks for a graceful stop. Returns without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** Waits up to {@code timeout} for the process to exit; its exit code, or -1 if it is still running. */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
