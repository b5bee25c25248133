package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceFunction;
import com.openai.models.responses.WebSearchTool;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses API through the official OpenAI Java SDK, served by the OpenAI-compatible mock: the
 * request arrives upstream as a chat request and the chat answer goes back as a Responses object or
 * event stream that the SDK parses and validates.
 */
class ResponsesApiTest {
  static final String WEATHER_ARGS = "{\"city\":\"mock\",\"unit\":\"celsius\"}";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    client = gateway.client("/v1");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("Current weather in a city")
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of(
                "city", Map.of("type", "string"),
                "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
            .build())
        .strict(true)
        .build();
  }

  static ResponseCreateParams.Builder withTool(List<ResponseInputItem> input) {
    return ResponseCreateParams.builder().model(GatewayFixture.MODEL).inputOfResponse(input).addTool(weatherTool());
  }

  static ResponseInputItem user(String text) {
    return ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
        .role(com.openai.models.responses.EasyInputMessage.Role.USER).content(text).build());
  }

  /** The items of an answer, sent back as input for the next turn, as Responses clients do. */
  static List<ResponseInputItem> asInput(Response response) {
    List<ResponseInputItem> items = new ArrayList<>();
    for (ResponseOutputItem item : response.output()) {
      if (item.isMessage()) {
        items.add(ResponseInputItem.ofResponseOutputMessage(item.asMessage()));
      } else if (item.isFunctionCall()) {
        items.add(ResponseInputItem.ofFunctionCall(item.asFunctionCall()));
      } else if (item.isReasoning()) {
        items.add(ResponseInputItem.ofReasoning(item.asReasoning()));
      }
    }
    return items;
  }

  static String outputText(Response response) {
    StringBuilder text = new StringBuilder();
    response.output().stream().filter(ResponseOutputItem::isMessage)
        .flatMap(item -> item.asMessage().content().stream())
        .forEach(content -> text.append(content.asOutputText().text()));
    return text.toString();
  }

  @Test
  void textAnswerWithInstructions() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .instructions("Answer briefly.")
        .input("Hello there")
        .temperature(0.5)
        .maxOutputTokens(200)
        .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build())
        .build());

    response.validate();
    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
    assertThat(outputText(response)).isEqualTo("Mock answer to: Hello there");
    assertThat(response.temperature()).hasValue(0.5);
    assertThat(response.maxOutputTokens()).hasValue(200L);
    assertThat(response.reasoning().orElseThrow().effort()).hasValue(ReasoningEffort.LOW);
    assertThat(response.usage().orElseThrow().inputTokens()).isPositive();
    assertThat(response.usage().orElseThrow().totalTokens())
        .isEqualTo(response.usage().orElseThrow().inputTokens() + response.usage().orElseThrow().outputTokens());
    JsonNode sent = gateway.mock().stats().lastRequest();
    assertThat(sent.path("messages")).hasSize(2);
    assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Answer briefly.");
    assertThat(sent.path("messages").path(1).path("content").asText()).isEqualTo("Hello there");
    assertThat(sent.path("max_completion_tokens").asInt(sent.path("max_tokens").asInt())).isEqualTo(200);
    assertThat(sent.path("reasoning")).isEqualTo(json("{\"effort\":\"low\"}"));
    assertThat(sent.has("instructions")).isFalse();
    assertThat(sent.has("input")).isFalse();
  }

  @Test
  void rawAnswerCarriesTheGenerationIdAndCost() {
    HttpResponse<String> answer = gateway.post("/api/v1/responses",
        "{\"model\":\"" + GatewayFixture.MODEL + "\",\"input\":\"Hi\",\"store\":false}", gateway.key);

    assertThat(answer.statusCode()).isEqualTo(200);
    String generation = answer.headers().firstValue("x-generation-id").orElseThrow();
    JsonNode body = json(answer.body());
    assertThat(body.path("id").asText()).isEqualTo("resp_" + generation.substring("gen-".length()));
    assertThat(body.path("usage").path("cost").decimalValue()).isPositive();
    assertThat(GatewayFixture.eventually(java.time.Duration.ofSeconds(5),
        () -> !gateway.generationRow(generation).isEmpty())).isTrue();
  }

  @Test
  void functionCallThenItsOutput() {
    Response first = client.responses().create(withTool(List.of(user("Weather in Paris?")))
        .toolChoice(ToolChoiceFunction.builder().name("get_weather").build()).build());

    first.validate();
    List<ResponseFunctionToolCall> calls = first.output().stream()
        .filter(ResponseOutputItem::isFunctionCall).map(ResponseOutputItem::asFunctionCall).toList();
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.name()).isEqualTo("get_weather");
      assertThat(json(call.arguments())).isEqualTo(json(WEATHER_ARGS));
      assertThat(call.callId()).isNotBlank();
    });
    assertThat(first.toolChoice().asFunction().name()).isEqualTo("get_weather");
    assertThat(first.tools()).singleElement().satisfies(tool -> assertThat(tool.asFunction().name())
        .isEqualTo("get_weather"));
    JsonNode upstreamTool = gateway.mock().stats().lastRequest().path("tools").path(0);
    assertThat(upstreamTool.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(upstreamTool.path("function").path("strict").asBoolean()).isTrue();
    assertThat(gateway.mock().stats().lastRequest().path("tool_choice").path("function").path("name").asText())
        .isEqualTo("get_weather");

    List<ResponseInputItem> input = new ArrayList<>(List.of(user("Weather in Paris?")));
    input.addAll(asInput(first));
    input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(calls.getFirst().callId()).output("18 C, sunny").build()));
    Response second = client.responses().create(withTool(input).build());

    second.validate();
    assertThat(outputText(second)).isEqualTo("Tool result received: 18 C, sunny");
    JsonNode sent = gateway.mock().stats().lastRequest().path("messages");
    assertThat(sent).hasSize(3);
    assertThat(sent.path(1).path("role").asText()).isEqualTo("assistant");
    assertThat(sent.path(1).path("tool_calls").path(0).path("id").asText()).isEqualTo(calls.getFirst().callId());
    assertThat(sent.path(2).path("role").asText()).isEqualTo("tool");
    assertThat(sent.path(2).path("tool_call_id").asText()).isEqualTo(calls.getFirst().callId());
  }

  @Test
  void streamedFunctionCallThenStreamedAnswer() {
    Response first = stream(withTool(List.of(user("Weather in Paris? #mock:chunks=4"))).build());

    ResponseFunctionToolCall call = first.output().stream()
        .filter(ResponseOutputItem::isFunctionCall).map(ResponseOutputItem::asFunctionCall).findFirst().orElseThrow();
    assertThat(json(call.arguments())).isEqualTo(json(WEATHER_ARGS));

    List<ResponseInputItem> input = new ArrayList<>(List.of(user("Weather in Paris?")));
    input.addAll(asInput(first));
    input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output("18 C").build()));
    Response second = stream(withTool(input).build());

    assertThat(outputText(second)).isEqualTo("Tool result received: 18 C");
    assertThat(second.usage().orElseThrow().outputTokens()).isPositive();
  }

  @Test
  void streamedReasoningAndTextArriveAsSummaryAndTextDeltas() {
    List<ResponseStreamEvent> events = new ArrayList<>();
    Response response = stream(ResponseCreateParams.builder().model(GatewayFixture.MODEL)
        .input("Think about it #mock:reasoning #mock:chunks=3").build(), events);

    StringBuilder reasoning = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (ResponseStreamEvent event : events) {
      event.reasoningSummaryTextDelta().ifPresent(delta -> reasoning.append(delta.delta()));
      event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
    }
    assertThat(reasoning.toString()).startsWith("Mock reasoning about:");
    assertThat(text.toString()).startsWith("Mock answer to:");
    assertThat(response.output().getFirst().isReasoning()).isTrue();
    assertThat(response.output().getFirst().asReasoning().summary().getFirst().text()).isEqualTo(reasoning.toString());
    assertThat(outputText(response)).isEqualTo(text.toString());
  }

  @Test
  void jsonSchemaFormat() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .input("Give me a city")
        .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder()
                .name("city")
                .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of(
                        "name", Map.of("type", "string"), "population", Map.of("type", "integer"))))
                    .build())
                .strict(true)
                .build())
            .build())
        .build());

    response.validate();
    assertThat(json(outputText(response))).isEqualTo(json("{\"name\":\"mock\",\"population\":1}"));
    JsonNode format = gateway.mock().stats().lastRequest().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("city");
    assertThat(response.text().orElseThrow().format().orElseThrow().isJsonSchema()).isTrue();
  }

  @Test
  void storeTrueIsRefusedAsStateless() {
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder()
        .model(GatewayFixture.MODEL).input("Hi").store(true).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("stateless").contains("send the whole conversation in `input`");
          assertThat(e.param()).hasValue("store");
        });
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder()
        .model(GatewayFixture.MODEL).input("Hi").previousResponseId("resp_123").build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("stateless").contains("previous_response_id"));
  }

  @Test
  void hostedToolsAreRefused() {
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder()
        .model(GatewayFixture.MODEL).input("Search").addTool(WebSearchTool.builder()
            .type(WebSearchTool.Type.WEB_SEARCH).build()).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("only function tools"));
  }

  @Test
  void upstreamFailureMidStreamEndsWithResponseFailed() {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams
        .builder().model(GatewayFixture.MODEL).input("Tell me more #mock:chunks=6 #mock:error-after=3").build())) {
      stream.stream().forEach(events::add);
    }

    assertThat(events.getFirst().isCreated()).isTrue();
    ResponseStreamEvent last = events.getLast();
    assertThat(last.isFailed()).as(last.toString()).isTrue();
    Response failed = last.asFailed().response();
    assertThat(failed.status()).hasValue(ResponseStatus.FAILED);
    assertThat(failed.error().orElseThrow().message()).isNotBlank();
    assertThat(events).noneMatch(ResponseStreamEvent::isCompleted);
  }

  private static Response stream(ResponseCreateParams params) {
    return stream(params, new ArrayList<>());
  }

  /** Streams {@code params}, checking every event against the SDK's schema and the sequence numbers. */
  private static Response stream(ResponseCreateParams params, List<ResponseStreamEvent> events) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      stream.stream().forEach(event -> {
        event.validate();
        events.add(event);
        accumulator.accumulate(event);
      });
    }
    assertThat(events.getFirst().isCreated()).isTrue();
    assertThat(events.get(1).isInProgress()).isTrue();
    assertThat(events.getLast().isCompleted()).as(events.getLast().toString()).isTrue();
    List<Long> sequence = events.stream().map(ResponsesApiTest::sequenceNumber).toList();
    for (int i = 0; i < sequence.size(); i++) {
      assertThat(sequence.get(i)).isEqualTo(i);
    }
    Response response = accumulator.response();
    response.validate();
    assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
    return response;
  }

  private static long sequenceNumber(ResponseStreamEvent event) {
    return json(com.openai.core.ObjectMappers.jsonMapper().valueToTree(event).toString()).path("sequence_number")
        .asLong(-1);
  }
}
