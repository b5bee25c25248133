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
 * Spells a {@link MockAnswer} as Gemini's {@code GenerateContentResponse}
 * (https://ai.google.dev/api/generate-content): one candidate whose parts are the reasoning as
 * {@code thought: true} text, then the text or one {@code functionCall} per call (without an
 * {@code id}, as the Developer API sends them; the first carries a {@code thoughtSignature}).
 * {@code finishReason} is {@code STOP} for tool calls too, as Gemini has no separate reason.
 *
 * <p>Usage follows Gemini: {@code candidatesTokenCount} excludes the thoughts, counted in {@code
 * thoughtsTokenCount} (left out when zero, as proto3 JSON does). A stream sends one whole response
 * per {@code data:} frame with only the new part: thought pieces, text pieces, one frame per call
 * (Gemini sends calls whole); every frame repeats the prompt usage, the last one adds the finish
 * reason and the full usage. There is no end marker.
 */
final class GeminiMockEncoder {
  private final JsonFactory json;

  GeminiMockEncoder(JsonFactory json) {
    this.json = json;
  }

  byte[] response(MockReply reply, MockAnswer answer, boolean withUsage) {
    List<Fields> parts = new ArrayList<>();
    if (answer.reasoning() != null) {
      parts.add(thought(answer.reasoning()));
    }
    switch (answer.output()) {
      case Text(String content) -> parts.add(g -> g.writeStringField("text", content));
      case ToolCalls(List<ToolCall> calls) -> {
        for (int i = 0; i < calls.size(); i++) {
          parts.add(functionCall(calls.get(i), i == 0));
        }
      }
    }
    return candidate(reply, parts, true, withUsage ? answer.usage() : null, true);
  }

  List<MockChunks.Event> events(MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    List<Fields> parts = new ArrayList<>();
    if (answer.reasoning() != null) {
      MockChunks.split(answer.reasoning(), pieces).forEach(piece -> parts.add(thought(piece)));
    }
    switch (answer.output()) {
      case Text(String content) -> {
        List<String> texts = MockChunks.split(content, pieces);
        for (String piece : texts.isEmpty() ? List.of("") : texts) {
          parts.add(g -> g.writeStringField("text", piece));
        }
      }
      case ToolCalls(List<ToolCall> calls) -> {
        for (int i = 0; i < calls.size(); i++) {
          parts.add(functionCall(calls.get(i), i == 0));
        }
      }
    }
    List<MockChunks.Event> events = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      boolean last = i == parts.size() - 1;
      MockAnswer.Usage counts = usage ? answer.usage() : null;
      events.add(
          MockChunks.Event.data(candidate(reply, List.of(parts.get(i)), last, counts, last)));
    }
    return events;
  }

  /**
   * The {@code google.rpc.Status} envelope; a 429 says how long to wait in a {@code RetryInfo}.
   *
   * @param reason an {@code ErrorInfo} reason to add (as for a bad API key), or null
   */
  byte[] error(int code, String message, String status, @Nullable String reason) {
    return object(
        g -> {
          g.writeObjectFieldStart("error");
          g.writeNumberField("code", code);
          g.writeStringField("message", message);
          g.writeStringField("status", status);
          if (code == 429 || reason != null) {
            g.writeArrayFieldStart("details");
            g.writeStartObject();
            if (reason != null) {
              g.writeStringField("@type", "type.googleapis.com/google.rpc.ErrorInfo");
              g.writeStringField("reason", reason);
              g.writeStringField("domain", "googleapis.com");
            } else {
              g.writeStringField("@type", "type.googleapis.com/google.rpc.RetryInfo");
              g.writeStringField("retryDelay", "1s");
            }
            g.writeEndObject();
            g.writeEndArray();
          }
          g.writeEndObject();
        });
  }

  /**
   * One response holding {@code parts}.
   *
   * @param finished whether to add the finish reason
   * @param usage null to leave {@code usageMetadata} out
   * @param complete whether the usage is the final one (else only the prompt is counted so far)
   */
  private byte[] candidate(
      MockReply reply,
      List<Fields> parts,
      boolean finished,
      MockAnswer.@Nullable Usage usage,
      boolean complete) {
    return object(
        g -> {
          g.writeArrayFieldStart("candidates");
          g.writeStartObject();
          g.writeObjectFieldStart("content");
          g.writeArrayFieldStart("parts");
          for (Fields part : parts) {
            g.writeStartObject();
            part.write(g);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeStringField("role", "model");
          g.writeEndObject();
          if (finished) {
            g.writeStringField("finishReason", "STOP");
          }
          g.writeNumberField("index", 0);
          g.writeEndObject();
          g.writeEndArray();
          if (usage != null) {
            usageMetadata(g, usage, complete);
          }
          g.writeStringField("modelVersion", reply.model());
          g.writeStringField("responseId", reply.id());
        });
  }

  private static void usageMetadata(JsonGenerator g, MockAnswer.Usage usage, boolean complete)
      throws IOException {
    g.writeObjectFieldStart("usageMetadata");
    g.writeNumberField("promptTokenCount", usage.promptTokens());
    if (complete) {
      int thoughts = usage.reasoningTokens();
      g.writeNumberField("candidatesTokenCount", usage.completionTokens() - thoughts);
      g.writeNumberField("totalTokenCount", usage.totalTokens());
      if (thoughts > 0) {
        g.writeNumberField("thoughtsTokenCount", thoughts);
      }
    } else {
      g.writeNumberField("totalTokenCount", usage.promptTokens());
    }
    g.writeEndObject();
  }

  private static Fields thought(String text) {
    return g -> {
      g.writeStringField("text", text);
      g.writeBooleanField("thought", true);
    };
  }

  private static Fields functionCall(ToolCall call, boolean signed) {
    return g -> {
      g.writeObjectFieldStart("functionCall");
      g.writeStringField("name", call.name());
      g.writeFieldName("args");
      g.writeRawValue(call.arguments());
      g.writeEndObject();
      if (signed) {
        g.writeStringField("thoughtSignature", MockSignatures.of(call.name()));
      }
    };
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
