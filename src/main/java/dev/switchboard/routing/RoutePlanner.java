package dev.switchboard.routing;

import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.EmbeddingAdapter;
import dev.switchboard.provider.ProviderRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link RoutePlan} for a request: the requested model, then its {@code models}
 * fallbacks, each expanded into the endpoints that survive the request's provider preferences,
 * cheapest first unless {@code provider.order} says otherwise.
 *
 * <p>Chat and embeddings share the rules; what differs is which models may be named (a model
 * whose output is embeddings cannot chat, and only such a model can embed: either mistake is a
 * 400) and, for embeddings, that only providers whose adapter is an {@link EmbeddingAdapter} can
 * serve.
 *
 * <p>Pure and thread-safe: reads an immutable catalog snapshot supplied per call.
 */
public final class RoutePlanner {
  private final Supplier<Catalog> catalog;
  private final ProviderRegistry providers;

  public RoutePlanner(Supplier<Catalog> catalog, ProviderRegistry providers) {
    this.catalog = catalog;
    this.providers = providers;
  }

  public RoutePlan plan(ChatRequest request) {
    return plan(Purpose.CHAT, request.model(), request.fallbackModels(), request.provider(),
        request.requestedParameters());
  }

  /** The plan for an embeddings request: only embedding models, on providers that can embed. */
  public RoutePlan plan(EmbeddingRequest request) {
    return plan(Purpose.EMBEDDINGS, request.model(), request.fallbackModels(), request.provider(),
        request.requestedParameters());
  }

  /** What a request asks a model to do; decides which models and providers qualify. */
  private enum Purpose {
    CHAT,
    EMBEDDINGS
  }

  private RoutePlan plan(Purpose purpose, String requestedModel, List<String> fallbackModels,
      ProviderPreferences prefs, List<String> requestedParameters) {
    Catalog snapshot = catalog.get();
    List<String> modelIds = new ArrayList<>();
    modelIds.add(requestedModel);
    modelIds.addAll(fallbackModels);
    List<Attempt> attempts = new ArrayList<>();
    Map<String, String> removed = new LinkedHashMap<>();
    Set<String> planned = new HashSet<>();
    for (String modelId : modelIds) {
      ModelEntry model = snapshot.find(modelId).orElseThrow(() -> new GatewayException.NotFound(
          "model '" + modelId + "' is not available on this gateway; GET " + listing(purpose)
              + " lists the models it serves"));
      requireFitFor(purpose, model, modelId.equals(requestedModel) ? "model" : "models");
      if (!planned.add(model.id())) {
        continue; // an alias of a model already planned: its endpoints are in the plan once
      }
      List<Endpoint> kept = new ArrayList<>();
      for (Endpoint endpoint : model.endpoints()) {
        String reason = exclusion(endpoint, requestedParameters, prefs);
        if (reason == null) {
          kept.add(endpoint);
        } else {
          removed.put(model.id() + " via " + endpoint.providerSlug(), reason);
        }
      }
      List<Attempt> forModel = new ArrayList<>();
      for (Endpoint endpoint : order(kept, prefs)) {
        ConfiguredProvider provider = providers.find(endpoint.providerSlug()).orElse(null);
        if (provider == null) {
          removed.put(model.id() + " via " + endpoint.providerSlug(), "provider is not configured on this gateway");
        } else if (purpose == Purpose.EMBEDDINGS && !(provider.adapter() instanceof EmbeddingAdapter)) {
          removed.put(model.id() + " via " + endpoint.providerSlug(),
              "its adapter (kind " + provider.adapter().kind() + ") cannot serve embeddings");
        } else if (primaryOnly(prefs) && !forModel.isEmpty()) {
          removed.put(model.id() + " via " + endpoint.providerSlug(),
              "provider.allow_fallbacks is false and it is not the model's primary endpoint");
        } else {
          forModel.add(new Attempt(model, endpoint, provider));
        }
      }
      attempts.addAll(forModel);
    }
    if (attempts.isEmpty()) {
      StringBuilder why = new StringBuilder("no endpoint can serve this request");
      removed.forEach((endpoint, reason) -> why.append("; ").append(endpoint).append(": ").append(reason));
      throw new GatewayException.NoEndpointAvailable(why.toString(), Map.of("filtered", removed));
    }
    return new RoutePlan(attempts);
  }

