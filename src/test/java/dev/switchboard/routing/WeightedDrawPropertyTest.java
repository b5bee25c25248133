package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.DataPolicy;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.Pricing;
import dev.switchboard.routing.EndpointOrder.Candidate;
import dev.switchboard.routing.health.EndpointHealth.Verdict;
import dev.switchboard.routing.health.EndpointStats.Performance;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The load-balancing draw picks each endpoint with probability (1/price²) / Σ(1/price²): over many
 * draws from a seeded source, every observed share lies within five standard errors of that. The
 * seeds (jqwik's, and each try's {@code Random} seed) are fixed and printed on failure.
 */
class WeightedDrawPropertyTest {
  private static final int DRAWS = 4_000;

  @Provide
  Arbitrary<List<Integer>> prices() {
    // Prices in tenths of a millionth of a dollar per token, 2 to 5 endpoints.
    return Arbitraries.integers().between(1, 100).list().ofMinSize(2).ofMaxSize(5);
  }

  @Property(tries = 60, seed = "20261126")
  void drawFollowsInverseSquareOfPrice(@ForAll("prices") List<Integer> tenths, @ForAll long seed) {
    List<Candidate> candidates = new ArrayList<>();
    double[] expected = new double[tenths.size()];
    double total = 0;
    for (int i = 0; i < tenths.size(); i++) {
      // unitPrice = 3 × prompt + completion; with completion 0 the price is 3 × prompt.
      BigDecimal prompt = BigDecimal.valueOf(tenths.get(i)).movePointLeft(7);
      candidates.add(candidate("p" + i, prompt));
      double unit = prompt.doubleValue() * 3;
      expected[i] = 1 / (unit * unit);
      total += expected[i];
    }
    int[] counts = new int[candidates.size()];
    Random random = new Random(seed);
    for (int n = 0; n < DRAWS; n++) {
      Candidate chosen = EndpointOrder.draw(candidates, random.nextDouble()).chosen();
      counts[candidates.indexOf(chosen)]++;
    }
    for (int i = 0; i < counts.length; i++) {
      double p = expected[i] / total;
      double share = (double) counts[i] / DRAWS;
      double bound = 5 * Math.sqrt(p * (1 - p) / DRAWS) + 1e-9;
      assertThat(Math.abs(share - p))
          .as("endpoint %d of prices %s (Random seed %d): share %.4f, expected %.4f", i, tenths, seed, share, p)
          .isLessThanOrEqualTo(bound);
    }
  }

  @Property(tries = 50, seed = "20261126")
  void freeEndpointsAreDrawnUniformlyAndAlone(@ForAll("prices") List<Integer> tenths, @ForAll long seed) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < tenths.size(); i++) {
      candidates.add(candidate("p" + i, BigDecimal.valueOf(tenths.get(i)).movePointLeft(7)));
    }
    candidates.add(candidate("free-a", BigDecimal.ZERO));
    candidates.add(candidate("free-b", BigDecimal.ZERO));
    Random random = new Random(seed);
    int a = 0;
    for (int n = 0; n < DRAWS; n++) {
      String slug = EndpointOrder.draw(candidates, random.nextDouble()).chosen().endpoint().providerSlug();
      assertThat(slug).startsWith("free-");
      a += slug.equals("free-a") ? 1 : 0;
    }
    assertThat(Math.abs((double) a / DRAWS - 0.5)).isLessThanOrEqualTo(5 * Math.sqrt(0.25 / DRAWS));
  }

  private static Candidate candidate(String slug, BigDecimal prompt) {
    Endpoint endpoint = new Endpoint("acme/chat", slug, slug, Pricing.of(prompt, BigDecimal.ZERO), 8192, null, null,
        DataPolicy.UNKNOWN, List.of());
    ModelEntry model = PlannerFixture.CATALOG.find("acme/chat").orElseThrow();
    Attempt attempt = new Attempt(model, endpoint, PlannerFixture.REGISTRY.find("cheap").orElseThrow());
    return new Candidate(attempt, new Verdict.Healthy(), Performance.UNKNOWN);
  }
}
