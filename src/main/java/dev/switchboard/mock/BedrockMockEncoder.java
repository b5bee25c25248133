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
import org.jspecify.annotations.Nullable;

/**
 * Spells a {@link MockAnswer} as Bedrock's Converse API does
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html and
 * API_runtime_ConverseStream.html): a {@code {output: {message}, stopReason, usage, metrics}} body,
 * or the stream's event-stream messages.
 *
 * <p>Content blocks, in order: a {@code reasoningContent} block ({@code reasoningText} with its
 * {@code signature}) when there is reasoning, then one {@code text} block or one {@code toolUse}
 * block per call (ids {@code tooluse_<call id>}, {@code input} a JSON object). Stop reasons are
 * {@code end_turn} and {@code tool_use}. Usage is {@code inputTokens}, {@code outputTokens}
 * (thinking included, as Claude counts it) and {@code totalTokens}; no cache counts, as Bedrock
 * leaves them out when no cache point was used.
 *
 * <p>The stream is {@code messageStart}; per block {@code contentBlockDelta}s and a {@code
 * contentBlockStop}, tool blocks opening with a {@code contentBlockStart} that names the call (the
 * only blocks that have one); {@code messageStop} with the stop reason; and {@code metadata} with
 * usage and metrics, after the stop. Reasoning streams as {@code reasoningContent.text} pieces and
 * one {@code reasoningContent.signature}; a call's input as {@code toolUse.input} JSON fragments,
 * none at all for empty input (as Bedrock sends a call without arguments). Every payload carries
 * Bedrock's {@code p} padding field, of varying length.
 */
final class BedrockMockEncoder {
  private static final String PADDING =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final int LATENCY_MS = 42;

  private final JsonFactory json;

  BedrockMockEncoder(JsonFactory json) {
    this.json = json;
  }

