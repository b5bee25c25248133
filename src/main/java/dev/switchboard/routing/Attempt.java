package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.Target;
import dev.switchboard.routing.health.EndpointId;

/** One planned try: a model on one endpoint of one configured provider. */
public record Attempt(ModelEntry model, Endpoint endpoint, ConfiguredProvider provider) {
  public Attempt {
    requireNonNull(model, "model");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
  }

  public Target target() {
    return provider.target(endpoint.providerModelId());
  }

  /** The endpoint's identity for health and statistics. */
  public EndpointId id() {
    return EndpointId.of(endpoint);
  }
}
