package dev.switchboard.routing;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The request that continues a broken stream: the conversation as sent, then the answer so far as
 * a final assistant message, which an endpoint with {@link
 * dev.switchboard.provider.Capability#CONTINUATION} continues rather than answers (Anthropic's
 * prefill; a trailing assistant message on OpenAI-compatible servers that continue it).
 *
 * <p>The prefix is sent without trailing whitespace, because Anthropic rejects a final assistant
 * message that ends in whitespace ("final assistant content cannot end with trailing
 * whitespace"); the whitespace already reached the client, so the continuation's leading whitespace
 * is dropped instead ({@link #trimsLeading}).
 */
public final class Continuation {
  private Continuation() {}

  /**
   * @param request the request as first sent (preset merged, variants resolved)
   * @param prefix the text the client has received so far
   * @param completionTokensSoFar the tokens of {@code prefix} (reported or estimated): taken off
   *     {@code max_tokens} so the whole answer stays within the client's cap
   */
  public static ChatRequest of(ChatRequest request, String prefix, long completionTokensSoFar) {
    List<Message> messages = new ArrayList<>(request.messages().size() + 1);
    messages.addAll(request.messages());
    String sent = prefix.stripTrailing();
    if (!sent.isEmpty()) {
      messages.add(Message.text(Role.ASSISTANT, sent));
    }
    Integer maxTokens = request.maxTokens() == null ? null
        : (int) Math.max(1, request.maxTokens() - Math.min(completionTokensSoFar, Integer.MAX_VALUE));
    return new ChatRequest(request.model(), request.fallbackModels(), messages, request.tools(),
        request.toolChoice(), request.parallelToolCalls(), request.responseFormat(), request.temperature(),
        request.topP(), request.seed(), maxTokens, request.stop(), request.logprobs(), request.topLogprobs(),
        request.user(), request.stream(), request.streamUsage(), request.provider(), request.extra(),
        request.sessionId());
  }

  /** Whether the continuation's leading whitespace must be dropped: the prefix sent lost its trailing whitespace. */
  public static boolean trimsLeading(String prefix) {
    return !prefix.isEmpty() && Character.isWhitespace(prefix.charAt(prefix.length() - 1));
  }
}
