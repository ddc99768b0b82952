package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact JSON shapes, status codes and content type of the embedded registry, over raw HTTP. */
class EmbeddedSchemaRegistryHttpTest {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
  private static final String SCHEMA_B =
      "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
          + "{\"name\":\"b\",\"type\":[\"null\",\"int\"],\"default\":null}]}";

  private EmbeddedSchemaRegistry registry;
  private String url;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.start();
    url = registry.url();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private static String body(String schema) throws IOException {
    return new ObjectMapper().createObjectNode().put("schema", schema).toString();
  }

  private static String quoted(String schema) throws IOException {
    return new ObjectMapper().writeValueAsString(schema);
  }

  private static void assertAnswer(RawHttp.Response response, int status, String json) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo(CONTENT_TYPE);
    assertThat(response.body()).isEqualTo(json);
  }

  @Test
  void urlIsLoopbackWithAFreePort() {
    assertThat(url).startsWith("http://127.0.0.1:");
    assertThat(registry.port()).isPositive();
    assertThat(url).endsWith(":" + registry.port());
  }

  @Test
  void registryAnswersEveryEndpointWithConfluentsShapes() throws Exception {
    assertAnswer(RawHttp.get(url + "/"), 200, "{}");
    assertAnswer(RawHttp.get(url + "/subjects"), 200, "[]");
    assertAnswer(
        RawHttp.send("POST", url + "/subjects/t-value/versions", body(SCHEMA)), 200, "{\"id\":1}");
    assertAnswer(
        RawHttp.send("POST", url + "/subjects/t-value/versions", body(SCHEMA_B)),
        200,
        "{\"id\":2}");
    assertAnswer(RawHttp.get(url + "/subjects"), 200, "[\"t-value\"]");
    assertAnswer(RawHttp.get(url + "/subjects/t-value/versions"), 200, "[1,2]");
    assertAnswer(
        RawHttp.get(url + "/subjects/t-value/versions/1"),
        200,
        "{\"subject\":\"t-value\",\"version\":1,\"id\":1,\"schema\":" + quoted(SCHEMA) + "}");
    assertAnswer(
        RawHttp.get(url + "/subjects/t-value/versions/latest"),
        200,
        "{\"subject\":\"t-value\",\"version\":2,\"id\":2,\"schema\":" + quoted(SCHEMA_B) + "}");
    assertAnswer(RawHttp.get(url + "/subjects/t-value/versions/1/schema"), 200, SCHEMA);
    assertAnswer(
        RawHttp.send("POST", url + "/subjects/t-value", body(SCHEMA)),
        200,
        "{\"subject\":\"t-value\",\"version\":1,\"id\":1,\"schema\":" + quoted(SCHEMA) + "}");
    assertAnswer(RawHttp.get(url + "/schemas/ids/2"), 200, "{\"schema\":" + quoted(SCHEMA_B) + "}");
    assertAnswer(
        RawHttp.get(url + "/schemas/ids/1/versions"),
        200,
        "[{\"subject\":\"t-value\",\"version\":1}]");
    assertAnswer(RawHttp.get(url + "/schemas/types"), 200, "[\"AVRO\"]");
    assertAnswer(
        RawHttp.send(
            "POST", url + "/compatibility/subjects/t-value/versions/latest", body(SCHEMA_B)),
        200,
        "{\"is_compatible\":true}");
    assertAnswer(RawHttp.get(url + "/config"), 200, "{\"compatibilityLevel\":\"BACKWARD\"}");
    assertAnswer(
        RawHttp.send("PUT", url + "/config", "{\"compatibility\":\"FULL\"}"),
        200,
        "{\"compatibility\":\"FULL\"}");
    assertAnswer(
        RawHttp.send("PUT", url + "/config/t-value", "{\"compatibility\":\"none\"}"),
        200,
        "{\"compatibility\":\"NONE\"}");
    assertAnswer(RawHttp.get(url + "/config/t-value"), 200, "{\"compatibilityLevel\":\"NONE\"}");
    assertAnswer(
        RawHttp.send("DELETE", url + "/config/t-value", null),
        200,
        "{\"compatibilityLevel\":\"NONE\"}");
    assertAnswer(
        RawHttp.get(url + "/config/t-value?defaultToGlobal=true"),
        200,
        "{\"compatibilityLevel\":\"FULL\"}");
  }

  @Test
  void errorsHaveConfluentsCodesAndShape() throws Exception {
    RawHttp.send("POST", url + "/subjects/t-value/versions", body(SCHEMA));

    assertAnswer(
        RawHttp.get(url + "/subjects/nothing/versions"),
        404,
        "{\"error_code\":40401,\"message\":\"Subject 'nothing' not found.\"}");
    assertAnswer(
        RawHttp.get(url + "/subjects/t-value/versions/9"),
        404,
        "{\"error_code\":40402,\"message\":\"Version 9 not found.\"}");
    assertAnswer(
        RawHttp.get(url + "/schemas/ids/42"),
        404,
        "{\"error_code\":40403,\"message\":\"Schema 42 not found\"}");
    assertAnswer(
        RawHttp.send("POST", url + "/subjects/t-value", body(SCHEMA_B)),
        404,
        "{\"error_code\":40403,\"message\":\"Schema not found\"}");
    assertAnswer(
        RawHttp.get(url + "/config/t-value"),
        404,
        "{\"error_code\":40408,\"message\":\"Subject 't-value' does not have subject-level"
            + " compatibility configured\"}");

    RawHttp.Response incompatible =
        RawHttp.send(
            "POST",
            url + "/subjects/t-value/versions",
            body(SCHEMA_B.replace("[\"null\",\"int\"],\"default\":null", "\"int\"")));
    assertThat(incompatible.status()).isEqualTo(409);
    assertThat(incompatible.json().path("error_code").asInt()).isEqualTo(409);
    assertThat(incompatible.json().path("message").asText())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject"
                + " \"t-value\"");

    RawHttp.Response invalid =
        RawHttp.send("POST", url + "/subjects/t-value/versions", body("{\"type\":\"nope\"}"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.contentType()).isEqualTo(CONTENT_TYPE);
    assertThat(invalid.json().path("error_code").asInt()).isEqualTo(42201);
    assertThat(invalid.json().fieldNames()).toIterable().containsExactly("error_code", "message");

    RawHttp.Response badVersion = RawHttp.get(url + "/subjects/t-value/versions/0");
    assertThat(badVersion.status()).isEqualTo(422);
    assertThat(badVersion.json().path("error_code").asInt()).isEqualTo(42202);

    RawHttp.Response otherType =
        RawHttp.send(
            "POST",
            url + "/subjects/t-value/versions",
            "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
    assertThat(otherType.json().path("error_code").asInt()).isEqualTo(42201);

    RawHttp.Response notJson = RawHttp.send("POST", url + "/subjects/t-value/versions", "{oops");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("error_code").asInt()).isEqualTo(400);

    assertAnswer(
        RawHttp.get(url + "/nowhere"),
        404,
        "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
    assertAnswer(
        RawHttp.send("DELETE", url + "/subjects", null),
        405,
        "{\"error_code\":405,\"message\":\"HTTP 405 Method Not Allowed\"}");
  }

  @Test
  void compatibilityCheckIsVerboseOnRequest() throws Exception {
    RawHttp.send("POST", url + "/subjects/t-value/versions", body(SCHEMA));
    RawHttp.Response verbose =
        RawHttp.send(
            "POST",
            url + "/compatibility/subjects/t-value/versions/latest?verbose=true",
            body(SCHEMA_B.replace("[\"null\",\"int\"],\"default\":null", "\"int\"")));
    assertThat(verbose.json().path("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json().path("messages").get(0).asText())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  @Test
  void stopsCleanlyAndFreesThePort() throws Exception {
    int port = registry.port();
    registry.close();
    try (EmbeddedSchemaRegistry again = EmbeddedSchemaRegistry.builder().port(port).start()) {
      assertThat(again.port()).isEqualTo(port);
      assertThat(RawHttp.get(again.url() + "/subjects").body()).isEqualTo("[]");
    }
    registry = EmbeddedSchemaRegistry.start();
  }
}
