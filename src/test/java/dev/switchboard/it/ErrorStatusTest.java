package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.store.KeyKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every client-visible failure has its own status and OpenRouter's envelope {@code
 * {"error":{"code":N,"message":…}}} with a message that says what is wrong; none is a 500.
 *
 * <p>One gateway with a 1 KiB body limit and 500 ms first-byte and idle timeouts on the provider.
 * Endpoint health is kept from carrying over between tests (no circuit breaker, {@code Retry-After}
 * not honoured), so each test sees how one upstream failure reaches the client; {@link HealthTest}
 * covers what health does with repeated failures.
 */
class ErrorStatusTest {
  static final String STREAM = "\"stream\":true,\"stream_options\":{\"include_usage\":true}";

  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> GatewayFixture.contractYaml(
        env, ", max_body_size: 1KiB", ", timeouts: { first_byte: 500ms, idle: 500ms }")
        + "routing: { health: { breaker_failures: 0, max_retry_after: 0s } }\n");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Asserts the status and envelope; returns the {@code error} object. */
  static JsonNode error(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as("status; body %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("code").isInt()).as("error.code in %s", response.body()).isTrue();
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("message").asText()).as("error.message").isNotBlank();
    return error;
  }

  @Test
  void outOfRangeFieldIs400NamingTheField() {
    JsonNode error = error(gateway.chat(body("Hi", "\"temperature\":5")), 400);

    assertThat(error.path("message").asText()).contains("temperature");
    assertThatThrownBy(() -> gateway.client("/api/v1").chat().completions().create(
        ChatCompletionCreateParams.builder().model(GatewayFixture.MODEL).addUserMessage("Hi").temperature(5.0).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
    assertThat(gateway.mock().stats().requests()).as("nothing reached the upstream").isZero();
  }

  @Test
  void missingMessagesIs400() {
    JsonNode error = error(gateway.chat("{\"model\":\"" + GatewayFixture.MODEL + "\"}"), 400);

    assertThat(error.path("message").asText()).contains("messages");
  }

  @Test
  void malformedJsonIs400() {
    JsonNode error = error(gateway.chat("{\"model\":\"" + GatewayFixture.MODEL + "\",\"messages\":["), 400);

    assertThat(error.path("message").asText()).containsIgnoringCase("json");
  }

  @Test
  void missingOrUnknownKeyIs401() {
    JsonNode missing = error(gateway.post("/api/v1/chat/completions", body("Hi", ""), null), 401);
    JsonNode unknown = error(gateway.post("/api/v1/chat/completions", body("Hi", ""),
        "sk-sb-v1-" + "0".repeat(48)), 401);

    assertThat(missing.path("message").asText()).containsIgnoringCase("key");
    assertThat(unknown.path("message").asText()).containsIgnoringCase("key");
    assertThatThrownBy(() -> gateway.client("/v1", "sk-sb-v1-nonsense").chat().completions().create(
        ChatCompletionCreateParams.builder().model(GatewayFixture.MODEL).addUserMessage("Hi").build()))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void managementKeyCallingChatIs403() {
    String management = gateway.app.keys().create("it-management", KeyKind.MANAGEMENT).plaintext();

    JsonNode error = error(gateway.post("/api/v1/chat/completions", body("Hi", ""), management), 403);

    assertThat(error.path("message").asText()).containsIgnoringCase("management");
    assertThatThrownBy(() -> gateway.client("/api/v1", management).chat().completions().create(
        ChatCompletionCreateParams.builder().model(GatewayFixture.MODEL).addUserMessage("Hi").build()))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void unknownModelIs404() {
    JsonNode error = error(gateway.chat("{\"model\":\"nobody/no-such-model\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Hi\"}]}"), 404);

    assertThat(error.path("message").asText()).contains("nobody/no-such-model");
    assertThatThrownBy(() -> gateway.client("/api/v1").chat().completions().create(
        ChatCompletionCreateParams.builder().model("nobody/no-such-model").addUserMessage("Hi").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void slowFirstByteIs408(boolean stream) {
    JsonNode error = error(gateway.chat(body("Slowly #mock:delay=3000", stream ? STREAM : "")), 408);

    assertThat(error.path("message").asText()).contains("mock");
    assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("mock");
  }

  @Test
  void oversizedBodyIs413() {
    JsonNode error = error(gateway.chat(body("x".repeat(2048), "")), 413);

    assertThat(error.path("message").asText()).contains("1024");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void upstreamRateLimitIs429WithRetryAfter(boolean stream) {
    HttpResponse<String> response = gateway.chat(body("Busy? #mock:status=429", stream ? STREAM : ""));

    JsonNode error = error(response, 429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
    assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("mock");
  }

  @Test
  void sdkSeesUpstreamRateLimitAsRateLimitException() {
    assertThatThrownBy(() -> gateway.client("/api/v1").chat().completions().create(
        ChatCompletionCreateParams.builder().model(GatewayFixture.MODEL)
            .addUserMessage("Busy? #mock:status=429").build()))
        .isInstanceOf(RateLimitException.class);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void upstreamServerErrorIs502WithProviderAndRawError(boolean stream) {
    HttpResponse<String> response = gateway.chat(body("Break #mock:status=500", stream ? STREAM : ""));

    JsonNode error = error(response, 502);
    JsonNode metadata = error.path("metadata");
    assertThat(metadata.path("provider_name").asText()).isEqualTo("mock");
    assertThat(metadata.path("raw").isMissingNode()).as("metadata.raw in %s", error).isFalse();
    assertThat(metadata.path("raw").toString()).contains("Mock upstream fault: HTTP 500");
    assertThat(error.path("message").asText()).contains("mock");
  }

  /** OpenRouter answers preferences no endpoint satisfies with a 404 ({@code constraint_filtered}). */
  @Test
  void noRemainingEndpointIs404NamingTheFilter() {
    long before = gateway.mock().stats().requests();
    JsonNode error = error(gateway.chat(body("Hi", "\"provider\":{\"only\":[\"nonexistent\"]}")), 404);

    assertThat(error.path("message").asText()).contains("mock/mock-model via mock: not in provider.only");
    assertThat(error.path("metadata").path("availability").path("excluded_by").toString())
        .isEqualTo("[\"allowed_providers\"]");
    assertThat(gateway.mock().stats().requests()).as("nothing reached the upstream").isEqualTo(before);
  }

  @Test
  void oversizedChunkedBodyIs413() {
    byte[] bytes = body("x".repeat(4096), "").getBytes(StandardCharsets.UTF_8);
    // No Content-Length: the limit must hold while reading, not only from the header.
    var request = HttpRequest.newBuilder(gateway.uri("/api/v1/chat/completions"))
        .header("authorization", "Bearer " + gateway.key)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
        .build();

    HttpResponse<String> response;
    try {
      response = gateway.http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }

    error(response, 413);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]",
      "\"just a string\"",
      "{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":\"Hi\"}",
      "{\"model\":\"mock/mock-model\",\"messages\":[]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"wizard\",\"content\":\"Hi\"}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"content\":\"Hi\"}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[null]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":7}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":\"yes\"}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":-1}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"function\"}]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":{}}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tool_choice\":\"sometimes\"}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"response_format\":{\"type\":\"xml\"}}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"provider\":{\"only\":\"mock\"}}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"models\":[1]}",
      "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stop\":[1]}",
      ""})
  void malformedRequestsAre400NotServerErrors(String requestBody) {
    JsonNode error = error(gateway.chat(requestBody), 400);

    assertThat(error.path("message").asText()).doesNotContainIgnoringCase("internal error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"#mock:stall-after=3", "#mock:reset-after=3", "#mock:malformed"})
  void upstreamStreamThatBreaksEndsWithAnErrorChunk(String fault) {
    HttpResponse<String> response = gateway.chat(body("Break the stream " + fault, STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    var chunks = sseData(response.body());
    JsonNode last = chunks.getLast();
    assertThat(last.path("error").path("code").asInt()).as("error chunk: %s", last).isBetween(400, 599);
    assertThat(last.path("error").path("message").asText()).isNotBlank();
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(gateway.generationRow(last.path("id").asText())).containsEntry("status", "error");
  }

  @Test
  void malformedUpstreamJsonIs502() {
    JsonNode error = error(gateway.chat(body("Garbage #mock:malformed", "")), 502);

    assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("mock");
  }

  @Test
  void upstreamThatHangsUpIs502() {
    JsonNode error = error(gateway.chat(body("Hang up #mock:reset", "")), 502);

    assertThat(error.path("message").asText()).contains("mock");
  }

  @Test
  void failedRequestIsDurablyRecordedBeforeTheErrorResponse() {
    String key = gateway.app.keys().create("it-failure-record", KeyKind.INFERENCE).plaintext();

    HttpResponse<String> response = gateway.post("/api/v1/chat/completions", body("Break #mock:status=500", ""), key);

    error(response, 502);
    var rows = gateway.generationsOfKey(key);
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst()).containsEntry("status", "error").containsEntry("provider", "mock");
    assertThat(GatewayFixture.number(rows.getFirst(), "error_code")).isEqualTo(502);
    assertThat(GatewayFixture.number(rows.getFirst(), "cost_nanos")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /api/v1/chat/completions", "DELETE /api/v1/models", "GET /api/v1/nothing-here", "GET /",
      "GET /api/v1/models/a/b/c/endpoints", "GET /api/v1/generation?id=%00", "POST /api/v1/models"})
  void unroutedRequestsAreClientErrorsWithTheEnvelope(String request) throws Exception {
    String[] parts = request.split(" ");
    var http = HttpRequest.newBuilder(gateway.uri(parts[1]))
        .header("authorization", "Bearer " + gateway.key)
        .method(parts[0], HttpRequest.BodyPublishers.noBody()).build();

    HttpResponse<String> response = gateway.http.send(http, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as("%s -> %s", request, response.body()).isBetween(400, 499);
    error(response, response.statusCode());
  }
}
