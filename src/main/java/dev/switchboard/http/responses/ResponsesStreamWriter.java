package dev.switchboard.http.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.OpenAiChunkWriter;
import dev.switchboard.http.openai.Stamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical stream events as OpenAI Responses SSE events ({@code event: TYPE} and {@code
 * data: {…,"type":TYPE,"sequence_number":N}}).
 *
 * <p>Design: the writer keeps the output items it has opened, in output order. A reasoning or
 * message item stays open while its deltas keep coming and is closed ({@code …done} events) when
 * another kind of output starts; function calls stay open until the choice finishes, since
 * providers may interleave the argument pieces of parallel calls. At the end every open item is
 * closed and the whole answer is sent again in {@code response.completed} (or {@code
 * response.incomplete}), which is what SDK accumulators keep. Only choice 0 is written: the
 * Responses API has one answer per response. One instance per stream, not thread-safe.
 */
final class ResponsesStreamWriter implements StreamWriter {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private enum Kind { REASONING, MESSAGE, CALL }

  /** One output item being streamed. */
  private static final class Slot {
    final Kind kind;
    final int index;
    final String id;
    final StringBuilder text = new StringBuilder();
    String callId = "";
    String name = "";
    boolean open = true;

    Slot(Kind kind, int index, String id) {
      this.kind = kind;
      this.index = index;
      this.id = id;
    }

