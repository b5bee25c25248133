package dev.switchboard.routing;

import java.util.Map;
import dev.switchboard.provider.EmbeddingAdapter;
import dev.switchboard.core.EmbeddingRequest;
import static java.util.Objects.requireNonNull;

import dev.switchboard.catalog.Catalog;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.routing.EndpointOrder.Candidate;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointHealth.Verdict;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link RoutePlan} for a request: the requested model, then its {@code models}
 * fallbacks, each expanded into the endpoints that survive the request's provider preferences and
 * are not kept away by their health, in the order {@link EndpointOrder} gives them.
 *
 * <p>When nothing survives, {@link NoRoute} says which filter removed which endpoint.
 *
 * <p>Thread-safe: reads an immutable catalog snapshot supplied per call, and thread-safe health and
 * statistics.
 */
public final class RoutePlanner {
  static final String NOT_CONFIGURED = "not_configured";
  static final String FALLBACKS_DISABLED = "allow_fallbacks";

  private final Supplier<Catalog> catalog;
  private final ProviderRegistry providers;
  private final Parts parts;

  /**
   * What the planner reads besides the catalog.
   *
   * @param random uniform numbers in [0, 1) for load balancing; thread-safe
   * @param clock for the retry-after times in errors
   */
  public record Parts(EndpointHealth health, EndpointStats stats, DoubleSupplier random, InstantSource clock,
      Presets presets, SessionAffinity affinity) {
    public Parts {
      requireNonNull(health, "health");
      requireNonNull(stats, "stats");
      requireNonNull(random, "random");
      requireNonNull(clock, "clock");
      requireNonNull(presets, "presets");
      requireNonNull(affinity, "affinity");
    }

    /** Parts without presets, and with a session affinity of its own. */
    public Parts(EndpointHealth health, EndpointStats stats, DoubleSupplier random, InstantSource clock) {
      this(health, stats, random, clock, Presets.NONE, new SessionAffinity(RoutingConfig.DEFAULT_SESSION_TTL));
    }

    /** Every endpoint healthy, no statistics, a thread-local random source, the system clock. */
    public static Parts defaults() {
      return new Parts(EndpointHealth.none(), new EndpointStats(InstantSource.system()),
          () -> ThreadLocalRandom.current().nextDouble(), InstantSource.system());
    }
  }

  public RoutePlanner(Supplier<Catalog> catalog, ProviderRegistry providers) {
    this(catalog, providers, Parts.defaults());
  }

  public RoutePlanner(Supplier<Catalog> catalog, ProviderRegistry providers, Parts parts) {
    this.catalog = catalog;
    this.providers = providers;
    this.parts = parts;
  }

  public RoutePlan plan(ChatRequest request) {
    return plan(request, null);
  }

  /**
   * Plans {@code asked}: its preset merged under it, its model variants resolved.
   *
   * @param scope whose conversations a session id names (the caller's account), so two callers'
   *     equal session ids never share a pin; null for no scope
   */
  public RoutePlan plan(ChatRequest asked, @Nullable String scope) {
    return plan(asked, scope, Purpose.CHAT, null);
  }

  /**
   * The plan for an embeddings request: only embedding models, on providers whose adapter can
   * embed. The request's model, fallbacks and provider preferences route it like a chat request.
   */
  public RoutePlan plan(EmbeddingRequest request) {
    ChatRequest routing = new ChatRequest(request.model(), request.fallbackModels(), List.of(), List.of(), null,
        null, null, null, null, null, null, List.of(), null, null, request.user(), false, false,
        request.provider(), Map.of(), null);
    return plan(routing, null, Purpose.EMBEDDINGS, request.requestedParameters());
  }

  /** What a request asks a model to do; decides which models and providers qualify. */
  private enum Purpose {
    CHAT,
    EMBEDDINGS
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

