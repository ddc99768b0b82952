package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Review;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the embedded registry: every endpoint and every error code. */
class SchemaRegistryClientTest {

  private static final Schema V1 =
      SchemaBuilder.record("Thing")
          .namespace("io.example")
          .fields()
          .requiredString("id")
          .endRecord();

  /** V1 plus an optional field with a default: BACKWARD compatible. */
  private static final Schema V2_OPTIONAL =
      SchemaBuilder.record("Thing")
          .namespace("io.example")
          .fields()
          .requiredString("id")
          .optionalString("note")
          .endRecord();

  /** V1 plus a required field: not BACKWARD compatible. */
  private static final Schema V2_REQUIRED =
      SchemaBuilder.record("Thing")
          .namespace("io.example")
          .fields()
          .requiredString("id")
          .requiredInt("count")
          .endRecord();

  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.start();
    client = SchemaRegistryClient.of(registry.url());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private static SchemaRegistryException registryError(Runnable call) {
    try {
      call.run();
    } catch (SchemaRegistryException e) {
      return e;
    }
    throw new AssertionError("expected a SchemaRegistryException");
  }

  @Test
  void registerReturnsIdsAndVersionsAccumulate() {
    assertThat(client.registerSchema("things-value", V1.toString())).isEqualTo(1);
    assertThat(client.registerSchema("things-value", V1.toString())).isEqualTo(1);
    assertThat(client.registerSchema("things-value", V2_OPTIONAL.toString())).isEqualTo(2);

    assertThat(client.subjects()).containsExactly("things-value");
    assertThat(client.versions("things-value")).containsExactly(1, 2);
    assertThat(client.version("things-value", 1))
        .isEqualTo(new SubjectVersion("things-value", 1, 1, V1.toString()));
    assertThat(client.latest("things-value"))
        .isEqualTo(new SubjectVersion("things-value", 2, 2, V2_OPTIONAL.toString()));
    assertThat(client.version("things-value", "-1").version()).isEqualTo(2);
    assertThat(client.latest("things-value").avroSchema()).isEqualTo(V2_OPTIONAL);
  }

  @Test
  void sameSchemaInTwoSubjectsGetsTheSameId() {
    int a = client.registerSchema("a-value", V1.toString());
    int b = client.registerSchema("b-value", V1.toString());
    int c = client.registerSchema("c-value", V2_REQUIRED.toString());

    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
    assertThat(client.version("b-value", 1).id()).isEqualTo(a);
    assertThat(client.subjects()).containsExactly("a-value", "b-value", "c-value");
  }

  @Test
  void sameSchemaWithDifferentWhitespaceIsTheSameSchema() {
    String spaced = V1.toString().replace(",", ",\n  ").replace(":", " : ");
    assertThat(spaced).isNotEqualTo(V1.toString());
    assertThat(client.registerSchema("a-value", V1.toString())).isEqualTo(1);
    assertThat(client.registerSchema("b-value", spaced)).isEqualTo(1);
    assertThat(client.schemaTextById(1)).isEqualTo(V1.toString());
  }

  @Test
  void lookupFindsARegisteredSchema() {
    client.registerSchema("things-value", V1.toString());
    client.registerSchema("things-value", V2_OPTIONAL.toString());

    assertThat(client.lookup("things-value", V1.toString()))
        .isEqualTo(new SubjectVersion("things-value", 1, 1, V1.toString()));
    assertThat(client.idOf("things-value", V2_OPTIONAL)).isEqualTo(2);
  }

  @Test
  void lookupErrors() {
    client.registerSchema("things-value", V1.toString());

    SchemaRegistryException noSubject =
        registryError(() -> client.lookup("nothing-value", V1.toString()));
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(noSubject.httpStatus()).isEqualTo(404);
    assertThat(noSubject.isNotFound()).isTrue();
    assertThat(noSubject.registryMessage()).isEqualTo("Subject 'nothing-value' not found.");

    SchemaRegistryException noSchema =
        registryError(() -> client.lookup("things-value", V2_OPTIONAL.toString()));
    assertThat(noSchema.errorCode()).isEqualTo(40403);
    assertThat(noSchema.httpStatus()).isEqualTo(404);
  }

