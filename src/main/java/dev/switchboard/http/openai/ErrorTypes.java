package dev.switchboard.http.openai;

/**
 * OpenRouter's canonical {@code ApiErrorType} for an HTTP status, written as {@code
 * metadata.error_type} on errors.
 *
 * <p>OpenRouter's SDK requires {@code error_type} whenever a stream chunk's error carries {@code
 * metadata}, so a mid-stream error without it fails the client's validation instead of surfacing
 * as an error.
 */
public final class ErrorTypes {
  private ErrorTypes() {}

  /** The {@code ApiErrorType} value for {@code status}; {@code unmapped} when none fits. */
  public static String of(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "authentication";
      case 402 -> "payment_required";
      case 403 -> "permission_denied";
      case 404 -> "not_found";
      case 408, 504, 524 -> "timeout";
      case 412 -> "precondition_failed";
      case 413 -> "payload_too_large";
      case 422 -> "unprocessable";
      case 429 -> "rate_limit_exceeded";
      case 502 -> "provider_unavailable";
      case 503, 529 -> "provider_overloaded";
      default -> status >= 500 ? "server" : "unmapped";
    };
  }
}
