package dev.handoff.cli;

import dev.handoff.app.ConfigFiles;
import dev.handoff.app.HandoffApplication;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the sidecar against the endpoints in a configuration file until SIGTERM/SIGINT. */
@Command(name = "run", description = "Run the sidecar against real (or sandbox) endpoints until stopped.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "application.properties (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        HandoffApplication app = HandoffApplication.start(ConfigFiles.load(config), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "handoff-shutdown"));
        stopped.await();
        return HandoffCli.OK;
    }
}
