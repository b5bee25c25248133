package dev.switchboard.routing;

import static dev.switchboard.routing.PlannerFixture.request;
import static dev.switchboard.routing.PlannerFixture.slugs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import dev.switchboard.routing.health.LocalEndpointHealth;
import dev.switchboard.config.RoutingConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model variants ({@code :floor}, {@code :nitro}, {@code :free}) and session affinity in the planner. */
class ModelRoutingTest {
  private final LocalEndpointHealth health = new LocalEndpointHealth(RoutingConfig.Health.DEFAULTS, InstantSource.system());
  private final EndpointStats stats = new EndpointStats(InstantSource.system());
  private final SessionAffinity affinity = new SessionAffinity(Duration.ofHours(1));

  /** A planner whose draw (0.99) picks pricey, the dearest, whenever load balancing applies. */
  private RoutePlanner planner() {
    return new RoutePlanner(() -> PlannerFixture.CATALOG, PlannerFixture.REGISTRY, new RoutePlanner.Parts(
        health, stats, () -> 0.99, InstantSource.system(), Presets.NONE, affinity));
  }

  @Test
  void floorSortsByPriceAndNitroByThroughput() {
    stats.recordSpeed(new EndpointId("acme/chat", "mid"), 100, 300.0);

    RoutePlan floor = planner().plan(request("acme/chat:floor", ProviderPreferences.NONE));
    assertThat(slugs(floor)).containsExactly("cheap", "mid", "pricey");
    assertThat(floor.strategy()).isEqualTo(":floor variant, sorted by price");
    assertThat(floor.request().model()).as("the variant stays in the request; the plan resolved it")
        .isEqualTo("acme/chat:floor");
    assertThat(floor.attempts().getFirst().model().id()).isEqualTo("acme/chat");
    assertThat(slugs(planner().plan(request("acme/chat:nitro", ProviderPreferences.NONE))))
        .containsExactly("mid", "cheap", "pricey");
  }

  @Test
  void aModelAndItsVariantTryEachEndpointOnce() {
    RoutePlan plan = planner().plan(request("acme/chat", List.of("acme/chat:floor"), ProviderPreferences.NONE));
    assertThat(slugs(plan)).containsExactly("pricey", "cheap", "mid");
  }

  @Test
  void freeKeepsOnlyFreeEndpoints() {
    assertThatThrownBy(() -> planner().plan(request("acme/chat:free", ProviderPreferences.NONE)))
        .isInstanceOfSatisfying(GatewayException.NotFound.class, e -> assertThat(e.getMessage())
            .contains("acme/chat via cheap: the :free variant asks for free endpoints"));
  }

  @Test
  void anUnknownSuffixIsAnUnknownModel() {
    assertThatThrownBy(() -> planner().plan(request("acme/chat:turbo", ProviderPreferences.NONE)))
        .isInstanceOf(GatewayException.NotFound.class).hasMessageContaining("'acme/chat:turbo'");
  }

  @Test
  void aSessionStaysOnItsEndpointWhileItIsHealthy() {
    RoutePlan first = planner().plan(session("conv-1"), "acct-1");
    assertThat(first.session()).isNotNull();
    affinity.served(first, first.attempts().get(1)); // say cheap served, after pricey failed

    assertThat(slugs(planner().plan(session("conv-1"), "acct-1")).getFirst()).isEqualTo("cheap");
    assertThat(slugs(planner().plan(session("conv-1"), "acct-2")).getFirst()).as("another caller").isEqualTo("pricey");
    assertThat(slugs(planner().plan(session("conv-2"), "acct-1")).getFirst()).as("another session").isEqualTo("pricey");

    health.record(new EndpointId("acme/chat", "cheap"), UpstreamError.of(UpstreamError.Kind.SERVER, 500, "down"));
    assertThat(slugs(planner().plan(session("conv-1"), "acct-1")).getFirst()).as("not while unhealthy")
        .isNotEqualTo("cheap");
  }

  @Test
  void promptCacheKeyIsASessionAndOrderOverridesAffinity() {
    ChatRequest cached = request("acme/chat", ProviderPreferences.NONE);
    cached = new ChatRequest(cached.model(), List.of(), cached.messages(), List.of(), null, null, null, null, null,
        null, null, List.of(), null, null, null, false, false, ProviderPreferences.NONE,
        Map.of("prompt_cache_key", RawJson.of("\"k-1\"")));
    RoutePlan first = planner().plan(cached, "acct");
    affinity.served(first, first.attempts().get(2));
    assertThat(slugs(planner().plan(cached, "acct")).getFirst()).isEqualTo("mid");

    ChatRequest ordered = request("acme/chat", PlannerFixture.prefs(List.of("cheap"), List.of(), List.of(), true))
        .withSessionId("conv-3");
    RoutePlan pinned = planner().plan(ordered, "acct");
    affinity.served(pinned, pinned.attempts().get(1));
    assertThat(slugs(planner().plan(ordered, "acct")).getFirst()).isEqualTo("cheap");
  }

  private static ChatRequest session(String id) {
    return request("acme/chat", ProviderPreferences.NONE).withSessionId(id);
  }
}
