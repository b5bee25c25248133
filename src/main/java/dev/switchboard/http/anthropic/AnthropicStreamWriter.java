package dev.switchboard.http.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.Stamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical stream events as Anthropic's Messages stream
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming): {@code message_start}; per
 * content block {@code content_block_start}, {@code content_block_delta}s and {@code
 * content_block_stop}; then {@code message_delta} with the stop reason and usage, and {@code
 * message_stop}. One instance per stream, not thread-safe.
 *
 * <p>Canonical events carry no blocks, so the writer makes them: a text, thinking or tool call
 * delta opens a block of its kind when the open block is of another kind (or another call), and
 * the open block is closed before the next one opens and before {@code message_delta}. Blocks are
 * numbered in the order they open. Only choice 0 is written: Anthropic answers have one. A piece
 * of a tool call whose block already closed (an upstream interleaving parallel calls) is written
 * with that block's index, which Anthropic's SDKs accumulate by.
 *
 * <p>Input usage is not known when {@code message_start} goes out (the upstream reports it at the
 * end), so it says 0 there and the settled figures, input and cache counts included, come in
 * {@code message_delta}, as Anthropic's own {@code message_delta} usage carries them.
 */
final class AnthropicStreamWriter implements StreamWriter {
  private static final com.fasterxml.jackson.databind.ObjectMapper BLOCKS =
      com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
  private static final byte[] PING = "event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);

  private enum Kind { TEXT, THINKING, TOOL_USE }

