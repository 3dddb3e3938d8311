package org.etat.app.faults;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.etat.app.kafka.LocalKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat faults kafka-broker}: the local KRaft broker ({@link LocalKafkaBroker}, as
 * {@code serve --with-kafka} runs it) alone in its own process, so the fault suite can kill it with
 * SIGKILL and start it again on the same log directory (scenario 6). Runs until the process ends.
 */
@Command(name = "kafka-broker", hidden = true, description = "A local single-node KRaft broker as a process of its own (fault suite).")
public final class KafkaBrokerCommand implements Callable<Integer> {

    static final String READY = "kafka-broker: ready on ";

    @Option(names = "--log-dir", required = true)
    Path logDirectory;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--controller-port", required = true)
    int controllerPort;

    @Override
    public Integer call() throws Exception {
        LocalKafkaBroker broker = new LocalKafkaBroker(logDirectory, port, controllerPort).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop(); // SIGTERM: a clean stop; SIGKILL (the fault) skips this
            stopped.countDown();
        }, "kafka-broker-stop"));
        System.out.println(READY + broker.bootstrap());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
