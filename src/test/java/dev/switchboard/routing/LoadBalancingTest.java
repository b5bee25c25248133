package dev.switchboard.routing;

import static dev.switchboard.routing.PlannerFixture.request;
import static dev.switchboard.routing.PlannerFixture.slugs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import dev.switchboard.routing.health.LocalEndpointHealth;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenRouter's default balancing over the fixture's acme/chat (unit prices: cheap 5, mid 10, pricey
 * 25 millionths): recently failing endpoints last; among the rest a draw weighted by 1/price²; the
 * others cheapest first. The draw is injected, so each case names the number it draws.
 */
class LoadBalancingTest {
  private final LocalEndpointHealth health = new LocalEndpointHealth(RoutingConfig.Health.DEFAULTS, InstantSource.system());

  private RoutePlanner planner(double draw) {
    return PlannerFixture.planner(health, new EndpointStats(InstantSource.system()), () -> draw);
  }

  @Test
  void theDrawPicksTheFirstEndpointAndTheRestFollowCheapestFirst() {
    // Weights 1/25, 1/100, 1/625: cheap has 0.7619 of the mass, mid 0.1905, pricey 0.0476.
    assertThat(slugs(planner(0.0).plan(request("acme/chat", ProviderPreferences.NONE))))
        .containsExactly("cheap", "mid", "pricey");
    assertThat(slugs(planner(0.80).plan(request("acme/chat", ProviderPreferences.NONE))))
        .containsExactly("mid", "cheap", "pricey");
    assertThat(slugs(planner(0.99).plan(request("acme/chat", ProviderPreferences.NONE))))
        .containsExactly("pricey", "cheap", "mid");
  }

  /** OpenRouter's own example: A=$1, B=$2 with recent outages, C=$3 gives A, then C, then B. */
  @Test
  void recentlyFailingEndpointsGoLastAndOutOfTheDraw() {
    health.record(new EndpointId("acme/chat", "mid"), UpstreamError.of(UpstreamError.Kind.SERVER, 500, "down"));

    RoutePlan plan = planner(0.0).plan(request("acme/chat", ProviderPreferences.NONE));
    assertThat(slugs(plan)).containsExactly("cheap", "pricey", "mid");
    assertThat(plan.strategy()).contains("among 2 healthy endpoints").contains("1 with recent failures last");
    // cheap holds 25/26 of the healthy mass; a draw above that picks pricey.
    assertThat(slugs(planner(0.97).plan(request("acme/chat", ProviderPreferences.NONE))))
        .containsExactly("pricey", "cheap", "mid");
  }

  @Test
  void sortOrOrderTurnsTheWeightingOff() {
    ProviderPreferences byPrice = new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, "price",
        Map.of());
    ProviderPreferences ordered = PlannerFixture.prefs(List.of("pricey"), List.of(), List.of(), true);

    assertThat(slugs(planner(0.99).plan(request("acme/chat", byPrice)))).containsExactly("cheap", "mid", "pricey");
    assertThat(slugs(planner(0.0).plan(request("acme/chat", ordered)))).containsExactly("pricey", "cheap", "mid");
    health.record(new EndpointId("acme/chat", "cheap"), UpstreamError.of(UpstreamError.Kind.SERVER, 500, "down"));
    assertThat(slugs(planner(0.99).plan(request("acme/chat", byPrice))))
        .as("a sorted plan is not reordered by recent failures").containsExactly("cheap", "mid", "pricey");
  }

  @Test
  void anEndpointWhoseCircuitIsOpenIsLeftOutAndNamed() {
    EndpointId cheap = new EndpointId("acme/chat", "cheap");
    for (int i = 0; i < 5; i++) {
      health.record(cheap, UpstreamError.of(UpstreamError.Kind.CONNECT, 0, "refused"));
    }

    RoutePlan plan = planner(0.0).plan(request("acme/chat", ProviderPreferences.NONE));

    assertThat(slugs(plan)).containsExactly("mid", "pricey");
    assertThat(plan.excluded()).singleElement().satisfies(e -> {
      assertThat(e.provider()).isEqualTo("cheap");
      assertThat(e.filter()).isEqualTo("circuit_open");
    });
  }
}
