package io.reelsense.stream.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Checks a new schema against earlier ones under a {@link CompatibilityLevel}, with Avro's rules.
 */
public final class AvroCompatibility {

  private AvroCompatibility() {}

  /**
   * Why {@code candidate} is incompatible with {@code earlier} (oldest first) under {@code level};
   * empty when it is compatible. Non-transitive levels look only at the last of {@code earlier}.
   */
  public static List<String> problems(
      CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
    List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
      return problems;
    }
    List<Schema> against = level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
    for (Schema old : against) {
      if (level.backward()) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, old),
            "BACKWARD",
            problems);
      }
      if (level.forward()) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(old, candidate),
            "FORWARD",
            problems);
      }
    }
    return problems;
  }

  private static void describe(SchemaPairCompatibility result, String direction, List<String> out) {
    if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (SchemaCompatibility.Incompatibility incompatibility :
        result.getResult().getIncompatibilities()) {
      out.add(
          "{direction:"
              + direction
              + ", type:"
              + incompatibility.getType()
              + ", location:"
              + incompatibility.getLocation()
              + ", message:"
              + incompatibility.getMessage()
              + "}");
    }
    if (result.getResult().getIncompatibilities().isEmpty()) {
      out.add("{direction:" + direction + ", message:" + result.getDescription() + "}");
    }
  }
}
