package dev.switchboard.limits;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.LimitsConfig;
import dev.switchboard.core.GatewayException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides which rate limits a request counts against and takes its share of each: one request,
 * and its estimated prompt tokens, from every bucket that applies. A request refused by any bucket
 * takes nothing from the others (what it took is given back) and is answered 429.
 *
 * <p>Buckets (each of which may be absent): the key's requests and tokens per minute (its own
 * {@code rate_limit}, figure by figure, else {@code limits.key}); the account's ({@code
 * limits.account}); and the same two for the request's model ({@code limits.models}).
 *
 * <p>Tokens: admission takes the prompt estimate; once the generation is recorded, {@link
 * #settled} corrects every token bucket by the difference between the real prompt plus completion
 * tokens and that estimate (a failed request without usage gives the estimate back). So a burst
 * of long answers is paid for by the requests after it.
 *
 * <p>Thread-safe. Corrections pending for requests still running are kept for at most an hour.
 */
public final class RateLimits {
  private static final System.Logger LOG = System.getLogger(RateLimits.class.getName());

  private final LimitsConfig config;
  private final RateBuckets buckets;
  private final Cache<String, Pending> pending =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).executor(Runnable::run).build();

  public RateLimits(LimitsConfig config, RateBuckets buckets) {
    this.config = requireNonNull(config, "config");
    this.buckets = requireNonNull(buckets, "buckets");
  }

  /** Who is asking, for what. */
  public record Subject(String keyHash, String accountId, String model, RateLimit keyLimit) {
    public Subject {
      requireNonNull(keyHash, "keyHash");
      requireNonNull(accountId, "accountId");
      requireNonNull(model, "model");
      requireNonNull(keyLimit, "keyLimit");
    }
  }

  /** One bucket a request counts against. */
  private record Limit(String bucket, long perMinute, boolean tokens, String what) {}

  /**
   * What admission found, for the {@code X-RateLimit-*} headers: the tightest request limit and
   * the tightest token limit, each null when none applies.
   */
  public record Admitted(@Nullable State requests, @Nullable State tokens) {
    public static final Admitted NONE = new Admitted(null, null);
  }

  /**
   * One bucket's state after admission.
   *
   * @param resetEpochMillis when it is full again
   */
  public record State(long limit, long remaining, long resetEpochMillis) {}

  /** Whether some limit applies to this subject; when not, {@link #admit} does nothing. */
  public boolean applies(Subject subject) {
    return !limits(subject).isEmpty();
  }

  /**
   * A request's prompt tokens two ways, each asked for only when a token limit needs it.
   *
   * @param quick a guess without the tokenizer (about a microsecond), from one token per three
   *     characters: above the tokenizer's count for prose, below it by up to three times where a
   *     character is a token (dense code, some scripts)
   * @param exact the tokenizer's count (tens of microseconds per kilobyte)
   */
  public record PromptTokens(LongSupplier quick, LongSupplier exact) {
    public PromptTokens {
      requireNonNull(quick, "quick");
      requireNonNull(exact, "exact");
    }
  }

  /**
   * The quick guess stands in for the tokenizer's count when even three times the guess is at most
   * this share of the tightest token limit: then the error is a small fraction of a minute's
   * allowance, and {@link #settled} corrects the buckets by the real usage anyway.
   */
  static final int QUICK_SHARE = 16;

  /**
   * Takes one request and the prompt's tokens from every bucket that applies, or refuses. The
   * prompt is estimated only when a token limit applies, with the quick guess when the prompt is
   * small against the tightest token limit ({@link #QUICK_SHARE}); a request the guess leaves
   * refused is tried again with the tokenizer's count when that is lower.
   *
   * @param generationId the id the request's generation will be recorded under, for {@link #settled}
   * @throws GatewayException.RateLimited when a bucket has too little; nothing is taken then
   */
  public Admitted admit(Subject subject, PromptTokens prompt, String generationId) {
    List<Limit> limits = limits(subject);
    if (limits.isEmpty()) {
      return Admitted.NONE;
    }
    long tightest = Long.MAX_VALUE;
    for (Limit limit : limits) {
      if (limit.tokens()) {
        tightest = Math.min(tightest, limit.perMinute());
      }
    }
    if (tightest == Long.MAX_VALUE) {
      return admit(limits, 0, generationId);
    }
    long quick = prompt.quick().getAsLong();
    if (quick > tightest / QUICK_SHARE / 3) {
      return admit(limits, prompt.exact().getAsLong(), generationId);
    }
    try {
      return admit(limits, quick, generationId);
    } catch (GatewayException.RateLimited refused) {
      long exact = prompt.exact().getAsLong();
      if (exact >= quick) {
        throw refused;
      }
      return admit(limits, exact, generationId);
    }
  }

  /**
   * Takes one request and {@code promptTokens} from every bucket that applies, or refuses.
   *
   * @param generationId the id the request's generation will be recorded under, for {@link #settled}
   * @throws GatewayException.RateLimited when a bucket has too little; nothing is taken then
   */
  public Admitted admit(Subject subject, long promptTokens, String generationId) {
    List<Limit> limits = limits(subject);
    return limits.isEmpty() ? Admitted.NONE : admit(limits, promptTokens, generationId);
  }

  private Admitted admit(List<Limit> limits, long promptTokens, String generationId) {
    long tokens = Math.max(1, promptTokens);
    List<Limit> taken = new ArrayList<>(limits.size());
    State requests = null;
    State tokenState = null;
    long now = System.currentTimeMillis();
    for (Limit limit : limits) {
      long amount = limit.tokens() ? tokens : 1;
      RateBuckets.Probe probe = buckets.tryConsume(limit.bucket(), limit.perMinute(), amount);
      State state = new State(limit.perMinute(), probe.remaining(),
          now + TimeUnit.NANOSECONDS.toMillis(probe.nanosToFull()));
      if (!probe.consumed()) {
        giveBack(taken, tokens);
        throw refusal(limit, amount, probe, state);
      }
      taken.add(limit);
      if (limit.tokens()) {
        tokenState = tighter(tokenState, state);
      } else {
        requests = tighter(requests, state);
      }
    }
    List<Limit> tokenLimits = taken.stream().filter(Limit::tokens).toList();
    if (!tokenLimits.isEmpty()) {
      pending.put(generationId, new Pending(tokenLimits, tokens));
    }
    return new Admitted(requests, tokenState);
  }

  /**
   * Corrects the token buckets of a recorded generation by its real usage; nothing when it was
   * admitted without a token limit. Never fails the caller.
   *
   * @param usedTokens prompt plus completion tokens, 0 when the request produced no usage
   */
  public void settled(String generationId, long usedTokens) {
    Pending held = pending.asMap().remove(generationId);
    if (held == null) {
      return;
    }
    long delta = usedTokens - held.estimate();
    if (delta == 0) {
      return;
    }
    for (Limit limit : held.limits()) {
      try {
        buckets.adjust(limit.bucket(), limit.perMinute(), delta);
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        LOG.log(Level.DEBUG, "token bucket correction skipped: {0}", e.getMessage());
      }
    }
  }

  private record Pending(List<Limit> limits, long estimate) {}

  private void giveBack(List<Limit> taken, long tokens) {
    for (Limit limit : taken) {
      try {
        buckets.adjust(limit.bucket(), limit.perMinute(), -(limit.tokens() ? tokens : 1));
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        LOG.log(Level.DEBUG, "rate bucket refund skipped: {0}", e.getMessage());
      }
    }
  }

  private static State tighter(@Nullable State current, State candidate) {
    if (current == null) {
      return candidate;
    }
    // The smaller share left is what the client runs into first.
    return candidate.remaining() * current.limit() < current.remaining() * candidate.limit() ? candidate : current;
  }

  private static GatewayException.RateLimited refusal(Limit limit, long amount, RateBuckets.Probe probe, State state) {
    String unit = limit.tokens() ? "tokens" : "requests";
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("limit", limit.what() + " " + unit + "_per_minute");
    metadata.put("headers", Map.of("X-RateLimit-Limit", String.valueOf(state.limit()), "X-RateLimit-Remaining",
        String.valueOf(state.remaining()), "X-RateLimit-Reset", String.valueOf(state.resetEpochMillis())));
    if (limit.tokens() && amount > limit.perMinute()) {
      return new GatewayException.RateLimited("Rate limit exceeded: this request's prompt (about " + amount
          + " tokens) is larger than " + limit.what() + " limit of " + limit.perMinute()
          + " tokens per minute, so it can never be admitted; shorten it or raise the limit.", null, metadata);
    }
    long seconds = Math.max(1, (probe.nanosToWait() + 999_999_999L) / 1_000_000_000L);
    return new GatewayException.RateLimited("Rate limit exceeded: " + limit.what() + " limit of "
        + limit.perMinute() + " " + unit + " per minute is used up; retry in " + seconds + " s.", seconds, metadata);
  }

  private List<Limit> limits(Subject s) {
    List<Limit> limits = new ArrayList<>(4);
    RateLimit own = s.keyLimit();
    LimitsConfig.Rate keyDefault = config.key();
    add(limits, "k:" + s.keyHash(), "this key's",
        own.requestsPerMinute() != null ? own.requestsPerMinute() : keyDefault.requestsPerMinute(),
        own.tokensPerMinute() != null ? own.tokensPerMinute() : keyDefault.tokensPerMinute());
    add(limits, "a:" + s.accountId(), "the account's", config.account().requestsPerMinute(),
        config.account().tokensPerMinute());
    LimitsConfig.ModelLimits model = config.models().get(s.model());
    if (model != null) {
      add(limits, "km:" + s.keyHash() + ":" + s.model(), "this key's " + s.model(), model.key().requestsPerMinute(),
          model.key().tokensPerMinute());
      add(limits, "am:" + s.accountId() + ":" + s.model(), "the account's " + s.model(),
          model.account().requestsPerMinute(), model.account().tokensPerMinute());
    }
    return limits;
  }

  private static void add(List<Limit> limits, String scope, String what, @Nullable Long requests,
      @Nullable Long tokens) {
    if (requests != null) {
      limits.add(new Limit(scope + ":r", requests, false, what));
    }
    if (tokens != null) {
      limits.add(new Limit(scope + ":t", tokens, true, what));
    }
  }
}
