package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.models.Model;
import dev.switchboard.store.KeyKind;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read APIs: models, a model's endpoints, the calling key, one generation. */
class InfoApiTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonNode mockModel(JsonNode models) {
    for (JsonNode model : models.path("data")) {
      if (model.path("id").asText().equals(GatewayFixture.MODEL)) {
        return model;
      }
    }
    throw new AssertionError(GatewayFixture.MODEL + " not listed in " + models);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1", "/v1"})
  void modelsListsOpenRouterModelObjects(String prefix) {
    HttpResponse<String> response = gateway.get(prefix + "/models", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode model = mockModel(json(response.body()));
    assertThat(model.path("name").asText()).isEqualTo("Mock Model");
    assertThat(model.path("context_length").asInt()).isEqualTo(32768);
    assertThat(model.path("created").isIntegralNumber()).isTrue();
    JsonNode pricing = model.path("pricing");
    assertThat(pricing.path("prompt").isTextual()).as("prices are strings: %s", pricing).isTrue();
    assertThat(new BigDecimal(pricing.path("prompt").asText())).isEqualByComparingTo("0.000001");
    assertThat(new BigDecimal(pricing.path("completion").asText())).isEqualByComparingTo("0.000002");
    JsonNode architecture = model.path("architecture");
    assertThat(architecture.path("modality").asText()).isNotBlank();
    assertThat(architecture.path("input_modalities").isArray()).isTrue();
    assertThat(architecture.path("output_modalities")).isNotEmpty();
    assertThat(architecture.path("tokenizer").asText()).isNotBlank();
    assertThat(model.path("supported_parameters").isArray()).isTrue();
    assertThat(model.path("supported_parameters")).isNotEmpty();
    assertThat(model.path("top_provider").path("context_length").asInt()).isEqualTo(32768);
  }

  @Test
  void sdkListsModels() {
    List<Model> models = new ArrayList<>();
    gateway.client("/api/v1").models().list().autoPager().forEach(models::add);

    assertThat(models).extracting(Model::id).contains(GatewayFixture.MODEL);
    Model mock = models.stream().filter(m -> m.id().equals(GatewayFixture.MODEL)).findFirst().orElseThrow();
    mock.validate();
    assertThat(mock.ownedBy()).isEqualTo("mock");
    assertThat(mock._additionalProperties().get("context_length").asNumber().orElseThrow().toString())
        .isEqualTo("32768");
  }

  @Test
  void endpointsOfAModel() {
    HttpResponse<String> response = gateway.get("/api/v1/models/mock/mock-model/endpoints", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode data = json(response.body()).path("data");
    assertThat(data.path("id").asText()).isEqualTo(GatewayFixture.MODEL);
    assertThat(data.path("endpoints")).hasSize(1);
    JsonNode endpoint = data.path("endpoints").path(0);
    assertThat(endpoint.path("provider_name").asText()).isEqualTo("mock");
    assertThat(endpoint.path("context_length").asInt()).isEqualTo(32768);
    assertThat(new BigDecimal(endpoint.path("pricing").path("completion").asText())).isEqualByComparingTo("0.000002");
    assertThat(gateway.get("/api/v1/models/nobody/nothing/endpoints", null).statusCode()).isEqualTo(404);
  }

  @Test
  void keyReportsItsLabelAndUsageOfPreviousRequests() {
    String key = gateway.app.keys().create("it-usage", KeyKind.INFERENCE).plaintext();
    JsonNode before = json(gateway.get("/api/v1/key", key).body()).path("data");
    assertThat(before.path("usage").decimalValue()).isEqualByComparingTo("0");
    assertThat(before.path("label").asText()).startsWith("sk-sb-v1-").doesNotContain(key);
    assertThat(before.path("is_management_key").asBoolean()).isFalse();

    for (int i = 0; i < 2; i++) {
      assertThat(gateway.post("/api/v1/chat/completions", body(ChatCompletionsTest.PROMPT, ""), key).statusCode())
          .isEqualTo(200);
    }
    HttpResponse<String> after = gateway.get("/api/v1/key", key);

    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(json(after.body()).path("data").path("usage").decimalValue())
        .isEqualByComparingTo(ChatCompletionsTest.COST.multiply(BigDecimal.TWO));
    assertThat(gateway.get("/api/v1/key", null).statusCode()).isEqualTo(401);
  }

  @Test
  void generationIsReadableByItsKeyOnly() {
    HttpResponse<String> chat = gateway.chat(body(ChatCompletionsTest.PROMPT, ""));
    String id = json(chat.body()).path("id").asText();

    HttpResponse<String> response = gateway.get("/api/v1/generation?id=" + id, gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode data = json(response.body()).path("data");
    assertThat(data.path("id").asText()).isEqualTo(id);
    assertThat(data.path("model").asText()).isEqualTo(GatewayFixture.MODEL);
    assertThat(data.path("provider_name").asText()).isEqualTo("mock");
    assertThat(data.path("status").asText()).isEqualTo("success");
    assertThat(data.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(data.path("tokens_prompt").asInt()).isEqualTo(ChatCompletionsTest.PROMPT_TOKENS);
    assertThat(data.path("tokens_completion").asInt()).isEqualTo(ChatCompletionsTest.COMPLETION_TOKENS);
    assertThat(data.path("total_cost").decimalValue()).isEqualByComparingTo(ChatCompletionsTest.COST);
    assertThat(data.path("latency").isIntegralNumber()).isTrue();
    assertThat(data.path("latency").asLong()).isNotNegative();
    assertThat(data.path("streamed").asBoolean()).isFalse();

    String other = gateway.app.keys().create("it-other", KeyKind.INFERENCE).plaintext();
    HttpResponse<String> foreign = gateway.get("/api/v1/generation?id=" + id, other);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(json(foreign.body()).path("error").path("code").asInt()).isEqualTo(404);
    assertThat(gateway.get("/api/v1/generation?id=gen-does-not-exist", gateway.key).statusCode()).isEqualTo(404);
    assertThat(gateway.get("/api/v1/generation", gateway.key).statusCode()).isEqualTo(400);
  }
}
