package dev.switchboard.routing;

import java.util.List;

/** The ordered attempts for one request: the first is the preferred endpoint, the rest fallbacks. */
public record RoutePlan(List<Attempt> attempts) {
  public RoutePlan {
    attempts = List.copyOf(attempts);
    if (attempts.isEmpty()) {
      throw new IllegalArgumentException("a route plan needs at least one attempt");
    }
  }
}