  byte[] response(MockAnswer answer, boolean withUsage) {
    return object(
        g -> {
          g.writeObjectFieldStart("output");
          g.writeObjectFieldStart("message");
          g.writeStringField("role", "assistant");
          g.writeArrayFieldStart("content");
          if (answer.reasoning() != null) {
            g.writeStartObject();
            g.writeObjectFieldStart("reasoningContent");
            g.writeObjectFieldStart("reasoningText");
            g.writeStringField("text", answer.reasoning());
            g.writeStringField("signature", MockSignatures.of(answer.reasoning()));
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
          }
          switch (answer.output()) {
            case Text(String content) -> {
              g.writeStartObject();
              g.writeStringField("text", content);
              g.writeEndObject();
            }
            case ToolCalls(List<ToolCall> calls) -> {
              for (ToolCall call : calls) {
                g.writeStartObject();
                g.writeObjectFieldStart("toolUse");
                g.writeStringField("toolUseId", toolUseId(call));
                g.writeStringField("name", call.name());
                g.writeFieldName("input");
                g.writeRawValue(call.arguments());
                g.writeEndObject();
                g.writeEndObject();
              }
            }
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeEndObject();
          g.writeStringField("stopReason", stopReason(answer));
          if (withUsage) {
            usage(g, answer.usage());
          }
          metrics(g);
        });
  }

  List<BedrockMockMessage> events(MockAnswer answer, int pieces, boolean withUsage) {
    List<BedrockMockMessage> events = new ArrayList<>();
    events.add(event(events, "messageStart", g -> g.writeStringField("role", "assistant")));
    int index = 0;
    if (answer.reasoning() != null) {
      String reasoning = answer.reasoning();
      for (String piece : MockChunks.split(reasoning, pieces)) {
        delta(events, index, "reasoningContent", g -> g.writeStringField("text", piece));
      }
      String signature = MockSignatures.of(reasoning);
      delta(events, index, "reasoningContent", g -> g.writeStringField("signature", signature));
      blockStop(events, index++);
    }
    switch (answer.output()) {
      case Text(String content) -> {
        for (String piece : MockChunks.split(content, pieces)) {
          int at = index;
          events.add(
              event(
                  events,
                  "contentBlockDelta",
                  g -> {
                    g.writeNumberField("contentBlockIndex", at);
                    g.writeObjectFieldStart("delta");
                    g.writeStringField("text", piece);
                    g.writeEndObject();
                  }));
        }
        blockStop(events, index);
      }
      case ToolCalls(List<ToolCall> calls) -> {
        for (ToolCall call : calls) {
          int at = index++;
          events.add(
              event(
                  events,
                  "contentBlockStart",
                  g -> {
                    g.writeNumberField("contentBlockIndex", at);
                    g.writeObjectFieldStart("start");
                    g.writeObjectFieldStart("toolUse");
                    g.writeStringField("toolUseId", toolUseId(call));
                    g.writeStringField("name", call.name());
                    g.writeEndObject();
                    g.writeEndObject();
                  }));
          if (!call.arguments().equals("{}")) {
            for (String piece : MockChunks.split(call.arguments(), pieces)) {
              delta(events, at, "toolUse", g -> g.writeStringField("input", piece));
            }
          }
          blockStop(events, at);
        }
      }
    }
    events.add(
        event(events, "messageStop", g -> g.writeStringField("stopReason", stopReason(answer))));
    events.add(
        event(
            events,
            "metadata",
            g -> {
              if (withUsage) {
                usage(g, answer.usage());
              }
              metrics(g);
            }));
    return events;
  }

  /**
   * The exception a stream ends with, for a status or by default {@code modelStreamErrorException}
   * (the model failed mid-answer), whose payload also carries the model's own status and message.
   */
  BedrockMockMessage exception(@Nullable Integer status, String message) {
    String type = status == null ? "modelStreamErrorException" : streamExceptionType(status);
    return BedrockMockMessage.exception(
        type,
        object(
            g -> {
              g.writeStringField("message", message);
              if (type.equals("modelStreamErrorException")) {
                g.writeNumberField("originalStatusCode", 500);
                g.writeStringField("originalMessage", "Mock model failure");
              }
            }));
  }

  /** Bedrock's error body, {@code {"message": "..."}}; the type goes in a header. */
  byte[] error(String message) {
    return object(g -> g.writeStringField("message", message));
  }

  /** The {@code :exception-type} of a stream failure with this status. */
  static String streamExceptionType(int status) {
    return switch (status) {
      case 400 -> "validationException";
      case 408 -> "modelTimeoutException";
      case 424 -> "modelStreamErrorException";
      case 429 -> "throttlingException";
      case 503 -> "serviceUnavailableException";
      default -> status >= 500 ? "internalServerException" : "validationException";
    };
  }

  private void delta(List<BedrockMockMessage> events, int index, String kind, Fields value) {
    events.add(
        event(
            events,
            "contentBlockDelta",
            g -> {
              g.writeNumberField("contentBlockIndex", index);
              g.writeObjectFieldStart("delta");
              g.writeObjectFieldStart(kind);
              value.write(g);
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  private void blockStop(List<BedrockMockMessage> events, int index) {
    events.add(
        event(events, "contentBlockStop", g -> g.writeNumberField("contentBlockIndex", index)));
  }

  /**
   * An event whose payload ends with Bedrock's {@code p} padding (which hides the length of the
   * text); its length varies with the event's position, deterministically.
   */
  private BedrockMockMessage event(List<BedrockMockMessage> sofar, String type, Fields fields) {
    int length = 1 + (sofar.size() * 11) % PADDING.length();
    return BedrockMockMessage.event(
        type,
        object(
            g -> {
              fields.write(g);
              g.writeStringField("p", PADDING.substring(0, length));
            }));
  }

  private static void usage(JsonGenerator g, MockAnswer.Usage usage) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("inputTokens", usage.promptTokens());
    g.writeNumberField("outputTokens", usage.completionTokens());
    g.writeNumberField("totalTokens", usage.totalTokens());
    g.writeEndObject();
  }

  private static void metrics(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("metrics");
    g.writeNumberField("latencyMs", LATENCY_MS);
    g.writeEndObject();
  }

  /** Bedrock's tool-use ids start with {@code tooluse_}; the rest keeps the answer's numbering. */
  static String toolUseId(ToolCall call) {
    return "tooluse_" + call.id();
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
