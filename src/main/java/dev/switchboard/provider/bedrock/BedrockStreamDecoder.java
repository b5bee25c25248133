package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.AnswerTool;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.StreamEnds;
import dev.switchboard.provider.UpstreamErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * ConverseStream event-stream messages to canonical {@link StreamEvent}s
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html).
 * One instance per stream; not thread-safe.
 *
 * <p>A stream is {@code messageStart}, then per content block an optional {@code
 * contentBlockStart} (only tool calls have one: it carries the id and name), {@code
 * contentBlockDelta}s ({@code text}, {@code toolUse.input} JSON fragments, {@code
 * reasoningContent.text}) and a {@code contentBlockStop}; then {@code messageStop} with the stop
 * reason, and last {@code metadata} with the usage. Payloads carry a {@code p} field of random
 * padding (it hides the length of the text), which is ignored like every unknown field.
 *
 * <p>Mapping: {@code messageStart} (or whatever comes first) yields {@link StreamEvent.Started};
 * text and reasoning deltas become events as they arrive; tool blocks are numbered in order of
 * appearance, the first event carrying id and name. A tool block that stops without any input
 * fragment gets {@code {}}, as the non-streamed response has. A JSON-answer tool's input streams
 * as text. A reasoning block's text streams as reasoning deltas; its {@code signature} (or its
 * {@code redactedContent}) is gathered, and at the block's end the whole signed block becomes one
 * {@link StreamEvent.ReasoningDetail}, the same {@code reasoningContent} part the non-streamed
 * decoder keeps, so a client can send it back on the next turn of a tool loop.
 *
 * <p>The finish is held until {@code metadata}, so the usage can precede it as the contract
 * wants ({@link StreamEvent.UsageReport} then {@link StreamEvent.Finish}); it is released by
 * {@code metadata} or by the end of the body. An exception message ({@code :message-type:
 * exception}, such as {@code throttlingException} or {@code modelStreamErrorException}) or a
 * protocol error ends the stream with {@link StreamEvent.Failure}, as does a payload that is not
 * JSON ({@code MALFORMED}) and a body that ends before {@code messageStop} ({@code RESET}). Usage
 * seen before a failure is still reported, so tokens already generated can be charged.
 */
final class BedrockStreamDecoder implements StreamDecoder {
  /** A content block that is a tool call, or the JSON answer. */
  private static final class ToolBlock {
    final boolean answer;
    final int index;
    boolean hasInput;
    boolean stopped;

    ToolBlock(boolean answer, int index) {
      this.answer = answer;
      this.index = index;
    }
  }

  /** A reasoning content block being gathered for its {@link StreamEvent.ReasoningDetail}. */
  private static final class ReasoningBlock {
    final StringBuilder text = new StringBuilder();
    @Nullable String signature;
    @Nullable String redacted;
  }

  /** By content-block index; sorted, so blocks left open are closed in order. */
  private final TreeMap<Integer, ToolBlock> tools = new TreeMap<>();
  private final TreeMap<Integer, ReasoningBlock> reasoningBlocks = new TreeMap<>();
  private int toolCount;
  private boolean answered;
  private boolean started;
  private boolean done;
  private @Nullable Usage usage;
  private StreamEvent.@Nullable Finish finish;

  @Override
  public List<StreamEvent> onFrame(Frame frame) {
    if (done || !(frame instanceof Frame.EventStreamMessage message)) {
      return List.of();
    }
    Map<String, String> headers = message.headers();
    return switch (headers.getOrDefault(":message-type", "event")) {
      case "event" -> event(headers.getOrDefault(":event-type", ""), message.payload());
      case "exception" -> fail(BedrockErrors.fromStreamException(headers.get(":exception-type"), message.payload()));
      case "error" -> fail(BedrockErrors.fromStreamError(headers.get(":error-code"), headers.get(":error-message")));
      default -> List.of();
    };
  }

  @Override
  public List<StreamEvent> onEnd() {
    if (done) {
      return List.of();
    }
    if (finish != null) {
      return complete(new ArrayList<>(2), finish); // messageStop came, metadata did not: the answer is whole
    }
    return fail(StreamEnds.cutOff());
  }

  private List<StreamEvent> event(String type, String payload) {
    var out = new ArrayList<StreamEvent>(2);
    if (!started) {
      started = true;
      out.add(new StreamEvent.Started(null, null));
    }
    try {
      switch (type) {
        case "contentBlockDelta" -> delta(payload, out);
        case "contentBlockStart" -> start(BedrockAdapter.JSON.readTree(payload), out);
        case "contentBlockStop" -> stop(BedrockAdapter.JSON.readTree(payload).path("contentBlockIndex").asInt(0), out);
        case "messageStop" -> {
          JsonNode stop = BedrockAdapter.JSON.readTree(payload);
          tools.values().stream().filter(block -> !block.stopped).toList().forEach(block -> stopBlock(block, out));
          reasoningBlocks.keySet().stream().toList().forEach(index -> stopReasoning(index, out));
          String reason = stop.path("stopReason").isTextual() ? stop.get("stopReason").asText() : null;
          FinishReason mapped = reason == null ? FinishReason.STOP : BedrockResponseDecoder.finishReason(reason, answered);
          finish = new StreamEvent.Finish(0, mapped, reason);
        }
        case "metadata" -> {
          Usage reported = BedrockResponseDecoder.usage(BedrockAdapter.JSON.readTree(payload).get("usage"));
          usage = reported != null ? reported : usage;
          if (finish != null) {
            return complete(out, finish);
          }
        }
        default -> {} // messageStart, and event types added later
      }
    } catch (IOException e) {
      return fail(
          UpstreamErrors.malformedFrame("upstream sent a " + type + " event whose payload is not JSON", payload));
    }
    return out;
  }

