package io.reelsense.cli;

import io.reelsense.data.Review;
import io.reelsense.eval.EvalException;
import io.reelsense.eval.ReviewInput;
import io.reelsense.eval.ReviewSender;
import io.reelsense.stream.ReelsenseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reelsense produce}: sends reviews typed, piped or read from a file to the reviews topic.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Send reviews to the reviews topic as Avro Review records (Confluent wire format, schema"
          + " registered in the schema registry), keyed by review id.",
      "Reviews come from the arguments (one review each), from --input FILE (.jsonl, .csv, .tsv,"
          + " .txt as for user files; any other name: one review a line, plain text or a JSON"
          + " object), or else from stdin (one a line, plain text or JSON).",
      "Example: reelsense produce --bootstrap localhost:9092 --registry http://localhost:8081"
          + " \"A wonderful, moving film.\" \"Two hours I will never get back.\""
    })
public final class ProduceCommand extends ReportingCommand {

  private static final int LISTED = 20;

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Review texts, one per argument.")
  List<String> texts = new ArrayList<>();

  @Option(names = "--input", paramLabel = "FILE", description = "Read the reviews from a file.")
  Path input;

  @Option(
      names = "--film",
      paramLabel = "FILM_ID",
      description = "Film id (e.g. tt0111161) for reviews that do not name one.")
  String film;

  @Option(
      names = "--id-prefix",
      paramLabel = "PREFIX",
      description = "Prefix of generated review ids (default: cli-<epoch ms>).")
  String idPrefix;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Longest wait for the cluster (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  protected Report execute() throws Exception {
    if (input != null && !texts.isEmpty()) {
      throw new UserError("give review texts as arguments or --input FILE, not both");
    }
    String prefix = idPrefix != null ? idPrefix : "cli-" + System.currentTimeMillis();
    List<Review> reviews;
    try {
      reviews = ReviewInput.read(texts, input, prefix);
    } catch (EvalException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (reviews.isEmpty()) {
      throw new UserError("no reviews to send: give texts as arguments, --input FILE or stdin");
    }
    ReelsenseConfig config = cluster.load(Map.of());
    Instant now = Instant.now();
    List<io.reelsense.avro.Review> avro = new ArrayList<>(reviews.size());
    for (Review r : reviews) {
      String filmId = r.filmId() != null ? r.filmId() : film;
      avro.add(ReviewSender.review(r.id(), filmId, r.text(), "cli", now));
    }
    try (ReviewSender sender = ReviewSender.open(config, timeout)) {
      sender.sendAll(avro);
    } catch (EvalException e) {
      throw new UserError(e.getMessage(), e);
    }
    List<String> ids = reviews.stream().map(Review::id).limit(LISTED).toList();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sent", reviews.size());
    json.put("topic", config.topics().reviews());
    json.put("bootstrap", config.bootstrapServers());
    json.put("ids", ids);
    String summary =
        String.format(
            Locale.ROOT,
            "sent %d review%s to %s on %s: %s%s",
            reviews.size(),
            reviews.size() == 1 ? "" : "s",
            config.topics().reviews(),
            config.bootstrapServers(),
            String.join(", ", ids),
            reviews.size() > LISTED ? ", …" : "");
    return Report.of(summary, json);
  }
}
