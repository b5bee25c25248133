package dev.switchboard.http.responses;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * Where a Responses answer stands: its {@code status}, and why when it did not complete.
 *
 * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
 * @param incompleteReason {@code max_output_tokens} or {@code content_filter} when incomplete
 * @param errorCode OpenAI's {@code ResponseErrorCode} when failed
 */
record ResponseState(
    String status, @Nullable String incompleteReason, @Nullable String errorCode, @Nullable String errorMessage) {

  static final ResponseState IN_PROGRESS = new ResponseState("in_progress", null, null, null);

  ResponseState {
    requireNonNull(status, "status");
  }

  /** How an answer that finished for {@code reason} ended (no reason: it completed). */
  static ResponseState of(@Nullable FinishReason reason) {
    return switch (reason) {
      case LENGTH -> new ResponseState("incomplete", "max_output_tokens", null, null);
      case CONTENT_FILTER -> new ResponseState("incomplete", "content_filter", null, null);
      case ERROR -> new ResponseState("failed", null, "server_error", "the model stopped with an error");
      case null, default -> new ResponseState("completed", null, null, null);
    };
  }

  /** An answer cut short by {@code error}. */
  static ResponseState failed(GatewayException error) {
    return new ResponseState("failed", null, errorCode(error.status()), error.getMessage());
  }

  /** OpenAI's {@code ResponseErrorCode} closest to an HTTP status. */
  static String errorCode(int status) {
    return switch (status) {
      case 429 -> "rate_limit_exceeded";
      case 400 -> "invalid_prompt";
      default -> "server_error";
    };
  }

  /** The status of the output items of an answer in this state. */
  String itemStatus() {
    return switch (status) {
      case "completed" -> "completed";
      case "in_progress" -> "in_progress";
      default -> "incomplete";
    };
  }

  /** The stream event that ends an answer in this state. */
  String finalEvent() {
    return switch (status) {
      case "incomplete" -> "response.incomplete";
      case "failed" -> "response.failed";
      default -> "response.completed";
    };
  }
}
