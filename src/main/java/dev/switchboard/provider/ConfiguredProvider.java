package dev.switchboard.provider;

import static java.util.Objects.requireNonNull;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.provider.transport.UpstreamAuth;

/**
 * A provider as the operator configured it: the adapter that speaks its protocol, where it is,
 * how to authenticate and how long to wait.
 *
 * @param slug the configured name ({@code openai}, {@code groq}, {@code mock}, …)
 * @param baseUrl without a trailing slash
 * @param headers the operator's extra headers for every request to this provider; they win over
 *     the adapter's own (so an operator can, say, opt into a provider's beta header)
 * @param http2 requests to it go over HTTP/2 ({@link dev.switchboard.config.ProviderConfig#http2})
 */
public record ConfiguredProvider(
    String slug, ProviderAdapter adapter, String baseUrl, UpstreamAuth auth, TimeoutConfig timeouts,
    java.util.Map<String, String> headers, boolean http2) {
  public ConfiguredProvider {
    requireNonNull(slug, "slug");
    requireNonNull(adapter, "adapter");
    requireNonNull(baseUrl, "baseUrl");
    requireNonNull(auth, "auth");
    requireNonNull(timeouts, "timeouts");
    headers = java.util.Map.copyOf(headers);
  }

  /** A provider without extra headers. */
  public ConfiguredProvider(String slug, ProviderAdapter adapter, String baseUrl, UpstreamAuth auth,
      TimeoutConfig timeouts) {
    this(slug, adapter, baseUrl, auth, timeouts, java.util.Map.of());
  }

  /** A provider reached over HTTP/1.1. */
  public ConfiguredProvider(String slug, ProviderAdapter adapter, String baseUrl, UpstreamAuth auth,
      TimeoutConfig timeouts, java.util.Map<String, String> headers) {
    this(slug, adapter, baseUrl, auth, timeouts, headers, false);
  }

  /** This provider, reached over HTTP/2 or not. */
  public ConfiguredProvider withHttp2(boolean http2) {
    return new ConfiguredProvider(slug, adapter, baseUrl, auth, timeouts, headers, http2);
  }

  /** The target of one attempt at {@code providerModelId} on this provider. */
  public Target target(String providerModelId) {
    return new Target(slug, providerModelId, baseUrl, http2);
  }
}
