package dev.switchboard.routing;

import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds the {@link RoutePlan} for a request: the requested model, then its {@code models}
 * fallbacks, each expanded into the endpoints that survive the request's provider preferences, in
 * the order {@link EndpointOrder} gives them.
 *
 * <p>When nothing survives, the error says which filter removed which endpoint: a 404, as
 * OpenRouter answers a request whose preferences no endpoint satisfies ({@code no_endpoints},
 * {@code constraint_filtered}).
 *
 * <p>Thread-safe: reads an immutable catalog snapshot supplied per call.
 */
public final class RoutePlanner {
  static final String NOT_CONFIGURED = "not_configured";
  static final String FALLBACKS_DISABLED = "allow_fallbacks";

  private final Supplier<Catalog> catalog;
  private final ProviderRegistry providers;

  public RoutePlanner(Supplier<Catalog> catalog, ProviderRegistry providers) {
    this.catalog = catalog;
    this.providers = providers;
  }

  public RoutePlan plan(ChatRequest request) {
    Catalog snapshot = catalog.get();
    ProviderPreferences prefs = request.provider();
    List<String> modelIds = new ArrayList<>();
    modelIds.add(request.model());
    modelIds.addAll(request.fallbackModels());
    List<List<Attempt>> perModel = new ArrayList<>();
    List<RoutePlan.Excluded> excluded = new ArrayList<>();
    Set<String> planned = new HashSet<>();
    String strategy = null;
    for (String modelId : modelIds) {
      ModelEntry model = snapshot.find(modelId).orElseThrow(() -> new GatewayException.NotFound(
          "model '" + modelId + "' is not available on this gateway; GET /api/v1/models lists the models it serves"));
      if (!planned.add(model.id())) {
        continue; // an alias of a model already planned: its endpoints are in the plan once
      }
      List<Endpoint> kept = new ArrayList<>();
      for (Endpoint endpoint : model.endpoints()) {
        EndpointFilter.Refusal refusal = EndpointFilter.refusal(endpoint, request, prefs, false);
        if (refusal != null) {
          excluded.add(new RoutePlan.Excluded(model.id(), endpoint.providerSlug(), refusal.filter(), refusal.reason()));
        } else if (providers.find(endpoint.providerSlug()).isEmpty()) {
          excluded.add(new RoutePlan.Excluded(model.id(), endpoint.providerSlug(), NOT_CONFIGURED,
              "provider is not configured on this gateway"));
        } else {
          kept.add(endpoint);
        }
      }
      EndpointOrder.Ordered ordered = EndpointOrder.order(kept, prefs);
      strategy = strategy == null ? ordered.strategy() : strategy;
      List<Attempt> forModel = new ArrayList<>();
      for (Endpoint endpoint : ordered.endpoints()) {
        if (primaryOnly(prefs) && !forModel.isEmpty()) {
          excluded.add(new RoutePlan.Excluded(model.id(), endpoint.providerSlug(), FALLBACKS_DISABLED,
              "provider.allow_fallbacks is false and it is not the model's primary endpoint"));
        } else {
          forModel.add(new Attempt(model, endpoint, providers.find(endpoint.providerSlug()).orElseThrow()));
        }
      }
      perModel.add(forModel);
    }
    List<Attempt> attempts = "none".equals(prefs.sortPartition()) && prefs.sort() != null
        ? EndpointOrder.acrossModels(perModel, prefs.sort())
        : perModel.stream().flatMap(List::stream).toList();
    if (attempts.isEmpty()) {
      throw nothingLeft(modelIds, excluded);
    }
    return new RoutePlan(attempts, excluded, strategy == null ? "as listed" : strategy);
  }

  /**
   * OpenRouter's {@code allow_fallbacks: false} without an {@code order}: only the primary endpoint
   * of each model (the first of the planned order) may serve; with an order, the ordered
   * providers may (see {@link EndpointFilter}). Fallback models in {@code models} still apply.
   */
  private static boolean primaryOnly(ProviderPreferences prefs) {
    return !prefs.allowFallbacks() && prefs.order().isEmpty();
  }

  /** The 404 for a request no endpoint can serve, naming each endpoint and what removed it. */
  private static GatewayException nothingLeft(List<String> modelIds, List<RoutePlan.Excluded> excluded) {
    StringBuilder why = new StringBuilder("no endpoint can serve this request");
    Map<String, String> filtered = new LinkedHashMap<>();
    Set<String> excludedBy = new LinkedHashSet<>();
    for (RoutePlan.Excluded e : excluded) {
      String endpoint = e.model() + " via " + e.provider();
      why.append("; ").append(endpoint).append(": ").append(e.reason());
      filtered.put(endpoint, e.reason());
      excludedBy.add(e.filter());
    }
    Map<String, Object> availability = new LinkedHashMap<>();
    availability.put("code", excludedBy.isEmpty() || excludedBy.equals(Set.of(NOT_CONFIGURED))
        ? "no_endpoints" : "constraint_filtered");
    availability.put("retryable", false);
    availability.put("requested_models", List.copyOf(modelIds));
    availability.put("excluded_by", List.copyOf(excludedBy));
    return new GatewayException.NotFound(why.toString(), Map.of("filtered", filtered, "availability", availability));
  }
}
