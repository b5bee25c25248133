package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.RetryAfter;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Classifies Gemini failures: non-2xx responses, and error envelopes inside a 200 body or a stream.
 *
 * <p>Google APIs answer with a {@code google.rpc.Status} (https://cloud.google.com/apis/design/errors):
 * {@code {"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED", "details":
 * [...]}}}. The canonical {@code status} name decides the kind when present (it is more precise
 * than the HTTP status, and it is all a mid-stream error has besides {@code code}); the HTTP status
 * decides otherwise.
 */
final class GeminiErrors {
  private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
  private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

  private GeminiErrors() {}

  /** Classifies a non-2xx response. Never throws: an unreadable body still yields an error. */
  static UpstreamError classify(UpstreamResponse response) {
    JsonNode error = errorObject(response.bodyText());
    int status = response.status();
    // Google's front ends send the standard header on some 429s and 503s; RetryInfo otherwise.
    Duration retryAfter = RetryAfter.from(response);
    if (retryAfter == null && error != null) {
      retryAfter = retryDelay(error);
    }
    String message = UpstreamErrors.firstText(error, "message");
    return UpstreamErrors.ofResponse(kind(status, error), response, retryAfter, message);
  }

  /**
   * Classifies an error envelope that arrived with HTTP 200, in a stream frame or a body. Its
   * {@code code} is the HTTP status the error would have had.
   *
   * @param raw the text the error came in, kept truncated for logs
   */
  static UpstreamError fromBodyError(JsonNode error, String raw) {
    JsonNode code = error.path("code");
    int status = code.canConvertToInt() && code.asInt() >= 400 && code.asInt() < 600 ? code.asInt() : 200;
    Kind kind = kind(status, error);
    if (kind == Kind.OTHER) {
      kind = Kind.SERVER; // an unexplained failure after the stream began: the server's fault
    }
    return UpstreamErrors.inBody(kind, status, retryDelay(error), UpstreamErrors.firstText(error, "message"), raw);
  }

  /** The inside of an error envelope, or null when the body is not one. */
  static @Nullable JsonNode errorObject(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      JsonNode root = GeminiAdapter.JSON.readTree(body);
      // Some front ends wrap the envelope in a one-element array (the non-SSE stream format).
      if (root != null && root.isArray() && root.size() == 1) {
        root = root.get(0);
      }
      JsonNode error = root == null ? null : root.get("error");
      return error != null && error.isObject() ? error : null;
    } catch (JacksonException notJson) {
      return null; // an HTML page from a proxy or load balancer
    }
  }

  private static Kind kind(int status, @Nullable JsonNode error) {
    if (error != null && apiKeyProblem(error)) {
      // "API key not valid. Please pass a valid API key." arrives as 400 INVALID_ARGUMENT; routing
      // must treat it as the operator's credential problem, not as the client's bad request.
      return Kind.AUTH;
    }
    String rpcStatus = error == null ? "" : error.path("status").asText("");
    return switch (rpcStatus) {
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> Kind.BAD_REQUEST;
      case "UNAUTHENTICATED", "PERMISSION_DENIED" -> Kind.AUTH;
      case "NOT_FOUND" -> Kind.NOT_FOUND;
      case "RESOURCE_EXHAUSTED" -> Kind.RATE_LIMITED;
      case "DEADLINE_EXCEEDED" -> Kind.UPSTREAM_TIMEOUT;
      case "INTERNAL", "UNAVAILABLE", "UNKNOWN", "ABORTED", "DATA_LOSS" -> Kind.SERVER;
      default -> status == 504 ? Kind.UPSTREAM_TIMEOUT : UpstreamError.kindForStatus(status);
    };
  }

  private static boolean apiKeyProblem(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      if (ERROR_INFO.equals(detail.path("@type").asText()) && detail.path("reason").asText("").startsWith("API_KEY_")) {
        return true;
      }
    }
    return false;
  }

  /** {@code RetryInfo.retryDelay}, a protobuf Duration in JSON: {@code "29s"}, {@code "1.5s"}. */
  static @Nullable Duration retryDelay(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      if (RETRY_INFO.equals(detail.path("@type").asText())) {
        String delay = detail.path("retryDelay").asText("").strip();
        if (delay.endsWith("s")) {
          try {
            BigDecimal seconds = new BigDecimal(delay.substring(0, delay.length() - 1));
            if (seconds.signum() >= 0) {
              return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
            }
          } catch (NumberFormatException | ArithmeticException ignored) {
            // not a duration; no hint
          }
        }
      }
    }
    return null;
  }

  static UpstreamException malformed(String message) {
    return new UpstreamException(UpstreamError.of(Kind.MALFORMED, 200, message));
  }
}
