package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchboard.store.KeyKind;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /embeddings} and {@code GET /embeddings/models} through the official OpenAI SDK and
 * raw HTTP, in front of the mock's deterministic embeddings. {@code mock/mock-embed} is served by
 * {@code mock}; {@code mock/flaky-embed} is cheapest on {@code flaky} (the same mock, whose
 * configured header makes every answer a 503) and falls back to {@code mock}.
 */
class EmbeddingsTest {
  static final String EMBED = "mock/mock-embed";

  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          mock: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          flaky: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=503" } }
        models:
          - id: mock/mock-model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
          - id: mock/mock-embed
            name: Mock Embed
            context_length: 8192
            output_modalities: [embeddings]
            endpoints:
              - provider: mock
                model: mock-embed
                pricing: { prompt: "0.0000001", completion: "0" }
          - id: mock/flaky-embed
            context_length: 8192
            output_modalities: [embeddings]
            endpoints:
              - provider: flaky
                model: flaky-embed
                pricing: { prompt: "0.00000001", completion: "0" }
              - provider: mock
                model: steady-embed
                pricing: { prompt: "0.0000002", completion: "0" }
        """.formatted(env.storageUrl(), env.mockUrl(0), env.mockUrl(0)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMock() {
    gateway.mock().resetStats();
  }

  @Test
  void theSdkGetsFloatVectorsWithUsageAndCost() {
    CreateEmbeddingResponse response = gateway.client("/api/v1").embeddings().create(EmbeddingCreateParams.builder()
        .model(EMBED)
        .input(EmbeddingCreateParams.Input.ofArrayOfStrings(List.of("hello world", "goodbye", "hello world")))
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
        .build());

    assertThat(response.model()).isEqualTo(EMBED);
    assertThat(response.data()).hasSize(3);
    assertThat(response.data()).extracting(e -> e.index()).containsExactly(0L, 1L, 2L);
    List<Float> first = response.data().get(0).embedding();
    assertThat(first).hasSize(1536);
    assertThat(norm(first)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(response.data().get(2).embedding()).isEqualTo(first);
    assertThat(response.data().get(1).embedding()).isNotEqualTo(first);
    // The mock counts characters / 4 per input: 2 + 1 + 2.
    assertThat(response.usage().promptTokens()).isEqualTo(5);
    assertThat(response.usage().totalTokens()).isEqualTo(5);
    assertThat(response.usage()._additionalProperties().get("cost").convert(java.math.BigDecimal.class))
        .isEqualByComparingTo("0.0000005");
    // Upstream, the gateway asked for base64 (a quarter of the bytes) whatever the client wanted.
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.path("model").asText()).isEqualTo("mock-embed");
    assertThat(upstream.path("encoding_format").asText()).isEqualTo("base64");
    assertThat(upstream.path("input")).hasSize(3);
  }

  @Test
  void base64AndDimensionsCarryExactlyTheUpstreamFloats() {
    EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model(EMBED).input("The food was delicious")
        .dimensions(256);
    CreateEmbeddingResponse packed = gateway.client("/v1").embeddings()
        .create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
    CreateEmbeddingResponse floats = gateway.client("/v1").embeddings()
        .create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    assertThat(gateway.mock().stats().lastRequest().path("dimensions").asInt()).isEqualTo(256);
    String base64 = packed.data().getFirst().embeddingValue().asBase64();
    float[] decoded = new float[256];
    ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
    List<Float> expected = floats.data().getFirst().embedding();
    assertThat(expected).hasSize(256);
    List<Float> actual = new ArrayList<>();
    for (float value : decoded) {
      actual.add(value);
    }
    assertThat(actual).isEqualTo(expected);
    // And both are exactly what the provider itself answers for that text.
    assertThat(mockFloats("The food was delicious", 256)).isEqualTo(expected);
  }

  @Test
  void theResponseIsRecordedAsAGenerationAndCarriesItsId() {
    HttpResponse<String> response = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"twelve chars\"}", gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    String id = response.headers().firstValue("x-generation-id").orElseThrow();
    assertThat(body.path("id").asText()).isEqualTo(id).startsWith("gen-");
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("provider").asText()).isEqualTo("mock");
    assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
    assertThat(body.at("/usage/cost").decimalValue()).isEqualByComparingTo("0.0000003");
    Map<String, Object> row = gateway.generationRow(id);
    assertThat(row).containsEntry("status", "success").containsEntry("model", EMBED)
        .containsEntry("provider", "mock").containsEntry("provider_model", "mock-embed");
    assertThat(number(row, "streamed")).isZero();
    assertThat(number(row, "prompt_tokens")).isEqualTo(3);
    assertThat(number(row, "completion_tokens")).isZero();
    assertThat(number(row, "usage_estimated")).isZero();
    assertThat(number(row, "cost_nanos")).isEqualTo(300);
    assertThat(number(row, "attempts")).isEqualTo(1);
    assertThat(row.get("finish_reason")).isNull();
  }

  @Test
  void usageTheProviderLeftOutIsEstimatedAndFlagged() {
    HttpResponse<String> response = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":[\"hello there\",\"general kenobi #mock:no-usage\"]}", gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    long tokens = body.at("/usage/prompt_tokens").asLong();
    assertThat(tokens).isBetween(4L, 20L);
    Map<String, Object> row = gateway.generationRow(body.path("id").asText());
    assertThat(number(row, "usage_estimated")).isEqualTo(1);
    assertThat(number(row, "prompt_tokens")).isEqualTo(tokens);
    assertThat(number(row, "cost_nanos")).isEqualTo(tokens * 100);
  }

  @Test
  void aFailingCheaperEndpointFallsBackAndIsBilledWhereItWasServed() {
    HttpResponse<String> response = gateway.post("/api/v1/embeddings",
        "{\"model\":\"mock/flaky-embed\",\"input\":\"four\"}", gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.path("provider").asText()).isEqualTo("mock");
    assertThat(gateway.mock().stats().requests()).isEqualTo(2);
    assertThat(gateway.mock().stats().lastRequest().path("model").asText()).isEqualTo("steady-embed");
    Map<String, Object> row = gateway.generationRow(body.path("id").asText());
    assertThat(number(row, "attempts")).isEqualTo(2);
    assertThat(number(row, "cost_nanos")).isEqualTo(200);
  }

  @Test
  void aFinalUpstreamFailureIsAnErrorEnvelopeAndARecordedError() {
    HttpResponse<String> response = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"x #mock:status=400\"}", gateway.key);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("message").asText()).startsWith("mock rejected the request");
    List<Map<String, Object>> rows = gateway.generationsOfKey(gateway.key);
    assertThat(rows.getLast()).containsEntry("status", "error").containsEntry("model", EMBED);
    assertThat(number(rows.getLast(), "error_code")).isEqualTo(400);
  }

  @Test
  void chatAndEmbeddingModelsStayOnTheirOwnRoutes() {
    assertThatThrownBy(() -> gateway.client("/api/v1").embeddings().create(EmbeddingCreateParams.builder()
            .model(GatewayFixture.MODEL).input("hi").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage())
            .contains("does not produce embeddings"));

    HttpResponse<String> chat = gateway.post("/api/v1/chat/completions",
        "{\"model\":\"" + EMBED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", gateway.key);
    assertThat(chat.statusCode()).isEqualTo(400);
    assertThat(json(chat.body()).at("/error/message").asText()).contains("is an embeddings model and cannot chat");
    assertThat(gateway.mock().stats().requests()).as("nothing reached the provider").isZero();
  }

  @Test
  void malformedInputsAreRefusedBeforeAnyUpstream() {
    HttpResponse<String> tokens = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":[[15339, 1917]]}", gateway.key);
    assertThat(tokens.statusCode()).isEqualTo(400);
    assertThat(json(tokens.body()).at("/error/param").asText()).isEqualTo("input[0]");

    HttpResponse<String> noKey = gateway.post("/api/v1/embeddings", "{\"model\":\"" + EMBED + "\",\"input\":\"x\"}",
        null);
    assertThat(noKey.statusCode()).isEqualTo(401);
    String management = gateway.app.keys().create("it-management", KeyKind.MANAGEMENT).plaintext();
    HttpResponse<String> managed = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"x\"}", management);
    assertThat(managed.statusCode()).isEqualTo(403);
    assertThat(gateway.mock().stats().requests()).isZero();
  }

  @Test
  void embeddingModelsAreListedApartFromChatModels() {
    JsonNode embeddings = json(gateway.get("/api/v1/embeddings/models", null).body());
    assertThat(embeddings.path("data").findValuesAsText("id")).containsExactly("mock/flaky-embed", EMBED);
    assertThat(embeddings.at("/data/1/architecture/output_modalities/0").asText()).isEqualTo("embeddings");
    assertThat(embeddings.at("/data/1/pricing/prompt").asText()).isEqualTo("0.0000001");

    JsonNode models = json(gateway.get("/v1/models", null).body());
    assertThat(models.path("data").findValuesAsText("id")).containsExactly(GatewayFixture.MODEL);
    JsonNode all = json(gateway.get("/api/v1/models?output_modalities=all", null).body());
    assertThat(all.path("total_count").asInt()).isEqualTo(3);
    JsonNode only = json(gateway.get("/api/v1/models?output_modalities=embeddings", null).body());
    assertThat(only.path("data").findValuesAsText("id")).containsExactly("mock/flaky-embed", EMBED);
    // The SDK reads the list too.
    assertThat(gateway.client("/v1").models().list().data()).extracting(m -> m.id())
        .containsExactly(GatewayFixture.MODEL);
  }

  /** What the mock provider itself answers for {@code text}, asked directly for floats. */
  private static List<Float> mockFloats(String text, int dimensions) {
    String url = gateway.mock().baseUrl() + "/embeddings";
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .header("authorization", "Bearer " + GatewayFixture.MOCK_KEY)
        .header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"m\",\"input\":\"" + text + "\",\"dimensions\":" + dimensions + "}"))
        .build();
    try {
      JsonNode body = json(gateway.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
      List<Float> values = new ArrayList<>();
      body.at("/data/0/embedding").forEach(v -> values.add(v.floatValue()));
      return values;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double norm(List<Float> vector) {
    double sum = 0;
    for (float value : vector) {
      sum += (double) value * value;
    }
    return Math.sqrt(sum);
  }

  @Test
  void embeddingsAreAdmittedLikeChatAndRefusedWith402WhenTheLimitCannotPayForTheirInputs() {
    // 100 nano-USD per input token: a 1,000 nano-USD limit pays for about ten tokens.
    String key = gateway.app.keys().create(new dev.switchboard.keys.NewKey("tiny", KeyKind.INFERENCE,
        1_000L, null, null)).plaintext();

    HttpResponse<String> small = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"hello world\"}", key);
    assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
    long reached = gateway.mock().stats().requests();

    HttpResponse<String> large = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"" + "the quick brown fox jumps over the lazy dog ".repeat(5) + "\"}", key);
    assertThat(large.statusCode()).as(large.body()).isEqualTo(402);
    assertThat(GatewayFixture.json(large.body()).path("error").path("message").asText())
        .contains("this key's limit of $0.000001 has $0.0000")
        .contains("its inputs of about");
    assertThat(gateway.mock().stats().requests()).as("a refused request never reaches the upstream").isEqualTo(reached);
  }
}