  @Test
  void schemaByIdIsCachedAndUnknownIdsAre40403() {
    int id = client.register("reviews-value", Review.getClassSchema());
    assertThat(client.schemaById(id)).isSameAs(client.schemaById(id));
    assertThat(client.schemaById(id)).isEqualTo(Review.getClassSchema());

    SchemaRegistryClient fresh = SchemaRegistryClient.of(registry.url());
    assertThat(fresh.schemaById(id)).isEqualTo(Review.getClassSchema());

    SchemaRegistryException unknown = registryError(() -> fresh.schemaById(99));
    assertThat(unknown.errorCode()).isEqualTo(40403);
    assertThat(unknown.httpStatus()).isEqualTo(404);
    assertThat(registryError(() -> fresh.schemaTextById(0)).errorCode()).isEqualTo(40403);
  }

  @Test
  void registerIsCachedPerSubject() {
    int first = client.register("reviews-value", Review.getClassSchema());
    registry.close();
    // the registry is gone: only the cache can answer now
    assertThat(client.register("reviews-value", Review.getClassSchema())).isEqualTo(first);
    assertThat(client.idOf("reviews-value", Review.getClassSchema())).isEqualTo(first);
    assertThat(client.schemaById(first)).isEqualTo(Review.getClassSchema());
    SchemaRegistryException down =
        registryError(() -> client.register("other-value", Review.getClassSchema()));
    assertThat(down.errorCode()).isEqualTo(SchemaRegistryException.UNREACHABLE);
    registry = EmbeddedSchemaRegistry.start();
  }

  @Test
  void subjectAndVersionErrors() {
    client.registerSchema("things-value", V1.toString());

    SchemaRegistryException noSubject = registryError(() -> client.versions("nothing-value"));
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(registryError(() -> client.latest("nothing-value")).errorCode()).isEqualTo(40401);

    SchemaRegistryException noVersion = registryError(() -> client.version("things-value", 7));
    assertThat(noVersion.errorCode()).isEqualTo(40402);
    assertThat(noVersion.httpStatus()).isEqualTo(404);
    assertThat(noVersion.registryMessage()).isEqualTo("Version 7 not found.");

    for (String bad : List.of("0", "-2", "first", "1.5")) {
      SchemaRegistryException invalid = registryError(() -> client.version("things-value", bad));
      assertThat(invalid.errorCode()).as(bad).isEqualTo(42202);
      assertThat(invalid.httpStatus()).isEqualTo(422);
    }
  }

  @Test
  void invalidSchemasAre42201() {
    for (String bad :
        List.of(
            "{\"type\":\"record\",\"name\":\"X\"}",
            "not json",
            "{\"type\":\"nosuchtype\"}",
            "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"int\","
                + "\"default\":\"text\"}]}",
            "")) {
      SchemaRegistryException invalid = registryError(() -> client.registerSchema("x-value", bad));
      assertThat(invalid.errorCode()).as(bad).isEqualTo(42201);
      assertThat(invalid.httpStatus()).isEqualTo(422);
      assertThat(registryError(() -> client.lookup("x-value", bad)).errorCode()).isEqualTo(42201);
    }
    assertThat(client.subjects()).isEmpty();
  }

  @Test
  void addingAnOptionalFieldIsCompatibleAndARequiredOneIs409() {
    client.registerSchema("things-value", V1.toString());

    assertThat(client.isCompatible("things-value", V2_OPTIONAL)).isTrue();
    assertThat(client.isCompatible("things-value", V2_REQUIRED)).isFalse();
    assertThat(client.isCompatible("things-value", "1", V2_REQUIRED.toString())).isFalse();

    SchemaRegistryException incompatible =
        registryError(() -> client.registerSchema("things-value", V2_REQUIRED.toString()));
    assertThat(incompatible.errorCode()).isEqualTo(409);
    assertThat(incompatible.httpStatus()).isEqualTo(409);
    assertThat(incompatible.registryMessage())
        .startsWith("Schema being registered is incompatible with an earlier schema")
        .contains("count");

    assertThat(client.registerSchema("things-value", V2_OPTIONAL.toString())).isEqualTo(2);
    assertThat(client.versions("things-value")).containsExactly(1, 2);
  }