  private final JsonFactory json;
  private final Stamp stamp;
  /** Block index of each tool call, by the call's canonical index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private @Nullable Kind open;
  private int openIndex = -1;
  private int nextIndex;
  private @Nullable FinishReason finish;
  private @Nullable String nativeFinish;

  AnthropicStreamWriter(JsonFactory json, Stamp stamp) {
    this.json = json;
    this.stamp = stamp;
  }

  @Override
  public void appendStart(ByteArrayOutputStream out) {
    frame(out, "message_start", g -> {
      g.writeObjectFieldStart("message");
      g.writeStringField("id", stamp.id());
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeStringField("model", stamp.model());
      g.writeArrayFieldStart("content");
      g.writeEndArray();
      g.writeNullField("stop_reason");
      g.writeNullField("stop_sequence");
      AnthropicMessageFields.writeUsage(g, Usage.ZERO);
      g.writeEndObject();
    });
  }

  @Override
  public void append(ByteArrayOutputStream out, StreamEvent event) {
    switch (event) {
      case StreamEvent.TextDelta(int choice, String text) when choice == 0 && !text.isEmpty() -> {
        int index = openBlock(out, Kind.TEXT, null);
        delta(out, index, "text_delta", "text", text);
      }
      case StreamEvent.ReasoningDelta(int choice, String text) when choice == 0 && !text.isEmpty() -> {
        int index = openBlock(out, Kind.THINKING, null);
        delta(out, index, "thinking_delta", "thinking", text);
      }
      case StreamEvent.ToolCallDelta call when call.choice() == 0 -> {
        Integer index = toolBlocks.get(call.index());
        if (index == null) {
          index = openBlock(out, Kind.TOOL_USE, call);
          toolBlocks.put(call.index(), index);
        }
        if (!call.argumentsFragment().isEmpty()) {
          delta(out, index, "input_json_delta", "partial_json", call.argumentsFragment());
        }
      }
      case StreamEvent.Finish(int choice, FinishReason reason, String nativeReason) when choice == 0 -> {
        if (finish == null) {
          finish = reason;
          nativeFinish = nativeReason;
        }
      }
      case StreamEvent.ReasoningDetail(int choice, var part) when choice == 0 -> reasoningDetail(out, part.raw());
      // Usage and failures are written by the gateway once settled; the rest has no Anthropic form.
      default -> {}
    }
  }

  @Override
  public void appendEnd(ByteArrayOutputStream out, Usage usage, BigDecimal cost) {
    closeBlock(out);
    String stopReason = AnthropicMessageFields.stopReason(finish, nativeFinish, !toolBlocks.isEmpty());
    frame(out, "message_delta", g -> {
      g.writeObjectFieldStart("delta");
      g.writeStringField("stop_reason", stopReason);
      g.writeNullField("stop_sequence");
      g.writeEndObject();
      AnthropicMessageFields.writeUsage(g, usage);
    });
    frame(out, "message_stop", g -> {});
  }

  /** Anthropic's {@code error} event; the stream ends after it, as Anthropic's does. */
  @Override
  public void appendError(ByteArrayOutputStream out, GatewayException error) {
    out.writeBytes("event: error\ndata: ".getBytes(StandardCharsets.US_ASCII));
    AnthropicErrorEnvelope.write(json, out, error);
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public byte[] keepAlive() {
    return PING.clone();
  }

  /** The open block's index when it is of {@code kind} (and not another tool call), else a new block's. */
  private int openBlock(ByteArrayOutputStream out, Kind kind, StreamEvent.@Nullable ToolCallDelta call) {
    if (open == kind && kind != Kind.TOOL_USE) {
      return openIndex;
    }
    closeBlock(out);
    int index = nextIndex++;
    frame(out, "content_block_start", g -> {
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("content_block");
      switch (kind) {
        case TEXT -> {
          g.writeStringField("type", "text");
          g.writeStringField("text", "");
        }
        case THINKING -> {
          g.writeStringField("type", "thinking");
          g.writeStringField("thinking", "");
          // Anthropic's block starts with an empty signature; a signed one's comes as a
          // signature_delta when the upstream block ends.
          g.writeStringField("signature", "");
        }
        case TOOL_USE -> {
          g.writeStringField("type", "tool_use");
          // The first piece of a call carries its id and name; an upstream that left them out
          // still gets a block the client can answer.
          String id = call == null ? null : call.id();
          String name = call == null ? null : call.name();
          g.writeStringField("id", id != null ? id : "toolu_" + stamp.id() + "_" + (call == null ? 0 : call.index()));
          g.writeStringField("name", name != null ? name : "");
          g.writeObjectFieldStart("input");
          g.writeEndObject();
        }
      }
      g.writeEndObject();
    });
    open = kind;
    openIndex = index;
    return index;
  }

  /**
   * A signed thinking block ended upstream: its signature goes out as a {@code signature_delta} in
   * the thinking block being streamed, which then closes, as Anthropic's own streams do; a
   * redacted block is sent whole. Without this a client could not send the block back and an
   * Anthropic upstream would turn thinking off for the next tool turn.
   */
  private void reasoningDetail(ByteArrayOutputStream out, dev.switchboard.core.RawJson raw) {
    JsonNode block;
    try {
      block = BLOCKS.readTree(raw.json());
    } catch (IOException e) {
      return; // a detail that is not JSON has nothing to say to this dialect
    }
    String type = block.path("type").asText();
    if (type.equals("thinking") && block.hasNonNull("signature")) {
      int index = openBlock(out, Kind.THINKING, null);
      delta(out, index, "signature_delta", "signature", block.get("signature").asText());
      closeBlock(out);
    } else if (type.equals("redacted_thinking") && block.hasNonNull("data")) {
      closeBlock(out);
      int index = nextIndex++;
      frame(out, "content_block_start", g -> {
        g.writeNumberField("index", index);
        g.writeObjectFieldStart("content_block");
        g.writeStringField("type", "redacted_thinking");
        g.writeStringField("data", block.get("data").asText());
        g.writeEndObject();
      });
      frame(out, "content_block_stop", g -> g.writeNumberField("index", index));
    }
  }

  private void closeBlock(ByteArrayOutputStream out) {
    if (open == null) {
      return;
    }
    int index = openIndex;
    frame(out, "content_block_stop", g -> g.writeNumberField("index", index));
    open = null;
    openIndex = -1;
  }

  private void delta(ByteArrayOutputStream out, int index, String type, String field, String value) {
    frame(out, "content_block_delta", g -> {
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("delta");
      g.writeStringField("type", type);
      g.writeStringField(field, value);
      g.writeEndObject();
    });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** {@code event: NAME} and a data line holding {@code {"type":NAME,…}}. */
  private void frame(ByteArrayOutputStream out, String event, Body body) {
    out.writeBytes(("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", event);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }
}
