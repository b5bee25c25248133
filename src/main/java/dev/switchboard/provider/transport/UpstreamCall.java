package dev.switchboard.provider.transport;

import static java.util.Objects.requireNonNull;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;

/** Everything the transport needs for one attempt. */
public record UpstreamCall(
    Target target,
    UpstreamRequest request,
    UpstreamAuth auth,
    TimeoutConfig timeouts,
    Cancellation cancellation) {
  public UpstreamCall {
    requireNonNull(target, "target");
    requireNonNull(request, "request");
    requireNonNull(auth, "auth");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(cancellation, "cancellation");
  }

  public String url() {
    return target.baseUrl() + request.path();
  }
}