  @Test
  void compatibilityCheckErrors() {
    // latest of a subject that does not exist: anything is compatible (as in Confluent)
    assertThat(client.isCompatible("nothing-value", V1)).isTrue();
    assertThat(
            registryError(() -> client.isCompatible("nothing-value", "1", V1.toString()))
                .errorCode())
        .isEqualTo(40401);
    client.registerSchema("things-value", V1.toString());
    assertThat(
            registryError(() -> client.isCompatible("things-value", "3", V1.toString()))
                .errorCode())
        .isEqualTo(40402);
    assertThat(
            registryError(() -> client.isCompatible("things-value", "zero", V1.toString()))
                .errorCode())
        .isEqualTo(42202);
    assertThat(registryError(() -> client.isCompatible("things-value", "latest", "{")).errorCode())
        .isEqualTo(42201);
  }

  @Test
  void compatibilityLevelsAreReadAndSet() {
    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(client.setGlobalCompatibility(CompatibilityLevel.FULL))
        .isEqualTo(CompatibilityLevel.FULL);
    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);

    assertThat(client.compatibility("things-value")).isEqualTo(CompatibilityLevel.FULL);
    SchemaRegistryException none = registryError(() -> client.subjectCompatibility("things-value"));
    assertThat(none.errorCode()).isEqualTo(40408);

    assertThat(client.setCompatibility("things-value", CompatibilityLevel.NONE))
        .isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.subjectCompatibility("things-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.compatibility("things-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
  }

  @Test
  void perSubjectLevelOverridesTheGlobalOne() {
    client.registerSchema("free-value", V1.toString());
    client.registerSchema("strict-value", V1.toString());
    client.setCompatibility("free-value", CompatibilityLevel.NONE);

    assertThat(client.registerSchema("free-value", V2_REQUIRED.toString())).isEqualTo(2);
    assertThat(
            registryError(() -> client.registerSchema("strict-value", V2_REQUIRED.toString()))
                .errorCode())
        .isEqualTo(409);
  }

  @Test
  void forwardAllowsARequiredFieldButNotRemovingOne() {
    client.setGlobalCompatibility(CompatibilityLevel.FORWARD);
    client.registerSchema("things-value", V1.toString());
    // old readers (V1) ignore the new required field
    assertThat(client.registerSchema("things-value", V2_REQUIRED.toString())).isEqualTo(2);
    // old readers (V2_REQUIRED) need "count", which V2_OPTIONAL data lacks
    assertThat(
            registryError(() -> client.registerSchema("things-value", V2_OPTIONAL.toString()))
                .errorCode())
        .isEqualTo(409);
  }

  @Test
  void fullRefusesBothDirections() {
    client.setGlobalCompatibility(CompatibilityLevel.FULL);
    client.registerSchema("things-value", V1.toString());
    assertThat(client.isCompatible("things-value", V2_REQUIRED)).isFalse();
    assertThat(client.isCompatible("things-value", V2_OPTIONAL)).isTrue();
  }

  @Test
  void transitiveLevelsCheckEveryVersion() {
    Schema v3 =
        SchemaBuilder.record("Thing")
            .namespace("io.example")
            .fields()
            .requiredString("id")
            .name("count")
            .type()
            .intType()
            .intDefault(0)
            .endRecord();
    // v4 makes "count" required: reads v3 data (which has it) but not v1 data
    Schema v4 = V2_REQUIRED;

    client.registerSchema("plain-value", V1.toString());
    client.registerSchema("plain-value", v3.toString());
    assertThat(client.registerSchema("plain-value", v4.toString())).isEqualTo(3);

    client.setCompatibility("transitive-value", CompatibilityLevel.BACKWARD_TRANSITIVE);
    client.registerSchema("transitive-value", V1.toString());
    client.registerSchema("transitive-value", v3.toString());
    assertThat(client.isCompatible("transitive-value", "latest", v4.toString())).isFalse();
    assertThat(client.isCompatible("transitive-value", "1", v4.toString())).isFalse();
    assertThat(
            registryError(() -> client.registerSchema("transitive-value", v4.toString()))
                .errorCode())
        .isEqualTo(409);
  }

