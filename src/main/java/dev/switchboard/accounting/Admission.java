package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.store.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a chat request may start, given what its key (and, when credits are required,
 * its account) may still spend, and holds its worst-case cost until it has settled.
 *
 * <p>Policy: a request's worst case is its estimated prompt ({@link TokenEstimator}) plus {@code
 * max_tokens} completion tokens, at the dearer of each pair of prices (prompt or cache write,
 * completion or reasoning) of the endpoint expected to serve it, plus its flat prices. When the
 * worst case fits what remains, the request runs unchanged. When it does not but the prompt and at
 * least one completion token do, {@code max_tokens} is lowered to what fits and the request runs
 * with that (the caller tells the client). Otherwise it is refused with 402 and a message stating
 * what remains. So a request whose real cost fits is refused only when even its prompt estimate
 * does not.
 *
 * <p>Reservations: admission reserves the worst case in memory; {@link Ticket#close} releases it
 * after the generation's charge is committed. What remains is {@code cap − committed − reserved −
 * released-since-read}, where the last term covers requests that settled while the committed
 * figure was being read, so a request's cost is never counted in neither place (it may be counted
 * in both for a moment, which only errs on the side of refusing). The check and the reservation
 * happen under one lock per account, and the store is read outside it.
 *
 * <p>Bound: with one gateway process, committed spending exceeds a cap only by what admitted
 * requests cost beyond their reservation: when the token estimate of a prompt was low, when a
 * provider ignored {@code max_tokens}, or when a fallback endpoint was dearer than the first. With
 * N processes sharing a store each reserves on its own, so N requests can pass on the same
 * remainder: the excess is then at most (N − 1) times the largest worst case admitted. See
 * docs/accounting.md.
 *
 * <p>Memory: one small entry per account and per key that has made a capped request; keys are
 * made by people, so this stays small. Thread-safe.
 */
public final class Admission {
  private final TokenEstimator estimator;
  private final Map<String, AccountState> accounts = new ConcurrentHashMap<>();

  public Admission(TokenEstimator estimator) {
    this.estimator = requireNonNull(estimator, "estimator");
  }

  /**
   * The endpoint a request is expected to run on, as far as its cost is concerned.
   *
   * @param maxOutputTokens the endpoint's output cap, when known
   * @param contextLength the endpoint's context window, 0 when unknown
   */
  public record Quote(Pricing pricing, @Nullable Integer maxOutputTokens, int contextLength) {
    public Quote {
      requireNonNull(pricing, "pricing");
    }
  }

  /**
   * Admits a request or refuses it.
   *
   * @param caps reads the caps from the store; called once, outside any lock (it may block)
   * @return the ticket to {@link Ticket#close} once the request has settled
   * @throws GatewayException.PaymentRequired when not even the prompt fits what remains
   */
  public Ticket admit(
      String keyHash, String accountId, ChatRequest request, Quote quote, Supplier<Budgets.Caps> caps) {
    return admit(keyHash, accountId, request, () -> estimate(request, quote), caps);
  }

  /**
   * Admits an embeddings request, whose cost is its inputs' tokens at the prompt price plus the
   * flat price: it fits, or it is refused (there is no completion to shorten).
   *
   * @param inputTokens the estimated tokens of every input
   * @return the ticket to {@link Ticket#close} once the request has settled; its {@link
   *     Ticket#request()} is null
   * @throws GatewayException.PaymentRequired when it does not fit what remains
   */
  public Ticket admitEmbeddings(String keyHash, String accountId, long inputTokens, Pricing pricing,
      Supplier<Budgets.Caps> caps) {
    return admit(keyHash, accountId, null, () -> embeddingEstimate(inputTokens, pricing), caps);
  }

  /**
   * The worst case of a request nothing caps, for the attempt journal (what it is charged if it is
   * recovered): admission's estimate, with {@link TokenEstimator#quickPrompt} in place of the
   * tokenizer, so a request that no cap applies to pays no tokenizer run for it.
   */
  public WorstCase worstCase(ChatRequest request, Quote quote) {
    return estimate(request, quote, estimator.quickPrompt(request)).worstCase();
  }

  /** The cost of an embeddings request of {@code inputTokens}, for the attempt journal. */
  public static WorstCase embeddingsWorstCase(long inputTokens, Pricing pricing) {
    return embeddingEstimate(inputTokens, pricing).worstCase();
  }

