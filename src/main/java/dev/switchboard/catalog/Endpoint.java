package dev.switchboard.catalog;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.Pricing;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model served by one provider.
 *
 * @param modelId the catalog model this endpoint serves ({@code author/slug})
 * @param providerSlug the configured provider that serves it
 * @param providerModelId the provider's own model id, sent upstream
 * @param maxCompletionTokens the provider's output cap, when known
 * @param quantization for open-weight models: {@code fp8}, {@code bf16}, …; null when unknown
 * @param supportedParameters request parameters this endpoint honours, OpenRouter's names
 */
public record Endpoint(
    String modelId,
    String providerSlug,
    String providerModelId,
    Pricing pricing,
    int contextLength,
    @Nullable Integer maxCompletionTokens,
    @Nullable String quantization,
    DataPolicy dataPolicy,
    List<String> supportedParameters) {
  public Endpoint {
    requireNonNull(modelId, "modelId");
    requireNonNull(providerSlug, "providerSlug");
    requireNonNull(providerModelId, "providerModelId");
    requireNonNull(pricing, "pricing");
    requireNonNull(dataPolicy, "dataPolicy");
    supportedParameters = List.copyOf(supportedParameters);
  }

  /** Whether this endpoint honours a parameter, by OpenRouter's parameter name. */
  public boolean supports(String parameter) {
    return supportedParameters.contains(parameter);
  }
}
