package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.eventually;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed chat: SDK and raw SSE shape, usage with cost, keep-alive comments, mid-stream errors, cancellation. */
class StreamingTest {
  static final String STREAM = "\"stream\":true,\"stream_options\":{\"include_usage\":true}";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    client = gateway.client("/api/v1");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMock() {
    gateway.mock().resetStats();
  }

  static ChatCompletionCreateParams streamParams(String text) {
    return ChatCompletionCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .addUserMessage(text)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
  }

  @Test
  void sdkStreamsTheAnswerThenUsageWithCost() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(streamParams(ChatCompletionsTest.PROMPT))) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    assertThat(text).hasToString(ChatCompletionsTest.ANSWER);
    assertThat(chunks).extracting(ChatCompletionChunk::id).allSatisfy(id -> assertThat(id).startsWith("gen-"))
        .containsOnly(chunks.getFirst().id());
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(ch -> ch.finishReason().stream()))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(ChatCompletionsTest.PROMPT_TOKENS);
    assertThat(usage.completionTokens()).isEqualTo(ChatCompletionsTest.COMPLETION_TOKENS);
    JsonValue cost = usage._additionalProperties().get("cost");
    assertThat(cost).as("usage.cost").isNotNull();
    assertThat(new BigDecimal(cost.asNumber().orElseThrow().toString())).isEqualByComparingTo(ChatCompletionsTest.COST);
  }

  @Test
  void rawSseHasNoNullValuesAndEndsWithDone() {
    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT, STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/event-stream"));
    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks).hasSizeGreaterThan(2);
    for (JsonNode chunk : chunks) {
      assertThat(nullPaths(chunk, "")).as("null values in %s", chunk).isEmpty();
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
    }
    String id = chunks.getFirst().path("id").asText();
    assertThat(response.headers().firstValue("x-generation-id")).hasValue(id);
    JsonNode usage = chunks.getLast().path("usage");
    assertThat(chunks.getLast().path("choices").isArray()).isTrue();
    assertThat(chunks.getLast().path("choices")).isEmpty();
    assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(ChatCompletionsTest.COST);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    var row = gateway.generationRow(id);
    assertThat(row).containsEntry("status", "success");
    assertThat(GatewayFixture.number(row, "streamed")).isEqualTo(1);
    assertThat(GatewayFixture.number(row, "cost_nanos")).isEqualTo(26_000);
  }

  @Test
  void processingCommentKeepsALateStreamAliveAndItStillCompletes() {
    String prompt = "Take your time #mock:delay=1500";

    HttpResponse<String> response = gateway.chat(body(prompt, STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    String sse = response.body();
    int comment = sse.indexOf(": SWITCHBOARD PROCESSING\n\n");
    assertThat(comment).as("processing comment in %s", sse).isGreaterThanOrEqualTo(0);
    assertThat(comment).as("comment comes before the first chunk").isLessThan(sse.indexOf("data: "));
    assertThat(content(sseData(sse))).isEqualTo("Mock answer to: " + prompt);
    assertThat(sse).endsWith("data: [DONE]\n\n");
  }

  @Test
  void midStreamUpstreamErrorEndsTheStreamWithAnErrorChunk() {
    HttpResponse<String> response = gateway.chat(body("Fail halfway please #mock:error-after=3", STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = sseData(response.body());
    JsonNode last = chunks.getLast();
    assertThat(last.path("error").isObject()).as("top-level error in %s", last).isTrue();
    assertThat(last.path("error").path("code").isInt()).isTrue();
    assertThat(last.path("error").path("message").asText()).isNotBlank();
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("error"));
    assertThat(content(chunks)).as("what arrived before the error").isNotEmpty();
    assertThat(response.body()).doesNotContain("[DONE]");
    String id = last.path("id").asText();
    assertThat(gateway.generationRow(id)).containsEntry("status", "error").containsEntry("finish_reason", "error");
  }

  @Test
  void closingAStreamCancelsTheUpstream() {
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(streamParams("Tell me slowly #mock:chunk-delay=300 #mock:chunks=20"))) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      assertThat(chunks.hasNext()).isTrue();
      assertThat(chunks.next().id()).startsWith("gen-");
    }

    assertThat(eventually(Duration.ofSeconds(5), () -> gateway.mock().stats().streamsCancelled() == 1))
        .as("upstream stream cancelled; stats %s", gateway.mock().stats()).isTrue();
    assertThat(gateway.mock().stats().streamsCompleted()).isZero();
  }

  @Test
  void upstreamErrorAfterTheProcessingCommentArrivesAsAnErrorChunk() {
    HttpResponse<String> response = gateway.chat(body("Late and broken #mock:delay=1500 #mock:status=500", STREAM));

    // The 200 and the comment are already out when the upstream fails: the error goes in the stream.
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith(": SWITCHBOARD PROCESSING\n\n");
    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks).hasSize(1);
    assertThat(chunks.getFirst().path("error").path("code").asInt()).isEqualTo(502);
    assertThat(chunks.getFirst().path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(nullPaths(chunks.getFirst(), "")).isEmpty();
    assertThat(response.body()).doesNotContain("[DONE]");
  }

  @Test
  void missingUpstreamUsageIsEstimatedAndStillPriced() {
    HttpResponse<String> streamed = gateway.chat(body(ChatCompletionsTest.PROMPT + " #mock:no-usage", STREAM));
    HttpResponse<String> plain = gateway.chat(body(ChatCompletionsTest.PROMPT + " #mock:no-usage", ""));

    List<JsonNode> chunks = sseData(streamed.body());
    for (JsonNode root : List.of(chunks.getLast(), GatewayFixture.json(plain.body()))) {
      JsonNode usage = root.path("usage");
      assertThat(usage.path("prompt_tokens").asInt()).as("estimated usage in %s", root).isPositive();
      assertThat(usage.path("completion_tokens").asInt()).isPositive();
      BigDecimal expected = new BigDecimal("0.000001").multiply(usage.path("prompt_tokens").decimalValue())
          .add(new BigDecimal("0.000002").multiply(usage.path("completion_tokens").decimalValue()));
      assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(expected);
      var row = gateway.generationRow(root.path("id").asText());
      assertThat(GatewayFixture.number(row, "usage_estimated")).isEqualTo(1);
    }
  }

  @Test
  void reasoningStreamsAsReasoningDeltasWithoutNulls() {
    HttpResponse<String> response = gateway.chat(body("Think first #mock:reasoning", STREAM));

    List<JsonNode> chunks = sseData(response.body());
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode chunk : chunks) {
      assertThat(nullPaths(chunk, "")).as("null values in %s", chunk).isEmpty();
      chunk.path("choices").forEach(c -> reasoning.append(c.path("delta").path("reasoning").asText("")));
    }
    assertThat(reasoning).hasToString("Mock reasoning about: Think first #mock:reasoning");
    assertThat(content(chunks)).isEqualTo("Mock answer to: Think first #mock:reasoning");
  }

  static String content(List<JsonNode> chunks) {
    StringBuilder text = new StringBuilder();
    for (JsonNode chunk : chunks) {
      for (JsonNode choice : chunk.path("choices")) {
        text.append(choice.path("delta").path("content").asText(""));
      }
    }
    return text.toString();
  }

  /**
   * JSON pointers of every {@code null} in {@code node}, except a choice's {@code finish_reason}:
   * OpenAI's and OpenRouter's chunk schemas require that field, null until the choice finishes.
   */
  static List<String> nullPaths(JsonNode node, String path) {
    List<String> found = new ArrayList<>();
    if (node.isNull() && !path.matches("/choices/\\d+/finish_reason")) {
      found.add(path);
    } else if (node.isObject()) {
      node.properties().forEach(e -> found.addAll(nullPaths(e.getValue(), path + "/" + e.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        found.addAll(nullPaths(node.get(i), path + "/" + i));
      }
    }
    return found;
  }
}
