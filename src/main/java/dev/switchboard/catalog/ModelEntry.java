package dev.switchboard.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A model: its public description and the endpoints that serve it.
 *
 * @param id {@code author/slug}, OpenRouter's id
 * @param created Unix seconds when the model was published
 * @param supportedParameters the union of what its endpoints support
 * @param endpoints in no particular order; routing decides
 * @param aliases further ids that resolve to this model
 */
public record ModelEntry(
    String id,
    String canonicalSlug,
    String name,
    long created,
    String description,
    int contextLength,
    Architecture architecture,
    List<String> supportedParameters,
    List<Endpoint> endpoints,
    List<String> aliases) {
  public ModelEntry {
    requireNonNull(id, "id");
    requireNonNull(canonicalSlug, "canonicalSlug");
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(architecture, "architecture");
    supportedParameters = List.copyOf(supportedParameters);
    endpoints = List.copyOf(endpoints);
    aliases = List.copyOf(aliases);
  }
}
