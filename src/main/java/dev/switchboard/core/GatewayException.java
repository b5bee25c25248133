package dev.switchboard.core;

import static java.util.Objects.requireNonNullElse;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The root of every error a client can see. Each subclass fixes the HTTP status; the message is
 * written for the client (never a credential or a stack trace) and says what to change.
 *
 * <p>Expected failures are created without stack traces: they are control flow, not bugs.
 */
public abstract sealed class GatewayException extends RuntimeException
    permits GatewayException.InvalidRequest,
        GatewayException.Unauthenticated,
        GatewayException.PaymentRequired,
        GatewayException.Forbidden,
        GatewayException.NotFound,
        GatewayException.RequestTimeout,
        GatewayException.PayloadTooLarge,
        GatewayException.RateLimited,
        GatewayException.UpstreamFailure,
        GatewayException.NoEndpointAvailable {

  private final int status;
  private final Map<String, Object> metadata;

  private GatewayException(int status, String message, Map<String, Object> metadata) {
    super(message, null, false, false);
    this.status = status;
    this.metadata = Map.copyOf(metadata);
  }

  /** Never null: every gateway error is constructed with the message the client will read. */
  @Override
  public String getMessage() {
    return requireNonNullElse(super.getMessage(), "");
  }

  /** The HTTP status the client receives. */
  public int status() {
    return status;
  }

  /** Extra structured detail for the error envelope's {@code metadata}; may be empty. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** 400: the request is malformed; the message names the field and what is wrong with it. */
  public static final class InvalidRequest extends GatewayException {
    private final @Nullable String param;

    public InvalidRequest(@Nullable String param, String message) {
      super(400, message, param == null ? Map.of() : Map.of("param", param));
      this.param = param;
    }

    public @Nullable String param() {
      return param;
    }
  }

  /** 401: no key, an unknown key, or a disabled one. */
  public static final class Unauthenticated extends GatewayException {
    public Unauthenticated(String message) {
      super(401, message, Map.of());
    }
  }

  /** 402: out of credits or over the key's spending limit. */
  public static final class PaymentRequired extends GatewayException {
    public PaymentRequired(String message) {
      super(402, message, Map.of());
    }
  }

  /** 403: the key may not do this. */
  public static final class Forbidden extends GatewayException {
    public Forbidden(String message) {
      super(403, message, Map.of());
    }
  }

  /** 404: unknown model or resource, or no endpoint of the model satisfies the request's preferences. */
  public static final class NotFound extends GatewayException {
    public NotFound(String message) {
      super(404, message, Map.of());
    }

    /** With structured detail, such as which routing filter removed which endpoint. */
    public NotFound(String message, Map<String, Object> metadata) {
      super(404, message, metadata);
    }
  }

  /** 408: the upstream did not answer in time. */
  public static final class RequestTimeout extends GatewayException {
    public RequestTimeout(String message, Map<String, Object> metadata) {
      super(408, message, metadata);
    }
  }

  /** 413: the request body exceeds the configured limit. */
  public static final class PayloadTooLarge extends GatewayException {
    public PayloadTooLarge(String message) {
      super(413, message, Map.of());
    }
  }

  /** 429: too many requests, for the key or from the upstream. */
  public static final class RateLimited extends GatewayException {
    private final @Nullable Long retryAfterSeconds;

    public RateLimited(String message, @Nullable Long retryAfterSeconds, Map<String, Object> metadata) {
      super(429, message, metadata);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public @Nullable Long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** 502: the upstream failed; metadata names the provider and carries its raw error. */
  public static final class UpstreamFailure extends GatewayException {
    public UpstreamFailure(String message, Map<String, Object> metadata) {
      super(502, message, metadata);
    }
  }

  /** 503: no endpoint could take the request (all filtered out, all down). */
  public static final class NoEndpointAvailable extends GatewayException {
    public NoEndpointAvailable(String message, Map<String, Object> metadata) {
      super(503, message, metadata);
    }
  }
}
