package dev.switchboard.provider;

import static java.util.Objects.requireNonNull;

/**
 * Where one attempt goes: a model served by one configured provider.
 *
 * @param providerSlug the configured provider's slug (for example {@code openai}, {@code groq})
 * @param providerModelId the provider's own id for the model
 * @param baseUrl the provider's base URL, without a trailing slash (for example
 *     {@code https://api.openai.com/v1})
 * @param http2 send it over HTTP/2 (the provider's {@code http2} setting)
 */
public record Target(String providerSlug, String providerModelId, String baseUrl, boolean http2) {
  public Target {
    requireNonNull(providerSlug, "providerSlug");
    requireNonNull(providerModelId, "providerModelId");
    requireNonNull(baseUrl, "baseUrl");
    if (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
  }

  /** A target reached over HTTP/1.1. */
  public Target(String providerSlug, String providerModelId, String baseUrl) {
    this(providerSlug, providerModelId, baseUrl, false);
  }
}
