package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One configured upstream provider.
 *
 * @param slug the key under {@code providers:}; what endpoints and {@code provider.order} name
 * @param kind the protocol: {@code openai}, {@code openai-compatible}, {@code azure-openai}, and
 *     the native adapters' kinds
 * @param profile the built-in openai-compatible profile to start from (defaults to the slug when
 *     one of that name exists)
 * @param baseUrl overrides the kind's or profile's base URL
 * @param apiKey null for providers that need none (local servers) or that sign requests instead
 * @param headers extra headers sent on every request
 * @param apiVersion Azure OpenAI's {@code api-version}; null for the adapter's default
 * @param region the cloud region (AWS Bedrock); null to take it from the environment
 * @param aws AWS credentials for SigV4 signing; null to take them from the environment
 * @param http2 speak HTTP/2 to this provider: negotiated by ALPN over {@code https} (HTTP/1.1 when the
 *     server offers only that), with prior knowledge ({@code h2c}) over plain {@code http}, which only
 *     servers that speak cleartext HTTP/2 accept. Many concurrent requests then share a few connections.
 */
public record ProviderConfig(
    String slug,
    String kind,
    @Nullable String profile,
    @Nullable String baseUrl,
    @Nullable Secret apiKey,
    Map<String, String> headers,
    TimeoutConfig timeouts,
    boolean enabled,
    @Nullable String apiVersion,
    @Nullable String region,
    @Nullable AwsCredentials aws,
    boolean http2) {
  public ProviderConfig {
    requireNonNull(slug, "slug");
    requireNonNull(kind, "kind");
    headers = Map.copyOf(headers);
    requireNonNull(timeouts, "timeouts");
  }

  /**
   * Like the record's own, but with header values redacted: a header is a common way to pass a
   * credential ({@code Authorization}, {@code api-key}), and config records end up in logs.
   */
  @Override
  public String toString() {
    StringBuilder redacted = new StringBuilder("{");
    headers.keySet().stream().sorted().forEach(name -> {
      redacted.append(redacted.length() > 1 ? ", " : "").append(name).append("=***");
    });
    return "ProviderConfig[slug=" + slug + ", kind=" + kind + ", profile=" + profile + ", baseUrl=" + baseUrl
        + ", apiKey=" + apiKey + ", headers=" + redacted.append('}') + ", timeouts=" + timeouts
        + ", enabled=" + enabled + ", apiVersion=" + apiVersion + ", region=" + region + ", aws=" + aws
        + ", http2=" + http2 + "]";
  }

  /** A provider with no cloud-specific settings. */
  public ProviderConfig(String slug, String kind, @Nullable String profile, @Nullable String baseUrl,
      @Nullable Secret apiKey, Map<String, String> headers, TimeoutConfig timeouts, boolean enabled) {
    this(slug, kind, profile, baseUrl, apiKey, headers, timeouts, enabled, null, null, null, false);
  }

  /**
   * AWS credentials for SigV4.
   *
   * @param sessionToken for temporary credentials; null otherwise
   */
  public record AwsCredentials(String accessKeyId, Secret secretAccessKey, @Nullable Secret sessionToken) {
    public AwsCredentials {
      requireNonNull(accessKeyId, "accessKeyId");
      requireNonNull(secretAccessKey, "secretAccessKey");
    }
  }
}
