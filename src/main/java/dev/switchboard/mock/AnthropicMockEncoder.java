package dev.switchboard.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.mock.MockAnswer.Text;
import dev.switchboard.mock.MockAnswer.ToolCall;
import dev.switchboard.mock.MockAnswer.ToolCalls;
import dev.switchboard.mock.OpenAiMockEncoder.Fields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spells a {@link MockAnswer} as Anthropic's Messages API does
 * (https://docs.claude.com/en/api/messages, https://docs.claude.com/en/docs/build-with-claude/streaming):
 * a {@code message} object, or the stream's named events.
 *
 * <p>Content blocks, in order: a {@code thinking} block with its {@code signature} when there is
 * reasoning, then one {@code text} block or one {@code tool_use} block per call (ids {@code
 * toolu_<call id>}). The stream is {@code message_start} (input usage, {@code output_tokens: 1}),
 * per block {@code content_block_start}, deltas ({@code thinking_delta}s then one {@code
 * signature_delta}; {@code text_delta}s; {@code input_json_delta}s, the first one empty as
 * Anthropic sends it) and {@code content_block_stop}, a {@code ping} after the first block start,
 * then {@code message_delta} (stop reason, cumulative output usage) and {@code message_stop}.
 */
final class AnthropicMockEncoder {
  private final JsonFactory json;

  AnthropicMockEncoder(JsonFactory json) {
    this.json = json;
  }

  byte[] message(MockReply reply, MockAnswer answer, boolean withUsage) {
    return object(
        g -> {
          messageHeader(g, reply);
          g.writeArrayFieldStart("content");
          if (answer.reasoning() != null) {
            g.writeStartObject();
            g.writeStringField("type", "thinking");
            g.writeStringField("thinking", answer.reasoning());
            g.writeStringField("signature", MockSignatures.of(answer.reasoning()));
            g.writeEndObject();
          }
          switch (answer.output()) {
            case Text(String content) -> {
              g.writeStartObject();
              g.writeStringField("type", "text");
              g.writeStringField("text", content);
              g.writeEndObject();
            }
            case ToolCalls(List<ToolCall> calls) -> {
              for (ToolCall call : calls) {
                g.writeStartObject();
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", toolId(call));
                g.writeStringField("name", call.name());
                g.writeFieldName("input");
                g.writeRawValue(call.arguments());
                g.writeEndObject();
              }
            }
          }
          g.writeEndArray();
          g.writeStringField("stop_reason", stopReason(answer));
          g.writeNullField("stop_sequence");
          if (withUsage) {
            usage(g, answer.usage().promptTokens(), answer.usage().completionTokens());
          }
        });
  }

  List<MockChunks.Event> events(MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    List<MockChunks.Event> events = new ArrayList<>();
    events.add(
        event(
            "message_start",
            g -> {
              g.writeObjectFieldStart("message");
              messageHeader(g, reply);
              g.writeArrayFieldStart("content");
              g.writeEndArray();
              g.writeNullField("stop_reason");
              g.writeNullField("stop_sequence");
              if (usage) {
                usage(g, answer.usage().promptTokens(), 1);
              }
              g.writeEndObject();
            }));
    int index = 0;
    if (answer.reasoning() != null) {
      String thinking = answer.reasoning();
      blockStart(events, index, g -> {
        g.writeStringField("type", "thinking");
        g.writeStringField("thinking", "");
        g.writeStringField("signature", "");
      });
      for (String piece : MockChunks.split(thinking, pieces)) {
        delta(events, index, "thinking_delta", "thinking", piece);
      }
      delta(events, index, "signature_delta", "signature", MockSignatures.of(thinking));
      blockStop(events, index++);
    }
    switch (answer.output()) {
      case Text(String content) -> {
        blockStart(events, index, g -> {
          g.writeStringField("type", "text");
          g.writeStringField("text", "");
        });
        for (String piece : MockChunks.split(content, pieces)) {
          delta(events, index, "text_delta", "text", piece);
        }
        blockStop(events, index);
      }
      case ToolCalls(List<ToolCall> calls) -> {
        for (ToolCall call : calls) {
          int at = index++;
          blockStart(events, at, g -> {
            g.writeStringField("type", "tool_use");
            g.writeStringField("id", toolId(call));
            g.writeStringField("name", call.name());
            g.writeObjectFieldStart("input");
            g.writeEndObject();
          });
          delta(events, at, "input_json_delta", "partial_json", "");
          for (String piece : MockChunks.split(call.arguments(), pieces)) {
            delta(events, at, "input_json_delta", "partial_json", piece);
          }
          blockStop(events, at);
        }
      }
    }
    events.add(
        event(
            "message_delta",
            g -> {
              g.writeObjectFieldStart("delta");
              g.writeStringField("stop_reason", stopReason(answer));
              g.writeNullField("stop_sequence");
              g.writeEndObject();
              if (usage) {
                g.writeObjectFieldStart("usage");
                g.writeNumberField("output_tokens", answer.usage().completionTokens());
                g.writeEndObject();
              }
            }));
    events.add(event("message_stop", g -> {}));
    return events;
  }

  /** {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}}. */
  byte[] error(String type, String message) {
    return object(
        g -> {
          g.writeStringField("type", "error");
          g.writeObjectFieldStart("error");
          g.writeStringField("type", type);
          g.writeStringField("message", message);
          g.writeEndObject();
          g.writeStringField("request_id", "req_mock");
        });
  }

  private void blockStart(List<MockChunks.Event> events, int index, Fields block) {
    events.add(
        event(
            "content_block_start",
            g -> {
              g.writeNumberField("index", index);
              g.writeObjectFieldStart("content_block");
              block.write(g);
              g.writeEndObject();
            }));
    if (index == 0) {
      // Anthropic sends a ping early in every stream; clients must skip it.
      events.add(event("ping", g -> {}));
    }
  }

  private void delta(
      List<MockChunks.Event> events, int index, String type, String field, String value) {
    events.add(
        event(
            "content_block_delta",
            g -> {
              g.writeNumberField("index", index);
              g.writeObjectFieldStart("delta");
              g.writeStringField("type", type);
              g.writeStringField(field, value);
              g.writeEndObject();
            }));
  }

  private void blockStop(List<MockChunks.Event> events, int index) {
    events.add(event("content_block_stop", g -> g.writeNumberField("index", index)));
  }

  /** An event whose data repeats its name as {@code type}, as Anthropic's always does. */
  private MockChunks.Event event(String type, Fields fields) {
    return new MockChunks.Event(
        type,
        object(
            g -> {
              g.writeStringField("type", type);
              fields.write(g);
            }));
  }

  private static void messageHeader(JsonGenerator g, MockReply reply) throws IOException {
    g.writeStringField("id", reply.id());
    g.writeStringField("type", "message");
    g.writeStringField("role", "assistant");
    g.writeStringField("model", reply.model());
  }

  private static void usage(JsonGenerator g, int input, int output) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("input_tokens", input);
    g.writeNumberField("cache_creation_input_tokens", 0);
    g.writeNumberField("cache_read_input_tokens", 0);
    g.writeNumberField("output_tokens", output);
    g.writeEndObject();
  }

  /** Anthropic's tool-use ids start with {@code toolu_}; the rest keeps the answer's numbering. */
  static String toolId(ToolCall call) {
    return "toolu_" + call.id();
  }

  private static String stopReason(MockAnswer answer) {
    return answer.output() instanceof ToolCalls ? "tool_use" : "end_turn";
  }

  private byte[] object(Fields body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
