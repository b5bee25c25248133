package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.RetryAfter;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamResponse;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Classifies Bedrock failures: non-2xx responses and the exception messages of an event stream.
 *
 * <p>Bedrock Runtime is an AWS REST-JSON service: the error's type is the {@code
 * x-amzn-ErrorType} header ({@code ThrottlingException:http://internal.amazon.com/coral/...}), or
 * {@code __type} in the body, and the body is {@code {"message": "..."}} ({@code Message} from
 * some front ends). The type decides the kind where it says more than the status
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors):
 *
 * <ul>
 *   <li>{@code ThrottlingException} (429) and {@code ServiceQuotaExceededException} (400: this
 *       account's quota, so another endpoint may well succeed) are {@code RATE_LIMITED};
 *   <li>{@code ModelErrorException} (424), {@code ModelNotReadyException} (429: the model is being
 *       brought up), {@code InternalServerException}, {@code ServiceUnavailableException} are
 *       {@code SERVER}; {@code ModelTimeoutException} (408) is {@code UPSTREAM_TIMEOUT};
 *   <li>{@code AccessDeniedException} (403, also "You don't have access to the model with the
 *       specified model ID", i.e. the model is not enabled on this account) and the signature and
 *       token errors are {@code AUTH};
 *   <li>{@code ResourceNotFoundException} is {@code NOT_FOUND}, and so is a {@code
 *       ValidationException} that only says this endpoint cannot serve the model id ("The provided
 *       model identifier is invalid", "...with on-demand throughput isn't supported"); any other
 *       {@code ValidationException} is {@code BAD_REQUEST}.
 * </ul>
 */
final class BedrockErrors {
  private BedrockErrors() {}

  /** Classifies a non-2xx response. Never throws: an unreadable body still yields an error. */
  static UpstreamError classify(UpstreamResponse response) {
    String body = response.bodyText();
    JsonNode root = parse(body);
    String type = errorType(response.header("x-amzn-errortype"), root);
    String detail = UpstreamErrors.firstText(root, "message", "Message");
    Kind kind = kind(type, response.status(), detail);
    String message = describe(type, detail, "upstream returned HTTP " + response.status());
    // Bedrock rarely sends retry-after; when a front end does, it is delta-seconds.
    Duration retryAfter = RetryAfter.seconds(response.header("retry-after"));
    return UpstreamErrors.ofResponse(kind, response, retryAfter, message);
  }

  /**
   * An exception message of a ConverseStream ({@code :message-type: exception}); its payload is
   * {@code {"message": "..."}}, plus {@code originalStatusCode}/{@code originalMessage} for {@code
   * modelStreamErrorException}. The status is the one the exception would have as an HTTP error.
   */
  static UpstreamError fromStreamException(@Nullable String exceptionType, String payload) {
    String type = exceptionType == null ? "" : exceptionType;
    JsonNode root = parse(payload);
    String detail = UpstreamErrors.firstText(root, "message", "Message");
    if (detail == null) {
      detail = UpstreamErrors.firstText(root, "originalMessage");
    }
    int status = switch (type.toLowerCase(Locale.ROOT)) {
      case "throttlingexception" -> 429;
      case "modelstreamerrorexception" -> 424;
      case "validationexception" -> 400;
      case "serviceunavailableexception" -> 503;
      case "modeltimeoutexception" -> 408;
      default -> 500;
    };
    return new UpstreamError(
        kind(type, status, detail), status, null,
        UpstreamErrors.truncate(describe(type, detail, "upstream stream failed"), UpstreamErrors.MESSAGE_LIMIT),
        payload.isEmpty() ? null : UpstreamErrors.truncate(payload, UpstreamErrors.RAW_LIMIT));
  }

  /**
   * An error message of the event-stream protocol itself ({@code :message-type: error}), which
   * carries its code and text in the {@code :error-code} and {@code :error-message} headers.
   */
  static UpstreamError fromStreamError(@Nullable String code, @Nullable String message) {
    String type = code == null ? "" : code;
    return new UpstreamError(
        kind(type, 500, message), 500, null,
        UpstreamErrors.truncate(describe(type, message, "upstream stream failed"), UpstreamErrors.MESSAGE_LIMIT), null);
  }

  static UpstreamException malformed(String message) {
    return new UpstreamException(UpstreamError.of(Kind.MALFORMED, 200, message));
  }

  private static Kind kind(String type, int status, @Nullable String detail) {
    String lower = type.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "throttlingexception", "servicequotaexceededexception" -> Kind.RATE_LIMITED;
      case "modelerrorexception", "modelnotreadyexception", "modelstreamerrorexception",
          "internalserverexception", "serviceunavailableexception", "internalfailure" -> Kind.SERVER;
      case "modeltimeoutexception" -> Kind.UPSTREAM_TIMEOUT;
      case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception",
          "incompletesignatureexception", "expiredtokenexception", "missingauthenticationtokenexception",
          "invalidclienttokenid", "signaturedoesnotmatch" -> Kind.AUTH;
      case "resourcenotfoundexception" -> Kind.NOT_FOUND;
      case "validationexception" -> servesNotThisModel(detail) ? Kind.NOT_FOUND : Kind.BAD_REQUEST;
      // 424 is Bedrock's "the model failed"; OpenAI-style status tables call it OTHER.
      default -> status == 424 ? Kind.SERVER : UpstreamError.kindForStatus(status);
    };
  }

  private static boolean servesNotThisModel(@Nullable String detail) {
    if (detail == null) {
      return false;
    }
    String lower = detail.toLowerCase(Locale.ROOT);
    return lower.contains("model identifier is invalid") || lower.contains("on-demand throughput");
  }

  /** {@code ThrottlingException: Too many requests...}, or the fallback when nothing is known. */
  private static String describe(String type, @Nullable String detail, String fallback) {
    if (detail == null || detail.isBlank()) {
      return type.isEmpty() ? fallback : type;
    }
    return type.isEmpty() ? detail : type + ": " + detail;
  }

  /** The header's type before its {@code :namespace} suffix; else the body's {@code __type} after its {@code #}. */
  private static String errorType(@Nullable String header, @Nullable JsonNode root) {
    if (header != null && !header.isBlank()) {
      int colon = header.indexOf(':');
      return (colon < 0 ? header : header.substring(0, colon)).strip();
    }
    String type = UpstreamErrors.firstText(root, "__type", "code");
    if (type == null) {
      return "";
    }
    int hash = type.lastIndexOf('#');
    return hash < 0 ? type : type.substring(hash + 1);
  }

  private static @Nullable JsonNode parse(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      JsonNode root = BedrockAdapter.JSON.readTree(body);
      return root != null && root.isObject() ? root : null;
    } catch (JacksonException notJson) {
      return null; // an HTML page from a proxy, say: classified by status alone
    }
  }
}
