package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import io.reelsense.stream.registry.AvroSerializer;
import io.reelsense.stream.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Producers with the old {@code Review} schema and with a newer one (an extra optional field with a
 * default, registered as a new version) write to the same topic; both kinds are scored. Then a
 * producer tries an incompatible schema (a new required field): the registry refuses it (409), no
 * record of it is written, the subject keeps its versions, and reviews written before and after are
 * all scored exactly once.
 */
public final class SchemaEvolutionScenario {

  static final String NAME = "schema";

  private SchemaEvolutionScenario() {}

  /**
   * {@code Review} plus {@code language}: optional, default null (a backward-compatible change).
   */
  public static Schema newer() {
    return withField(
        new Schema.Field(
            "language",
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
            "ISO 639-1 language of the text, when known (added in version 2).",
            org.apache.avro.JsonProperties.NULL_VALUE));
  }

  /** {@code Review} plus a required {@code stars} int without a default: breaks BACKWARD. */
  public static Schema incompatible() {
    return withField(
        new Schema.Field("stars", Schema.create(Schema.Type.INT), "Required star rating.", null));
  }

  private static Schema withField(Schema.Field extra) {
    Schema v1 = Review.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : v1.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(extra);
    return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
  }

  public static ScenarioResult run(Env env, List<String> texts, int perProducer)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Map<String, Object> details = new LinkedHashMap<>();
    try (Traffic t = Traffic.open(env, NAME, 2)) {
      String subject = t.topic() + "-value";
      AvroSerializer<GenericRecord> newerSerializer =
          new AvroSerializer<>(t.registry(), false, true);
      Schema v2 = newer();
      App app = env.apps().start(NAME + "-app", t.appSettings(NAME));
      int sent = 0;
      try {
        // before: old and newer producers interleaved
        sent += sendBoth(t, newerSerializer, v2, texts, perProducer, "before", 0);
        t.flush();
        details.put("versions_after_newer", t.registry().versions(subject));
        t.awaitAccounted(sent, "old and newer schemas");

        // the incompatible schema: refused by the registry, and no record written with it
        Schema bad = incompatible();
        String refusal = null;
        int status = 0;
        try {
          t.registry().register(subject, bad);
        } catch (SchemaRegistryException e) {
          status = e.httpStatus();
          refusal = e.getMessage();
        }
        int writtenWithBad = 0;
        AvroSerializer<GenericRecord> badSerializer =
            new AvroSerializer<>(t.registry(), false, true);
        GenericRecord r = new GenericData.Record(bad);
        r.put("review_id", "schema-incompatible-0");
        r.put("text", "never written");
        r.put("stars", 7);
        String serializerError = null;
        try {
          byte[] bytes = badSerializer.serialize(t.topic(), r);
          t.send(
              utf8("schema-incompatible-0"),
              bytes,
              "schema-incompatible-0",
              "incompatible",
              Ledger.Expect.EITHER,
              null);
          writtenWithBad++;
        } catch (SerializationException | SchemaRegistryException e) {
          serializerError = String.valueOf(e.getMessage());
        }
        List<Integer> versions = t.registry().versions(subject);
        env.progress()
            .accept(
                String.format(
                    "%s: incompatible schema %s (HTTP %d); subject %s keeps versions %s",
                    NAME, refusal == null ? "ACCEPTED" : "refused", status, subject, versions));

        // after: both producers still work
        sent += sendBoth(t, newerSerializer, v2, texts, perProducer, "after", perProducer);
        t.flush();
        t.awaitAccounted(sent, "after the refusal");
        t.awaitQuiet(Duration.ofSeconds(3));
        details.put("app_alive", app.alive());
        app.stop();

        details.put("incompatible_status", status);
        details.put("incompatible_error", refusal);
        details.put("serializer_error", serializerError);
        details.put("written_with_incompatible", writtenWithBad);
        details.put("versions_after_refusal", versions);
      } finally {
        app.close();
      }
      Ledger.Tally tally = t.ledger().tally();
      t.progress("done", sent);
      details.put("old_schema_records", 2 * perProducer);
      details.put("newer_schema_records", 2 * perProducer);
      @SuppressWarnings("unchecked")
      List<Integer> before = (List<Integer>) details.get("versions_after_newer");
      boolean passed =
          tally.exact()
              && tally.inputs() == sent
              && Integer.valueOf(409).equals(details.get("incompatible_status"))
              && Integer.valueOf(0).equals(details.get("written_with_incompatible"))
              && before.size() == 2
              && before.equals(details.get("versions_after_refusal"));
      return new ScenarioResult(NAME, passed, tally, CrashScenario.seconds(t0), details, null);
    }
  }

  private static int sendBoth(
      Traffic t,
      AvroSerializer<GenericRecord> newer,
      Schema v2,
      List<String> texts,
      int each,
      String phase,
      int offset) {
    for (int i = 0; i < each; i++) {
      String text = texts.get((offset + i) % texts.size());
      String oldId = "schema-" + phase + "-v1-" + i;
      t.send(ReviewText.review(oldId, text), "old_schema");
      String newId = "schema-" + phase + "-v2-" + i;
      GenericRecord r = new GenericData.Record(v2);
      r.put("review_id", newId);
      r.put("text", text);
      r.put("source", "reliability");
      r.put("language", "en");
      t.send(
          utf8(newId),
          newer.serialize(t.topic(), r),
          newId,
          "newer_schema",
          Ledger.Expect.SCORED,
          null);
    }
    return 2 * each;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
