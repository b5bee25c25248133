package dev.switchboard.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's {@code provider} object: how the client wants its request routed among the
 * endpoints that serve a model. Provider names are matched case-insensitively against slugs.
 *
 * @param order providers to try first, in this order
 * @param only providers allowed at all; empty means any
 * @param ignore providers never to use
 * @param allowFallbacks whether providers outside {@code order} may be tried after it
 * @param requireParameters only use endpoints that support every parameter in the request
 * @param dataCollection {@code "allow"} or {@code "deny"}; null when not given
 * @param sort {@code "price"}, {@code "throughput"} or {@code "latency"}; null when not given
 * @param extra fields of the object the gateway does not interpret yet, verbatim
 */
public record ProviderPreferences(
    List<String> order,
    List<String> only,
    List<String> ignore,
    boolean allowFallbacks,
    boolean requireParameters,
    @Nullable String dataCollection,
    @Nullable String sort,
    java.util.Map<String, RawJson> extra) {

  /** No preferences: any provider, fallbacks allowed. */
  public static final ProviderPreferences NONE =
      new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null, java.util.Map.of());

  public ProviderPreferences {
    order = List.copyOf(order);
    only = List.copyOf(only);
    ignore = List.copyOf(ignore);
    extra = java.util.Map.copyOf(extra);
  }
}