  /** @param requested the request's parameters as OpenRouter names them; null to take the chat request's */
  private RoutePlan plan(ChatRequest asked, @Nullable String scope, Purpose purpose,
      @Nullable List<String> requested) {
    ChatRequest request = parts.presets().apply(asked);
    List<String> parameters = requested != null ? requested : request.requestedParameters();
    Catalog snapshot = catalog.get();
    ProviderPreferences prefs = request.provider();
    String session = session(request, scope);
    List<String> modelIds = new ArrayList<>();
    modelIds.add(request.model());
    modelIds.addAll(request.fallbackModels());
    List<Candidate> candidates = new ArrayList<>();
    List<RoutePlan.Excluded> excluded = new ArrayList<>();
    List<Verdict.Unavailable> blocked = new ArrayList<>();
    Set<String> planned = new HashSet<>();
    String strategy = null;
    for (String modelId : modelIds) {
      ModelVariant variant = snapshot.find(modelId).isPresent() ? null : ModelVariant.parse(modelId);
      String id = variant == null ? modelId : variant.modelId();
      ModelEntry model = snapshot.find(id).orElseThrow(() -> new GatewayException.NotFound(
          "model '" + modelId + "' is not available on this gateway; GET "
              + (purpose == Purpose.EMBEDDINGS ? "/api/v1/embeddings/models" : "/api/v1/models")
              + " lists the models it serves"));
      requireFitFor(purpose, model, modelId.equals(request.model()) ? "model" : "models");
      if (!planned.add(model.id() + (variant == null ? "" : ":" + variant.suffix()))) {
        continue; // an alias of a model already planned: its endpoints are in the plan once
      }
      List<Candidate> kept = new ArrayList<>();
      for (Endpoint endpoint : model.endpoints()) {
        Candidate candidate = candidate(model, endpoint, parameters, prefs, variant != null && variant.freeOnly(),
            excluded, blocked);
        if (candidate != null) {
          kept.add(candidate);
        }
      }
      String sortBy = variant != null && variant.sort() != null ? variant.sort() : prefs.sort();
      EndpointOrder.Ordered ordered = EndpointOrder.order(kept, prefs, sortBy, parts.random(),
          session == null ? null : parts.affinity().pinned(session, model.id()));
      String how = variant == null ? ordered.strategy() : ":" + variant.suffix() + " variant, " + ordered.strategy();
      strategy = strategy == null ? how : strategy;
      for (Candidate candidate : ordered.candidates()) {
        if (candidates.stream().anyMatch(c -> c.attempt().equals(candidate.attempt()))) {
          continue; // the same model twice, once with a variant: each endpoint is tried once
        }
        if (purpose == Purpose.EMBEDDINGS && !(candidate.attempt().provider().adapter() instanceof EmbeddingAdapter)) {
          excluded.add(new RoutePlan.Excluded(model.id(), candidate.endpoint().providerSlug(), "not_embeddings",
              "its adapter (kind " + candidate.attempt().provider().adapter().kind() + ") cannot serve embeddings"));
          continue;
        }
        if (primaryOnly(prefs) && candidates.stream().anyMatch(c -> c.attempt().model().id().equals(model.id()))) {
          excluded.add(new RoutePlan.Excluded(model.id(), candidate.endpoint().providerSlug(), FALLBACKS_DISABLED,
              "provider.allow_fallbacks is false and it is not the model's primary endpoint"));
        } else {
          candidates.add(candidate);
        }
      }
    }
    if ("none".equals(prefs.sortPartition()) && prefs.sort() != null) {
      candidates = EndpointOrder.acrossModels(candidates, prefs.sort());
      strategy = "sorted by " + prefs.sort() + " across all models (partition none)";
    }
    List<Candidate> preferred = EndpointOrder.preferring(candidates, prefs);
    if (preferred.isEmpty()) {
      throw NoRoute.of(modelIds, excluded, blocked, parts.clock().instant());
    }
    if (!preferred.equals(candidates)) {
      strategy += "; endpoints missing preferred_min_throughput/preferred_max_latency moved last";
    }
    return new RoutePlan(preferred.stream().map(Candidate::attempt).toList(), excluded,
        strategy == null ? "as listed" : strategy, request, asked.model(), session);
  }

  /**
   * The conversation's affinity key: OpenRouter's {@code session_id} (or {@code x-session-id}),
   * else OpenAI's {@code prompt_cache_key}, within the caller's scope; null when there is none.
   */
  private static @Nullable String session(ChatRequest request, @Nullable String scope) {
    String key = request.sessionId();
    if (key == null) {
      RawJson cacheKey = request.extra().get("prompt_cache_key");
      if (cacheKey != null && cacheKey.json().startsWith("\"")) {
        key = cacheKey.json();
      }
    }
    return key == null ? null : (scope == null ? "" : scope) + "\u0000" + key;
  }

  /**
   * The endpoint as a candidate, or null with the reason added to {@code excluded} (and, when its
   * health keeps it away, the verdict to {@code blocked}).
   */
  private @Nullable Candidate candidate(ModelEntry model, Endpoint endpoint, List<String> requested,
      ProviderPreferences prefs, boolean freeOnly, List<RoutePlan.Excluded> excluded,
      List<Verdict.Unavailable> blocked) {
    EndpointFilter.Refusal refusal = EndpointFilter.refusal(endpoint, requested, prefs, freeOnly);
    if (refusal != null) {
      excluded.add(new RoutePlan.Excluded(model.id(), endpoint.providerSlug(), refusal.filter(), refusal.reason()));
      return null;
    }
    ConfiguredProvider provider = providers.find(endpoint.providerSlug()).orElse(null);
    if (provider == null) {
      excluded.add(new RoutePlan.Excluded(model.id(), endpoint.providerSlug(), NOT_CONFIGURED,
          "provider is not configured on this gateway"));
      return null;
    }
    EndpointId id = EndpointId.of(endpoint);
    Verdict verdict = parts.health().verdict(id);
    if (verdict instanceof Verdict.Unavailable unavailable) {
      excluded.add(new RoutePlan.Excluded(model.id(), endpoint.providerSlug(), NoRoute.filter(unavailable.cause()),
          unavailable.reason()));
      blocked.add(unavailable);
      return null;
    }
    return new Candidate(new Attempt(model, endpoint, provider), verdict, parts.stats().recent(id));
  }

  /**
   * OpenRouter's {@code allow_fallbacks: false} without an {@code order}: only the primary endpoint
   * of each model (the first of the planned order) may serve; with an order, the ordered
   * providers may (see {@link EndpointFilter}). Fallback models in {@code models} still apply.
   */
  private static boolean primaryOnly(ProviderPreferences prefs) {
    return !prefs.allowFallbacks() && prefs.order().isEmpty();
  }
}
