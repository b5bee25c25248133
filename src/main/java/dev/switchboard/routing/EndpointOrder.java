package dev.switchboard.routing;

import dev.switchboard.catalog.Endpoint;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.ProviderPreferences.Cutoffs;
import dev.switchboard.routing.health.EndpointHealth.Verdict;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats.Performance;
import dev.switchboard.routing.health.Percentiles;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The order in which one model's endpoints are tried, as OpenRouter documents it:
 *
 * <ul>
 *   <li>{@code provider.order}: the named providers first, in that order, then the rest cheapest
 *       first; nothing random, no affinity.
 *   <li>{@code provider.sort} (or a {@code :floor}/{@code :nitro} variant): by price, throughput
 *       (fastest first) or latency (quickest first token first); endpoints without statistics after
 *       those with, by price.
 *   <li>Otherwise load balancing: among the healthy endpoints one is drawn at random, weighted by
 *       the inverse square of its price (a $1 endpoint is 9 times likelier than a $3 one); the
 *       other healthy ones follow cheapest first, then the unstable ones (recent failures).
 * </ul>
 *
 * A conversation pinned to an endpoint (session affinity) starts there while it is healthy,
 * except under {@code provider.order}.
 *
 * <p>Pure functions; randomness comes from the caller.
 */
final class EndpointOrder {
  private EndpointOrder() {}

  /** An endpoint that may serve, with what routing knows about it. */
  record Candidate(Attempt attempt, Verdict verdict, Performance performance) {
    Endpoint endpoint() {
      return attempt.endpoint();
    }

    boolean healthy() {
      return verdict instanceof Verdict.Healthy;
    }
  }

  /** Candidates in the order to try them, and how that order was chosen. */
  record Ordered(List<Candidate> candidates, String strategy) {
    Ordered {
      candidates = List.copyOf(candidates);
    }
  }

  static Ordered order(List<Candidate> candidates, ProviderPreferences prefs, @Nullable String sortBy,
      DoubleSupplier random, @Nullable EndpointId pinned) {
    List<Candidate> byPrice = new ArrayList<>(candidates);
    byPrice.sort(Comparator.comparing(Candidate::endpoint, BY_PRICE));
    if (!prefs.order().isEmpty()) {
      return new Ordered(ordered(byPrice, prefs.order()), "provider.order " + prefs.order() + ", then cheapest first");
    }
    if (sortBy != null) {
      List<Candidate> sorted = new ArrayList<>(byPrice);
      sorted.sort(comparator(sortBy));
      return pinFirst(sorted, pinned, "sorted by " + sortBy);
    }
    List<Candidate> healthy = byPrice.stream().filter(Candidate::healthy).toList();
    List<Candidate> unstable = byPrice.stream().filter(c -> !c.healthy()).toList();
    List<Candidate> result = new ArrayList<>();
    String strategy;
    Candidate stuck = pinned == null ? null
        : healthy.stream().filter(c -> EndpointId.of(c.endpoint()).equals(pinned)).findFirst().orElse(null);
    if (stuck != null) {
      result.add(stuck);
      strategy = "session affinity: the conversation stays on " + stuck.endpoint().providerSlug();
    } else if (!healthy.isEmpty()) {
      Draw draw = draw(healthy, random.getAsDouble());
      result.add(draw.chosen());
      strategy = healthy.size() == 1
          ? "the only healthy endpoint"
          : String.format(Locale.ROOT, "weighted random by 1/price² among %d healthy endpoints: %s drawn (p=%.2f)",
              healthy.size(), draw.chosen().endpoint().providerSlug(), draw.probability());
    } else {
      strategy = "no healthy endpoint: those with recent failures, cheapest first";
    }
    for (Candidate candidate : healthy) {
      if (!result.contains(candidate)) {
        result.add(candidate);
      }
    }
    result.addAll(unstable);
    if (!unstable.isEmpty() && !healthy.isEmpty()) {
      strategy += "; " + unstable.size() + " with recent failures last";
    }
    return new Ordered(result, strategy);
  }

  /** A weighted draw and the chance the chosen candidate had. */
  record Draw(Candidate chosen, double probability) {}

