package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.provider.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-dialect path: a Responses request served by an Anthropic upstream. The mock in this
 * tree speaks only OpenAI chat, so a small in-test server plays Anthropic's {@code /v1/messages},
 * answering with the recorded Anthropic fixtures ({@code anthropic/tools}, {@code
 * anthropic/stream-tool-use}) and keeping the request it received.
 */
class ResponsesOverAnthropicTest {
  static final String MODEL = "anthropic/claude-test";

  @TempDir static Path dir;
  static HttpServer anthropic;
  static final AtomicReference<JsonNode> received = new AtomicReference<>();
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws IOException {
    byte[] answer = fixture("tools", "upstream-response.json");
    byte[] stream = fixture("stream-tool-use", "upstream.sse");
    anthropic = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    anthropic.createContext("/v1/messages", exchange -> {
      JsonNode body = json(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      received.set(body);
      boolean streamed = body.path("stream").asBoolean(false);
      boolean authorised = GatewayFixture.MOCK_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"));
      byte[] reply = !authorised ? "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}".getBytes(
          StandardCharsets.UTF_8) : streamed ? stream : answer;
      exchange.getResponseHeaders().set("content-type", streamed ? "text/event-stream" : "application/json");
      exchange.sendResponseHeaders(authorised ? 200 : 401, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    anthropic.start();
    int port = anthropic.getAddress().getPort();
    gateway = GatewayFixture.start(dir, 0, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          claude: { kind: anthropic, base_url: "http://127.0.0.1:%d", api_key: ${MOCK_KEY} }
        models:
          - id: %s
            name: Claude Test
            context_length: 200000
            endpoints:
              - provider: claude
                model: claude-sonnet-4-5
                pricing: { prompt: "0.000003", completion: "0.000015" }
        """.formatted(env.storageUrl(), port, MODEL));
    client = gateway.client("/v1");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    anthropic.stop(0);
  }

  static byte[] fixture(String name, String file) {
    try {
      return Files.readAllBytes(Fixtures.root().resolve("anthropic").resolve(name).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ResponseCreateParams params() {
    return ResponseCreateParams.builder()
        .model(MODEL)
        .instructions("Use the tools.")
        .input("Weather in London, and the time?")
        .addTool(ResponsesApiTest.weatherTool())
        .maxOutputTokens(1000)
        .build();
  }

  static List<ResponseFunctionToolCall> calls(Response response) {
    return response.output().stream().filter(ResponseOutputItem::isFunctionCall)
        .map(ResponseOutputItem::asFunctionCall).toList();
  }

  @Test
  void answerWithTextAndToolUseBecomesMessageAndFunctionCalls() {
    Response response = client.responses().create(params());

    response.validate();
    assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
    assertThat(ResponsesApiTest.outputText(response)).isEqualTo("I'll look up London.");
    assertThat(calls(response)).extracting(ResponseFunctionToolCall::callId)
        .containsExactly("toolu_01London", "toolu_01Time");
    assertThat(json(calls(response).getFirst().arguments()))
        .isEqualTo(json("{\"city\":\"London\",\"precision\":1.50}"));
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(512);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(87);

    JsonNode sent = received.get();
    assertThat(sent.path("system").toString()).contains("Use the tools.");
    assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("user");
    assertThat(sent.path("tools").path(0).path("name").asText()).isEqualTo("get_weather");
    assertThat(sent.path("tools").path(0).path("input_schema").path("required")).isEqualTo(json("[\"city\",\"unit\"]"));
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(1000);
  }

  @Test
  void streamedToolUseBecomesResponsesEvents() {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params())) {
      stream.stream().forEach(event -> {
        event.validate();
        accumulator.accumulate(event);
      });
    }

    Response response = accumulator.response();
    response.validate();
    assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
    assertThat(ResponsesApiTest.outputText(response)).isEqualTo("Checking both.");
    assertThat(calls(response)).extracting(ResponseFunctionToolCall::name).containsExactly("get_weather", "get_time");
    assertThat(json(calls(response).getFirst().arguments())).isEqualTo(json("{\"city\": \"San Francisco\"}"));
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(89);
    assertThat(received.get().path("stream").asBoolean()).isTrue();
  }
}
