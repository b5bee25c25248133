package dev.switchboard.routing.health;

import static java.util.Objects.requireNonNull;

import dev.switchboard.catalog.Endpoint;

/**
 * Which endpoint a health or statistics record is about: a catalog model served by a configured
 * provider. Stable across catalog reloads (prices may change; the endpoint stays the same one).
 */
public record EndpointId(String model, String provider) {
  public EndpointId {
    requireNonNull(model, "model");
    requireNonNull(provider, "provider");
  }

  public static EndpointId of(Endpoint endpoint) {
    return new EndpointId(endpoint.modelId(), endpoint.providerSlug());
  }

  /** {@code model via provider}, as error messages and the routing explanation name endpoints. */
  @Override
  public String toString() {
    return model + " via " + provider;
  }
}
