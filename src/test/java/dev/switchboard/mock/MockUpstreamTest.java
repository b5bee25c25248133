package dev.switchboard.mock;

import static dev.switchboard.mock.MockHttp.json;
import static dev.switchboard.mock.MockHttp.request;
import static dev.switchboard.mock.MockHttp.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answers and their OpenAI wire shape, over real HTTP. Faults are in MockUpstreamFaultsTest.
 */
class MockUpstreamTest {
  static final String WEATHER_TOOL =
      """
      {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
       "properties":{"city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"},
       "when":{"type":"object","properties":{"at":{"type":"number"}}},"tags":{"type":"array"},
       "unit":{"type":"string","enum":["celsius","fahrenheit"]}}}}}\
      """;
  static final String TIME_TOOL =
      """
      {"type":"function","function":{"name":"get_time","parameters":{"type":"object"}}}\
      """;

  static MockUpstream mock;
  static MockHttp http;

  @BeforeAll
  static void start() {
    mock = MockUpstream.start(MockOptions.of());
    http = new MockHttp(mock);
  }

  @AfterAll
  static void stop() {
    http.close();
    mock.close();
  }

  @Test
  void answersJsonWithUsage() {
    String question = "What is the capital of France? Please answer in one short sentence, thanks!";
    HttpResponse<String> response = http.chat(request(question, ""));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = json(response.body());
    assertThat(body.path("id").asText()).startsWith("chatcmpl-mock-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("mock-gpt");
    assertThat(body.path("system_fingerprint").asText()).isNotEmpty();
    assertThat(body.path("created").asLong()).isPositive();
    JsonNode choice = body.path("choices").path(0);
    String expected = "Mock answer to: " + question.substring(0, 60);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo(expected);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = body.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(question.length() / 4);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(expected.split(" ").length);
    assertThat(usage.path("total_tokens").asInt())
        .isEqualTo(question.length() / 4 + expected.split(" ").length);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").isInt()).isTrue();
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isZero();
  }

  @Test
  void acceptsAnyPrefixBeforeChatCompletions() {
    HttpResponse<String> response = http.post("/openai/v1/chat/completions", request("hi", ""));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            json(response.body()).path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("Mock answer to: hi");
  }

  @Test
  void streamsSseWithFinalUsageChunk() {
    HttpResponse<String> response =
        http.chat(
            request(
                "Tell me a story", "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> data = sseData(response.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(MockHttp::json).toList();
    StringBuilder content = new StringBuilder();
    for (JsonNode chunk : chunks) {
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("id").asText()).isEqualTo(chunks.getFirst().path("id").asText());
      content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertThat(chunks.getFirst().path("choices").path(0).path("delta").path("role").asText())
        .isEqualTo("assistant");
    assertThat(content).hasToString("Mock answer to: Tell me a story");
    assertThat(chunks.size()).isEqualTo(8 + 2); // 8 content pieces, the finish chunk, usage
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.path("usage").isNull()).isTrue();
    JsonNode last = chunks.getLast();
    assertThat(last.path("choices").isArray()).isTrue();
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
    assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsage() {
    HttpResponse<String> response = http.chat(request("Tell me a story", "\"stream\":true"));

    List<String> data = sseData(response.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    assertThat(data.subList(0, data.size() - 1))
        .allSatisfy(d -> assertThat(json(d).has("usage")).isFalse())
        .allSatisfy(d -> assertThat(json(d).path("choices")).hasSize(1));
  }

  @Test
  void callsEveryToolInParallel() {
    String body =
        request("Weather and time in Paris?", "\"tools\":[" + WEATHER_TOOL + "," + TIME_TOOL + "]");
    JsonNode response = json(http.chat(body).body());

    JsonNode choice = response.path("choices").path(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.path("message").path("content").isNull()).isTrue();
    JsonNode calls = choice.path("message").path("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.path(0).path("id").asText()).isEqualTo("call_1");
    assertThat(calls.path(0).path("type").asText()).isEqualTo("function");
    assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(json(calls.path(0).path("function").path("arguments").asText()))
        .isEqualTo(
            json(
                """
                {"city":"mock","days":1,"metric":true,"when":{"at":1},"tags":[],"unit":"celsius"}\
                """));
    assertThat(calls.path(1).path("id").asText()).isEqualTo("call_2");
    assertThat(calls.path(1).path("function").path("name").asText()).isEqualTo("get_time");
    assertThat(calls.path(1).path("function").path("arguments").asText()).isEqualTo("{}");
  }

  @Test
  void streamsOneToolCallWhenParallelCallsAreOff() {
    String body =
        request(
            "Weather?",
            "\"stream\":true,\"parallel_tool_calls\":false,\"tools\":["
                + WEATHER_TOOL
                + ","
                + TIME_TOOL
                + "]");
    List<String> data = sseData(http.chat(body).body());

    List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(MockHttp::json).toList();
    JsonNode opening = chunks.getFirst().path("choices").path(0).path("delta");
    assertThat(opening.path("role").asText()).isEqualTo("assistant");
    JsonNode openingCall = opening.path("tool_calls").path(0);
    assertThat(openingCall.path("index").asInt()).isZero();
    assertThat(openingCall.path("id").asText()).isEqualTo("call_1");
    assertThat(openingCall.path("type").asText()).isEqualTo("function");
    assertThat(openingCall.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(openingCall.path("function").path("arguments").asText()).isEmpty();
    StringBuilder arguments = new StringBuilder();
    for (JsonNode chunk : chunks.subList(1, chunks.size() - 1)) {
      JsonNode call = chunk.path("choices").path(0).path("delta").path("tool_calls").path(0);
      assertThat(call.path("index").asInt()).isZero();
      assertThat(call.has("id")).isFalse();
      arguments.append(call.path("function").path("arguments").asText());
    }
    assertThat(chunks.size() - 2).isEqualTo(8); // the arguments came in 8 fragments
    assertThat(json(arguments.toString()).path("city").asText()).isEqualTo("mock");
    assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void streamsParallelToolCallsWithTheirIndexes() {
    String body =
        request("Both?", "\"stream\":true,\"tools\":[" + WEATHER_TOOL + "," + TIME_TOOL + "]");
    List<String> data = sseData(http.chat(body).body());

    List<String> names = new ArrayList<>();
    List<StringBuilder> arguments = List.of(new StringBuilder(), new StringBuilder());
    for (String d : data.subList(0, data.size() - 1)) {
      for (JsonNode call : json(d).path("choices").path(0).path("delta").path("tool_calls")) {
        if (call.has("id")) {
          names.add(call.path("function").path("name").asText());
        }
        arguments
            .get(call.path("index").asInt())
            .append(call.path("function").path("arguments").asText());
      }
    }
    assertThat(names).containsExactly("get_weather", "get_time");
    assertThat(json(arguments.get(0).toString()).path("unit").asText()).isEqualTo("celsius");
    assertThat(arguments.get(1)).hasToString("{}");
  }

  @Test
  void noToolCallsWhenToolChoiceIsNone() {
    String body = request("Weather?", "\"tool_choice\":\"none\",\"tools\":[" + WEATHER_TOOL + "]");
    JsonNode choice = json(http.chat(body).body()).path("choices").path(0);

    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("message").path("content").asText())
        .isEqualTo("Mock answer to: Weather?");
  }

  @Test
  void namedToolChoiceCallsOnlyThatTool() {
    String body =
        request(
            "Time?",
            "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}},"
                + "\"tools\":["
                + WEATHER_TOOL
                + ","
                + TIME_TOOL
                + "]");
    JsonNode calls =
        json(http.chat(body).body()).path("choices").path(0).path("message").path("tool_calls");

    assertThat(calls).hasSize(1);
    assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("get_time");
  }

  @Test
  void summarisesToolResultsAndContinuesCallIds() {
    String body =
        """
        {"model":"mock-gpt","tools":[%s],"messages":[
          {"role":"user","content":"Weather?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"get_weather","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"sunny, 21C"}]}\
        """
            .formatted(WEATHER_TOOL);
    JsonNode message = json(http.chat(body).body()).path("choices").path(0).path("message");
    assertThat(message.path("content").asText()).isEqualTo("Tool result received: sunny, 21C");

    ObjectNode next = (ObjectNode) json(body);
    next.withArray("messages").addObject().put("role", "user").put("content", "And tomorrow?");
    JsonNode calls =
        json(http.chat(next.toString()).body())
            .path("choices")
            .path(0)
            .path("message")
            .path("tool_calls");
    assertThat(calls.path(0).path("id").asText()).isEqualTo("call_2");
  }

  @Test
  void jsonSchemaContentParsesAndFitsTheSchema() {
    String format =
        """
        "response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,
          "schema":{"type":"object","properties":{"name":{"type":"string"},
          "population":{"type":"integer"},"capital":{"type":["boolean","null"]}}}}}\
        """;
    JsonNode content =
        json(
            json(http.chat(request("A city", format)).body())
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText());

    assertThat(content).isEqualTo(json("{\"name\":\"mock\",\"population\":1,\"capital\":true}"));
  }

  @Test
  void jsonObjectModeAnswersAnObject() {
    String content =
        json(http.chat(request("Anything", "\"response_format\":{\"type\":\"json_object\"}"))
                .body())
            .path("choices")
            .path(0)
            .path("message")
            .path("content")
            .asText();

    assertThat(json(content)).isEqualTo(json("{\"answer\":\"mock\"}"));
  }

  @Test
  void sameRequestGivesSameBodyButIdAndCreated() {
    String body =
        request("Deterministic?", "\"tools\":[" + WEATHER_TOOL + "],\"parallel_tool_calls\":true");
    ObjectNode first = (ObjectNode) json(http.chat(body).body());
    ObjectNode second = (ObjectNode) json(http.chat(body).body());

    assertThat(first.path("id")).isNotEqualTo(second.path("id"));
    first.remove(List.of("id", "created"));
    second.remove(List.of("id", "created"));
    assertThat(first).isEqualTo(second);

    String stream = request("Deterministic?", "\"stream\":true");
    assertThat(sseData(http.chat(stream).body()).stream().map(MockUpstreamTest::withoutIdentity))
        .containsExactlyElementsOf(
            sseData(http.chat(stream).body()).stream()
                .map(MockUpstreamTest::withoutIdentity)
                .toList());
  }

  private static String withoutIdentity(String data) {
    if (data.equals("[DONE]")) {
      return data;
    }
    ObjectNode node = (ObjectNode) json(data);
    node.remove(List.of("id", "created"));
    return node.toString();
  }

  @Test
  void listsModels() {
    JsonNode body = json(http.get("/v1/models").body());

    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data")).isNotEmpty();
    assertThat(body.path("data"))
        .allSatisfy(m -> assertThat(m.path("object").asText()).isEqualTo("model"));
  }

  @Test
  void rejectsBodiesThatAreNotChatRequests() {
    HttpResponse<String> notJson = http.chat("{not json");
    HttpResponse<String> noMessages = http.chat("{\"model\":\"mock-gpt\"}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(http.get("/v1/nothing-here").statusCode()).isEqualTo(404);
  }
}
