package dev.switchboard.mock;

import static dev.switchboard.mock.MockHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mock's {@code POST /v1/embeddings}, over real HTTP. */
class MockEmbeddingsTest {
  static MockUpstream mock;
  static MockHttp http;

  @BeforeAll
  static void start() {
    mock = MockUpstream.start(MockOptions.of().withApiKey("sk-test"));
    http = new MockHttp(mock);
  }

  @AfterAll
  static void stop() {
    http.close();
    mock.close();
  }

  @Test
  void answersOneDeterministicUnitVectorPerInputInOpenAisShape() {
    JsonNode body = embed("{\"model\":\"mock-embed\",\"input\":[\"hello world\",\"goodbye\",\"hello world\"]}");

    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("model").asText()).isEqualTo("mock-embed");
    assertThat(body.path("data")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode item = body.path("data").get(i);
      assertThat(item.path("object").asText()).isEqualTo("embedding");
      assertThat(item.path("index").asInt()).isEqualTo(i);
      assertThat(item.path("embedding")).hasSize(MockEmbeddings.DEFAULT_DIMENSIONS);
      assertThat(norm(item.path("embedding"))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
    assertThat(body.at("/data/2/embedding")).as("same text, same vector").isEqualTo(body.at("/data/0/embedding"));
    assertThat(body.at("/data/1/embedding")).isNotEqualTo(body.at("/data/0/embedding"));
    // "hello world" is 11 chars -> 2, "goodbye" 7 -> 1 (at least 1 per input).
    assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(5);
    assertThat(embed("{\"model\":\"other\",\"input\":\"hello world\"}").at("/data/0/embedding"))
        .as("the vector depends on the text only")
        .isEqualTo(body.at("/data/0/embedding"));
  }

  @Test
  void dimensionsGiveARenormalisedPrefixAndBase64TheSameFloats() {
    JsonNode full = embed("{\"model\":\"m\",\"input\":\"abc\"}");
    JsonNode small = embed("{\"model\":\"m\",\"input\":\"abc\",\"dimensions\":8}");
    JsonNode packed = embed("{\"model\":\"m\",\"input\":\"abc\",\"dimensions\":8,\"encoding_format\":\"base64\"}");

    JsonNode vector = small.at("/data/0/embedding");
    assertThat(vector).hasSize(8);
    assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    double scale = vector.get(0).asDouble() / full.at("/data/0/embedding/0").asDouble();
    for (int i = 0; i < 8; i++) {
      assertThat(vector.get(i).asDouble())
          .isCloseTo(full.at("/data/0/embedding/" + i).asDouble() * scale, org.assertj.core.data.Offset.offset(1e-6));
    }
    float[] decoded = new float[8];
    ByteBuffer.wrap(Base64.getDecoder().decode(packed.at("/data/0/embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
    for (int i = 0; i < 8; i++) {
      assertThat(decoded[i]).isEqualTo(vector.get(i).floatValue());
    }
  }

  @Test
  void refusesBadRequestsAndMissingKeysInOpenAisErrorShape() {
    HttpResponse<String> noKey = http.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\"}");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(json(noKey.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");

    HttpResponse<String> empty = post("{\"model\":\"m\",\"input\":[]}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty.body()).at("/error/message").asText()).contains("'input'");
    assertThat(post("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}").statusCode()).isEqualTo(400);
    assertThat(post("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}").statusCode()).isEqualTo(400);
    assertThat(post("{\"input\":\"x\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void faultsFromTheLastInputOrTheHeader() {
    HttpResponse<String> limited = post("{\"model\":\"m\",\"input\":[\"a\",\"b #mock:status=429\"]}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("1");

    HttpResponse<String> failing = post("{\"model\":\"m\",\"input\":\"a\"}", "x-mock-fault", "status=503");
    assertThat(failing.statusCode()).isEqualTo(503);

    HttpResponse<String> noUsage = post("{\"model\":\"m\",\"input\":\"a\"}", "x-mock-fault", "no-usage");
    assertThat(json(noUsage.body()).has("usage")).isFalse();

    HttpResponse<String> malformed = post("{\"model\":\"m\",\"input\":\"a #mock:malformed\"}");
    assertThat(malformed.statusCode()).isEqualTo(200);
    assertThat(malformed.body()).doesNotEndWith("}");
  }

  @Test
  void theLastRequestIsRecordedForTests() {
    post("{\"model\":\"m\",\"input\":\"recorded\",\"dimensions\":4}");
    assertThat(mock.stats().lastRequest().path("input").asText()).isEqualTo("recorded");
  }

  private HttpResponse<String> post(String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "authorization";
    all[1] = "Bearer sk-test";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.post("/v1/embeddings", body, all);
  }

  private JsonNode embed(String body) {
    HttpResponse<String> response = post(body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body());
  }

  private static double norm(JsonNode vector) {
    double sum = 0;
    for (JsonNode value : vector) {
      sum += value.asDouble() * value.asDouble();
    }
    return Math.sqrt(sum);
  }
}
