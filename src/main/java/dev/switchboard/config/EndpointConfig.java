package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.Pricing;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint declared or overridden in config: a model served by one provider.
 *
 * @param model the provider's own model id; defaults to the part of the model id after the slash
 * @param pricing null keeps the bundled catalog's prices (or free, for a new endpoint)
 * @param supportedParameters null keeps the catalog's list (or the model's, for a new endpoint)
 */
public record EndpointConfig(
    String provider,
    @Nullable String model,
    @Nullable Pricing pricing,
    @Nullable Integer contextLength,
    @Nullable Integer maxCompletionTokens,
    @Nullable List<String> supportedParameters,
    boolean disabled) {
  public EndpointConfig {
    requireNonNull(provider, "provider");
    supportedParameters = supportedParameters == null ? null : List.copyOf(supportedParameters);
  }
}
