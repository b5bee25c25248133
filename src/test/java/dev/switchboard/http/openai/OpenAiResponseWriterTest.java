package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiResponseWriterTest {
  private static final Stamp STAMP = new Stamp("gen-9-xyz", 1_760_000_001L, "acme/chat", "mock", null);
  private final OpenAiResponseWriter writer = new OpenAiResponseWriter(OpenAiChunkWriterTest.JSON.getFactory());

  @Test
  void textCompletionInOpenRoutersShape() throws Exception {
    ChatResponse response = new ChatResponse("up-1", "mock-model", List.of(new Choice(0,
        new Message(Role.ASSISTANT, List.of(new ContentPart.Text("Hello")), null, List.of(), null, "Greeting."),
        FinishReason.STOP, "end_turn", null)), Usage.of(10, 2), "fp_up");
    String text = write(response, new Usage(10, 2, 4L, null, null, false), new BigDecimal("0.0000260"));
    JsonNode json = OpenAiChunkWriterTest.JSON.readTree(text);

    assertThat(json.path("id").asText()).isEqualTo("gen-9-xyz");
    assertThat(json.path("provider").asText()).isEqualTo("mock");
    assertThat(json.path("model").asText()).isEqualTo("acme/chat");
    assertThat(json.path("object").asText()).isEqualTo("chat.completion");
    assertThat(json.path("created").asLong()).isEqualTo(1_760_000_001L);
    assertThat(json.path("system_fingerprint").asText()).isEqualTo("fp_up");
    JsonNode choice = json.path("choices").path(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("message").toString())
        .isEqualTo("{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning\":\"Greeting.\"}");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("native_finish_reason").asText()).isEqualTo("end_turn");
    assertThat(choice.has("logprobs")).isFalse();
    assertThat(text).contains("\"cost\":0.000026");
    assertThat(json.path("usage").path("total_tokens").asLong()).isEqualTo(12);
    assertThat(json.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(4);
    OpenAiChunkWriterTest.assertNoNulls(json, "$");
    assertValidSdkCompletion(text);
  }

  @Test
  void toolCallCompletionHasNullContentBesideTheCalls() throws Exception {
    ChatResponse response = new ChatResponse(null, null, List.of(new Choice(0,
        new Message(Role.ASSISTANT, List.of(), null,
            List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"), new ToolCall("call_2", "now", "")),
            null, null),
        FinishReason.TOOL_CALLS, null, RawJson.of("{\"content\":[]}"))), null, null);
    String text = write(response, Usage.of(20, 8), BigDecimal.ZERO);
    JsonNode json = OpenAiChunkWriterTest.JSON.readTree(text);
    // OpenRouter's SDK requires the field; null says the upstream gave none.
    assertThat(json.get("system_fingerprint").isNull()).isTrue();
    JsonNode choice = json.path("choices").path(0);
    JsonNode message = choice.path("message");
    assertThat(message.has("content")).isTrue();
    assertThat(message.path("content").isNull()).isTrue();
    assertThat(message.path("tool_calls").toString()).isEqualTo(
        "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},"
            + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.path("logprobs").toString()).isEqualTo("{\"content\":[]}");
    assertThat(json.path("usage").path("cost").asText()).isEqualTo("0");
    assertValidSdkCompletion(text);
  }

  @Test
  void missingFinishReasonIsStopAndEmptyContentIsAnEmptyString() throws Exception {
    ChatResponse response = new ChatResponse(null, null, List.of(
        new Choice(0, new Message(Role.ASSISTANT, List.of(), null, List.of(), null, null), null, null, null),
        new Choice(1, Message.text(Role.ASSISTANT, "b"), FinishReason.LENGTH, null, null)), null, null);
    JsonNode json = OpenAiChunkWriterTest.JSON.readTree(write(response, Usage.ZERO, BigDecimal.ZERO));
    assertThat(json.path("choices")).hasSize(2);
    assertThat(json.path("choices").path(0).path("message").path("content").asText()).isEmpty();
    assertThat(json.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(json.path("choices").path(1).path("index").asInt()).isEqualTo(1);
    assertThat(json.path("choices").path(1).path("finish_reason").asText()).isEqualTo("length");
  }

  private String write(ChatResponse response, Usage usage, BigDecimal cost) {
    return new String(writer.write(response, STAMP, usage, cost), StandardCharsets.UTF_8);
  }

  private static void assertValidSdkCompletion(String text) throws Exception {
    ChatCompletion completion = ObjectMappers.jsonMapper().readValue(text, ChatCompletion.class);
    assertThatCode(completion::validate).doesNotThrowAnyException();
  }
}
