package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.SampleMaker;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reelsense data sample}: writes a small seeded sample in the upstream formats. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Write a seeded sample of the data in the upstream formats (aclImdb_v1.tar.gz,"
          + " wikipedia-movies.json.gz), stratified by split x label, with ratings and film ids"
          + " kept. The same options and seed give identical bytes.",
      "The committed sample: data sample --data ../shared/data --out src/main/resources/sample"
    })
public final class DataSampleCommand extends ReportingCommand {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "The full data (default: REELSENSE_DATA, else ./data, else ../shared/data).")
  Path data;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Directory to write the sample into (created if missing).")
  Path out;

  @Option(
      names = "--train",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Reviews from the train split, half of each label (default: ${DEFAULT-VALUE}).")
  int train;

  @Option(
      names = "--test",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Reviews from the test split, half of each label (default: ${DEFAULT-VALUE}).")
  int test;

  @Option(
      names = "--films",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Films from the catalog (default: ${DEFAULT-VALUE}).")
  int films;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  protected Report execute() {
    Path source = DataLocation.resolve(data);
    SampleMaker.Summary s;
    try {
      s = SampleMaker.make(source, out, new SampleMaker.Options(train, test, films, seed));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    return Report.of(s.summary(), s.toJson(out, seed));
  }
}