  @Test
  void invalidCompatibilityLevelIs42203() throws Exception {
    // the enum cannot express a bad level: send one by hand
    RawHttp.Response bad =
        RawHttp.send("PUT", registry.url() + "/config", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().path("error_code").asInt()).isEqualTo(42203);
    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void basicAuthIsSentAndNeverShown() {
    try (EmbeddedSchemaRegistry secured =
        EmbeddedSchemaRegistry.builder().basicAuth("alice", "s3cret").start()) {
      SchemaRegistryClient anonymous = SchemaRegistryClient.of(secured.url());
      SchemaRegistryException refused = registryError(anonymous::subjects);
      assertThat(refused.httpStatus()).isEqualTo(401);

      SchemaRegistryClient wrong =
          SchemaRegistryClient.builder(secured.url()).basicAuth("alice:guess").build();
      assertThat(registryError(wrong::subjects).httpStatus()).isEqualTo(401);

      SchemaRegistryClient alice =
          SchemaRegistryClient.builder(secured.url()).basicAuth("alice:s3cret").build();
      assertThat(alice.registerSchema("x-value", V1.toString())).isEqualTo(1);
      assertThat(alice.subjects()).containsExactly("x-value");
      assertThat(alice.toString()).doesNotContain("s3cret").doesNotContain("alice");

      SchemaRegistryClient configured =
          SchemaRegistryClient.fromConfig(
              Map.of(
                  SchemaRegistryClient.URL_CONFIG,
                  secured.url(),
                  SchemaRegistryClient.BASIC_AUTH_USER_INFO_CONFIG,
                  "alice:s3cret"));
      assertThat(configured.subjects()).containsExactly("x-value");
    }
  }

  @Test
  void unreachableRegistryAndFailover() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String dead = "http://127.0.0.1:" + closedPort;
    SchemaRegistryException down = registryError(() -> SchemaRegistryClient.of(dead).subjects());
    assertThat(down.errorCode()).isEqualTo(SchemaRegistryException.UNREACHABLE);
    assertThat(down.getMessage()).contains(dead);

    SchemaRegistryClient failover = SchemaRegistryClient.of(dead + "," + registry.url());
    failover.registerSchema("x-value", V1.toString());
    assertThat(failover.subjects()).containsExactly("x-value");
  }

  @Test
  void subjectsWithOddCharactersAreEncoded() {
    String subject = "my topic/ü+é-value";
    client.registerSchema(subject, V1.toString());
    assertThat(client.subjects()).containsExactly(subject);
    assertThat(client.latest(subject).subject()).isEqualTo(subject);
  }

  @Test
  void badConfigurationIsRefusedWithTheKey() {
    assertThatThrownBy(() -> SchemaRegistryClient.fromConfig(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> SchemaRegistryClient.of("localhost:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> SchemaRegistryClient.builder(registry.url()).basicAuth("nocolon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("nocolon");
    assertThatThrownBy(
            () ->
                SchemaRegistryClient.fromConfig(
                    Map.of(
                        SchemaRegistryClient.URL_CONFIG,
                        "https://127.0.0.1:1",
                        SchemaRegistryClient.TRUSTSTORE_LOCATION_CONFIG,
                        "/nonexistent/truststore.p12")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent/truststore.p12");
  }

  @Test
  void generatedSchemasRegisterUnderTheirTopics() {
    int review = client.register("reviews-value", Review.getClassSchema());
    int letter = client.register("reviews-dlq-value", DeadLetter.getClassSchema());
    assertThat(review).isNotEqualTo(letter);
    assertThat(client.schemaById(letter).getFullName()).isEqualTo("io.reelsense.avro.DeadLetter");
  }

  @Test
  void compatibilityLevelParsesConfluentNames() {
    assertThat(CompatibilityLevel.parse("backward_transitive"))
        .isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
    assertThat(CompatibilityLevel.parse(" FULL ")).isEqualTo(CompatibilityLevel.FULL);
    assertThatThrownBy(() -> CompatibilityLevel.parse("sideways"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("full_transitive");
  }
}
