package io.reelsense.eval.reliability;

import io.reelsense.stream.registry.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * A seeded mix of bad records (malformed Avro, unknown schema ids, wrong magic bytes, payloads too
 * short, empty and null values, empty, whitespace-only and 1 MB texts, invalid UTF-8, null keys,
 * non-English and HTML-only texts, blank review ids) among valid reviews, then a few valid ones
 * after them. Each record must end up scored or dead-lettered with the expected reason, exactly
 * once; the application must still run and score the last ones.
 */
public final class BadInputScenario {

  static final String NAME = "bad";

  /** Reviews sent after the mix: scored means the stream did not stop. */
  static final int CANARIES = 20;

  static final String[] NON_ENGLISH = {
    "Un film magnifique, des acteurs formidables et une fin bouleversante.",
    "Eine langweilige Geschichte, schlecht gespielt; ich bin eingeschlafen.",
    "Una película preciosa, la fotografía es increíble.",
    "Фильм просто ужасный, зря потратил два часа.",
    "这部电影非常好看，演员的表演很出色。",
    "この映画は最高でした。もう一度見たいです。",
    "فيلم رائع جدا وأنصح الجميع بمشاهدته",
    "영화가 너무 지루하고 길었어요 😴🎬",
    "Ταινία αριστούργημα, από τις καλύτερες της δεκαετίας.",
    "סרט נהדר עם משחק מצוין"
  };

  static final String[] HTML_ONLY = {
    "<br /><br />",
    "<p></p>",
    "<div><span>&nbsp;</span></div>",
    "<b><i></i></b><br/>",
    "<html><body></body></html>"
  };

  private BadInputScenario() {}

  /** One record of the mix. */
  record Item(
      String category,
      byte[] key,
      byte[] value,
      String reviewId,
      Ledger.Expect expect,
      String hint) {}

  public static ScenarioResult run(Env env, List<String> texts, int total)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Map<String, Object> details = new LinkedHashMap<>();
    try (Traffic t = Traffic.open(env, NAME, 2)) {
      List<Item> items = mix(t, texts, total, new Random(env.seed() * 31 + 4));
      App app = env.apps().start(NAME + "-app", t.appSettings(NAME));
      try {
        env.progress().accept(String.format("%s: sending %,d records", NAME, items.size()));
        for (Item it : items) {
          t.send(it.key(), it.value(), it.reviewId(), it.category(), it.expect(), it.hint());
        }
        t.flush();
        for (int i = 0; i < CANARIES; i++) {
          String id = "bad-canary-" + i;
          t.send(ReviewText.review(id, texts.get(i % texts.size())), "canary_after");
        }
        t.flush();
        int n = items.size() + CANARIES;
        t.awaitAccounted(n, "bad input");
        t.awaitQuiet(Duration.ofSeconds(3));
        details.put("app_alive", app.alive());
        app.stop();
      } finally {
        app.close();
      }
      Ledger.Tally tally = t.ledger().tally();
      t.progress("done", items.size() + CANARIES);
      int bad = 0;
      for (Item it : items) {
        if (!it.category().equals("valid")) {
          bad++;
        }
      }
      details.put("records", items.size());
      details.put("bad_records", bad);
      details.put("send_failures", t.sendFailures());
      if (t.firstSendFailure() != null) {
        details.put("first_send_failure", t.firstSendFailure());
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> canaries = tally.categories().get("canary_after");
      boolean canariesScored =
          canaries != null && Integer.valueOf(CANARIES).equals(canaries.get("scored"));
      details.put(
          "stream_kept_running", canariesScored && Boolean.TRUE.equals(details.get("app_alive")));
      boolean passed =
          tally.exact()
              && tally.inputs() == items.size() + CANARIES
              && canariesScored
              && Boolean.TRUE.equals(details.get("app_alive"))
              && t.sendFailures() == 0;
      return new ScenarioResult(NAME, passed, tally, CrashScenario.seconds(t0), details, null);
    }
  }

