package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.StreamEnds;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.Quirk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI {@code chat.completion.chunk} frames to canonical {@link StreamEvent}s. One instance per
 * stream; not thread-safe.
 *
 * <p>Design: each frame's {@code data} is read once with Jackson's streaming parser (this is the
 * hot path); only rare sub-objects ({@code usage}, {@code error}) become trees. The first chunk
 * yields {@link StreamEvent.Started}. Deltas become events as they arrive, reasoning before text
 * before tool calls within one chunk.
 *
 * <p>Usage and finish reasons are held back until the stream ends ({@code data: [DONE]} or the
 * end of the body), because providers disagree on where they put them: OpenAI sends the finish
 * chunk and then a separate usage chunk; Mistral, Together and Groq put usage on the finish chunk;
 * some servers repeat cumulative usage on every chunk. Holding them gives one shape for all: at
 * most one {@link StreamEvent.UsageReport} (the last usage seen), then one {@link
 * StreamEvent.Finish} per choice, and nothing after.
 *
 * <p>Failures: a chunk with a top-level {@code error} object (OpenRouter's mid-stream errors, with
 * HTTP still 200) or an SSE {@code event: error} ends the stream with {@link
 * StreamEvent.Failure}; so does a chunk that is not JSON ({@code MALFORMED}) and a body that ends
 * before any finish reason ({@code RESET}). Usage seen before a failure is still reported, so the
 * tokens already generated can be charged.
 */
final class OpenAiStreamDecoder implements StreamDecoder {
  private static final String DONE = "[DONE]";

  private final OpenAiCompatProfile profile;
  private final boolean usageInXGroq;
  private final TreeMap<Integer, StreamEvent.Finish> finishes = new TreeMap<>();
  private final BitSet seenChoices = new BitSet();
  private @Nullable Usage usage;
  private boolean started;
  private boolean done;

  OpenAiStreamDecoder(OpenAiCompatProfile profile) {
    this.profile = profile;
    this.usageInXGroq = profile.has(Quirk.USAGE_IN_X_GROQ);
  }

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
        if (event == null && sse.opensJsonObject()) {
          // Nearly every frame: parsed from its bytes, never decoded to a string.
          return chunk(sse);
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
    if (DONE.equals(data) || DONE.equals(data.strip())) {
      return complete();
    }
    if ("error".equals(event)) {
      return fail(errorFrame(data));
    }
    return chunk(data);
  }

  @Override
  public List<StreamEvent> onEnd() {
    if (done) {
      return List.of();
    }
    if (!finishes.isEmpty() && allSeenChoicesFinished()) {
      // The model finished but the body ended without [DONE]: the answer is complete.
      return complete();
    }
    return fail(StreamEnds.cutOff());
  }

  private List<StreamEvent> chunk(Frame.Sse sse) {
    byte[] utf8 = sse.utf8();
    try (JsonParser json = OpenAiWire.JSON.createParser(utf8)) {
      return chunk(json, Source.of(utf8));
    } catch (IOException notJsonOrNotUtf8) {
      // Malformed UTF-8 is not the upstream's JSON being wrong: as text (replacement characters for the
      // bad bytes) it may still be a chunk, as it was when every frame was decoded to text first.
      return chunk(sse.data());
    }
  }

  private List<StreamEvent> chunk(String data) {
    try (JsonParser json = OpenAiWire.JSON.createParser(data)) {
      return chunk(json, Source.of(data));
    } catch (IOException e) {
      return fail(malformed(data));
    }
  }

