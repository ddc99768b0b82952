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
import java.util.function.BiFunction;
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

  private static final String BLANK = "empty or whitespace-only text";

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
    Mix m = new Mix(t, texts, total);
    int each = Math.max(1, total / 20);
    int huge = Math.max(1, total / 1000);
    // a valid record first, to learn the registered schema id
    int schemaId = WireFormat.schemaId(m.review("probe", "probe"));
    m.repeat(
        each,
        (i, rid) -> {
          byte[] ok = m.review(rid, m.text(i));
          byte[] half = Arrays.copyOf(ok, Math.max(WireFormat.HEADER_SIZE + 1, ok.length / 2));
          return undecodable("malformed_avro_truncated", rid, half, "truncated Avro payload");
        });
    m.repeat(
        each,
        (i, rid) ->
            undecodable(
                "malformed_avro_bad_union",
                rid,
                badUnion(schemaId, rid),
                "malformed Avro payload"));
    m.repeat(
        each,
        (i, rid) -> {
          byte[] v = m.review(rid, m.text(i + 1)).clone();
          ByteBuffer.wrap(v).putInt(1, 900_000 + rnd.nextInt(90_000));
          return undecodable("unknown_schema_id", rid, v, "unknown schema id");
        });
    m.repeat(
        each,
        (i, rid) -> {
          byte[] v = m.review(rid, m.text(i + 2)).clone();
          v[0] = (byte) (1 + rnd.nextInt(255));
          return undecodable("wrong_magic_byte", rid, v, "unknown magic byte");
        });
    m.repeat(
        each,
        (i, rid) ->
            undecodable(
                "too_short",
                rid,
                new byte[1 + rnd.nextInt(WireFormat.HEADER_SIZE - 1)],
                "value of"));
    m.repeat(each, (i, rid) -> undecodable("empty_value", rid, new byte[0], "empty value"));
    m.repeat(each, (i, rid) -> undecodable("null_value", rid, null, "null value"));
    m.repeat(each, (i, rid) -> invalid("empty_text", rid, m.review(rid, ""), BLANK));
    String[] blanks = {" ", "   ", "\t", "\n\n", " \t \r\n ", "\u00a0\u2003"};
    m.repeat(
        each,
        (i, rid) -> {
          String w = blanks[i % blanks.length];
          return w.isBlank()
              ? invalid("whitespace_text", rid, m.review(rid, w), BLANK)
              : new Item(
                  "unicode_space_text",
                  utf8(rid),
                  m.review(rid, w),
                  rid,
                  Ledger.Expect.EITHER,
                  null);
        });
    String big = "a".repeat(1_000_000);
    m.repeat(
        huge,
        (i, rid) -> invalid("text_1mb", rid, m.review(rid, big), "text has 1000000 characters"));
    m.repeat(each, (i, rid) -> scored("invalid_utf8", rid, invalidUtf8(schemaId, rid, rnd)));
    m.repeat(
        each,
        (i, rid) ->
            new Item(
                "null_key", null, m.review(rid, m.text(i + 3)), rid, Ledger.Expect.SCORED, null));
    m.repeat(
        each,
        (i, rid) -> scored("non_english", rid, m.review(rid, NON_ENGLISH[i % NON_ENGLISH.length])));
    m.repeat(
        each, (i, rid) -> scored("html_only", rid, m.review(rid, HTML_ONLY[i % HTML_ONLY.length])));
    // no fresh review id here: the records carry a blank one
    for (int i = 0; i < each; i++) {
      m.items.add(
          new Item(
              "blank_review_id",
              null,
              m.review(i % 2 == 0 ? "" : "  ", m.text(i + 4)),
              null,
              Ledger.Expect.DEAD_LETTER,
              "validate: empty review_id"));
    }
    m.repeat(
        total - m.items.size(), (i, rid) -> scored("valid", rid, m.review(rid, m.text(i + 5))));
    Collections.shuffle(m.items, rnd);
    return m.items;
  }

  /** The records of the mix so far, and the review ids and texts they draw on. */
  private static final class Mix {
    final Traffic traffic;
    final List<String> texts;
    final List<Item> items;
    int seq;

    Mix(Traffic traffic, List<String> texts, int total) {
      this.traffic = traffic;
      this.texts = texts;
      this.items = new ArrayList<>(total);
    }

    /** Adds {@code n} records, each made from its index and a fresh review id. */
    void repeat(int n, BiFunction<Integer, String, Item> make) {
      for (int i = 0; i < n; i++) {
        items.add(make.apply(i, "bad-" + seq++));
      }
    }

    byte[] review(String reviewId, String text) {
      return traffic.serialize(ReviewText.review(reviewId, text));
    }

    String text(int i) {
      return texts.get(Math.floorMod(i, texts.size()));
    }
  }

  /** A record the deserializer must dead-letter: no review id can be read from it. */
  private static Item undecodable(String category, String rid, byte[] value, String hint) {
    return new Item(
        category, utf8(rid), value, null, Ledger.Expect.DEAD_LETTER, "deserialize: " + hint);
  }

  /** A record that decodes but the validator must dead-letter. */
  private static Item invalid(String category, String rid, byte[] value, String hint) {
    return new Item(
        category, utf8(rid), value, rid, Ledger.Expect.DEAD_LETTER, "validate: " + hint);
  }

  /** A record the application must score. */
  private static Item scored(String category, String rid, byte[] value) {
    return new Item(category, utf8(rid), value, rid, Ledger.Expect.SCORED, null);
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
