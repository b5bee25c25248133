package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.switchboard.provider.UsageCounts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's streamed Messages events (https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * to canonical {@link StreamEvent}s. One instance per stream; not thread-safe.
 *
 * <p>The event sequence is {@code message_start}, then per content block {@code
 * content_block_start}, {@code content_block_delta}s and {@code content_block_stop}, then {@code
 * message_delta} (stop reason, output usage) and {@code message_stop}; {@code ping}s may come
 * anywhere and an {@code error} event may end the stream early (for example {@code
 * overloaded_error} after HTTP 200). Each frame's {@code data} is read once with Jackson's
 * streaming parser (deltas are the hot path); only the rare objects ({@code message}, {@code
 * content_block}, {@code usage}, {@code error}) become trees. The event type is read from the
 * data's {@code type}, which Anthropic always repeats, so the {@code event:} line is only a
 * fallback.
 *
 * <p>Mapping: {@code text_delta} to {@link StreamEvent.TextDelta}; a {@code tool_use} block start
 * to a {@link StreamEvent.ToolCallDelta} with its id and name, and its {@code input_json_delta}s to
 * argument fragments, indexed by the call's ordinal among the message's tool calls (not the block
 * index, which also counts text and thinking blocks); a tool call whose input never streamed gets
 * {@code "{}"} at its block's end, as the non-streamed decoder reads it; {@code thinking_delta} to
 * {@link StreamEvent.ReasoningDelta}. A {@code thinking} block's text and its {@code signature_delta}
 * are also gathered, and at the block's end become one {@link StreamEvent.ReasoningDetail} holding
 * the whole signed block, the same part the non-streamed decoder keeps, so a client can send it
 * back; a {@code redacted_thinking} block (whole in its start event) becomes one at its end too. A
 * thinking block that never got a signature yields no detail: it could not be sent back anyway.
 * The JSON-answer tool streams as text.
 *
 * <p>Usage is held until the end: input and cache counts arrive in {@code message_start}, output
 * counts (cumulative) in {@code message_delta}. {@code message_stop} yields one {@link
 * StreamEvent.UsageReport} and the {@link StreamEvent.Finish}. A body that ends after the stop
 * reason but without {@code message_stop} is complete too; one that ends earlier fails with {@code
 * RESET}. Usage seen before a failure is still reported, so the tokens already generated can be
 * charged.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
  private final Map<Integer, Block> blocks = new HashMap<>();
  private @Nullable Long inputTokens;
  private @Nullable Long cacheRead;
  private @Nullable Long cacheWrite;
  private @Nullable Long outputTokens;
  private @Nullable String stopReason;
  private int toolCalls;
  private boolean answered;
  private boolean started;
  private boolean done;

  @Override
  public List<StreamEvent> onFrame(Frame frame) {
    if (done) {
      return List.of();
    }
    String data;
    String event = null;
    switch (frame) {
      case Frame.Sse sse -> {
        event = sse.event();
        if (sse.opensJsonObject()) {
          // Nearly every frame: parsed from its bytes, never decoded to a string.
          try (JsonParser json = AnthropicWire.JSON.createParser(sse.utf8())) {
            return event(json, event, sse::data);
          } catch (IOException notJsonOrNotUtf8) {
            // Malformed UTF-8 may still be an event as text (replacement characters for the bad
            // bytes), as it was when every frame was decoded first; malformed JSON fails below.
          }
        }
        data = sse.data();
      }
      case Frame.JsonLine line -> data = line.json();
      case Frame.EventStreamMessage ignored -> {
        return List.of();
      }
    }
    if (data.isBlank()) {
      return List.of();
    }
    try (JsonParser json = AnthropicWire.JSON.createParser(data)) {
      return event(json, event, () -> data);
    } catch (IOException e) {
      return fail(UpstreamErrors.malformedFrame("upstream sent a stream event that is not a JSON object", data));
    }
  }

  @Override
  public List<StreamEvent> onEnd() {
    if (done) {
      return List.of();
    }
    if (stopReason != null) {
      // message_delta carried the stop reason, so the answer and its usage are complete; only the
      // closing message_stop went missing.
      return complete();
    }
    return fail(StreamEnds.cutOff());
  }

  private List<StreamEvent> event(JsonParser json, @Nullable String sseEvent, Supplier<String> data)
      throws IOException {
    String type = sseEvent;
    int index = -1;
    Delta delta = null;
    JsonNode message = null;
    JsonNode contentBlock = null;
    JsonNode usage = null;
    JsonNode error = null;
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("not an object");
    }
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "type" -> type = value == JsonToken.VALUE_STRING ? json.getText() : type;
        case "index" -> index = json.getValueAsInt(-1);
        case "delta" -> delta = value == JsonToken.START_OBJECT ? delta(json) : skip(json);
        case "message" -> message = tree(json, value);
        case "content_block" -> contentBlock = tree(json, value);
        case "usage" -> usage = tree(json, value);
        case "error" -> error = tree(json, value);
        default -> json.skipChildren();
      }
    }
    if (type == null) {
      return List.of();
    }
    var out = new ArrayList<StreamEvent>(2);
    switch (type) {
      case "message_start" -> {
        if (message != null) {
          readUsage(message.get("usage"));
          start(out, text(message, "id"), text(message, "model"));
        } else {
          start(out, null, null);
        }
      }
      case "content_block_start" -> blockStart(index, contentBlock, out);
      case "content_block_delta" -> {
        if (delta != null) {
          blockDelta(index, delta, out);
        }
      }
      case "content_block_stop" -> blockStop(index, out);
      case "message_delta" -> {
        if (delta != null && delta.stopReason != null) {
          stopReason = delta.stopReason;
        }
        readUsage(usage);
      }
      case "message_stop" -> {
        out.addAll(complete());
        return out;
      }
      case "error" -> {
        var envelope = AnthropicWire.JSON.createObjectNode();
        if (error != null) {
          envelope.set("error", error);
        }
        return fail(AnthropicErrors.fromBody(envelope, data.get()));
      }
      default -> {
        // ping, and event types added after this adapter was written
      }
    }
    return out;
  }

  private void blockStart(int index, @Nullable JsonNode block, List<StreamEvent> out) {
    start(out, null, null);
    if (block == null) {
      return;
    }
    switch (block.path("type").asText("")) {
      case "text" -> {
        blocks.put(index, new Block(Kind.TEXT, -1));
        text(out, block.path("text").asText(""));
      }
      case "thinking" -> {
        Block state = new Block(Kind.THINKING, -1);
        blocks.put(index, state);
        String thinking = block.path("thinking").asText("");
        state.thinking.append(thinking);
        state.signature = block.path("signature").asText("");
        if (!thinking.isEmpty()) {
          out.add(new StreamEvent.ReasoningDelta(0, thinking));
        }
      }
      case "redacted_thinking" -> {
        Block state = new Block(Kind.REDACTED, -1);
        state.redacted = block;
        blocks.put(index, state);
      }
      case "tool_use" -> {
        String name = block.path("name").asText("");
        JsonNode input = block.get("input");
        String initial = input != null && input.isObject() && !input.isEmpty() ? input.toString() : "";
        Block state;
        if (AnswerTool.isAnswer(name)) {
          answered = true;
          state = new Block(Kind.ANSWER, -1);
          text(out, initial);
        } else {
          state = new Block(Kind.TOOL, toolCalls++);
          out.add(new StreamEvent.ToolCallDelta(0, state.ordinal, text(block, "id"), name, initial));
        }
        state.hadInput = !initial.isEmpty();
        blocks.put(index, state);
      }
      default -> blocks.put(index, new Block(Kind.OTHER, -1));
    }
  }

  private void blockDelta(int index, Delta delta, List<StreamEvent> out) {
    start(out, null, null);
    Block block = blocks.get(index);
    switch (delta.type) {
      case "text_delta" -> text(out, delta.text);
      case "thinking_delta" -> {
        if (!delta.text.isEmpty()) {
          out.add(new StreamEvent.ReasoningDelta(0, delta.text));
          if (block != null && block.kind == Kind.THINKING) {
            block.thinking.append(delta.text);
          }
        }
      }
      case "signature_delta" -> {
        if (block != null && block.kind == Kind.THINKING) {
          block.signature += delta.text;
        }
      }
      case "input_json_delta" -> {
        if (block == null || delta.text.isEmpty()) {
          return;
        }
        block.hadInput = true;
        if (block.kind == Kind.ANSWER) {
          text(out, delta.text);
        } else if (block.kind == Kind.TOOL) {
          out.add(new StreamEvent.ToolCallDelta(0, block.ordinal, null, null, delta.text));
        }
      }
      default -> {
        // citations_delta: no canonical event carries it
      }
    }
  }

  private void blockStop(int index, List<StreamEvent> out) {
    Block block = blocks.get(index);
    if (block != null && (block.kind == Kind.THINKING || block.kind == Kind.REDACTED)) {
      reasoningDetail(block, out);
      return;
    }
    if (block == null || block.hadInput) {
      return;
    }
    // A call without arguments streams no input_json_delta; say "{}" as the non-streamed input does.
    if (block.kind == Kind.TOOL) {
      out.add(new StreamEvent.ToolCallDelta(0, block.ordinal, null, null, "{}"));
    } else if (block.kind == Kind.ANSWER) {
      text(out, "{}");
    }
    block.hadInput = true;
  }

  /** A finished thinking block, as the part the non-streamed decoder would have kept. */
  private static void reasoningDetail(Block block, List<StreamEvent> out) {
    ObjectNode whole;
    if (block.kind == Kind.REDACTED) {
      if (block.redacted == null || !block.redacted.path("data").isTextual()) {
        return;
      }
      whole = AnthropicWire.JSON.createObjectNode()
          .put("type", "redacted_thinking")
          .put("data", block.redacted.get("data").asText());
    } else {
      if (block.signature.isEmpty()) {
        return;
      }
      whole = AnthropicWire.JSON.createObjectNode()
          .put("type", "thinking")
          .put("thinking", block.thinking.toString())
          .put("signature", block.signature);
    }
    String type = whole.get("type").asText();
    out.add(new StreamEvent.ReasoningDetail(0, new ContentPart.Unknown(type, RawJson.of(whole.toString()))));
  }

  private void start(List<StreamEvent> out, @Nullable String id, @Nullable String model) {
    if (!started) {
      started = true;
      out.add(new StreamEvent.Started(id, model));
    }
  }

  private static void text(List<StreamEvent> out, String text) {
    if (!text.isEmpty()) {
      out.add(new StreamEvent.TextDelta(0, text));
    }
  }

  /** Counts are cumulative, so a later report of a count replaces the earlier one. */
  private void readUsage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    Long input = UsageCounts.count(usage.get("input_tokens"));
    Long read = UsageCounts.count(usage.get("cache_read_input_tokens"));
    Long write = UsageCounts.count(usage.get("cache_creation_input_tokens"));
    Long output = UsageCounts.count(usage.get("output_tokens"));
    inputTokens = input != null ? input : inputTokens;
    cacheRead = read != null ? read : cacheRead;
    cacheWrite = write != null ? write : cacheWrite;
    outputTokens = output != null ? output : outputTokens;
  }

  private @Nullable Usage usage() {
    if (inputTokens == null && outputTokens == null && cacheRead == null && cacheWrite == null) {
      return null;
    }
    return UsageCounts.withCacheOutsideInput(
        UsageCounts.orZero(inputTokens), cacheRead, cacheWrite, UsageCounts.orZero(outputTokens));
  }

  /** The stream is over and succeeded: held usage, then the one Finish. */
  private List<StreamEvent> complete() {
    done = true;
    var out = new ArrayList<StreamEvent>(2);
    Usage usage = usage();
    if (usage != null) {
      out.add(new StreamEvent.UsageReport(usage));
    }
    FinishReason reason =
        stopReason == null ? FinishReason.STOP : AnthropicWire.finishReason(stopReason, answered, toolCalls > 0);
    out.add(new StreamEvent.Finish(0, reason, stopReason));
    return out;
  }

  private List<StreamEvent> fail(UpstreamError error) {
    done = true;
    return StreamEnds.failed(usage(), error);
  }

  /** Reads a {@code delta} object: its type, its one text-like field, and a stop reason. */
  private static Delta delta(JsonParser json) throws IOException {
    String type = "";
    String text = "";
    String stop = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "type" -> type = value == JsonToken.VALUE_STRING ? json.getText() : "";
        case "text", "partial_json", "thinking", "signature" -> text = value == JsonToken.VALUE_STRING ? json.getText() : text;
        case "stop_reason" -> stop = value == JsonToken.VALUE_STRING ? json.getText() : null;
        default -> json.skipChildren();
      }
    }
    return new Delta(type, text, stop);
  }

  private static @Nullable Delta skip(JsonParser json) throws IOException {
    json.skipChildren();
    return null;
  }

  private static @Nullable JsonNode tree(JsonParser json, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      json.skipChildren();
      return null;
    }
    return json.readValueAsTree();
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private enum Kind { TEXT, THINKING, REDACTED, TOOL, ANSWER, OTHER }

  /** What the decoder remembers about one content block, by its index. */
  private static final class Block {
    final Kind kind;
    final int ordinal;
    boolean hadInput;
    /** A thinking block's text and signature so far, to send back whole at its end. */
    final StringBuilder thinking = new StringBuilder();
    String signature = "";
    /** A redacted_thinking block, whole in its start event. */
    @Nullable JsonNode redacted;

    Block(Kind kind, int ordinal) {
      this.kind = kind;
      this.ordinal = ordinal;
    }
  }

  /** The fields of a {@code delta} the decoder uses. */
  private record Delta(String type, String text, @Nullable String stopReason) {}
}
