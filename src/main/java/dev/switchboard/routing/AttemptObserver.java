package dev.switchboard.routing;

import dev.switchboard.core.GatewayException;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Hears how attempts and requests end, for statistics, metrics and session affinity. Called on the
 * request's thread, so implementations must be cheap and thread-safe; the attempt loop contains
 * their failures (logged, never propagated).
 */
public interface AttemptObserver {
  /** No one listening. */
  AttemptObserver NONE = new AttemptObserver() {};

  /** An attempt ended before anything reached the client: it failed, or the upstream started answering. */
  default void attempted(AttemptOutcome outcome) {}

  /** An attempt of {@code plan} succeeded: {@code attempt} is serving the request. */
  default void served(RoutePlan plan, Attempt attempt) {}

  /** A request was served and its answer has ended (completely, broken, or abandoned by the client). */
  default void delivered(Delivery delivery) {}

  /**
   * A stream broke after it started and another endpoint is continuing it: {@code broken} is the
   * part that endpoint served, with its failure, usage and cost.
   */
  default void resumed(Delivery broken) {}

  /** Every attempt of a request failed (or none could be made); {@code error} is what the client got. */
  default void failed(List<AttemptOutcome> outcomes, GatewayException error) {}

  /** Tells each of {@code observers} in turn; one that throws is logged and does not stop the others. */
  static AttemptObserver all(List<AttemptObserver> observers) {
    List<AttemptObserver> copy = List.copyOf(observers);
    System.Logger log = System.getLogger(AttemptObserver.class.getName());
    return new AttemptObserver() {
      @Override
      public void attempted(AttemptOutcome outcome) {
        for (AttemptObserver observer : copy) {
          try {
            observer.attempted(outcome);
          } catch (RuntimeException e) {
            log.log(Level.WARNING, "attempt observer failed", e);
          }
        }
      }

      @Override
      public void served(RoutePlan plan, Attempt attempt) {
        for (AttemptObserver observer : copy) {
          try {
            observer.served(plan, attempt);
          } catch (RuntimeException e) {
            log.log(Level.WARNING, "attempt observer failed", e);
          }
        }
      }

      @Override
      public void delivered(Delivery delivery) {
        for (AttemptObserver observer : copy) {
          try {
            observer.delivered(delivery);
          } catch (RuntimeException e) {
            log.log(Level.WARNING, "attempt observer failed", e);
          }
        }
      }

      @Override
      public void resumed(Delivery broken) {
        for (AttemptObserver observer : copy) {
          try {
            observer.resumed(broken);
          } catch (RuntimeException e) {
            log.log(Level.WARNING, "attempt observer failed", e);
          }
        }
      }

      @Override
      public void failed(List<AttemptOutcome> outcomes, GatewayException error) {
        for (AttemptObserver observer : copy) {
          try {
            observer.failed(outcomes, error);
          } catch (RuntimeException e) {
            log.log(Level.WARNING, "attempt observer failed", e);
          }
        }
      }
    };
  }
}
