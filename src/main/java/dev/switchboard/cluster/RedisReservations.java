package dev.switchboard.cluster;

import static java.util.Objects.requireNonNull;

import dev.switchboard.accounting.LocalReservations;
import dev.switchboard.accounting.Reservations;
import dev.switchboard.core.GatewayException;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.ToLongFunction;

/**
 * Spending reservations shared by the nodes of a cluster, in Redis, so that a key's limit and an
 * account's credits hold across nodes as they do on one: N nodes never each reserve against the
 * same remainder.
 *
 * <p>Layout per account ({@code PREFIX res:ACCOUNT}): a hash of the account's and its keys'
 * reserved ({@code r}, {@code r:KEY}) and released ({@code x}, {@code x:KEY}) nano-USD, a sorted
 * set of the holds' lease ends ({@code …:lease}) and a hash of their amounts ({@code …:amt}). All
 * updates are Lua scripts, so each is atomic.
 *
 * <p>Reserving is optimistic: read what is held, let admission decide, then reserve only if the
 * amount still fits what the caps leave after what is held now (else decide again on the new
 * figures). Each reservation therefore fits at the moment it is made, exactly as on one node. An
 * account so busy that {@value #TRIES} tries in a row lose the race is answered 429.
 *
 * <p>Leases: a hold not released within {@value #LEASE_HOURS} h (its node died) is dropped by the
 * next admission on the account; the crashed request's charge is the store's business (crash
 * recovery), not Redis's.
 *
 * <p>Redis away: holds are taken in this node's own {@link LocalReservations} and released there,
 * so each node is exact on its own and the cluster as a whole may overshoot as described in
 * docs/deploy.md. When Redis returns (empty, if it restarted), new holds are shared again; the
 * released counters start over, which a reader clamps at zero. Thread-safe.
 */
public final class RedisReservations implements Reservations {
  private static final int TRIES = 20;
  private static final long LEASE_HOURS = 1;
  private static final long LEASE_MILLIS = Duration.ofHours(LEASE_HOURS).toMillis();
  /** Idle accounts' state disappears after a day (it only matters while requests are in flight). */
  private static final long TTL_SECONDS = Duration.ofDays(1).toSeconds();

  /**
   * ARGV: now, key, mode (0 read, 1 reserve if it fits), nanos, hold id, lease end, key room,
   * account room ('' when uncapped), key mark, account mark, ttl. Drops expired leases, then
   * returns {ok, r:KEY, x:KEY, r, x}.
   */
  private static final String RESERVE = """
      local state, lease, amt = KEYS[1], KEYS[2], KEYS[3]
      local now, key, mode = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
      for _, id in ipairs(redis.call('ZRANGEBYSCORE', lease, '-inf', now)) do
        local v = redis.call('HGET', amt, id)
        if v then
          local sep = string.find(v, ' ')
          local n = tonumber(string.sub(v, sep + 1))
          redis.call('HINCRBY', state, 'r', -n)
          redis.call('HINCRBY', state, 'r:' .. string.sub(v, 1, sep - 1), -n)
          redis.call('HDEL', amt, id)
        end
        redis.call('ZREM', lease, id)
      end
      local v = redis.call('HMGET', state, 'r:' .. key, 'x:' .. key, 'r', 'x')
      local rk, xk, ra, xa = tonumber(v[1] or 0), tonumber(v[2] or 0), tonumber(v[3] or 0), tonumber(v[4] or 0)
      if mode == 0 then
        return {0, rk, xk, ra, xa}
      end
      local n = tonumber(ARGV[4])
      local heldKey = rk + math.max(0, xk - tonumber(ARGV[9]))
      local heldAccount = ra + math.max(0, xa - tonumber(ARGV[10]))
      if (ARGV[7] ~= '' and n > tonumber(ARGV[7]) - heldKey)
          or (ARGV[8] ~= '' and n > tonumber(ARGV[8]) - heldAccount) then
        return {0, rk, xk, ra, xa}
      end
      redis.call('HINCRBY', state, 'r', n)
      redis.call('HINCRBY', state, 'r:' .. key, n)
      redis.call('ZADD', lease, tonumber(ARGV[6]), ARGV[5])
      redis.call('HSET', amt, ARGV[5], key .. ' ' .. ARGV[4])
      for _, k in ipairs(KEYS) do redis.call('EXPIRE', k, tonumber(ARGV[11])) end
      return {1, rk, xk, ra, xa}
      """;

  /** ARGV: hold id, key, reserved nanos, released nanos, ttl. */
  private static final String RELEASE = """
      local state, lease, amt = KEYS[1], KEYS[2], KEYS[3]
      local id, key, n, released = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
      if redis.call('HDEL', amt, id) == 1 then
        redis.call('HINCRBY', state, 'r', -n)
        redis.call('HINCRBY', state, 'r:' .. key, -n)
      end
      redis.call('ZREM', lease, id)
      redis.call('HINCRBY', state, 'x', released)
      redis.call('HINCRBY', state, 'x:' .. key, released)
      for _, k in ipairs(KEYS) do redis.call('EXPIRE', k, tonumber(ARGV[5])) end
      return 1
      """;