    OutputItem item() {
      return switch (kind) {
        case REASONING -> new OutputItem.Reasoning(id, text.toString());
        case MESSAGE -> new OutputItem.AssistantMessage(id, text.toString());
        case CALL -> new OutputItem.FunctionCall(id, callId, name, text.toString());
      };
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private final JsonFactory json;
  private final Stamp stamp;
  private final @Nullable ChatRequest request;
  private final InstantSource clock;
  private final List<Slot> slots = new ArrayList<>();
  private final Map<Integer, Slot> calls = new HashMap<>();
  private @Nullable Slot reasoning;
  private @Nullable Slot message;
  private @Nullable FinishReason finish;
  private int sequence;
  private boolean started;

  ResponsesStreamWriter(JsonFactory json, Stamp stamp, @Nullable ChatRequest request, InstantSource clock) {
    this.json = json;
    this.stamp = stamp;
    this.request = request;
    this.clock = clock;
  }

  /** {@code response.created} and {@code response.in_progress}, with an empty output. */
  @Override
  public void appendStart(ByteArrayOutputStream out) {
    started = true;
    for (String type : List.of("response.created", "response.in_progress")) {
      event(out, type, g -> {
        g.writeFieldName("response");
        ResponsesJson.writeResponse(g, snapshot(ResponseState.IN_PROGRESS, null, null));
      });
    }
  }

  @Override
  public void append(ByteArrayOutputStream out, StreamEvent event) {
    switch (event) {
      case StreamEvent.TextDelta(int choice, String text) when choice == 0 && !text.isEmpty() -> text(out, text);
      case StreamEvent.ReasoningDelta(int choice, String text) when choice == 0 && !text.isEmpty() ->
          reasoning(out, text);
      case StreamEvent.ToolCallDelta call when call.choice() == 0 -> toolCall(out, call);
      case StreamEvent.Finish(int choice, FinishReason reason, String nativeReason) when choice == 0 -> {
        finish = reason;
        closeAll(out);
      }
      // Usage and failures are written by appendEnd and appendError once the gateway settled them.
      // Stateless Responses have no place for another family's signed reasoning block.
      case StreamEvent.ReasoningDetail detail -> {}
      default -> {}
    }
  }

  /** Closes what is still open, then the final event with the whole answer and its usage. */
  @Override
  public void appendEnd(ByteArrayOutputStream out, Usage usage, BigDecimal cost) {
    closeAll(out);
    if (slots.stream().noneMatch(slot -> slot.kind != Kind.REASONING)) {
      // An answer with no text and no calls still has its (empty) message, as a complete one has.
      message = open(out, Kind.MESSAGE, "msg");
      closeAll(out);
    }
    ResponseState state = ResponseState.of(finish);
    event(out, state.finalEvent(), g -> {
      g.writeFieldName("response");
      ResponsesJson.writeResponse(g, snapshot(state, usage, cost));
    });
  }

  /**
   * After the stream started: {@code response.failed} with what was produced so far. Before (only
   * keep-alives were sent): an {@code error} event, since there is no response to fail.
   */
  @Override
  public void appendError(ByteArrayOutputStream out, GatewayException error) {
    if (!started) {
      event(out, "error", g -> {
        g.writeStringField("code", ResponseState.errorCode(error.status()));
        g.writeStringField("message", error.getMessage());
        Object param = error.metadata().get("param");
        if (param != null) {
          g.writeStringField("param", param.toString());
        } else {
          g.writeNullField("param");
        }
      });
      return;
    }
    ResponseState state = ResponseState.failed(error);
    event(out, state.finalEvent(), g -> {
      g.writeFieldName("response");
      ResponsesJson.writeResponse(g, snapshot(state, null, null));
    });
  }

  @Override
  public byte[] keepAlive() {
    return OpenAiChunkWriter.PROCESSING;
  }

  private void text(ByteArrayOutputStream out, String delta) {
    close(out, reasoning, "completed");
    reasoning = null;
    Slot slot = message;
    if (slot == null) {
      slot = open(out, Kind.MESSAGE, "msg");
      message = slot;
    }
    slot.text.append(delta);
    Slot item = slot;
    event(out, "response.output_text.delta", g -> {
      position(g, item);
      g.writeNumberField("content_index", 0);
      g.writeStringField("delta", delta);
      g.writeArrayFieldStart("logprobs");
      g.writeEndArray();
    });
  }

  private void reasoning(ByteArrayOutputStream out, String delta) {
    close(out, message, "completed");
    message = null;
    Slot slot = reasoning;
    if (slot == null) {
      slot = open(out, Kind.REASONING, "rs");
      reasoning = slot;
    }
    slot.text.append(delta);
    Slot item = slot;
    event(out, "response.reasoning_summary_text.delta", g -> {
      position(g, item);
      g.writeNumberField("summary_index", 0);
      g.writeStringField("delta", delta);
    });
  }

  private void toolCall(ByteArrayOutputStream out, StreamEvent.ToolCallDelta call) {
    close(out, reasoning, "completed");
    close(out, message, "completed");
    reasoning = null;
    message = null;
    Slot slot = calls.get(call.index());
    if (slot == null) {
      int index = slots.size();
      slot = new Slot(Kind.CALL, index, OutputItem.id("fc", stamp, index));
      // Every provider names the call in its first piece; a missing id gets one, as a client needs it.
      slot.callId = call.id() != null ? call.id() : OutputItem.id("call", stamp, index);
      slot.name = call.name() != null ? call.name() : "";
      slots.add(slot);
      calls.put(call.index(), slot);
      announce(out, slot);
    } else if (slot.name.isEmpty() && call.name() != null) {
      slot.name = call.name();
    }
    if (!call.argumentsFragment().isEmpty()) {
      slot.text.append(call.argumentsFragment());
      Slot item = slot;
      if (item.open) {
        event(out, "response.function_call_arguments.delta", g -> {
          position(g, item);
          g.writeStringField("delta", call.argumentsFragment());
        });
      }
    }
  }

  /** Adds a reasoning or message item and announces it with its first (empty) part. */
  private Slot open(ByteArrayOutputStream out, Kind kind, String prefix) {
    int index = slots.size();
    Slot slot = new Slot(kind, index, OutputItem.id(prefix, stamp, index));
    slots.add(slot);
    announce(out, slot);
    switch (kind) {
      case MESSAGE -> event(out, "response.content_part.added", g -> {
        position(g, slot);
        g.writeNumberField("content_index", 0);
        g.writeFieldName("part");
        ResponsesJson.writeOutputText(g, "");
      });
      case REASONING -> event(out, "response.reasoning_summary_part.added", g -> {
        position(g, slot);
        g.writeNumberField("summary_index", 0);
        g.writeFieldName("part");
        ResponsesJson.writeSummaryText(g, "");
      });
      case CALL -> {}
    }
    return slot;
  }

  private void announce(ByteArrayOutputStream out, Slot slot) {
    OutputItem empty = switch (slot.kind) {
      case REASONING -> new OutputItem.Reasoning(slot.id, null);
      case MESSAGE -> new OutputItem.AssistantMessage(slot.id, null);
      case CALL -> new OutputItem.FunctionCall(slot.id, slot.callId, slot.name, "");
    };
    event(out, "response.output_item.added", g -> {
      g.writeNumberField("output_index", slot.index);
      g.writeFieldName("item");
      ResponsesJson.writeItem(g, empty, "in_progress");
    });
  }

  private void closeAll(ByteArrayOutputStream out) {
    String status = ResponseState.of(finish).itemStatus();
    for (Slot slot : slots) {
      close(out, slot, status);
    }
    reasoning = null;
    message = null;
  }

  private void close(ByteArrayOutputStream out, @Nullable Slot slot, String status) {
    if (slot == null || !slot.open) {
      return;
    }
    slot.open = false;
    String text = slot.text.toString();
    switch (slot.kind) {
      case MESSAGE -> {
        event(out, "response.output_text.done", g -> {
          position(g, slot);
          g.writeNumberField("content_index", 0);
          g.writeStringField("text", text);
          g.writeArrayFieldStart("logprobs");
          g.writeEndArray();
        });
        event(out, "response.content_part.done", g -> {
          position(g, slot);
          g.writeNumberField("content_index", 0);
          g.writeFieldName("part");
          ResponsesJson.writeOutputText(g, text);
        });
      }
      case REASONING -> {
        event(out, "response.reasoning_summary_text.done", g -> {
          position(g, slot);
          g.writeNumberField("summary_index", 0);
          g.writeStringField("text", text);
        });
        event(out, "response.reasoning_summary_part.done", g -> {
          position(g, slot);
          g.writeNumberField("summary_index", 0);
          g.writeFieldName("part");
          ResponsesJson.writeSummaryText(g, text);
        });
      }
      case CALL -> event(out, "response.function_call_arguments.done", g -> {
        position(g, slot);
        g.writeStringField("name", slot.name);
        g.writeStringField("arguments", text);
      });
    }
    event(out, "response.output_item.done", g -> {
      g.writeNumberField("output_index", slot.index);
      g.writeFieldName("item");
      ResponsesJson.writeItem(g, slot.item(), status);
    });
  }

  private static void position(JsonGenerator g, Slot slot) throws IOException {
    g.writeStringField("item_id", slot.id);
    g.writeNumberField("output_index", slot.index);
  }

  private ResponsesJson.Snapshot snapshot(ResponseState state, @Nullable Usage usage, @Nullable BigDecimal cost) {
    List<OutputItem> output = new ArrayList<>(slots.size());
    for (Slot slot : slots) {
      output.add(slot.item());
    }
    return new ResponsesJson.Snapshot(stamp, request, state, clock.instant().getEpochSecond(), output, usage, cost);
  }

  private void event(ByteArrayOutputStream out, String type, Body body) {
    out.writeBytes(EVENT);
    out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(DATA);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", type);
      body.write(g);
      g.writeNumberField("sequence_number", sequence++);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes(END);
  }
}