  private List<StreamEvent> chunk(JsonParser json, Source source) throws IOException {
    var out = new ArrayList<StreamEvent>(3);
    String id = null;
    String model = null;
    JsonNode error = null;
    Usage chunkUsage = null;
    Usage groqUsage = null;
    try {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return fail(malformed(source.text()));
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "id" -> id = OpenAiWire.textOrNull(json);
          case "model" -> model = OpenAiWire.textOrNull(json);
          case "choices" -> {
            if (value == JsonToken.START_ARRAY) {
              int position = 0;
              while (json.nextToken() == JsonToken.START_OBJECT) {
                choice(json, source, position++, out);
              }
            } else {
              json.skipChildren();
            }
          }
          case "usage" -> {
            if (value == JsonToken.START_OBJECT) {
              chunkUsage = OpenAiWire.usage(json.readValueAsTree(), profile);
            }
          }
          case "x_groq" -> {
            if (value == JsonToken.START_OBJECT && usageInXGroq) {
              JsonNode groq = json.readValueAsTree();
              groqUsage = OpenAiWire.usage(groq.get("usage"), profile);
            } else {
              json.skipChildren();
            }
          }
          case "error" -> {
            if (value == JsonToken.START_OBJECT) {
              error = json.readValueAsTree();
            } else {
              json.skipChildren();
            }
          }
          default -> json.skipChildren();
        }
      }
    } catch (UpstreamException e) {
      return fail(e.error());
    }
    if (chunkUsage != null) {
      usage = chunkUsage;
    } else if (groqUsage != null) {
      usage = groqUsage;
    }
    if (error != null) {
      return fail(OpenAiErrors.fromBodyError(error, source.text()));
    }
    if (!started) {
      started = true;
      out.addFirst(new StreamEvent.Started(id, model));
    }
    return out;
  }

  private void choice(JsonParser json, Source source, int position, List<StreamEvent> out) throws IOException {
    int index = position;
    String content = null;
    String reasoning = null;
    String refusal = null;
    List<ToolCallPiece> calls = null;
    String finish = null;
    String nativeFinish = null;
    RawJson logprobs = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "index" -> index = json.getValueAsInt(position);
        case "finish_reason" -> finish = OpenAiWire.textOrNull(json);
        case "native_finish_reason" -> nativeFinish = OpenAiWire.textOrNull(json);
        case "logprobs" ->
            logprobs = value == JsonToken.START_OBJECT ? source.rawValue(json) : skip(json);
        case "delta" -> {
          if (value != JsonToken.START_OBJECT) {
            json.skipChildren();
            continue;
          }
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String deltaField = json.currentName();
            JsonToken deltaValue = json.nextToken();
            switch (deltaField) {
              case "content" -> content = stringOrSkip(json, deltaValue);
              // DeepSeek and vLLM stream reasoning_content, OpenRouter and Groq stream reasoning.
              case "reasoning", "reasoning_content" -> {
                String text = stringOrSkip(json, deltaValue);
                if (text != null) {
                  reasoning = reasoning == null ? text : reasoning + text;
                }
              }
              case "refusal" -> refusal = stringOrSkip(json, deltaValue);
              case "tool_calls" -> {
                if (deltaValue == JsonToken.START_ARRAY) {
                  calls = toolCalls(json);
                } else {
                  json.skipChildren();
                }
              }
              default -> json.skipChildren();
            }
          }
        }
        default -> json.skipChildren();
      }
    }
    seenChoices.set(index);
    if (reasoning != null && !reasoning.isEmpty()) {
      out.add(new StreamEvent.ReasoningDelta(index, reasoning));
    }
    if (content != null && !content.isEmpty()) {
      out.add(new StreamEvent.TextDelta(index, content));
    }
    // No canonical event carries a refusal; streaming it as text keeps the client from seeing an
    // empty answer. (Non-streamed responses keep it as a refusal part.)
    if (refusal != null && !refusal.isEmpty()) {
      out.add(new StreamEvent.TextDelta(index, refusal));
    }
    if (calls != null) {
      for (ToolCallPiece call : calls) {
        if (call.id() != null || call.name() != null || !call.arguments().isEmpty()) {
          out.add(new StreamEvent.ToolCallDelta(index, call.index(), call.id(), call.name(), call.arguments()));
        }
      }
    }
    if (logprobs != null) {
      out.add(new StreamEvent.Logprobs(index, logprobs));
    }
    if (finish != null) {
      finishes.put(
          index,
          new StreamEvent.Finish(index, OpenAiWire.finishReason(finish), nativeFinish != null ? nativeFinish : finish));
    }
  }

  private static List<ToolCallPiece> toolCalls(JsonParser json) throws IOException {
    var calls = new ArrayList<ToolCallPiece>(1);
    while (json.nextToken() == JsonToken.START_OBJECT) {
      int index = calls.size();
      String id = null;
      String name = null;
      String arguments = "";
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "index" -> index = json.getValueAsInt(index);
          case "id" -> id = stringOrSkip(json, value);
          case "function" -> {
            if (value != JsonToken.START_OBJECT) {
              json.skipChildren();
              continue;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String functionField = json.currentName();
              JsonToken functionValue = json.nextToken();
              switch (functionField) {
                case "name" -> name = stringOrSkip(json, functionValue);
                case "arguments" -> {
                  if (functionValue == JsonToken.START_OBJECT) {
                    // A few servers send the whole arguments object instead of a JSON string.
                    arguments = OpenAiWire.JSON.writeValueAsString(json.readValueAsTree());
                  } else {
                    String text = stringOrSkip(json, functionValue);
                    arguments = text == null ? "" : text;
                  }
                }
                default -> json.skipChildren();
              }
            }
          }
          default -> json.skipChildren();
        }
      }
      calls.add(new ToolCallPiece(index, id == null || id.isEmpty() ? null : id, name, arguments));
    }
    return calls;
  }

  private static @Nullable String stringOrSkip(JsonParser json, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return json.getText();
    }
    json.skipChildren();
    return null;
  }

  private static @Nullable RawJson skip(JsonParser json) throws IOException {
    json.skipChildren();
    return null;
  }

  /** The stream is over and succeeded: held usage, then a Finish for every choice. */
  private List<StreamEvent> complete() {
    done = true;
    var out = new ArrayList<StreamEvent>(2 + finishes.size());
    if (usage != null) {
      out.add(new StreamEvent.UsageReport(usage));
    }
    // [DONE] without a finish_reason (some servers omit it): the upstream says it is done.
    if (seenChoices.isEmpty() && finishes.isEmpty()) {
      seenChoices.set(0);
    }
    for (int choice = seenChoices.nextSetBit(0); choice >= 0; choice = seenChoices.nextSetBit(choice + 1)) {
      finishes.putIfAbsent(choice, new StreamEvent.Finish(choice, FinishReason.STOP, null));
    }
    out.addAll(finishes.values());
    return out;
  }

  private List<StreamEvent> fail(UpstreamError error) {
    done = true;
    return StreamEnds.failed(usage, error);
  }

  private boolean allSeenChoicesFinished() {
    for (int choice = seenChoices.nextSetBit(0); choice >= 0; choice = seenChoices.nextSetBit(choice + 1)) {
      if (!finishes.containsKey(choice)) {
        return false;
      }
    }
    return true;
  }

  private static UpstreamError malformed(String data) {
    return UpstreamErrors.malformedFrame("upstream sent a stream chunk that is not a JSON object", data);
  }

  /** An SSE {@code event: error} frame: its data is an error envelope or plain text. */
  private static UpstreamError errorFrame(String data) {
    try {
      JsonNode root = OpenAiWire.JSON.readTree(data);
      if (root != null && root.isObject()) {
        JsonNode error = root.path("error").isObject() ? root.get("error") : root;
        return OpenAiErrors.fromBodyError(error, data);
      }
    } catch (JacksonException notJson) {
      // plain text error
    }
    return UpstreamErrors.inBody(UpstreamError.Kind.SERVER, 200, null, data, data);
  }

  /** One tool-call fragment of a delta, before its choice index is known. */
  private record ToolCallPiece(int index, @Nullable String id, @Nullable String name, String arguments) {}
}
