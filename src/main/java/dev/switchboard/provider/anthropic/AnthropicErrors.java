package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.RetryAfter;
import dev.switchboard.provider.UpstreamResponse;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Classifies Anthropic failures (https://platform.claude.com/docs/en/api/errors): non-2xx
 * responses and {@code error} events inside a stream. Both carry {@code
 * {"type":"error","error":{"type":...,"message":...}}}.
 *
 * <p>The kind comes from the HTTP status ({@link UpstreamError#kindForStatus}; Anthropic's own 529
 * "overloaded" is a 5xx, so {@code SERVER} and retryable), refined where the body tells routing
 * more than the status: a 400 "credit balance is too low", a 402 {@code billing_error} and a 429
 * whose {@code error.details.error_code} is {@code enforced_spend_limit_reached} all mean the
 * operator's Anthropic account is out of funds, which waiting will not fix but another provider
 * may, so they are {@code PAYMENT}.
 */
final class AnthropicErrors {
  private AnthropicErrors() {}

  /** Classifies a non-2xx response. Never throws: an unreadable body still yields an error. */
  static UpstreamError classify(UpstreamResponse response) {
    String body = response.bodyText();
    JsonNode error = errorObject(body);
    int status = response.status();
    Kind kind = refine(UpstreamError.kindForStatus(status), error);
    String message = message(error);
    return new UpstreamError(
        kind,
        status,
        RetryAfter.from(response),
        AnthropicWire.truncate(
            message == null ? "upstream returned HTTP " + status : message, AnthropicWire.MESSAGE_LIMIT),
        body.isEmpty() ? null : AnthropicWire.truncate(body, AnthropicWire.RAW_LIMIT));
  }

  /**
   * Classifies an error that arrived after HTTP 200: an SSE {@code error} event mid-stream, or an
   * error envelope in a 2xx body. The status is the one Anthropic documents for the error's type
   * (529 for {@code overloaded_error}), so routing and logs see the same numbers as for a non-2xx
   * response; an unknown type is a server failure with status 200.
   *
   * @param raw the text the error came in, kept truncated for logs
   */
  static UpstreamError fromBody(JsonNode envelope, String raw) {
    JsonNode error = envelope.path("error").isObject() ? envelope.get("error") : envelope;
    int status = statusOf(error.path("type").asText(""));
    Kind kind = status == 0 ? Kind.SERVER : refine(UpstreamError.kindForStatus(status), error);
    String message = message(error);
    return new UpstreamError(
        kind,
        status == 0 ? 200 : status,
        null,
        AnthropicWire.truncate(message == null ? "upstream reported an error" : message, AnthropicWire.MESSAGE_LIMIT),
        AnthropicWire.truncate(raw, AnthropicWire.RAW_LIMIT));
  }

  /** The HTTP status Anthropic documents for an error type; 0 when the type is unknown. */
  private static int statusOf(String type) {
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "api_error" -> 500;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> 0;
    };
  }

  private static Kind refine(Kind kind, @Nullable JsonNode error) {
    if (error == null) {
      return kind;
    }
    String type = error.path("type").asText("");
    String code = error.path("details").path("error_code").asText("");
    String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
    if (type.equals("billing_error")
        || code.equals("enforced_spend_limit_reached")
        || (kind == Kind.BAD_REQUEST && message.contains("credit balance"))) {
      return Kind.PAYMENT;
    }
    if (type.equals("overloaded_error")) {
      return Kind.SERVER;
    }
    return kind;
  }

  /**
   * The {@code error} object of a body: Anthropic's {@code {"type":"error","error":{...}}}, or an
   * object that is itself the error (some proxies in front of Anthropic drop the envelope).
   */
  private static @Nullable JsonNode errorObject(String body) {
    if (body.isBlank()) {
      return null;
    }
    JsonNode root;
    try {
      root = AnthropicWire.JSON.readTree(body);
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
      return AnthropicWire.JSON.createObjectNode().put("message", error.asText());
    }
    return root;
  }

  private static @Nullable String message(@Nullable JsonNode error) {
    if (error == null) {
      return null;
    }
    JsonNode message = error.get("message");
    return message != null && message.isTextual() && !message.asText().isBlank() ? message.asText() : null;
  }
}
