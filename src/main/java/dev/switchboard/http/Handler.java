package dev.switchboard.http;

/** Handles one routed request. Runs on a virtual thread; may block on Vert.x futures. */
@FunctionalInterface
public interface Handler {
  void handle(Exchange exchange);
}
