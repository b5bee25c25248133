package dev.switchboard.http.completions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.ErrorTypes;
import dev.switchboard.http.openai.MetadataJson;
import dev.switchboard.http.openai.OpenAiChunkWriter;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.http.openai.UsageJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical stream events as legacy {@code text_completion} SSE chunks: one per text delta,
 * one with the finish reason, then the usage chunk and {@code data: [DONE]}. Only choice 0 is
 * written, and only its text: reasoning and tool calls have no place in this format. Every choice
 * carries {@code finish_reason} and {@code logprobs}, as null until the end, because the schema
 * requires both. One instance per stream, not thread-safe.
 */
final class CompletionsChunkWriter implements StreamWriter {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private final JsonFactory json;
  private final Stamp stamp;

  CompletionsChunkWriter(JsonFactory json, Stamp stamp) {
    this.json = json;
    this.stamp = stamp;
  }

  @Override
  public void append(ByteArrayOutputStream out, StreamEvent event) {
    switch (event) {
      case StreamEvent.TextDelta(int choice, String text) when choice == 0 && !text.isEmpty() ->
          choice(out, text, null, null);
      case StreamEvent.Finish(int choice, FinishReason reason, String nativeReason) when choice == 0 ->
          choice(out, "", reason.wireName(), nativeReason);
      // Legacy completions have no reasoning at all.
      case StreamEvent.ReasoningDetail detail -> {}
      default -> {}
    }
  }

  /** The usage chunk (no choices), then {@code data: [DONE]}. */
  @Override
  public void appendEnd(ByteArrayOutputStream out, Usage usage, BigDecimal cost) {
    frame(out, g -> {
      g.writeArrayFieldStart("choices");
      g.writeEndArray();
      UsageJson.write(g, usage, cost);
    });
    out.writeBytes(OpenAiChunkWriter.DONE);
  }

  /**
   * A top-level {@code error} (OpenRouter's shape, with {@code metadata.error_type}) and the choice
   * finishing with {@code error}; the OpenAI SDKs raise the top-level error.
   */
  @Override
  public void appendError(ByteArrayOutputStream out, GatewayException error) {
    frame(out, g -> {
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", error.status());
      g.writeStringField("message", error.getMessage());
      Map<String, Object> typed = new LinkedHashMap<>();
      typed.put("error_type", ErrorTypes.of(error.status()));
      typed.putAll(error.metadata());
      g.writeFieldName("metadata");
      MetadataJson.write(g, typed);
      g.writeEndObject();
      writeChoices(g, "", "error", null);
    });
  }

  @Override
  public byte[] keepAlive() {
    return OpenAiChunkWriter.PROCESSING;
  }

  private void choice(ByteArrayOutputStream out, String text, @Nullable String finishReason,
      @Nullable String nativeReason) {
    frame(out, g -> writeChoices(g, text, finishReason, nativeReason));
  }

  private static void writeChoices(JsonGenerator g, String text, @Nullable String finishReason,
      @Nullable String nativeReason) throws IOException {
    g.writeArrayFieldStart("choices");
    g.writeStartObject();
    g.writeStringField("text", text);
    g.writeNumberField("index", 0);
    if (finishReason != null) {
      g.writeStringField("finish_reason", finishReason);
    } else {
      g.writeNullField("finish_reason");
    }
    if (nativeReason != null) {
      g.writeStringField("native_finish_reason", nativeReason);
    }
    g.writeNullField("logprobs");
    g.writeEndObject();
    g.writeEndArray();
  }

  private void frame(ByteArrayOutputStream out, Body body) {
    out.writeBytes(DATA);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      CompletionsResponseWriter.writeHeader(g, stamp);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes(END);
  }
}
