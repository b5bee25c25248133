package dev.switchboard.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Signals that the client went away, so the work done on its behalf (upstream calls) stops.
 * Thread-safe; hooks registered after cancellation run at once.
 */
public final class Cancellation {
  private final List<Runnable> hooks = new ArrayList<>(2);
  private boolean cancelled;

  /** Runs {@code hook} on cancellation; returns a handle that unregisters it. */
  public Runnable onCancel(Runnable hook) {
    boolean runNow;
    synchronized (this) {
      runNow = cancelled;
      if (!runNow) {
        hooks.add(hook);
      }
    }
    if (runNow) {
      hook.run();
    }
    return () -> {
      synchronized (this) {
        hooks.remove(hook);
      }
    };
  }

  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(hooks);
      hooks.clear();
    }
    for (Runnable hook : toRun) {
      hook.run();
    }
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }
}
