package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model added to, or overriding one in, the bundled catalog. Unset fields keep the catalog's
 * values; endpoints given here replace the catalog endpoint of the same provider.
 *
 * @param aliases extra ids that resolve to this model
 * @param disabled removes the model from the catalog
 * @param outputModalities what the model produces, OpenRouter's names ({@code [embeddings]} for an
 *     embeddings model); null keeps the catalog's (or text, for a new model)
 */
public record ModelConfig(
    String id,
    @Nullable String name,
    @Nullable String description,
    @Nullable Integer contextLength,
    List<EndpointConfig> endpoints,
    List<String> aliases,
    boolean disabled,
    @Nullable List<String> outputModalities) {
  public ModelConfig {
    requireNonNull(id, "id");
    endpoints = List.copyOf(endpoints);
    aliases = List.copyOf(aliases);
    outputModalities = outputModalities == null ? null : List.copyOf(outputModalities);
  }

  /** A model entry that keeps the catalog's output modalities. */
  public ModelConfig(
      String id,
      @Nullable String name,
      @Nullable String description,
      @Nullable Integer contextLength,
      List<EndpointConfig> endpoints,
      List<String> aliases,
      boolean disabled) {
    this(id, name, description, contextLength, endpoints, aliases, disabled, null);
  }
}
