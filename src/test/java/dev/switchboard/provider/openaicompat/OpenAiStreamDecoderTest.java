package dev.switchboard.provider.openaicompat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stream-decoder behaviour the recorded fixtures do not cover. */
class OpenAiStreamDecoderTest {
  private static final OpenAiCompatProfiles PROFILES = OpenAiCompatProfiles.load();

  private static List<StreamEvent> decode(String slug, Frame... frames) {
    return StreamDecoding.decode(new OpenAiStreamDecoder(PROFILES.find(slug).orElseThrow()), frames);
  }

  private static Frame.Sse data(String json) {
    return new Frame.Sse(null, json);
  }

  @Test
  void finishesEveryChoiceInOrderAfterTheUsage() {
    List<StreamEvent> events =
        decode(
            "openai",
            data("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"}},{\"index\":0,\"delta\":{\"content\":\"A\"}}]}"),
            data("{\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}"),
            data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
            data("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}"),
            data("[DONE]"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("c", "m"),
            new StreamEvent.TextDelta(1, "B"),
            new StreamEvent.TextDelta(0, "A"),
            new StreamEvent.UsageReport(Usage.of(3, 4)),
            new StreamEvent.Finish(0, FinishReason.STOP, "stop"),
            new StreamEvent.Finish(1, FinishReason.LENGTH, "length"));
  }

  @Test
  void keepsOnlyTheLastOfRepeatedCumulativeUsage() {
    List<StreamEvent> events =
        decode(
            "vllm",
            data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}"),
            data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"eos\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}"),
            data("[DONE]"));

    assertThat(events).filteredOn(StreamEvent.UsageReport.class::isInstance).containsExactly(new StreamEvent.UsageReport(Usage.of(5, 2)));
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(0, FinishReason.STOP, "eos"));
  }

  @Test
  void aFinishReasonWithoutDoneStillCompletesTheStream() {
    List<StreamEvent> events =
        decode("together", data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}"));
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(0, FinishReason.STOP, "stop"));
  }

  @Test
  void doneWithoutAFinishReasonIsANormalStop() {
    List<StreamEvent> events = decode("ollama", data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}"), data("[DONE]"));
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(0, FinishReason.STOP, null));
  }

  @Test
  void aChunkThatIsNotJsonFailsTheStreamAsMalformed() {
    List<StreamEvent> events =
        decode("openai", data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}"), data("{oops"), data("[DONE]"));
    assertThat(events.getLast())
        .isInstanceOfSatisfying(StreamEvent.Failure.class, f -> {
          assertThat(f.error().kind()).isEqualTo(Kind.MALFORMED);
          assertThat(f.error().raw()).isEqualTo("{oops");
        });
  }

  @Test
  void anSseErrorEventFailsTheStream() {
    List<StreamEvent> events =
        decode("xai", new Frame.Sse("error", "{\"error\":{\"message\":\"overloaded\",\"type\":\"overloaded_error\"}}"));
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(StreamEvent.Failure.class, f -> assertThat(f.error().message()).isEqualTo("overloaded"));
    assertThat(decode("xai", new Frame.Sse("error", "plain text")).getFirst())
        .isInstanceOfSatisfying(StreamEvent.Failure.class, f -> assertThat(f.error().kind()).isEqualTo(Kind.SERVER));
  }

  @Test
  void usageSeenBeforeAFailureIsStillReported() {
    List<StreamEvent> events =
        decode(
            "mistral",
            data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1}}"));
    assertThat(events.subList(events.size() - 2, events.size()))
        .satisfiesExactly(
            usage -> assertThat(usage).isEqualTo(new StreamEvent.UsageReport(Usage.of(7, 1))),
            failure -> assertThat(failure).isInstanceOfSatisfying(
                StreamEvent.Failure.class, f -> assertThat(f.error().kind()).isEqualTo(Kind.RESET)));
  }

  @Test
  void readsReasoningRefusalLogprobsAndOddToolCalls() {
    String logprobs = "{\"content\":[{\"token\":\"Hi\",\"logprob\":-1.0E-5,\"bytes\":[72,105],\"top_logprobs\":[]}]}";
    List<StreamEvent> events =
        decode(
            "openrouter",
            data("{\"id\":\"g\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"think\",\"content\":\"Hi\",\"refusal\":\"no\"},"
                + "\"logprobs\":" + logprobs + "}]}"),
            // a tool call without an index, with arguments as an object, from a loose server
            data("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"t1\",\"function\":{\"name\":\"f\",\"arguments\":{\"x\":1}}}]}}]}"),
            // an empty tool-call fragment carries nothing and is dropped
            data("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\"}}]}}]}"),
            data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\",\"native_finish_reason\":\"tool_use\"}]}"),
            data("[DONE]"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("g", null),
            new StreamEvent.ReasoningDelta(0, "think"),
            new StreamEvent.TextDelta(0, "Hi"),
            new StreamEvent.TextDelta(0, "no"),
            new StreamEvent.Logprobs(0, RawJson.of(logprobs)),
            new StreamEvent.ToolCallDelta(0, 0, "t1", "f", "{\"x\":1}"),
            new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, "tool_use"));
  }

  @Test
  void logprobsAfterMultiByteTextAreCutVerbatimFromTheFramesBytes() {
    String logprobs = "{\"content\":[{\"token\":\"\u4e2d\",\"logprob\":-0.50,\"bytes\":[228,184,173]}]}";
    String chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\u00e9 \u4e2d \uD83D\uDE00\"},"
        + "\"logprobs\":" + logprobs + ",\"finish_reason\":null}]}";
    List<StreamEvent> events = decode("openai",
        Frame.Sse.ofUtf8(null, chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8)), data("[DONE]"));

    assertThat(events).contains(
        new StreamEvent.TextDelta(0, "caf\u00e9 \u4e2d \uD83D\uDE00"), new StreamEvent.Logprobs(0, RawJson.of(logprobs)));
  }

  @Test
  void bytesThatAreNotUtf8DecodeToReplacementCharactersAsText() {
    byte[] head = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tail = "b\"}}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] data = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, data, 0, head.length);
    data[head.length] = (byte) 0xE4; // a three-byte lead with one wrong continuation
    data[head.length + 1] = (byte) 0x41;
    System.arraycopy(tail, 0, data, head.length + 2, tail.length);

    List<StreamEvent> events = decode("openai", Frame.Sse.ofUtf8(null, data), data("[DONE]"));

    assertThat(events).contains(new StreamEvent.TextDelta(0, "a\uFFFDAb"));
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(0, FinishReason.STOP, null));
  }

  @Test
  void groqUsageInXGroqIsReadOnlyForProfilesWithThatQuirk() {
    String chunk =
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"x_groq\":{\"id\":\"req\",\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3}}}";
    assertThat(decode("groq", data(chunk), data("[DONE]"))).contains(new StreamEvent.UsageReport(Usage.of(2, 3)));
    assertThat(decode("openai", data(chunk), data("[DONE]"))).noneMatch(StreamEvent.UsageReport.class::isInstance);
  }

  @Test
  void ignoresKeepAlivesAndNonSseFrames() {
    List<StreamEvent> events =
        decode(
            "openai",
            data(""),
            new Frame.EventStreamMessage(Map.of(), "{}"),
            new Frame.JsonLine("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}"),
            data(" [DONE] "));
    assertThat(events)
        .containsExactly(
            new StreamEvent.Started(null, null),
            new StreamEvent.TextDelta(0, "x"),
            new StreamEvent.Finish(0, FinishReason.STOP, "stop"));
  }
}