  /** ARGV: hold id, key, reserved nanos, new nanos, ttl. Only a hold still there is resized. */
  private static final String RESIZE = """
      local state, lease, amt = KEYS[1], KEYS[2], KEYS[3]
      local id, key, change = ARGV[1], ARGV[2], tonumber(ARGV[4]) - tonumber(ARGV[3])
      if redis.call('HEXISTS', amt, id) == 0 then
        return 0
      end
      redis.call('HSET', amt, id, key .. ' ' .. ARGV[4])
      redis.call('HINCRBY', state, 'r', change)
      redis.call('HINCRBY', state, 'r:' .. key, change)
      for _, k in ipairs(KEYS) do redis.call('EXPIRE', k, tonumber(ARGV[5])) end
      return 1
      """;

  private final RedisLink link;
  private final LocalReservations local = new LocalReservations();

  public RedisReservations(RedisLink link) {
    this.link = requireNonNull(link, "link");
  }

  @Override
  public Marks marks(String accountId, String keyHash) {
    if (link.up()) {
      try {
        List<Long> v = eval(RESERVE, accountId, List.of(now(), keyHash, "0", "0", "", "0", "", "", "0", "0",
            Long.toString(TTL_SECONDS)));
        return new Marks(v.get(2), v.get(4));
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        link.failed(e);
      }
    }
    return local.marks(accountId, keyHash);
  }

  @Override
  public Hold reserve(String accountId, String keyHash, Marks marks, Room room, ToLongFunction<Held> decide) {
    if (!link.up()) {
      return local.reserve(accountId, keyHash, marks, room, decide);
    }
    String id = UUID.randomUUID().toString();
    List<Long> v;
    try {
      v = eval(RESERVE, accountId, List.of(now(), keyHash, "0", "0", id, "0", "", "", "0", "0",
          Long.toString(TTL_SECONDS)));
    } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
      link.failed(e);
      return local.reserve(accountId, keyHash, marks, room, decide);
    }
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      Held held = new Held(v.get(1) + Math.max(0, v.get(2) - marks.keyReleased()),
          v.get(3) + Math.max(0, v.get(4) - marks.accountReleased()));
      // A refusal thrown here is the caller's answer, not a Redis failure.
      long nanos = decide.applyAsLong(held);
      long leaseEnd = System.currentTimeMillis() + LEASE_MILLIS;
      try {
        v = eval(RESERVE, accountId, List.of(now(), keyHash, "1", Long.toString(nanos), id, Long.toString(leaseEnd),
            room.key() == null ? "" : Long.toString(room.key()),
            room.account() == null ? "" : Long.toString(room.account()), Long.toString(marks.keyReleased()),
            Long.toString(marks.accountReleased()), Long.toString(TTL_SECONDS)));
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        link.failed(e);
        return local.reserve(accountId, keyHash, marks, room, decide);
      }
      if (v.get(0) == 1) {
        return new Hold(id, accountId, keyHash, nanos, true);
      }
    }
    throw new GatewayException.RateLimited("too many requests are being admitted on this account at once;"
        + " retry in a moment", 1L, java.util.Map.of());
  }

  @Override
  public void release(Hold hold, long releasedNanos) {
    if (!hold.shared()) {
      local.release(hold, releasedNanos);
      return;
    }
    // Until it lands a reader counts the reservation as still held, which errs on refusing; if it
    // fails, the lease frees the reservation within the hour (the charge itself is in the store).
    send(RELEASE, hold.accountId(), List.of(hold.id(), hold.keyHash(), Long.toString(hold.nanos()),
        Long.toString(releasedNanos), Long.toString(TTL_SECONDS)));
  }

  @Override
  public Hold resize(Hold hold, long nanos) {
    if (!hold.shared()) {
      return local.resize(hold, nanos);
    }
    boolean sent = send(RESIZE, hold.accountId(), List.of(hold.id(), hold.keyHash(), Long.toString(hold.nanos()),
        Long.toString(nanos), Long.toString(TTL_SECONDS)));
    // Not resized, it holds its worst case until its release, which errs on refusing.
    return sent ? new Hold(hold.id(), hold.accountId(), hold.keyHash(), nanos, true) : hold;
  }

  /**
   * Runs a script that changes a hold. From an event loop, which must not wait, it is sent and not
   * waited for: the connection keeps the order, so a later admission's script sees it done. Returns
   * false, the failure reported to the link, if Redis could not take it.
   */
  private boolean send(String script, String accountId, List<String> args) {
    try {
      if (Context.isOnEventLoopThread()) {
        link.watch(evalAsync(script, accountId, args));
      } else {
        eval(script, accountId, args);
      }
      return true;
    } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
      link.failed(e);
      return false;
    }
  }

  private List<Long> eval(String script, String accountId, List<String> args) {
    List<Object> result = Future.fromCompletionStage(evalAsync(script, accountId, args)).await();
    return result.stream().map(o -> ((Number) o).longValue()).toList();
  }

  private CompletionStage<List<Object>> evalAsync(String script, String accountId, List<String> args) {
    String state = link.prefix() + "res:{" + accountId + "}";
    String[] keys = {state, state + ":lease", state + ":amt"};
    return link.commands().async().eval(script, ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
  }

  private static String now() {
    return Long.toString(System.currentTimeMillis());
  }
}
