package dev.switchboard.http;

import dev.switchboard.byok.ByokRouting;
import dev.switchboard.byok.ByokVault;
import dev.switchboard.config.Secret;
import dev.switchboard.routing.RoutePlan;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Puts the calling account's own provider keys first in its route plan ({@link ByokRouting}),
 * reading them from the store on a worker thread when they are not cached: blocking JDBC on a
 * Vert.x virtual-thread context would hold up every other request on that context.
 */
final class ByokPlanner {
  private final Vertx vertx;
  private final ByokVault vault;

  ByokPlanner(Vertx vertx, ByokVault vault) {
    this.vertx = vertx;
    this.vault = vault;
  }

  RoutePlan withAccountKeys(RoutePlan plan, String accountId) {
    if (!vault.enabled()) {
      return plan;
    }
    Map<String, Secret> keys = vault.cachedKeys(accountId);
    if (keys == null) {
      keys = vertx.executeBlocking(() -> vault.keys(accountId)).await();
    }
    return ByokRouting.withAccountKeys(plan, keys);
  }
}
