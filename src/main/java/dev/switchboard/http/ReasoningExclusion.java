package dev.switchboard.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import java.util.List;
import java.util.Set;

/**
 * OpenRouter's {@code reasoning: {"exclude": true}}: the model reasons, the client is not shown it.
 * Applied here, at egress, for every provider alike: Anthropic and Bedrock have no switch for it
 * (thinking is either on, and returned, or off), and OpenAI-compatible servers such as DeepSeek
 * return their reasoning regardless. Adapters that can ask the provider not to return it (Gemini's
 * {@code includeThoughts: false}) still do, which saves the bytes; this is the guarantee.
 *
 * <p>The signed thinking blocks go too: a client that asked not to see reasoning cannot send it
 * back, and the Anthropic and Bedrock adapters leave thinking off for a tool-result turn whose
 * assistant turn carries none, as Anthropic requires.
 */
final class ReasoningExclusion {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The provider blocks that hold reasoning (see {@code ReasoningDetailsJson}). */
  private static final Set<String> REASONING_BLOCKS = Set.of("thinking", "redacted_thinking", "reasoningContent");

  private ReasoningExclusion() {}

  /** Whether the request's {@code reasoning} object says {@code exclude: true}. */
  static boolean requested(ChatRequest request) {
    RawJson reasoning = request.extra().get("reasoning");
    if (reasoning == null) {
      return false;
    }
    try {
      return JSON.readTree(reasoning.json()).path("exclude").asBoolean(false);
    } catch (JacksonException e) {
      return false;
    }
  }

  static ChatResponse strip(ChatResponse response) {
    List<Choice> choices = response.choices().stream()
        .map(c -> new Choice(c.index(), strip(c.message()), c.finishReason(), c.nativeFinishReason(), c.logprobs()))
        .toList();
    return new ChatResponse(response.upstreamId(), response.upstreamModel(), choices, response.usage(),
        response.systemFingerprint());
  }

  static StreamDecoder strip(StreamDecoder decoder) {
    return new StreamDecoder() {
      @Override
      public List<StreamEvent> onFrame(Frame frame) {
        return withoutReasoning(decoder.onFrame(frame));
      }

      @Override
      public List<StreamEvent> onEnd() {
        return withoutReasoning(decoder.onEnd());
      }
    };
  }

  private static Message strip(Message message) {
    List<ContentPart> content = message.content().stream()
        .filter(part -> !(part instanceof ContentPart.Unknown(String type, RawJson raw) && REASONING_BLOCKS.contains(type)))
        .toList();
    return new Message(message.role(), content, message.name(), message.toolCalls(), message.toolCallId(), null);
  }

  private static List<StreamEvent> withoutReasoning(List<StreamEvent> events) {
    if (events.stream().noneMatch(ReasoningExclusion::isReasoning)) {
      return events;
    }
    return events.stream().filter(e -> !isReasoning(e)).toList();
  }

  private static boolean isReasoning(StreamEvent event) {
    return event instanceof StreamEvent.ReasoningDelta || event instanceof StreamEvent.ReasoningDetail;
  }
}
