package dev.switchboard.http;

/** Handles one routed request. Runs on a virtual thread; may block on Vert.x futures. */
@FunctionalInterface
public interface Handler {
  void handle(Exchange exchange);

  /**
   * Whether the server may first try {@link #handle} on the event loop, where it must not wait: it
   * then throws {@link NotWarm}, having done nothing with a side effect, when it needs a read that
   * would wait, and the server runs it again on a virtual thread.
   */
  default boolean triesEventLoop() {
    return false;
  }
}
