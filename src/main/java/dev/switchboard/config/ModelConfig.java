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
 */
public record ModelConfig(
    String id,
    @Nullable String name,
    @Nullable String description,
    @Nullable Integer contextLength,
    List<EndpointConfig> endpoints,
    List<String> aliases,
    boolean disabled) {
  public ModelConfig {
    requireNonNull(id, "id");
    endpoints = List.copyOf(endpoints);
    aliases = List.copyOf(aliases);
  }
}
