package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.StreamEnds;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.gemini.GeminiResponseDecoder.Piece;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code streamGenerateContent?alt=sse} frames to canonical {@link StreamEvent}s. One instance per
 * stream; not thread-safe.
 *
 * <p>Design: every {@code data:} is a whole {@code GenerateContentResponse} holding only what is
 * new, so each frame is read as a tree and its candidates' parts become deltas at once: the first
 * frame yields {@link StreamEvent.Started}; text a {@link StreamEvent.TextDelta}; thought text a
 * {@link StreamEvent.ReasoningDelta}; a function call, which Gemini sends whole, one {@link
 * StreamEvent.ToolCallDelta} with id, name and all arguments.
 *
 * <p>Usage (cumulative, repeated on every frame, so the last one wins) and finish reasons are held
 * until the body ends, because Gemini has no end-of-stream marker: a frame with a finish reason
 * may still be followed by one with the final usage. At the end come at most one {@link
 * StreamEvent.UsageReport} and a {@link StreamEvent.Finish} per choice. A body that ends before
 * every choice had a finish reason was cut off ({@code RESET}); a frame holding an error envelope,
 * or one that is not JSON, ends the stream with a {@link StreamEvent.Failure}. Usage seen before a
 * failure is still reported, so the tokens already generated can be charged.
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private final TreeMap<Integer, String> finishes = new TreeMap<>();
  private final Map<Integer, Integer> callsPerChoice = new HashMap<>();
  private final BitSet seenChoices = new BitSet();
  private @Nullable String blockReason;
  private @Nullable Usage usage;
  private boolean started;
  private boolean done;

  @Override
  public List<StreamEvent> onFrame(Frame frame) {
    if (done) {
      return List.of();
    }
    String data =
        switch (frame) {
          case Frame.Sse sse -> sse.data();
          case Frame.JsonLine line -> line.json();
          case Frame.EventStreamMessage ignored -> "";
        };
    if (data.isBlank()) {
      return List.of();
    }
    JsonNode chunk;
    try {
      chunk = GeminiAdapter.JSON.readTree(data);
    } catch (JacksonException e) {
      chunk = null;
    }
    if (chunk == null || !chunk.isObject()) {
      return fail(UpstreamErrors.malformedFrame("upstream sent a stream chunk that is not a JSON object", data));
    }
    if (chunk.get("usageMetadata") instanceof JsonNode metadata && metadata.isObject()) {
      usage = GeminiResponseDecoder.usage(metadata);
    }
    if (chunk.get("error") instanceof JsonNode error && error.isObject()) {
      return fail(GeminiErrors.fromBodyError(error, data));
    }
    var out = new ArrayList<StreamEvent>(3);
    if (!started) {
      started = true;
      out.add(
          new StreamEvent.Started(
              GeminiResponseDecoder.text(chunk, "responseId"), GeminiResponseDecoder.text(chunk, "modelVersion")));
    }
    JsonNode candidates = chunk.path("candidates");
    for (int position = 0; position < candidates.size(); position++) {
      candidate(candidates.get(position), position, out);
    }
    String block = GeminiResponseDecoder.blockReason(chunk);
    if (block != null) {
      blockReason = block;
    }
    return out;
  }

  @Override
  public List<StreamEvent> onEnd() {
    if (done) {
      return List.of();
    }
    if (seenChoices.isEmpty() && finishes.isEmpty() && blockReason != null) {
      // The prompt was refused: one frame with promptFeedback and no candidates.
      done = true;
      return StreamEnds.withUsage(usage, new StreamEvent.Finish(0, FinishReason.CONTENT_FILTER, blockReason));
    }
    if (finishes.isEmpty() || !allSeenChoicesFinished()) {
      return fail(StreamEnds.cutOff());
    }
    done = true;
    var out = new ArrayList<StreamEvent>(1 + finishes.size());
    if (usage != null) {
      out.add(new StreamEvent.UsageReport(usage));
    }
    finishes.forEach(
        (choice, reason) ->
            out.add(
                new StreamEvent.Finish(
                    choice,
                    GeminiResponseDecoder.finishReason(reason, callsPerChoice.containsKey(choice)),
                    reason)));
    return out;
  }

  private void candidate(JsonNode candidate, int position, List<StreamEvent> out) {
    int choice = candidate.path("index").asInt(position);
    seenChoices.set(choice);
    for (Piece piece : GeminiResponseDecoder.pieces(candidate.get("content"))) {
      switch (piece) {
        case Piece.Text(String text) -> out.add(new StreamEvent.TextDelta(choice, text));
        case Piece.Thought(String text) -> out.add(new StreamEvent.ReasoningDelta(choice, text));
        case Piece.Call call -> {
          int index = callsPerChoice.merge(choice, 1, Integer::sum) - 1;
          var toolCall = call.toToolCall(index);
          out.add(new StreamEvent.ToolCallDelta(choice, index, toolCall.id(), toolCall.name(), toolCall.arguments()));
        }
        // No stream event carries media; streamed image output is not supported.
        case Piece.Media ignored -> {}
      }
    }
    String finish = GeminiResponseDecoder.text(candidate, "finishReason");
    if (finish != null && !finish.isEmpty()) {
      finishes.put(choice, finish);
    }
  }

  private boolean allSeenChoicesFinished() {
    for (int choice = seenChoices.nextSetBit(0); choice >= 0; choice = seenChoices.nextSetBit(choice + 1)) {
      if (!finishes.containsKey(choice)) {
        return false;
      }
    }
    return true;
  }

  private List<StreamEvent> fail(UpstreamError error) {
    done = true;
    return StreamEnds.failed(usage, error);
  }
}
