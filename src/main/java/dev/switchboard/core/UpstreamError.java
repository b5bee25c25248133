package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failed upstream attempt, as a value: the attempt loop switches on {@link #kind()} to decide
 * whether to try the next endpoint.
 *
 * @param status the upstream HTTP status, or 0 when no response arrived
 * @param retryAfter how long the provider asked us to wait, when it said
 * @param message a short description safe to show a client (never a credential)
 * @param raw the provider's error body, verbatim and truncated, or null
 */
public record UpstreamError(
    Kind kind,
    int status,
    @Nullable Duration retryAfter,
    String message,
    @Nullable String raw) {

  /** What went wrong, as far as routing cares. */
  public enum Kind {
    /** TCP connect failed or was refused. */
    CONNECT(true),
    /** No response (or no first byte) before the deadline. */
    TIMEOUT(true),
    /** The connection broke mid-response. */
    RESET(true),
    /** 429 from the provider. */
    RATE_LIMITED(true),
    /** 5xx, or 529 overloaded. */
    SERVER(true),
    /** 408 from the provider. */
    UPSTREAM_TIMEOUT(true),
    /** 400/422: the request itself is bad; another provider would say the same. */
    BAD_REQUEST(false),
    /** 401/403: the gateway's credentials for this provider are wrong. */
    AUTH(true),
    /** 404: the provider does not serve this model (any more). */
    NOT_FOUND(true),
    /** 402 from the provider: the operator's account there is out of funds. */
    PAYMENT(true),
    /** The provider refused on content grounds. */
    CONTENT_FILTER(false),
    /** The provider sent something we could not parse. */
    MALFORMED(true),
    /** The client went away; nothing to retry for. */
    CANCELLED(false),
    /** Anything else. */
    OTHER(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether another endpoint may succeed where this one failed (before the first byte). */
    public boolean retryable() {
      return retryable;
    }
  }

  public UpstreamError {
    requireNonNull(kind, "kind");
    requireNonNull(message, "message");
  }

  public boolean retryable() {
    return kind.retryable();
  }

  public static UpstreamError of(Kind kind, int status, String message) {
    return new UpstreamError(kind, status, null, message, null);
  }

  /** Classifies an HTTP status the way every OpenAI-like provider uses it. */
  public static Kind kindForStatus(int status) {
    return switch (status) {
      case 400, 413, 422 -> Kind.BAD_REQUEST;
      case 401, 403 -> Kind.AUTH;
      case 402 -> Kind.PAYMENT;
      case 404 -> Kind.NOT_FOUND;
      case 408 -> Kind.UPSTREAM_TIMEOUT;
      case 429 -> Kind.RATE_LIMITED;
      default -> status >= 500 ? Kind.SERVER : Kind.OTHER;
    };
  }
}
