package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.switchboard.store.StoreException;
import io.vertx.core.http.HttpServerResponse;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether the store (the ledger's database) can be reached, so that requests which must be recorded
 * are refused with a clear 503 before they reach an upstream (an answer that could not be billed
 * would be lost), and so that a store failure in the middle of a request is answered 503 rather
 * than 500. The log says once that the store is unreachable and once that it is back.
 *
 * <p>{@link #probe} runs on a timer off the event loop (once a second); {@link #require} is a
 * volatile read. Nothing needs restarting when the database returns: the pool reconnects, the
 * generation writer keeps running, and the next probe lets requests through again. Thread-safe.
 */
public final class StoreGuard {
  /** How long a client is told to wait before retrying. */
  static final int RETRY_AFTER_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(StoreGuard.class.getName());
  private static final String MESSAGE = "the gateway cannot reach its database right now, so it cannot record"
      + " this request; nothing was charged for it. Retry in a few seconds.";

  private final BooleanSupplier reachable;
  private volatile boolean up = true;

  /** @param reachable a blocking check, e.g. {@code Database::isReachable} */
  public StoreGuard(BooleanSupplier reachable) {
    this.reachable = reachable;
  }

  /** Always up: for tests and tools without a store to watch. */
  public static StoreGuard alwaysUp() {
    return new StoreGuard(() -> true);
  }

  /** Checks the store now (blocks); call periodically off the event loop. */
  public void probe() {
    boolean now;
    try {
      now = reachable.getAsBoolean();
    } catch (RuntimeException e) {
      now = false;
    }
    if (now != up) {
      LOG.log(now ? Level.INFO : Level.WARNING, now ? "the database answers again: requests are served"
          : "the database is unreachable: requests that must be recorded are answered 503 until it is back");
      up = now;
    }
  }

  public boolean up() {
    return up;
  }

  /** Refuses (503) while the store is known to be unreachable. */
  void require() {
    if (!up) {
      throw new Unavailable();
    }
  }

  /** Whether a failure came from the store: a {@link StoreException} or an {@link SQLException} inside. */
  static boolean isStoreFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreException || t instanceof SQLException || t instanceof Unavailable) {
        return true;
      }
    }
    return false;
  }

  /** Answers 503 in the OpenAI error shape, with {@code Retry-After}. */
  static void answer(Exchange exchange, JsonFactory json) {
    HttpServerResponse response = exchange.response();
    response.putHeader("retry-after", String.valueOf(RETRY_AFTER_SECONDS));
    exchange.sendJson(503, ErrorEnvelope.json(json, 503, MESSAGE, Map.of("reason", "database_unavailable")));
  }

  /** Thrown by {@link #require}; answered by the server like any store failure. */
  static final class Unavailable extends RuntimeException {
    Unavailable() {
      super(MESSAGE, null, false, false);
    }
  }
}
