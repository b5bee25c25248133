package dev.switchboard.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.mock.MockAnswer.Text;
import dev.switchboard.mock.MockAnswer.ToolCall;
import dev.switchboard.mock.MockAnswer.ToolCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Spells a {@link MockAnswer} the way OpenAI's chat completions do, as a whole body or as stream
 * chunk payloads. Writes with Jackson's generator directly, since this is the load-test hot path.
 */
final class OpenAiMockEncoder {
  /** Writes fields into the JSON object that is open. */
  @FunctionalInterface
  interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private final JsonFactory json;

  OpenAiMockEncoder(JsonFactory json) {
    this.json = json;
  }

  byte[] completion(MockReply reply, MockAnswer answer, boolean withUsage) {
    return object(
        g -> {
          header(g, reply, "chat.completion");
          g.writeArrayFieldStart("choices");
          g.writeStartObject();
          g.writeNumberField("index", 0);
          g.writeObjectFieldStart("message");
          g.writeStringField("role", "assistant");
          switch (answer.output()) {
            case Text(String content) -> g.writeStringField("content", content);
            case ToolCalls calls -> g.writeNullField("content");
          }
          g.writeNullField("refusal");
          if (answer.reasoning() != null) {
            g.writeStringField("reasoning", answer.reasoning());
          }
          if (answer.output() instanceof ToolCalls(List<ToolCall> calls)) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall call : calls) {
              g.writeStartObject();
              g.writeStringField("id", call.id());
              g.writeStringField("type", "function");
              g.writeObjectFieldStart("function");
              g.writeStringField("name", call.name());
              g.writeStringField("arguments", call.arguments());
              g.writeEndObject();
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
          g.writeNullField("logprobs");
          g.writeStringField("finish_reason", finishReason(answer));
          g.writeEndObject();
          g.writeEndArray();
          if (withUsage) {
            usage(g, answer.usage());
          }
        });
  }

  List<byte[]> chunks(MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    List<Fields> deltas = deltas(answer, pieces);
    List<byte[]> chunks = new ArrayList<>(deltas.size() + 2);
    for (int i = 0; i < deltas.size(); i++) {
      Fields delta = deltas.get(i);
      Fields withRole =
          i > 0
              ? delta
              : g -> {
                g.writeStringField("role", "assistant");
                delta.write(g);
              };
      chunks.add(chunk(reply, withRole, null, usage));
    }
    chunks.add(chunk(reply, g -> {}, finishReason(answer), usage));
    if (usage) {
      chunks.add(
          object(
              g -> {
                header(g, reply, "chat.completion.chunk");
                g.writeArrayFieldStart("choices");
                g.writeEndArray();
                usage(g, answer.usage());
              }));
    }
    return chunks;
  }

  private static List<Fields> deltas(MockAnswer answer, int pieces) {
    List<Fields> deltas = new ArrayList<>();
    if (answer.reasoning() != null) {
      for (String piece : MockChunks.split(answer.reasoning(), pieces)) {
        deltas.add(g -> g.writeStringField("reasoning", piece));
      }
    }
    switch (answer.output()) {
      case Text(String content) -> {
        List<String> parts = MockChunks.split(content, pieces);
        for (String piece : parts.isEmpty() ? List.of("") : parts) {
          deltas.add(g -> g.writeStringField("content", piece));
        }
      }
      case ToolCalls(List<ToolCall> calls) -> {
        for (int index = 0; index < calls.size(); index++) {
          ToolCall call = calls.get(index);
          int at = index;
          deltas.add(g -> toolCallDelta(g, at, call, ""));
          for (String piece : MockChunks.split(call.arguments(), pieces)) {
            deltas.add(g -> toolCallDelta(g, at, null, piece));
          }
        }
      }
    }
    return deltas;
  }

  // The opening delta of a call names it and has empty arguments; later ones carry only the index
  // and an arguments fragment, exactly as OpenAI streams them.
  private static void toolCallDelta(
      JsonGenerator g, int index, @Nullable ToolCall opening, String args) throws IOException {
    g.writeArrayFieldStart("tool_calls");
    g.writeStartObject();
    g.writeNumberField("index", index);
    if (opening != null) {
      g.writeStringField("id", opening.id());
      g.writeStringField("type", "function");
    }
    g.writeObjectFieldStart("function");
    if (opening != null) {
      g.writeStringField("name", opening.name());
    }
    g.writeStringField("arguments", args);
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
  }

  private byte[] chunk(MockReply reply, Fields delta, @Nullable String finishReason, boolean usage) {
    return object(
        g -> {
          header(g, reply, "chat.completion.chunk");
          g.writeArrayFieldStart("choices");
          g.writeStartObject();
          g.writeNumberField("index", 0);
          g.writeObjectFieldStart("delta");
          delta.write(g);
          g.writeEndObject();
          g.writeNullField("logprobs");
          if (finishReason == null) {
            g.writeNullField("finish_reason");
          } else {
            g.writeStringField("finish_reason", finishReason);
          }
          g.writeEndObject();
          g.writeEndArray();
          if (usage) {
            // OpenAI marks every chunk but the last with "usage":null when usage was requested.
            g.writeNullField("usage");
          }
        });
  }

  private static void header(JsonGenerator g, MockReply reply, String object) throws IOException {
    g.writeStringField("id", reply.id());
    g.writeStringField("object", object);
    g.writeNumberField("created", reply.created());
    g.writeStringField("model", reply.model());
    g.writeStringField("system_fingerprint", OpenAiMockWire.FINGERPRINT);
  }

  private static void usage(JsonGenerator g, MockAnswer.Usage usage) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", usage.promptTokens());
    g.writeNumberField("completion_tokens", usage.completionTokens());
    g.writeNumberField("total_tokens", usage.totalTokens());
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", 0);
    g.writeEndObject();
    g.writeObjectFieldStart("completion_tokens_details");
    g.writeNumberField("reasoning_tokens", usage.reasoningTokens());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String finishReason(MockAnswer answer) {
    return answer.output() instanceof ToolCalls ? "tool_calls" : "stop";
  }

  byte[] object(Fields body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
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
