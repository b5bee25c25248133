package dev.switchboard.routing;

import dev.switchboard.catalog.Endpoint;
import dev.switchboard.core.ProviderPreferences;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which one model's endpoints are tried: {@code provider.order} first when given,
 * else sorted by {@code provider.sort}, else cheapest first.
 *
 * <p>Pure functions.
 */
final class EndpointOrder {
  private EndpointOrder() {}

  /** Endpoints in the order to try them, and how that order was chosen. */
  record Ordered(List<Endpoint> endpoints, String strategy) {
    Ordered {
      endpoints = List.copyOf(endpoints);
    }
  }

  static Ordered order(List<Endpoint> endpoints, ProviderPreferences prefs) {
    List<Endpoint> byPrice = new ArrayList<>(endpoints);
    byPrice.sort(BY_PRICE);
    if (!prefs.order().isEmpty()) {
      return new Ordered(ordered(byPrice, prefs.order()), "provider.order " + prefs.order() + ", then cheapest first");
    }
    if (prefs.sort() != null) {
      return new Ordered(byPrice, "sorted by " + prefs.sort());
    }
    return new Ordered(byPrice, "cheapest first");
  }

  /**
   * {@code sort.partition: "none"}: the endpoints of every model sorted together, so a cheaper (or
   * faster) fallback model's endpoint may come before the primary model's. The sort is stable, so
   * equal endpoints keep the models' order.
   */
  static List<Attempt> acrossModels(List<List<Attempt>> perModel, String sortBy) {
    List<Attempt> all = new ArrayList<>();
    perModel.forEach(all::addAll);
    all.sort(Comparator.comparing(Attempt::endpoint, BY_PRICE));
    return all;
  }

  /** The endpoints of the named providers first, in the names' order, then the rest as given. */
  private static List<Endpoint> ordered(List<Endpoint> byPrice, List<String> names) {
    List<Endpoint> result = new ArrayList<>();
    for (String wanted : names) {
      for (Endpoint endpoint : byPrice) {
        if (EndpointFilter.names(List.of(wanted), endpoint.providerSlug()) && !result.contains(endpoint)) {
          result.add(endpoint);
        }
      }
    }
    for (Endpoint endpoint : byPrice) {
      if (!result.contains(endpoint)) {
        result.add(endpoint);
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
