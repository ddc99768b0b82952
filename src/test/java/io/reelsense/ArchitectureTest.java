package io.reelsense;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parts of {@code ARCHITECTURE.md} and who may use whom, checked on the compiled classes (not
 * the tests): a new import across a line the shape forbids fails the build, naming the class and
 * the dependency. One change to the drawn shape: {@code metrics} (accuracy, F1, confusion matrix)
 * is a part of its own that uses nothing, so that {@code train} and {@code eval} count the same way
 * without {@code train} reaching into {@code eval}.
 */
class ArchitectureTest {

  private static final String FIXTURE = "io.reelsense.model.ShapeBreakingFixture";

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    // the build's own main classes only: scanning the classpath would open every jar on it
    classes = new ClassFileImporter().importPath(Path.of("target", "classes"));
  }

  static LayeredArchitecture parts() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("data")
        .definedBy("io.reelsense.data..")
        .layer("text")
        .definedBy("io.reelsense.text..")
        .layer("metrics")
        .definedBy("io.reelsense.metrics..")
        .layer("model")
        .definedBy("io.reelsense.model..")
        .layer("train")
        .definedBy("io.reelsense.train..")
        .layer("stream")
        .definedBy("io.reelsense.stream", "io.reelsense.stream.serve..")
        .layer("registry")
        .definedBy("io.reelsense.stream.registry..")
        .layer("schemas")
        .definedBy("io.reelsense.avro..")
        .layer("eval")
        .definedBy("io.reelsense.eval..")
        .layer("cli")
        .definedBy("io.reelsense.cli..");
  }

  @Test
  void everyPartUsesOnlyWhatTheShapeAllows() {
    whoMayUseWhom().check(classes);
  }

  @Test
  void onlyTheStreamAndWhatDrivesItKnowKafka() {
    nothingBelowTheStreamKnowsKafka().check(classes);
  }

  @Test
  void bothRulesCatchAModelClassThatKnowsTheStream() throws ClassNotFoundException {
    JavaClasses broken = new ClassFileImporter().importClasses(Class.forName(FIXTURE));
    assertThat(broken.size()).isEqualTo(1);
    assertThatThrownBy(() -> whoMayUseWhom().check(broken))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(FIXTURE)
        .hasMessageContaining("io.reelsense.stream.Topics");
    assertThatThrownBy(() -> nothingBelowTheStreamKnowsKafka().check(broken))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("org.apache.kafka.common.serialization.Serde");
  }

  static ArchRule whoMayUseWhom() {
    return parts()
        .whereLayer("data")
        .mayNotAccessAnyLayer()
        .whereLayer("text")
        .mayNotAccessAnyLayer()
        .whereLayer("metrics")
        .mayNotAccessAnyLayer()
        .whereLayer("schemas")
        .mayNotAccessAnyLayer()
        .whereLayer("registry") // the Confluent wire format and REST API, nothing of reviews
        .mayNotAccessAnyLayer()
        .whereLayer("model")
        .mayOnlyAccessLayers("text")
        .whereLayer("train")
        .mayOnlyAccessLayers("data", "text", "model", "metrics")
        .whereLayer("stream")
        .mayOnlyAccessLayers("text", "model", "registry", "schemas")
        .whereLayer("eval")
        .mayOnlyAccessLayers("data", "text", "model", "metrics", "stream", "registry", "schemas")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer();
  }

  static ArchRule nothingBelowTheStreamKnowsKafka() {
    return noClasses()
        .that()
        .resideInAnyPackage(
            "io.reelsense.data..",
            "io.reelsense.text..",
            "io.reelsense.metrics..",
            "io.reelsense.model..",
            "io.reelsense.train..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "io.reelsense.avro..")
        .because("the model knows nothing of Kafka, and training reads files, not topics");
  }

  @Test
  void everyClassBelongsToAPart() {
    assertThat(classes.size()).as("classes imported").isGreaterThan(100);
    parts().ensureAllClassesAreContainedInArchitecture().check(classes);
  }
}
