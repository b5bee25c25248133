package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.RetryAfter;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.UpstreamResponse;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Classifies OpenAI-style failures: non-2xx responses, and error objects inside a 200 body or a
 * stream.
 *
 * <p>The kind comes from the HTTP status ({@link UpstreamError#kindForStatus}), refined by the
 * error {@code code} where that tells routing something the status does not: OpenAI answers 429
 * {@code insufficient_quota} when the account is out of funds (waiting will not help, so it is
 * {@code PAYMENT}), and 400 {@code content_filter}/{@code content_policy_violation} when the prompt
 * was refused.
 */
final class OpenAiErrors {
  private OpenAiErrors() {}

  /** Classifies a non-2xx response. Never throws: an unreadable body still yields an error. */
  static UpstreamError classify(UpstreamResponse response) {
    // OpenAI's {"error": {...}}; Mistral and FastAPI-based servers answer {"message"/"detail": ...}.
    JsonNode error = UpstreamErrors.errorObject(response.bodyText());
    Kind kind = refine(UpstreamError.kindForStatus(response.status()), error);
    return UpstreamErrors.ofResponse(kind, response, retryAfter(response), message(error));
  }

  /**
   * Classifies an {@code error} object that arrived with HTTP 200: in a stream chunk (OpenRouter's
   * mid-stream errors carry {@code code} as the HTTP status it would have had) or in a body.
   *
   * @param raw the text the error came in, kept truncated for logs
   */
  static UpstreamError fromBodyError(JsonNode error, String raw) {
    JsonNode code = error.path("code");
    Kind kind;
    int status = 200;
    if (code.isIntegralNumber() && code.asInt() >= 400 && code.asInt() < 600) {
      status = code.asInt();
      kind = refine(status >= 500 ? Kind.SERVER : UpstreamError.kindForStatus(status), error);
    } else {
      String label = (error.path("type").asText("") + " " + code.asText("")).toLowerCase(Locale.ROOT);
      kind = label.contains("rate_limit") ? Kind.RATE_LIMITED : refine(Kind.SERVER, error);
    }
    return UpstreamErrors.inBody(kind, status, null, message(error), raw);
  }

  private static @Nullable String message(@Nullable JsonNode error) {
    if (error == null) {
      return null;
    }
    for (String field : new String[] {"message", "detail", "msg"}) {
      JsonNode value = error.get(field);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
      if (value != null && (value.isArray() || value.isObject())) {
        return value.toString(); // FastAPI validation errors: a list of problems
      }
    }
    return null;
  }

  private static Kind refine(Kind kind, @Nullable JsonNode error) {
    if (error == null) {
      return kind;
    }
    String code = error.path("code").asText("") + " " + error.path("type").asText("");
    if (code.contains("insufficient_quota")) {
      return Kind.PAYMENT;
    }
    if (kind == Kind.BAD_REQUEST
        && (code.contains("content_filter") || code.contains("content_policy_violation"))) {
      return Kind.CONTENT_FILTER;
    }
    return kind;
  }

  /**
   * How long the provider asked us to wait: OpenAI's {@code retry-after-ms} (milliseconds, may be
   * fractional, and more precise than the standard header it is sent beside) first, then the
   * standard {@code retry-after} ({@link RetryAfter#from}).
   */
  static @Nullable Duration retryAfter(UpstreamResponse response) {
    Duration millis = RetryAfter.millis(response.header("retry-after-ms"));
    return millis != null ? millis : RetryAfter.from(response);
  }
}