  private Ticket admit(String keyHash, String accountId, @Nullable ChatRequest request,
      Supplier<Estimate> estimator, Supplier<Budgets.Caps> caps) {
    AccountState account = accounts.computeIfAbsent(accountId, id -> new AccountState());
    long keyReleasedBefore;
    long accountReleasedBefore;
    synchronized (account) {
      keyReleasedBefore = account.key(keyHash).released;
      accountReleasedBefore = account.released;
    }
    Budgets.Caps read = caps.get();
    if (read.key() == null && read.account() == null) {
      return new Ticket(request, null, null, keyHash, 0, null);
    }
    Estimate estimate = estimator.get();
    synchronized (account) {
      KeyState key = account.key(keyHash);
      Available keyLeft =
          available(read.key(), key.reserved, key.released - keyReleasedBefore);
      Available accountLeft =
          available(read.account(), account.reserved, account.released - accountReleasedBefore);
      Available binding =
          keyLeft == null
              ? requireNonNull(accountLeft)
              : accountLeft == null || keyLeft.nanos() <= accountLeft.nanos() ? keyLeft : accountLeft;
      BigDecimal left = Money.toUsd(binding.nanos());
      BigDecimal worst = estimate.worst();
      if (worst != null && worst.compareTo(left) <= 0) {
        return reserve(account, key, keyHash, request, null, estimate.worstCase());
      }
      long fitting = request == null ? 0 : estimate.completionTokensWithin(left);
      if (request != null && fitting >= 1) {
        int lowered = (int) Math.min(fitting, Integer.MAX_VALUE);
        return reserve(account, key, keyHash, request.withMaxTokens(lowered), lowered,
            new WorstCase(estimate.promptTokens(), lowered, ceilNanos(estimate.costWith(lowered))));
      }
      throw new GatewayException.PaymentRequired(refusal(binding, estimate, request != null));
    }
  }

  private Ticket reserve(
      AccountState account,
      KeyState key,
      String keyHash,
      @Nullable ChatRequest request,
      @Nullable Integer lowered,
      WorstCase worstCase) {
    long nanos = worstCase.costNanos();
    key.reserved += nanos;
    account.reserved += nanos;
    return new Ticket(request, lowered, account, keyHash, nanos, worstCase);
  }

  /** What a cap leaves after what is committed, reserved, and released since the read. */
  private record Available(long nanos, long heldNanos, Budgets.Cap cap) {}

  private static @Nullable Available available(
      Budgets.@Nullable Cap cap, long reserved, long releasedSinceRead) {
    if (cap == null) {
      return null;
    }
    long held = reserved + releasedSinceRead;
    return new Available(cap.remainingNanos() - held, held, cap);
  }

  private static String refusal(Available binding, Estimate estimate, boolean chat) {
    StringBuilder message =
        new StringBuilder(binding.cap().what())
            .append(" has ")
            .append(Money.format(Math.max(0, binding.nanos())))
            .append(" left");
    if (binding.heldNanos() > 0) {
      message
          .append(" (")
          .append(Money.format(binding.heldNanos()))
          .append(" is held for requests in progress)");
    }
    message
        .append(", and this request needs at least ")
        .append(Money.format(ceilNanos(estimate.costWith(chat ? 1 : 0))));
    if (chat) {
      message.append(" (its prompt of about ")
          .append(estimate.promptTokens())
          .append(" tokens and one completion token at the serving endpoint's prices). ");
    } else {
      message.append(" (its inputs of about ")
          .append(estimate.promptTokens())
          .append(" tokens at the serving endpoint's prices). ");
    }
    message.append(binding.cap().remedy());
    return message.toString();
  }

  private Estimate estimate(ChatRequest request, Quote quote) {
    return estimate(request, quote, estimator.prompt(request));
  }

  private static Estimate estimate(ChatRequest request, Quote quote, long prompt) {
    Pricing p = quote.pricing();
    BigDecimal fixed = dearer(p.prompt(), p.cacheWrite()).multiply(BigDecimal.valueOf(prompt));
    if (p.request() != null) {
      fixed = fixed.add(p.request());
    }
    int images = images(request);
    if (p.image() != null && images > 0) {
      fixed = fixed.add(p.image().multiply(BigDecimal.valueOf(images)));
    }
    Integer cap = request.maxTokens() != null ? request.maxTokens() : quote.maxOutputTokens();
    Long completion =
        cap != null
            ? Long.valueOf(cap)
            : quote.contextLength() > prompt ? Long.valueOf(quote.contextLength() - prompt) : null;
    return new Estimate(prompt, fixed, dearer(p.completion(), p.reasoning()), completion);
  }

  private static Estimate embeddingEstimate(long inputTokens, Pricing p) {
    BigDecimal fixed = p.prompt().multiply(BigDecimal.valueOf(inputTokens));
    if (p.request() != null) {
      fixed = fixed.add(p.request());
    }
    return new Estimate(inputTokens, fixed, BigDecimal.ZERO, 0L);
  }

