package dev.switchboard.routing;

import dev.switchboard.core.ChatResponse;
import java.util.List;

/** A non-streamed request that succeeded on {@code served}, after the given attempts. */
public record Completion(Attempt served, ChatResponse response, List<AttemptOutcome> outcomes) {
  public Completion {
    outcomes = List.copyOf(outcomes);
  }
}
