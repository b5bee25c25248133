package dev.switchboard.http;

import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.routing.Attempt;
import java.lang.System.Logger.Level;

/**
 * The one line logged per request: id, key label, route, model, provider, attempts, status,
 * latency and tokens. Never a prompt, a completion or a key's plaintext.
 */
final class AccessLog {
  private static final System.Logger LOG = System.getLogger("switchboard.access");
  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  void served(Exchange exchange, Principal principal, String id, Attempt attempt, int attempts,
      int status, Usage usage) {
    if (enabled && LOG.isLoggable(Level.INFO)) {
      LOG.log(Level.INFO, String.format(
          "id=%s key=%s route=\"%s %s\" model=%s provider=%s attempts=%d status=%d latency_ms=%d prompt_tokens=%d completion_tokens=%d%s",
          id, principal.label(), exchange.request().method(), exchange.request().path(), attempt.model().id(),
          attempt.provider().slug(), attempts, status, millis(exchange), usage.promptTokens(),
          usage.completionTokens(), usage.estimated() ? " usage=estimated" : ""));
    }
  }

  void failed(Exchange exchange, Principal principal, String id, String model, int attempts, int status) {
    if (enabled && LOG.isLoggable(Level.INFO)) {
      LOG.log(Level.INFO, String.format("id=%s key=%s route=\"%s %s\" model=%s attempts=%d status=%d latency_ms=%d",
          id, principal.label(), exchange.request().method(), exchange.request().path(), model, attempts,
          status, millis(exchange)));
    }
  }

  private static long millis(Exchange exchange) {
    return (System.nanoTime() - exchange.startNanos()) / 1_000_000;
  }
}