  /**
   * A request's estimated cost.
   *
   * @param fixed the prompt and flat prices
   * @param perCompletionToken the dearest price a completion token may have
   * @param completionTokens the most completion tokens it may produce; null when nothing bounds it
   */
  private record Estimate(
      long promptTokens, BigDecimal fixed, BigDecimal perCompletionToken, @Nullable Long completionTokens) {

    /** The worst case; null when the completion is unbounded and not free. */
    @Nullable BigDecimal worst() {
      if (perCompletionToken.signum() == 0) {
        return fixed;
      }
      return completionTokens == null ? null : costWith(completionTokens);
    }

    /** The worst case in nano-USD; an unbounded completion counts for nothing (only the prompt). */
    WorstCase worstCase() {
      long completion = completionTokens == null ? 0 : completionTokens;
      BigDecimal worst = worst();
      return new WorstCase(promptTokens, completion, ceilNanos(worst == null ? fixed : worst));
    }

    BigDecimal costWith(long tokens) {
      return fixed.add(perCompletionToken.multiply(BigDecimal.valueOf(tokens)));
    }

    /** How many completion tokens fit in {@code left} after the prompt; 0 or fewer if none. */
    long completionTokensWithin(BigDecimal left) {
      BigDecimal room = left.subtract(fixed);
      if (room.signum() < 0 || perCompletionToken.signum() == 0) {
        return 0;
      }
      BigDecimal tokens = room.divide(perCompletionToken, 0, RoundingMode.FLOOR);
      return tokens.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
    }
  }

  private static BigDecimal dearer(BigDecimal price, @Nullable BigDecimal other) {
    return other == null ? price : price.max(other);
  }

  private static long ceilNanos(BigDecimal usd) {
    return usd.setScale(Money.SCALE, RoundingMode.CEILING).unscaledValue().longValueExact();
  }

  private static int images(ChatRequest request) {
    int images = 0;
    for (Message message : request.messages()) {
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Image) {
          images++;
        }
      }
    }
    return images;
  }

  /** Reserved and released nano-USD of one key; guarded by its account's monitor. */
  private static final class KeyState {
    long reserved;
    long released;
  }

  /** Reserved and released nano-USD of one account and its keys; guarded by its own monitor. */
  private static final class AccountState {
    long reserved;
    // Only ever grows: a reader compares it before and after reading the store.
    long released;
    final Map<String, KeyState> keys = new HashMap<>();

    KeyState key(String keyHash) {
      return keys.computeIfAbsent(keyHash, hash -> new KeyState());
    }
  }

  /**
   * An admitted request: the request to run (with {@code max_tokens} lowered, if it was) and the
   * reservation it holds. {@link #settle} it with the real cost once that is committed, then
   * {@link #close} it; closing twice is harmless. Used by one request at a time.
   */
  public static final class Ticket implements AutoCloseable {
    private final @Nullable ChatRequest request;
    private final @Nullable Integer lowered;
    private final @Nullable AccountState account;
    private final String keyHash;
    private final long reservedNanos;
    private final @Nullable WorstCase worstCase;
    private long costNanos;
    private boolean settled;
    private boolean closed;

    private Ticket(
        @Nullable ChatRequest request,
        @Nullable Integer lowered,
        @Nullable AccountState account,
        String keyHash,
        long reservedNanos,
        @Nullable WorstCase worstCase) {
      this.request = request;
      this.lowered = lowered;
      this.account = account;
      this.keyHash = keyHash;
      this.reservedNanos = reservedNanos;
      this.worstCase = worstCase;
    }

    /** A ticket for a request nothing caps: it holds nothing. */
    public static Ticket unreserved(@Nullable ChatRequest request) {
      return new Ticket(request, null, null, "", 0, null);
    }

    /** The chat request to run; null on an embeddings ticket. */
    public ChatRequest request() {
      return requireNonNull(request, "an embeddings ticket has no chat request");
    }

    /** The worst case reserved, when admission estimated one (a cap applied); else null. */
    public @Nullable WorstCase worstCase() {
      return worstCase;
    }

    /** The {@code max_tokens} admission set because the request's worst case did not fit. */
    public @Nullable Integer loweredMaxTokens() {
      return lowered;
    }

    /** What is held for this request, in nano-USD (0 when nothing caps its key). */
    public long reservedNanos() {
      return reservedNanos;
    }

    /** Records the real cost, once its charge is committed. */
    public void settle(BigDecimal costUsd) {
      costNanos = Math.max(costNanos, ceilNanos(costUsd));
      settled = true;
    }

    /** Whether {@link #settle} was called: the request's generation is recorded. */
    public boolean settled() {
      return settled;
    }

    /** Releases the reservation. */
    @Override
    public void close() {
      if (closed || account == null) {
        closed = true;
        return;
      }
      closed = true;
      // A settled cost above the reservation counts in full: a reader that started before this
      // charge committed must not see less than it.
      long released = Math.max(reservedNanos, costNanos);
      synchronized (account) {
        KeyState key = account.key(keyHash);
        key.reserved -= reservedNanos;
        key.released += released;
        account.reserved -= reservedNanos;
        account.released += released;
      }
    }
  }
}
