package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.RetryAfter;
import dev.switchboard.provider.UpstreamErrors;
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
    // Anthropic's {"type":"error","error":{...}}; some proxies in front of Anthropic drop the envelope.
    JsonNode error = UpstreamErrors.errorObject(response.bodyText());
    Kind kind = refine(UpstreamError.kindForStatus(response.status()), error);
    return UpstreamErrors.ofResponse(
        kind, response, RetryAfter.from(response), UpstreamErrors.firstText(error, "message"));
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
    String message = UpstreamErrors.firstText(error, "message");
    return UpstreamErrors.inBody(kind, status == 0 ? 200 : status, null, message, raw);
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
}
