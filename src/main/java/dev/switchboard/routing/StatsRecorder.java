package dev.switchboard.routing;

import dev.switchboard.routing.health.EndpointStats;

/**
 * Feeds {@link EndpointStats} from the attempt loop: every attempt's outcome for uptime, every
 * served request's time to first token and throughput, and a stream that broke after it started
 * as one more failure (its attempt counted as a success when the stream opened).
 */
public final class StatsRecorder implements AttemptObserver {
  private final EndpointStats stats;

  public StatsRecorder(EndpointStats stats) {
    this.stats = stats;
  }

  @Override
  public void attempted(AttemptOutcome outcome) {
    stats.recordAttempt(outcome.attempt().id(), outcome.error());
  }

  @Override
  public void resumed(Delivery broken) {
    if (broken.failure() != null) {
      stats.recordAttempt(broken.served().attempt().id(), broken.failure());
    }
  }

  @Override
  public void delivered(Delivery delivery) {
    var id = delivery.served().attempt().id();
    if (delivery.failure() != null && !delivery.clientGone()) {
      stats.recordAttempt(id, delivery.failure());
    } else if (!delivery.clientGone() || delivery.firstTokenNanos() != null) {
      stats.recordSpeed(id, delivery.firstTokenMillis(), delivery.tokensPerSecond());
    }
  }
}
