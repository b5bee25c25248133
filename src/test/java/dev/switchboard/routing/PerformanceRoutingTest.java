package dev.switchboard.routing;

import static dev.switchboard.routing.PlannerFixture.request;
import static dev.switchboard.routing.PlannerFixture.slugs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.ProviderPreferences.Cutoffs;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@code sort: latency|throughput} and the soft {@code preferred_*} preferences, on the fixture's
 * acme/chat with recorded statistics: pricey is fastest (0.2 s to first token, 100 tokens/s), mid
 * next (1 s, 40 tokens/s); cheap has no statistics yet.
 */
class PerformanceRoutingTest {
  private final EndpointStats stats = new EndpointStats(InstantSource.system());
  private final RoutePlanner planner = PlannerFixture.planner(EndpointHealth.none(), stats, () -> 0.0);

  PerformanceRoutingTest() {
    for (int i = 0; i < 10; i++) {
      stats.recordSpeed(new EndpointId("acme/chat", "pricey"), 200, 100.0);
      stats.recordSpeed(new EndpointId("acme/chat", "mid"), 1_000, 40.0);
    }
  }

  @Test
  void sortByThroughputPutsTheFastestFirstAndUnmeasuredLast() {
    assertThat(slugs(planner.plan(request("acme/chat", prefs("throughput", null, null)))))
        .containsExactly("pricey", "mid", "cheap");
  }

  @Test
  void sortByLatencyPutsTheQuickestFirstTokenFirst() {
    stats.recordSpeed(new EndpointId("acme/chat", "cheap"), 5_000, 500.0);
    assertThat(slugs(planner.plan(request("acme/chat", prefs("latency", null, null)))))
        .containsExactly("pricey", "mid", "cheap");
  }

  @Test
  void preferredMaxLatencyMovesSlowerEndpointsLastButKeepsThem() {
    // p50 at most 0.5 s: mid (1 s) goes last; cheap, unmeasured, is given the benefit of the doubt.
    RoutePlan plan = planner.plan(request("acme/chat", prefs(null, null, Cutoffs.p50(0.5))));

    assertThat(slugs(plan)).containsExactly("cheap", "pricey", "mid");
    assertThat(plan.strategy()).contains("moved last");
  }

  @Test
  void preferredMinThroughputCanPreferAFallbackModel() {
    stats.recordSpeed(new EndpointId("acme/backup", "backup"), 300, 80.0);
    stats.recordSpeed(new EndpointId("acme/chat", "cheap"), 300, 10.0);
    ProviderPreferences fast = prefs(null, Cutoffs.p50(50), null);

    RoutePlan plan = planner.plan(request("acme/chat", List.of("acme/backup"), fast));

    assertThat(plan.attempts()).extracting(a -> a.model().id() + "@" + a.endpoint().providerSlug())
        .containsExactly("acme/chat@pricey", "acme/backup@backup", "acme/chat@cheap", "acme/chat@mid");
  }

  @Test
  void everyGivenPercentileMustBeMet() {
    // mid's p90 is its single value, 40 tokens/s: a p90 floor of 50 fails it even with a low p50 floor.
    ProviderPreferences strict = prefs("price", new Cutoffs(10.0, null, 50.0, null), null);
    assertThat(slugs(planner.plan(request("acme/chat", strict)))).containsExactly("cheap", "pricey", "mid");
  }

  private static ProviderPreferences prefs(@Nullable String sort, @Nullable Cutoffs throughput,
      @Nullable Cutoffs latency) {
    return new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, sort, Map.of(), false,
        List.of(), null, null, throughput, latency);
  }
}