  /** The hot path: read once with the streaming parser, fields in any order. */
  private void delta(String payload, List<StreamEvent> out) throws IOException {
    int index = 0;
    String text = null;
    String input = null;
    String reasoning = null;
    try (JsonParser json = BedrockAdapter.JSON.createParser(payload)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("contentBlockIndex")) {
          index = json.getValueAsInt(0);
        } else if (field.equals("delta") && value == JsonToken.START_OBJECT) {
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String kind = json.currentName();
            JsonToken deltaValue = json.nextToken();
            switch (kind) {
              case "text" -> text = deltaValue == JsonToken.VALUE_STRING ? json.getText() : skip(json);
              case "toolUse" -> input = member(json, deltaValue, "input");
              case "reasoningContent" -> reasoning = reasoningDelta(json, deltaValue, index);
              default -> json.skipChildren(); // citation deltas, and kinds added later
            }
          }
        } else {
          json.skipChildren();
        }
      }
    }
    if (reasoning != null && !reasoning.isEmpty()) {
      out.add(new StreamEvent.ReasoningDelta(0, reasoning));
    }
    if (text != null && !text.isEmpty()) {
      out.add(new StreamEvent.TextDelta(0, text));
    }
    if (input != null && !input.isEmpty()) {
      ToolBlock block = tools.get(index);
      if (block == null) {
        // Input without a contentBlockStart: still a call, just one without id or name.
        block = new ToolBlock(false, toolCount++);
        tools.put(index, block);
      }
      block.hasInput = true;
      out.add(block.answer
          ? new StreamEvent.TextDelta(0, input)
          : new StreamEvent.ToolCallDelta(0, block.index, null, null, input));
    }
  }

  private void start(JsonNode payload, List<StreamEvent> out) {
    JsonNode toolUse = payload.path("start").path("toolUse");
    if (!toolUse.isObject()) {
      return;
    }
    String name = toolUse.path("name").isTextual() ? toolUse.get("name").asText() : null;
    String id = toolUse.path("toolUseId").isTextual() ? toolUse.get("toolUseId").asText() : null;
    int blockIndex = payload.path("contentBlockIndex").asInt(0);
    if (AnswerTool.isAnswer(name)) {
      answered = true;
      tools.put(blockIndex, new ToolBlock(true, -1));
      return;
    }
    var block = new ToolBlock(false, toolCount++);
    tools.put(blockIndex, block);
    out.add(new StreamEvent.ToolCallDelta(0, block.index, id, name == null ? "" : name, ""));
  }

  private void stop(int blockIndex, List<StreamEvent> out) {
    ToolBlock block = tools.get(blockIndex);
    if (block != null && !block.stopped) {
      stopBlock(block, out);
    }
    stopReasoning(blockIndex, out);
  }

  /**
   * Reads a {@code reasoningContent} delta ({@code text}, {@code signature} or {@code
   * redactedContent}, one per delta) into the block at {@code index}; returns its text.
   */
  private @Nullable String reasoningDelta(JsonParser json, JsonToken value, int index) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      return skip(json);
    }
    ReasoningBlock block = reasoningBlocks.computeIfAbsent(index, i -> new ReasoningBlock());
    String text = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      if (token != JsonToken.VALUE_STRING) {
        json.skipChildren();
        continue;
      }
      switch (field) {
        case "text" -> {
          text = json.getText();
          block.text.append(text);
        }
        case "signature" -> block.signature = json.getText();
        case "redactedContent" -> block.redacted = json.getText();
        default -> {}
      }
    }
    return text;
  }

  /** A finished reasoning block, as the part the non-streamed decoder keeps; unsigned ones are not kept. */
  private void stopReasoning(int blockIndex, List<StreamEvent> out) {
    ReasoningBlock block = reasoningBlocks.remove(blockIndex);
    if (block == null) {
      return;
    }
    JsonNode whole = block.redacted != null ? BedrockThinking.redacted(block.redacted)
        : block.signature != null ? BedrockThinking.reasoningText(block.text.toString(), block.signature)
        : null;
    if (whole != null) {
      out.add(new StreamEvent.ReasoningDetail(0,
          new ContentPart.Unknown(BedrockResponseDecoder.REASONING_BLOCK, RawJson.of(whole.toString()))));
    }
  }

  /** Closes a tool block; one that never received input gets {@code {}}, its arguments when empty. */
  private static void stopBlock(ToolBlock block, List<StreamEvent> out) {
    block.stopped = true;
    if (!block.hasInput) {
      out.add(block.answer
          ? new StreamEvent.TextDelta(0, "{}")
          : new StreamEvent.ToolCallDelta(0, block.index, null, null, "{}"));
    }
  }

  /** The string {@code member} of the current object value (or null), leaving the parser at its end. */
  private static @Nullable String member(JsonParser json, JsonToken value, String member) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      return skip(json);
    }
    String found = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      if (field.equals(member) && token == JsonToken.VALUE_STRING) {
        found = json.getText();
      } else {
        json.skipChildren();
      }
    }
    return found;
  }

  private static @Nullable String skip(JsonParser json) throws IOException {
    json.skipChildren();
    return null;
  }

  /** The stream is over and succeeded: held usage, then the finish. */
  private List<StreamEvent> complete(List<StreamEvent> out, StreamEvent.Finish held) {
    done = true;
    if (usage != null) {
      out.add(new StreamEvent.UsageReport(usage));
    }
    out.add(held);
    return out;
  }

  private List<StreamEvent> fail(UpstreamError error) {
    done = true;
    return StreamEnds.failed(usage, error);
  }
}
