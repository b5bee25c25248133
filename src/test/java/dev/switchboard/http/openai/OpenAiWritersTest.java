package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fields OpenRouter's generated SDK ({@code @openrouter/sdk}) requires even when they are
 * null: without them its response validation throws instead of returning the answer.
 */
class OpenAiWritersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Stamp STAMP = new Stamp("gen-1", 1_700_000_000L, "mock/mock-model", "mock", null);

  @Test
  void everyUnfinishedStreamChoiceSaysFinishReasonNull() throws Exception {
    OpenAiChunkWriter writer = new OpenAiChunkWriter(MAPPER.getFactory(), STAMP);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.append(out, new StreamEvent.TextDelta(0, "Hel"));
    writer.append(out, new StreamEvent.ReasoningDelta(0, "hmm"));
    writer.append(out, new StreamEvent.ToolCallDelta(0, 0, "call_1", "get_weather", "{}"));
    writer.append(out, new StreamEvent.Logprobs(0, RawJson.of("{\"content\":[]}")));
    writer.append(out, new StreamEvent.Finish(0, FinishReason.STOP, "stop"));

    List<JsonNode> chunks = chunks(out);
    assertThat(chunks).hasSize(5);
    for (JsonNode chunk : chunks.subList(0, 4)) {
      JsonNode choice = chunk.path("choices").path(0);
      assertThat(choice.has("finish_reason")).as(chunk.toString()).isTrue();
      assertThat(choice.get("finish_reason").isNull()).as(chunk.toString()).isTrue();
    }
    assertThat(chunks.get(4).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.get(0).path("choices").path(0).path("delta").path("content").asText()).isEqualTo("Hel");
  }

  @Test
  void midStreamErrorMetadataCarriesTheCanonicalErrorType() throws Exception {
    OpenAiChunkWriter writer = new OpenAiChunkWriter(MAPPER.getFactory(), STAMP);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("provider_name", "mock");
    metadata.put("upstream_status", 500);
    writer.appendError(out, 502, "upstream provider mock failed", metadata);
    ByteArrayOutputStream empty = new ByteArrayOutputStream();
    writer.appendError(empty, 429, "slow down", Map.of());

    JsonNode error = chunks(out).getFirst().path("error");
    assertThat(error.path("code").asInt()).isEqualTo(502);
    assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("provider_unavailable");
    assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("mock");
    assertThat(error.path("metadata").path("upstream_status").isInt()).isTrue();
    assertThat(chunks(empty).getFirst().path("error").path("metadata").path("error_type").asText())
        .isEqualTo("rate_limit_exceeded");
  }

  @Test
  void completionWithoutFingerprintSaysSystemFingerprintNull() throws Exception {
    ChatResponse response = new ChatResponse("up-1", "mock-model",
        List.of(new Choice(0, Message.text(Role.ASSISTANT, "hi"), FinishReason.STOP, null, null)),
        Usage.of(1, 1), null);

    JsonNode json = MAPPER.readTree(new OpenAiResponseWriter(MAPPER.getFactory())
        .write(response, STAMP, Usage.of(1, 1), new BigDecimal("0.000003")));

    assertThat(json.has("system_fingerprint")).isTrue();
    assertThat(json.get("system_fingerprint").isNull()).isTrue();
    assertThat(json.path("choices").path(0).path("message").path("content").asText()).isEqualTo("hi");
  }

  @Test
  void completionKeepsAReportedFingerprint() throws Exception {
    ChatResponse response = new ChatResponse("up-1", "mock-model",
        List.of(new Choice(0, Message.text(Role.ASSISTANT, "hi"), FinishReason.STOP, null, null)),
        Usage.of(1, 1), "fp_1");

    JsonNode json = MAPPER.readTree(new OpenAiResponseWriter(MAPPER.getFactory())
        .write(response, STAMP, Usage.of(1, 1), BigDecimal.ZERO));

    assertThat(json.path("system_fingerprint").asText()).isEqualTo("fp_1");
  }

  @Test
  void errorTypesFollowOpenRouterStatusMapping() {
    assertThat(ErrorTypes.of(400)).isEqualTo("invalid_request");
    assertThat(ErrorTypes.of(401)).isEqualTo("authentication");
    assertThat(ErrorTypes.of(402)).isEqualTo("payment_required");
    assertThat(ErrorTypes.of(408)).isEqualTo("timeout");
    assertThat(ErrorTypes.of(502)).isEqualTo("provider_unavailable");
    assertThat(ErrorTypes.of(503)).isEqualTo("provider_overloaded");
    assertThat(ErrorTypes.of(500)).isEqualTo("server");
    assertThat(ErrorTypes.of(418)).isEqualTo("unmapped");
  }

  private static List<JsonNode> chunks(ByteArrayOutputStream out) throws Exception {
    List<JsonNode> chunks = new ArrayList<>();
    for (String frame : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
      assertThat(frame).startsWith("data: ");
      chunks.add(MAPPER.readTree(frame.substring("data: ".length())));
    }
    return chunks;
  }
}
