package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical stream events as OpenRouter {@code chat.completion.chunk} SSE frames.
 *
 * <p>One instance per stream: it remembers which choices announced their role and which tool calls
 * their id and name, so each appears once. Frames are appended to a caller-owned buffer so one
 * upstream read becomes one write to the client. Chunks never carry {@code null} optional fields:
 * strict clients reject them. {@code finish_reason} is the exception: both OpenAI's and
 * OpenRouter's chunk schemas require it (nullable), and OpenRouter's SDK rejects a choice that
 * leaves it out, so every choice but the finishing one says {@code "finish_reason":null}.
 */
public final class OpenAiChunkWriter implements StreamWriter {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] PROCESSING = ": SWITCHBOARD PROCESSING\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INDEX_FIELD = ascii("\"choices\":[{\"index\":");
  private static final byte[] DELTA_OPEN = ascii(",\"delta\":{");
  private static final byte[] ROLE = ascii("\"role\":\"assistant\",");
  private static final byte[] CONTENT = ascii("\"content\":\"");
  private static final byte[] REASONING = ascii("\"reasoning\":\"");
  private static final byte[] DELTA_CLOSE = ascii("\"},\"finish_reason\":null}]}\n\n");

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private final JsonFactory json;
  private final Stamp stamp;
  private final java.util.BitSet roleSent = new java.util.BitSet();
  /** Tool calls, as (choice, index), whose id and type were already written. */
  private final java.util.Set<Long> idSent = new java.util.HashSet<>();
  /** Tool calls, as (choice, index), whose name was already written. */
  private final java.util.Set<Long> nameSent = new java.util.HashSet<>();
  /** Reasoning details written so far, by choice. */
  private final Map<Integer, Integer> detailCounts = new java.util.HashMap<>();
  /**
   * {@code data: {"id":…,"created":…,"choices":[{"index":}: what every text delta of this stream
   * starts with, encoded on the first delta. Text deltas are nearly all of a stream's frames, so they
   * are spliced from it instead of going through a generator each (see {@link #textDelta}).
   */
  private byte @Nullable [] deltaHead;

  public OpenAiChunkWriter(JsonFactory json, Stamp stamp) {
    this.json = json;
    this.stamp = stamp;
  }

  /**
   * Appends the frames for {@code event}. {@link StreamEvent.Started}, {@link
   * StreamEvent.UsageReport} and {@link StreamEvent.Failure} write nothing: the gateway writes
   * usage and errors itself once it has settled the cost.
   */
  @Override
  public void append(ByteArrayOutputStream out, StreamEvent event) {
    switch (event) {
      case StreamEvent.TextDelta(int choice, String text) -> textDelta(out, choice, CONTENT, text);
      case StreamEvent.ReasoningDelta(int choice, String text) -> textDelta(out, choice, REASONING, text);
      case StreamEvent.ToolCallDelta call -> toolCall(out, call);
      case StreamEvent.ReasoningDetail(int choice, var part) -> reasoningDetail(out, choice, part);
      case StreamEvent.Logprobs(int choice, var logprobs) -> choiceFrame(out, g -> {
        startChoice(g, choice);
        g.writeObjectFieldStart("delta");
        writeRole(g, choice);
        g.writeEndObject();
        g.writeNullField("finish_reason");
        g.writeFieldName("logprobs");
        g.writeRawValue(logprobs.json());
        g.writeEndObject();
      });
      case StreamEvent.Finish(int choice, var reason, var nativeReason) -> choiceFrame(out, g -> {
        startChoice(g, choice);
        g.writeObjectFieldStart("delta");
        // A choice that finishes without any content still announces its role once.
        writeRole(g, choice);
        g.writeEndObject();
        g.writeStringField("finish_reason", reason.wireName());
        if (nativeReason != null) {
          g.writeStringField("native_finish_reason", nativeReason);
        }
        g.writeEndObject();
      });
      case StreamEvent.Started started -> {}
      case StreamEvent.UsageReport usage -> {}
      case StreamEvent.Failure failure -> {}
    }
  }

  /** The usage chunk, then {@code data: [DONE]}. */
  @Override
  public void appendEnd(ByteArrayOutputStream out, Usage usage, BigDecimal cost) {
    appendUsage(out, usage, cost);
    out.writeBytes(DONE);
  }

  @Override
  public void appendError(ByteArrayOutputStream out, GatewayException error) {
    appendError(out, error.status(), error.getMessage(), error.metadata());
  }

  @Override
  public byte[] keepAlive() {
    return PROCESSING;
  }

  /** The final chunk: no choices, only {@code usage} with its cost. */
  public void appendUsage(ByteArrayOutputStream out, Usage usage, BigDecimal cost) {
    frame(out, g -> {
      g.writeArrayFieldStart("choices");
      g.writeEndArray();
      UsageJson.write(g, usage, cost);
    });
  }

  /**
   * A mid-stream failure: a top-level {@code error} and a choice finishing with {@code error}. The
   * error's {@code metadata} always carries OpenRouter's {@code error_type} for {@code code}.
   */
  public void appendError(ByteArrayOutputStream out, int code, String message, Map<String, Object> metadata) {
    frame(out, g -> {
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", code);
      g.writeStringField("message", message);
      // OpenRouter types every error; its SDK requires metadata.error_type on a mid-stream error.
      Map<String, Object> typed = new java.util.LinkedHashMap<>();
      typed.put("error_type", ErrorTypes.of(code));
      typed.putAll(metadata);
      g.writeFieldName("metadata");
      MetadataJson.write(g, typed);
      g.writeEndObject();
      g.writeArrayFieldStart("choices");
      g.writeStartObject();
      g.writeNumberField("index", 0);
      g.writeObjectFieldStart("delta");
      g.writeStringField("content", "");
      g.writeEndObject();
      g.writeStringField("finish_reason", "error");
      g.writeEndObject();
      g.writeEndArray();
    });
  }

  /**
   * A text or reasoning delta, byte for byte what {@link #delta} writes: the cached head, the index,
   * the role when due, the field and the JSON-escaped text (by Jackson's own encoder), the tail.
   */
  private void textDelta(ByteArrayOutputStream out, int choice, byte[] field, String text) {
    byte[] quoted;
    try {
      quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    } catch (IllegalArgumentException unpairedSurrogate) {
      // Jackson's generator reports it as an IOException; keep that path's behaviour.
      delta(out, choice, field == CONTENT ? "content" : "reasoning", text);
      return;
    }
    byte[] head = deltaHead;
    if (head == null) {
      head = encodeDeltaHead();
      deltaHead = head;
    }
    out.writeBytes(head);
    writeAscii(out, Integer.toString(choice));
    out.writeBytes(DELTA_OPEN);
    if (!roleSent.get(choice)) {
      roleSent.set(choice);
      out.writeBytes(ROLE);
    }
    out.writeBytes(field);
    out.writeBytes(quoted);
    out.writeBytes(DELTA_CLOSE);
  }

  /** The generic writer's own frame for choice 0, cut after its {@code "index":}. */
  private byte[] encodeDeltaHead() {
    var frame = new ByteArrayOutputStream(256);
    choiceFrame(frame, g -> {
      startChoice(g, 0);
      g.writeEndObject();
    });
    byte[] bytes = frame.toByteArray();
    // Escaped string values cannot contain this (their quotes are backslashed): the first match is
    // the field itself.
    int at = indexOf(bytes, INDEX_FIELD);
    return java.util.Arrays.copyOf(bytes, at + INDEX_FIELD.length);
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= bytes.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("no " + new String(part, StandardCharsets.US_ASCII) + " in a chunk frame");
  }

  private static void writeAscii(ByteArrayOutputStream out, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      out.write(ascii.charAt(i));
    }
  }

  private void delta(ByteArrayOutputStream out, int choice, String field, String text) {
    choiceFrame(out, g -> {
      startChoice(g, choice);
      g.writeObjectFieldStart("delta");
      writeRole(g, choice);
      g.writeStringField(field, text);
      g.writeEndObject();
      g.writeNullField("finish_reason");
      g.writeEndObject();
    });
  }

  /** One {@code reasoning_details} entry, indexed by its position among the choice's details. */
  private void reasoningDetail(ByteArrayOutputStream out, int choice, ContentPart part) {
    int index = detailCounts.getOrDefault(choice, 0);
    ObjectNode detail = ReasoningDetailsJson.detail(part, index);
    if (detail == null) {
      return;
    }
    detailCounts.put(choice, index + 1);
    choiceFrame(out, g -> {
      startChoice(g, choice);
      g.writeObjectFieldStart("delta");
      writeRole(g, choice);
      g.writeArrayFieldStart("reasoning_details");
      g.writeRawValue(detail.toString());
      g.writeEndArray();
      g.writeEndObject();
      g.writeNullField("finish_reason");
      g.writeEndObject();
    });
  }

  private void toolCall(ByteArrayOutputStream out, StreamEvent.ToolCallDelta call) {
    choiceFrame(out, g -> {
      startChoice(g, call.choice());
      g.writeObjectFieldStart("delta");
      writeRole(g, call.choice());
      g.writeArrayFieldStart("tool_calls");
      g.writeStartObject();
      g.writeNumberField("index", call.index());
      // Id, type and name are written once per call, even when the upstream repeats them on
      // every piece: clients that concatenate deltas would otherwise build "get_weatherget_weather".
      long key = ((long) call.choice() << 32) | (call.index() & 0xffffffffL);
      if (call.id() != null && idSent.add(key)) {
        g.writeStringField("id", call.id());
        g.writeStringField("type", "function");
      }
      g.writeObjectFieldStart("function");
      if (call.name() != null && nameSent.add(key)) {
        g.writeStringField("name", call.name());
      }
      g.writeStringField("arguments", call.argumentsFragment());
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeNullField("finish_reason");
      g.writeEndObject();
    });
  }

  private void writeRole(JsonGenerator g, int choice) throws IOException {
    if (!roleSent.get(choice)) {
      roleSent.set(choice);
      g.writeStringField("role", "assistant");
    }
  }

  /** Opens {@code "choices":[{"index":N,} … the caller closes the choice object. */
  private static void startChoice(JsonGenerator g, int choice) throws IOException {
    g.writeArrayFieldStart("choices");
    g.writeStartObject();
    g.writeNumberField("index", choice);
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** A chunk whose body opened the {@code choices} array (see {@link #startChoice}). */
  private void choiceFrame(ByteArrayOutputStream out, Body body) {
    frame(out, g -> {
      body.write(g);
      g.writeEndArray();
    });
  }

  private void frame(ByteArrayOutputStream out, Body body) {
    out.writeBytes(DATA);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", stamp.id());
      g.writeStringField("provider", stamp.provider());
      g.writeStringField("model", stamp.model());
      g.writeStringField("object", "chat.completion.chunk");
      g.writeNumberField("created", stamp.created());
      if (stamp.systemFingerprint() != null) {
        g.writeStringField("system_fingerprint", stamp.systemFingerprint());
      }
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes(END);
  }
}
