package dev.switchboard.cluster;

import static java.util.Objects.requireNonNull;

import dev.switchboard.routing.SessionAffinity;
import dev.switchboard.routing.health.EndpointId;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Session pins shared by the nodes of a cluster: one Redis key per session and model ({@code
 * PREFIX pin:SHA-256}, so a client's session ids are not stored as such), expiring {@code ttl}
 * after the last success. Every pin is also kept in this node's own cache, which answers when
 * Redis does not: a conversation then stays on its endpoint per node until Redis is back.
 * Thread-safe.
 */
public final class RedisSessionPins implements SessionAffinity.Pins {
  private final RedisLink link;
  private final SessionAffinity.Pins local;
  private final Duration ttl;

  public RedisSessionPins(RedisLink link, Duration ttl) {
    this.link = requireNonNull(link, "link");
    this.ttl = requireNonNull(ttl, "ttl");
    this.local = SessionAffinity.local(ttl);
  }

  @Override
  public @Nullable EndpointId get(String session, String model) {
    if (link.up()) {
      try {
        String value = Future.fromCompletionStage(link.commands().async().get(key(session, model))).await();
        if (value != null) {
          int tab = value.indexOf('\t');
          if (tab > 0) {
            return new EndpointId(value.substring(0, tab), value.substring(tab + 1));
          }
        }
        // Pinned while Redis was away, on this node only.
        return local.get(session, model);
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        link.failed(e);
      }
    }
    return local.get(session, model);
  }

  @Override
  public void put(String session, String model, EndpointId endpoint) {
    local.put(session, model, endpoint);
    if (!link.up()) {
      return;
    }
    try {
      link.watch(link.commands().async()
          .set(key(session, model), endpoint.model() + "\t" + endpoint.provider(), SetArgs.Builder.px(ttl.toMillis())));
    } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
      link.failed(e);
    }
  }

  private String key(String session, String model) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(session.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(model.getBytes(StandardCharsets.UTF_8));
      return link.prefix() + "pin:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