  /** The seeded mix of {@code total} records, shuffled. */
  static List<Item> mix(Traffic t, List<String> texts, int total, Random rnd) {
    List<Item> items = new ArrayList<>(total);
    int each = Math.max(1, total / 20);
    int huge = Math.max(1, total / 1000);
    int[] seq = {0};
    // a valid record first, to learn the registered schema id
    byte[] sample = t.serialize(ReviewText.review("probe", "probe"));
    int schemaId = WireFormat.schemaId(sample);
    java.util.function.Supplier<String> id = () -> "bad-" + seq[0]++;
    java.util.function.IntFunction<String> text = i -> texts.get(Math.floorMod(i, texts.size()));
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      byte[] ok = t.serialize(ReviewText.review(rid, text.apply(i)));
      items.add(
          new Item(
              "malformed_avro_truncated",
              utf8(rid),
              Arrays.copyOf(ok, Math.max(WireFormat.HEADER_SIZE + 1, ok.length / 2)),
              null,
              Ledger.Expect.DEAD_LETTER,
              "deserialize: truncated Avro payload"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "malformed_avro_bad_union",
              utf8(rid),
              badUnion(schemaId, rid),
              null,
              Ledger.Expect.DEAD_LETTER,
              "deserialize: malformed Avro payload"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      byte[] ok = t.serialize(ReviewText.review(rid, text.apply(i + 1)));
      byte[] v = ok.clone();
      ByteBuffer.wrap(v).putInt(1, 900_000 + rnd.nextInt(90_000));
      items.add(
          new Item(
              "unknown_schema_id",
              utf8(rid),
              v,
              null,
              Ledger.Expect.DEAD_LETTER,
              "deserialize: unknown schema id"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      byte[] v = t.serialize(ReviewText.review(rid, text.apply(i + 2))).clone();
      v[0] = (byte) (1 + rnd.nextInt(255));
      items.add(
          new Item(
              "wrong_magic_byte",
              utf8(rid),
              v,
              null,
              Ledger.Expect.DEAD_LETTER,
              "deserialize: unknown magic byte"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      byte[] v = new byte[1 + rnd.nextInt(WireFormat.HEADER_SIZE - 1)];
      items.add(
          new Item(
              "too_short", utf8(rid), v, null, Ledger.Expect.DEAD_LETTER, "deserialize: value of"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "empty_value",
              utf8(rid),
              new byte[0],
              null,
              Ledger.Expect.DEAD_LETTER,
              "deserialize: empty value"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "null_value",
              utf8(rid),
              null,
              null,
              Ledger.Expect.DEAD_LETTER,
              "deserialize: null value"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "empty_text",
              utf8(rid),
              t.serialize(ReviewText.review(rid, "")),
              rid,
              Ledger.Expect.DEAD_LETTER,
              "validate: empty or whitespace-only text"));
    }
    String[] blanks = {" ", "   ", "\t", "\n\n", " \t \r\n ", "\u00a0\u2003"};
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      String w = blanks[i % blanks.length];
      boolean javaBlank = w.isBlank();
      items.add(
          new Item(
              javaBlank ? "whitespace_text" : "unicode_space_text",
              utf8(rid),
              t.serialize(ReviewText.review(rid, w)),
              rid,
              javaBlank ? Ledger.Expect.DEAD_LETTER : Ledger.Expect.EITHER,
              javaBlank ? "validate: empty or whitespace-only text" : null));
    }
    String big = "a".repeat(1_000_000);
    for (int i = 0; i < huge; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "text_1mb",
              utf8(rid),
              t.serialize(ReviewText.review(rid, big)),
              rid,
              Ledger.Expect.DEAD_LETTER,
              "validate: text has 1000000 characters"));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "invalid_utf8",
              utf8(rid),
              invalidUtf8(schemaId, rid, rnd),
              rid,
              Ledger.Expect.SCORED,
              null));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "null_key",
              null,
              t.serialize(ReviewText.review(rid, text.apply(i + 3))),
              rid,
              Ledger.Expect.SCORED,
              null));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "non_english",
              utf8(rid),
              t.serialize(ReviewText.review(rid, NON_ENGLISH[i % NON_ENGLISH.length])),
              rid,
              Ledger.Expect.SCORED,
              null));
    }
    for (int i = 0; i < each; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "html_only",
              utf8(rid),
              t.serialize(ReviewText.review(rid, HTML_ONLY[i % HTML_ONLY.length])),
              rid,
              Ledger.Expect.SCORED,
              null));
    }
    for (int i = 0; i < each; i++) {
      items.add(
          new Item(
              "blank_review_id",
              null,
              t.serialize(ReviewText.review(i % 2 == 0 ? "" : "  ", text.apply(i + 4))),
              null,
              Ledger.Expect.DEAD_LETTER,
              "validate: empty review_id"));
    }
    for (int i = 0; items.size() < total; i++) {
      String rid = id.get();
      items.add(
          new Item(
              "valid",
              utf8(rid),
              t.serialize(ReviewText.review(rid, text.apply(i + 5))),
              rid,
              Ledger.Expect.SCORED,
              null));
    }
    Collections.shuffle(items, rnd);
    return items;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A Review payload whose film_id union branch index is 63 (the union has 2). */
  private static byte[] badUnion(int schemaId, String reviewId) {
    return avro(
        schemaId,
        e -> {
          e.writeString(reviewId);
          e.writeIndex(63);
          e.writeString("tt0000001");
          e.writeString("text");
        });
  }

  /** A Review whose text holds byte sequences that are not UTF-8. */
  private static byte[] invalidUtf8(int schemaId, String reviewId, Random rnd) {
    byte[][] bad = {
      {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, 0x28, 0x30}
    };
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes("a good film ".getBytes(StandardCharsets.UTF_8));
    text.writeBytes(bad[rnd.nextInt(bad.length)]);
    text.writeBytes(" really".getBytes(StandardCharsets.UTF_8));
    byte[] t = text.toByteArray();
    return avro(
        schemaId,
        e -> {
          e.writeString(reviewId);
          e.writeIndex(0); // film_id null
          e.writeBytes(t); // a string on the wire: length + bytes
          e.writeIndex(0); // source null
          e.writeIndex(0); // event_time null
        });
  }

  private interface Body {
    void write(BinaryEncoder e) throws IOException;
  }

  private static byte[] avro(int schemaId, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
    try {
      body.write(e);
      e.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }
}
