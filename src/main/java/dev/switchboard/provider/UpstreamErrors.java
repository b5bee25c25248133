package dev.switchboard.provider;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link UpstreamError} values from what a provider sent, the same way for every adapter:
 * how much of the provider's text is kept, the message used when the provider gave none, and the
 * body lookups that several providers' error formats share. Which {@link Kind} an error is stays
 * the adapter's call.
 */
public final class UpstreamErrors {
  /** How much of an upstream error message is kept in {@link UpstreamError#message()}. */
  public static final int MESSAGE_LIMIT = 500;

  /** How much of an upstream error body is kept in {@link UpstreamError#raw()}. */
  public static final int RAW_LIMIT = 2048;

  /** Immutable once built, so one instance serves every thread. */
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private UpstreamErrors() {}

  /**
   * A classified non-2xx response: the provider's message, or {@code upstream returned HTTP
   * <status>} when it gave none; the body, when there is one, as the raw text for logs.
   */
  public static UpstreamError ofResponse(
      Kind kind, UpstreamResponse response, @Nullable Duration retryAfter, @Nullable String message) {
    String body = response.bodyText();
    return new UpstreamError(
        kind,
        response.status(),
        retryAfter,
        truncate(message == null ? "upstream returned HTTP " + response.status() : message, MESSAGE_LIMIT),
        body.isEmpty() ? null : truncate(body, RAW_LIMIT));
  }

  /**
   * An error the provider reported after HTTP 200, in a body or mid-stream: its message, or {@code
   * upstream reported an error} when it gave none.
   *
   * @param status the HTTP status the error would have had, as far as the provider says
   * @param raw the text the error came in, kept for logs
   */
  public static UpstreamError inBody(
      Kind kind, int status, @Nullable Duration retryAfter, @Nullable String message, String raw) {
    return new UpstreamError(
        kind,
        status,
        retryAfter,
        truncate(message == null ? "upstream reported an error" : message, MESSAGE_LIMIT),
        truncate(raw, RAW_LIMIT));
  }

  /** A stream frame that is not what the protocol promises ({@code MALFORMED}), kept for logs. */
  public static UpstreamError malformedFrame(String message, String frame) {
    return new UpstreamError(Kind.MALFORMED, 200, null, message, truncate(frame, RAW_LIMIT));
  }

  /** At most {@code limit} characters, never splitting a surrogate pair. */
  public static String truncate(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
    return text.substring(0, end);
  }

  /**
   * The error object of a JSON body in the shape OpenAI and Anthropic share: the {@code error}
   * object of {@code {"error": {...}}}; a bare {@code {"error": "text"}} as an object with that
   * {@code message}; or, failing both, the body's object itself (proxies and some compatible
   * servers drop the envelope and answer {@code {"message": ...}}). Null for a body that is blank,
   * not JSON (an HTML page from a proxy) or not an object.
   */
  public static @Nullable JsonNode errorObject(String body) {
    if (body.isBlank()) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return error;
    }
    if (error != null && error.isTextual()) {
      return JSON.createObjectNode().put("message", error.asText());
    }
    return root;
  }

  /** The first of {@code fields} of {@code node} that holds non-blank text; null when none does. */
  public static @Nullable String firstText(@Nullable JsonNode node, String... fields) {
    if (node == null) {
      return null;
    }
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
    }
    return null;
  }
}