  /**
   * Draws one candidate with probability proportional to 1/price². Free endpoints would weigh
   * infinitely; when there are any, one of them is drawn uniformly instead.
   *
   * @param uniform a number in [0, 1)
   */
  static Draw draw(List<Candidate> candidates, double uniform) {
    List<Candidate> free = candidates.stream().filter(c -> unitPrice(c.endpoint()).signum() == 0).toList();
    if (!free.isEmpty()) {
      int index = Math.min(free.size() - 1, (int) (uniform * free.size()));
      return new Draw(free.get(index), 1.0 / free.size());
    }
    double[] weights = new double[candidates.size()];
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      double price = unitPrice(candidates.get(i).endpoint()).doubleValue();
      weights[i] = 1 / (price * price);
      total += weights[i];
    }
    double target = uniform * total;
    for (int i = 0; i < weights.length; i++) {
      target -= weights[i];
      if (target < 0) {
        return new Draw(candidates.get(i), weights[i] / total);
      }
    }
    // Rounding can leave a sliver past the last weight.
    return new Draw(candidates.getLast(), weights[weights.length - 1] / total);
  }

  /**
   * {@code sort.partition: "none"}: the candidates of every model sorted together, so a cheaper (or
   * faster) fallback model's endpoint may come before the primary model's. The sort is stable, so
   * equal candidates keep the models' order.
   */
  static List<Candidate> acrossModels(List<Candidate> all, String sortBy) {
    List<Candidate> sorted = new ArrayList<>(all);
    sorted.sort(comparator(sortBy));
    return sorted;
  }

  /**
   * The soft preferences {@code preferred_min_throughput} and {@code preferred_max_latency}: the
   * candidates that meet them (or have no statistics to judge by) keep their order, the others move
   * behind them, across models, so a fallback model that meets them may come first.
   */
  static List<Candidate> preferring(List<Candidate> candidates, ProviderPreferences prefs) {
    if (prefs.preferredMinThroughput() == null && prefs.preferredMaxLatency() == null) {
      return candidates;
    }
    List<Candidate> meet = new ArrayList<>();
    List<Candidate> miss = new ArrayList<>();
    for (Candidate candidate : candidates) {
      (meets(candidate.performance(), prefs) ? meet : miss).add(candidate);
    }
    meet.addAll(miss);
    return meet;
  }

  static boolean meets(Performance performance, ProviderPreferences prefs) {
    Percentiles throughput = performance.throughput();
    Percentiles latency = performance.latency();
    return (throughput == null || prefs.preferredMinThroughput() == null
            || within(prefs.preferredMinThroughput(), throughput, true))
        && (latency == null || prefs.preferredMaxLatency() == null
            || within(prefs.preferredMaxLatency(), latency, false));
  }

  private static boolean within(Cutoffs cutoffs, Percentiles actual, boolean atLeast) {
    return within(cutoffs.p50(), actual.p50(), atLeast) && within(cutoffs.p75(), actual.p75(), atLeast)
        && within(cutoffs.p90(), actual.p90(), atLeast) && within(cutoffs.p99(), actual.p99(), atLeast);
  }

  private static boolean within(@Nullable Double cutoff, double actual, boolean atLeast) {
    return cutoff == null || (atLeast ? actual >= cutoff : actual <= cutoff);
  }

  private static Ordered pinFirst(List<Candidate> sorted, @Nullable EndpointId pinned, String strategy) {
    for (Candidate candidate : sorted) {
      if (candidate.healthy() && EndpointId.of(candidate.endpoint()).equals(pinned)) {
        List<Candidate> result = new ArrayList<>(sorted);
        result.remove(candidate);
        result.addFirst(candidate);
        return new Ordered(result,
            strategy + "; session affinity keeps " + candidate.endpoint().providerSlug() + " first");
      }
    }
    return new Ordered(sorted, strategy);
  }

  /** Price ascending; throughput descending; latency ascending; unknown statistics last. */
  private static Comparator<Candidate> comparator(String sortBy) {
    Comparator<Candidate> byPrice = Comparator.comparing(Candidate::endpoint, BY_PRICE);
    return switch (sortBy) {
      case "price" -> byPrice;
      // "exacto" ranks by tool-call quality signals the gateway does not have; throughput is the
      // closest of the signals it does have.
      case "throughput", "exacto" -> known(c -> -p50(c.performance().throughput())).thenComparing(byPrice);
      case "latency" -> known(c -> p50(c.performance().latency())).thenComparing(byPrice);
      default -> throw new IllegalArgumentException("unknown sort '" + sortBy + "'");
    };
  }

  /** Orders by {@code key}, with NaN (no statistics) after every known value. */
  private static Comparator<Candidate> known(ToDoubleFunction<Candidate> key) {
    return (a, b) -> {
      double x = key.applyAsDouble(a);
      double y = key.applyAsDouble(b);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
      }
      return Double.compare(x, y);
    };
  }

  private static double p50(@Nullable Percentiles percentiles) {
    return percentiles == null ? Double.NaN : percentiles.p50();
  }

  /** The candidates of the named providers first, in the names' order, then the rest as given. */
  private static List<Candidate> ordered(List<Candidate> byPrice, List<String> names) {
    List<Candidate> result = new ArrayList<>();
    for (String wanted : names) {
      for (Candidate candidate : byPrice) {
        if (EndpointFilter.names(List.of(wanted), candidate.endpoint().providerSlug()) && !result.contains(candidate)) {
          result.add(candidate);
        }
      }
    }
    for (Candidate candidate : byPrice) {
      if (!result.contains(candidate)) {
        result.add(candidate);
      }
    }
    return result;
  }

  /** Cheapest first by a typical 3:1 prompt-to-completion token mix; ties by provider slug. */
  static final Comparator<Endpoint> BY_PRICE =
      Comparator.comparing(EndpointOrder::unitPrice).thenComparing(Endpoint::providerSlug);

  /** A single comparable price: a typical 3:1 prompt-to-completion token mix. */
  static BigDecimal unitPrice(Endpoint endpoint) {
    return endpoint.pricing().prompt().multiply(BigDecimal.valueOf(3)).add(endpoint.pricing().completion());
  }
}
