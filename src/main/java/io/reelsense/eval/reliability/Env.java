package io.reelsense.eval.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every scenario needs: the cluster, a way to start application instances, the model bundle
 * they run, a work directory, the seed, where progress lines go, and how long a stream may stay
 * silent before a scenario gives up waiting.
 *
 * @param bootstrap Kafka bootstrap servers
 * @param registryUrl schema registry URL
 * @param apps starts application instances
 * @param bundle the model bundle the instances run
 * @param work a directory for state, logs and reports
 * @param seed the seed of every random choice
 * @param progress receives one line at a time
 * @param stall how long without a new output ends a wait
 * @param batchSize the instances' micro-batch size
 * @param rate reviews per second the crash and scale replays send (0: as fast as possible)
 */
public record Env(
    String bootstrap,
    String registryUrl,
    App.Factory apps,
    Path bundle,
    Path work,
    long seed,
    Consumer<String> progress,
    Duration stall,
    int batchSize,
    int rate) {}
