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
      // Built by hand: String.format parses its pattern on every call, on every request.
      StringBuilder line = start(exchange, principal, id, attempt.model().id())
          .append(" provider=").append(attempt.provider().slug());
      end(line, exchange, attempts, status)
          .append(" prompt_tokens=").append(usage.promptTokens())
          .append(" completion_tokens=").append(usage.completionTokens());
      if (usage.estimated()) {
        line.append(" usage=estimated");
      }
      LOG.log(Level.INFO, line.toString());
    }
  }

  void failed(Exchange exchange, Principal principal, String id, String model, int attempts, int status) {
    if (enabled && LOG.isLoggable(Level.INFO)) {
      LOG.log(Level.INFO, end(start(exchange, principal, id, model), exchange, attempts, status).toString());
    }
  }

  private static StringBuilder start(Exchange exchange, Principal principal, String id, String model) {
    return new StringBuilder(192).append("id=").append(id).append(" key=").append(principal.label())
        .append(" route=\"").append(exchange.request().method()).append(' ').append(exchange.request().path())
        .append("\" model=").append(model);
  }

  private static StringBuilder end(StringBuilder line, Exchange exchange, int attempts, int status) {
    return line.append(" attempts=").append(attempts).append(" status=").append(status)
        .append(" latency_ms=").append(millis(exchange));
  }

  private static long millis(Exchange exchange) {
    return (System.nanoTime() - exchange.startNanos()) / 1_000_000;
  }
}