  private static String listing(Purpose purpose) {
    return purpose == Purpose.EMBEDDINGS ? "/api/v1/embeddings/models" : "/api/v1/models";
  }

  /** A chat request cannot name an embedding model, nor an embeddings request a chat model. */
  private static void requireFitFor(Purpose purpose, ModelEntry model, String param) {
    boolean embeds = model.architecture().outputsEmbeddings();
    if (purpose == Purpose.CHAT && embeds) {
      throw new GatewayException.InvalidRequest(param, "model '" + model.id()
          + "' is an embeddings model and cannot chat; send it to POST /api/v1/embeddings instead");
    }
    if (purpose == Purpose.EMBEDDINGS && !embeds) {
      throw new GatewayException.InvalidRequest(param, "model '" + model.id()
          + "' does not produce embeddings; GET /api/v1/embeddings/models lists the models that do");
    }
  }

  /**
   * OpenRouter's {@code allow_fallbacks: false} without an {@code order}: only the primary endpoint
   * of each model (the first of the planned order) may serve; with an order, the ordered
   * providers may (see {@link #exclusion}). Fallback models in {@code models} still apply.
   */
  private static boolean primaryOnly(ProviderPreferences prefs) {
    return !prefs.allowFallbacks() && prefs.order().isEmpty();
  }

  /** Why {@code endpoint} may not serve this request, or null when it may. */
  private static @Nullable String exclusion(Endpoint endpoint, List<String> requestedParameters,
      ProviderPreferences prefs) {
    String slug = endpoint.providerSlug();
    if (!prefs.only().isEmpty() && !containsIgnoreCase(prefs.only(), slug)) {
      return "not in provider.only";
    }
    if (containsIgnoreCase(prefs.ignore(), slug)) {
      return "in provider.ignore";
    }
    if (!prefs.allowFallbacks() && !prefs.order().isEmpty() && !containsIgnoreCase(prefs.order(), slug)) {
      return "not in provider.order and provider.allow_fallbacks is false";
    }
    if ("deny".equals(prefs.dataCollection())
        && (endpoint.dataPolicy().training() || endpoint.dataPolicy().retainsPrompts())) {
      return "provider.data_collection is deny and this provider may store or train on prompts";
    }
    if (prefs.requireParameters()) {
      for (String parameter : requestedParameters) {
        if (!endpoint.supports(parameter)) {
          return "provider.require_parameters is true and it does not support '" + parameter + "'";
        }
      }
    }
    return null;
  }

  private static List<Endpoint> order(List<Endpoint> endpoints, ProviderPreferences prefs) {
    List<Endpoint> byPrice = new ArrayList<>(endpoints);
    byPrice.sort(Comparator.comparing(RoutePlanner::unitPrice));
    if (prefs.order().isEmpty()) {
      return byPrice;
    }
    List<Endpoint> ordered = new ArrayList<>();
    for (String wanted : prefs.order()) {
      for (Endpoint endpoint : byPrice) {
        if (endpoint.providerSlug().equalsIgnoreCase(wanted) && !ordered.contains(endpoint)) {
          ordered.add(endpoint);
        }
      }
    }
    for (Endpoint endpoint : byPrice) {
      if (!ordered.contains(endpoint)) {
        ordered.add(endpoint);
      }
    }
    return ordered;
  }

  /** A single comparable price: a typical 3:1 prompt-to-completion token mix. */
  private static BigDecimal unitPrice(Endpoint endpoint) {
    return endpoint.pricing().prompt().multiply(BigDecimal.valueOf(3)).add(endpoint.pricing().completion());
  }

  private static boolean containsIgnoreCase(List<String> names, String slug) {
    String lower = slug.toLowerCase(Locale.ROOT);
    for (String name : names) {
      if (name.toLowerCase(Locale.ROOT).equals(lower)) {
        return true;
      }
    }
    return false;
  }
}
