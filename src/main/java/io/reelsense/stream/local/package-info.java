/**
 * Everything the stream needs, in one process, for the demo, {@code run --embedded}, {@code replay
 * --embedded} and tests: an embedded KRaft broker ({@link
 * io.reelsense.stream.local.EmbeddedKafkaBroker}) and {@link
 * io.reelsense.stream.local.EmbeddedStack} (broker, schema registry and the scoring topology,
 * started step by step).
 */
package io.reelsense.stream.local;
