package dev.switchboard.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}} for a Messages request, by
 * the gateway's tokenizer estimate ({@link TokenEstimator}), since no upstream is asked. Thread-safe.
 */
public final class AnthropicTokenCounter {
  private final AnthropicChatDialect dialect;
  private final TokenEstimator estimator;
  private final ObjectMapper json;

  public AnthropicTokenCounter(AnthropicChatDialect dialect, TokenEstimator estimator, ObjectMapper json) {
    this.dialect = dialect;
    this.estimator = estimator;
    this.json = json;
  }

  /** The response body for a request body. */
  public byte[] count(byte[] body) {
    long tokens = estimator.prompt(countable(dialect.readForCounting(body)));
    return ("{\"input_tokens\":" + tokens + "}").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The request as the estimator should see it: a text block kept whole for its {@code
   * cache_control} is counted as its text (the estimator would guess a flat figure for an unknown
   * part), and earlier turns' thinking blocks are left out, as Anthropic leaves them out of the
   * context window.
   */
  private ChatRequest countable(ChatRequest request) {
    List<Message> messages = new ArrayList<>(request.messages().size());
    for (Message message : request.messages()) {
      List<ContentPart> parts = new ArrayList<>(message.content().size());
      for (ContentPart part : message.content()) {
        switch (part) {
          case ContentPart.Unknown(String type, RawJson raw) when type.equals("text") ->
              parts.add(new ContentPart.Text(text(raw)));
          case ContentPart.Unknown(String type, RawJson raw)
              when type.equals("thinking") || type.equals("redacted_thinking") -> {}
          default -> parts.add(part);
        }
      }
      messages.add(new Message(message.role(), parts, message.name(), message.toolCalls(), message.toolCallId(),
          null));
    }
    return new ChatRequest(request.model(), request.fallbackModels(), messages, request.tools(),
        request.toolChoice(), request.parallelToolCalls(), request.responseFormat(), request.temperature(),
        request.topP(), request.seed(), request.maxTokens(), request.stop(), request.logprobs(),
        request.topLogprobs(), request.user(), request.stream(), request.streamUsage(), request.provider(),
        request.extra());
  }

  private String text(RawJson raw) {
    try {
      JsonNode node = json.readTree(raw.json());
      return node.path("text").asText("");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the reader produced this JSON itself
    }
  }
}
