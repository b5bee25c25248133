package dev.switchboard.routing;

import dev.switchboard.catalog.Architecture;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.DataPolicy;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.Role;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointStats;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A small hand-built catalog and registry for planner tests.
 *
 * <pre>
 * acme/chat    pricey  0.000005/0.000010  tools           trains on prompts
 *              cheap   0.000001/0.000002  tools, temp     zero data retention
 *              mid     0.000002/0.000004  temperature     retains prompts
 * acme/backup  backup  0.000003/0.000003  (alias "backup")
 * acme/orphan  ghost   (provider not configured)
 * </pre>
 *
 * The catalog lists acme/chat's endpoints most expensive first, so a planner that did not sort
 * would be caught.
 */
final class PlannerFixture {
  static final List<String> CONFIGURED = List.of("cheap", "mid", "pricey", "backup");

  static final Catalog CATALOG = Catalog.of(List.of(
      model("acme/chat", List.of(),
          endpoint("acme/chat", "pricey", "0.000005", "0.000010", List.of("tools", "max_tokens"),
              new DataPolicy(true, true, false)),
          endpoint("acme/chat", "cheap", "0.000001", "0.000002", List.of("tools", "temperature", "max_tokens"),
              new DataPolicy(false, false, true)),
          endpoint("acme/chat", "mid", "0.000002", "0.000004", List.of("temperature", "max_tokens"),
              new DataPolicy(false, true, false))),
      model("acme/backup", List.of("backup"),
          endpoint("acme/backup", "backup", "0.000003", "0.000003", List.of("tools"), DataPolicy.UNKNOWN)),
      model("acme/orphan", List.of(),
          endpoint("acme/orphan", "ghost", "0", "0", List.of(), DataPolicy.UNKNOWN))));

  static final ProviderRegistry REGISTRY = registry();

  private PlannerFixture() {}

  /**
   * A planner whose load-balancing draw is always 0, which picks the cheapest healthy endpoint:
   * with every endpoint healthy, plans are cheapest first and deterministic.
   */
  static RoutePlanner planner() {
    return planner(EndpointHealth.none(), new EndpointStats(InstantSource.system()), () -> 0.0);
  }

  static RoutePlanner planner(EndpointHealth health, EndpointStats stats, DoubleSupplier random) {
    return new RoutePlanner(() -> CATALOG, REGISTRY,
        new RoutePlanner.Parts(health, stats, random, InstantSource.system()));
  }

  static ChatRequest request(String model, ProviderPreferences prefs) {
    return request(model, List.of(), prefs);
  }

  static ChatRequest request(String model, List<String> fallbacks, ProviderPreferences prefs) {
    return new ChatRequest(model, fallbacks, List.of(Message.text(Role.USER, "hi")), List.of(), null, null, null,
        null, null, null, null, List.of(), null, null, null, false, false, prefs, Map.of());
  }

  static ProviderPreferences prefs(
      List<String> order, List<String> only, List<String> ignore, boolean allowFallbacks) {
    return new ProviderPreferences(order, only, ignore, allowFallbacks, false, null, null, Map.of());
  }

  /** The provider slug of each attempt, in plan order. */
  static List<String> slugs(RoutePlan plan) {
    return plan.attempts().stream().map(a -> a.endpoint().providerSlug()).toList();
  }

  private static ProviderRegistry registry() {
    OpenAiCompatProfiles profiles = OpenAiCompatProfiles.load();
    return ProviderRegistry.of(CONFIGURED.stream()
        .map(slug -> {
          String url = "http://127.0.0.1:9/" + slug + "/v1";
          return new ConfiguredProvider(slug, new OpenAiCompatAdapter(profiles.generic(slug, url)), url,
              new UpstreamAuth.None(), TimeoutConfig.DEFAULTS);
        })
        .toList());
  }

  private static ModelEntry model(String id, List<String> aliases, Endpoint... endpoints) {
    return new ModelEntry(id, id, id, 0, "", 8192, Architecture.TEXT,
        List.of("tools", "temperature", "max_tokens"), List.of(endpoints), aliases);
  }

  private static Endpoint endpoint(String model, String slug, String prompt, String completion,
      List<String> parameters, DataPolicy policy) {
    return new Endpoint(model, slug, slug + "-" + model.substring(model.indexOf('/') + 1),
        Pricing.of(new BigDecimal(prompt), new BigDecimal(completion)), 8192, null, null, policy, parameters);
  }
}
