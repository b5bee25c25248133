package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.store.Money;
import dev.switchboard.store.ReadCache;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a chat request may start, given what its key (and, when credits are required,
 * its account) may still spend, and holds its worst-case cost until it has settled.
 *
 * <p>Policy: a request's worst case is its estimated prompt ({@link TokenEstimator}: a quick guess
 * from its length when the worst case that gives is under a sixteenth of what remains, else the
 * tokenizer's count) plus {@code
 * max_tokens} completion tokens, at the dearer of each pair of prices (prompt or cache write,
 * completion or reasoning) of the endpoint expected to serve it, plus its flat prices. When the
 * worst case fits what remains, the request runs unchanged. When it does not but the prompt and at
 * least one completion token do, {@code max_tokens} is lowered to what fits and the request runs
 * with that (the caller tells the client). Otherwise it is refused with 402 and a message stating
 * what remains. So a request whose real cost fits is refused only when even its prompt estimate
 * does not.
 *
 * <p>Reservations: admission reserves the worst case in its {@link Reservations}; {@link Ticket#close} releases it
 * after the generation's charge is committed. What remains is {@code cap − committed − reserved −
 * released-since-read}, where the last term covers requests that settled while the committed
 * figure was being read, so a request's cost is never counted in neither place (it may be counted
 * in both for a moment, which only errs on the side of refusing). The check and the reservation
 * happen atomically per account, and the store is read outside that.
 *
 * <p>Bound: with one gateway process, or a cluster whose {@link Reservations} are shared (Redis),
 * committed spending exceeds a cap only by what admitted requests cost beyond their reservation:
 * when the token estimate of a prompt was low, when a provider ignored {@code max_tokens}, or when
 * a fallback endpoint was dearer than the first. With N processes that each reserve on their own
 * (no Redis, or while it is unreachable), each may admit up to the whole remainder at once, so
 * the excess is at most (N − 1) times the remainder seen when the burst began, plus the above.
 * See docs/accounting.md and docs/deploy.md.
 *
 * <p>Thread-safe.
 */
public final class Admission {
  /** The quick prompt guess decides when its worst case is at most 1/16 of what is left. */
  private static final BigDecimal QUICK_SHARE = BigDecimal.valueOf(16);
  private static final System.Logger LOG = System.getLogger(Admission.class.getName());

  private final TokenEstimator estimator;
  private final Reservations reservations;
  private final long capsTtlNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<CapsKey, CapsSnapshot> snapshots = new ConcurrentHashMap<>();
  // Bumped by forgetCaps; a read that raced with it is not kept.
  private final AtomicLong capsVersion = new AtomicLong();

  /** Admission holding its reservations in this process, reading the caps for every request. */
  public Admission(TokenEstimator estimator) {
    this(estimator, new LocalReservations());
  }

  /** Admission holding its reservations in {@code reservations} (shared by a cluster's nodes). */
  public Admission(TokenEstimator estimator, Reservations reservations) {
    this(estimator, reservations, Duration.ZERO);
  }

  /**
   * Admission that reuses a key's caps, read from the store, for up to {@code capsTtl}.
   *
   * <p>Why this is as safe as reading them every time: a snapshot keeps the released totals
   * ({@link Reservations#marks}) noted before its read, and admission counts everything released
   * since those marks as held. Every charge committed after the read was released after the marks,
   * so it is counted; the snapshot can only be stale about what changes the caps themselves (a
   * credit grant, a new limit, a window that started over, another node's charges when
   * reservations are not shared), and {@link #forgetCaps} drops it at once for changes made
   * through this process.
   *
   * @param capsTtl zero to read the caps for every request
   */
  public Admission(TokenEstimator estimator, Reservations reservations, Duration capsTtl) {
    this(estimator, reservations, capsTtl, System::nanoTime);
  }

  /** {@link #Admission(TokenEstimator, Reservations, Duration)} on {@code nanoTime}'s time (tests move it). */
  Admission(TokenEstimator estimator, Reservations reservations, Duration capsTtl, LongSupplier nanoTime) {
    this.estimator = requireNonNull(estimator, "estimator");
    this.reservations = requireNonNull(reservations, "reservations");
    this.capsTtlNanos = capsTtl.toNanos();
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
  }

  /** Drops every snapshot of the caps: call after granting credits or changing a key's limit. */
  public void forgetCaps() {
    capsVersion.incrementAndGet();
    snapshots.clear();
  }

  private record CapsKey(String accountId, String keyHash) {}

  /**
   * The caps as read, with the marks noted before the read; {@code refreshing} is set once a
   * reload of this snapshot has been started.
   */
  private record CapsSnapshot(Budgets.Caps caps, Reservations.Marks marks, long readNanos, AtomicBoolean refreshing) {}

  /**
   * The caps with the marks noted before they were read: reused while fresh, else read now. Past
   * half its TTL a snapshot is still used, and read again in the background ({@link
   * ReadCache#RELOADS}), so that a key in steady use never waits for the store here.
   */
  private CapsSnapshot caps(String accountId, String keyHash, Supplier<Budgets.Caps> caps) {
    long now = nanoTime.getAsLong();
    CapsKey key = new CapsKey(accountId, keyHash);
    if (capsTtlNanos > 0) {
      CapsSnapshot kept = snapshots.get(key);
      if (kept != null && now - kept.readNanos() < capsTtlNanos) {
        if (now - kept.readNanos() >= capsTtlNanos / 2 && kept.refreshing().compareAndSet(false, true)) {
          ReadCache.RELOADS.execute(() -> reloadCaps(key, caps));
        }
        return kept;
      }
    }
    return readCaps(key, caps);
  }

  private CapsSnapshot readCaps(CapsKey key, Supplier<Budgets.Caps> caps) {
    long now = nanoTime.getAsLong();
    long version = capsVersion.get();
    Reservations.Marks marks = reservations.marks(key.accountId(), key.keyHash());
    CapsSnapshot read = new CapsSnapshot(caps.get(), marks, now, new AtomicBoolean());
    if (capsTtlNanos > 0 && capsVersion.get() == version) {
      snapshots.put(key, read);
    }
    return read;
  }

  private void reloadCaps(CapsKey key, Supplier<Budgets.Caps> caps) {
    try {
      readCaps(key, caps);
    } catch (RuntimeException e) {
      // The snapshot in hand serves until it expires; then a request reads the caps itself, and
      // a store that is still failing answers that request as it would have.
      LOG.log(Level.DEBUG, "reloading the caps of a key failed: {0}", e.getMessage());
    }
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
    // The tokenizer costs tens of microseconds on a short prompt: the quick guess decides when its
    // worst case is small beside what is left, and the tokenizer runs only for a request near it.
    Estimate quick = estimate(request, quote, estimator.quickPrompt(request));
    return admit(keyHash, accountId, request, quick, () -> estimate(request, quote), caps);
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
    Estimate estimate = embeddingEstimate(inputTokens, pricing);
    return admit(keyHash, accountId, null, estimate, () -> estimate, caps);
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

  /**
   * @param quick the estimate to reserve when its worst case fits
   * @param exact the estimate that decides otherwise (lowering {@code max_tokens} or refusing)
   */
  private Ticket admit(String keyHash, String accountId, @Nullable ChatRequest request,
      Estimate quick, Supplier<Estimate> exact, Supplier<Budgets.Caps> caps) {
    CapsSnapshot snapshot = caps(accountId, keyHash, caps);
    Budgets.Caps read = snapshot.caps();
    if (read.key() == null && read.account() == null) {
      return new Ticket(request, null, null, null, 0, null);
    }
    // The max_tokens the decision lowered to; 0 when it did not (a lowered value is at least 1).
    int[] lowered = {0};
    // The estimate the decision used, and the tokenizer's, made at most once: a store that cannot
    // hold a lock asks again.
    Estimate[] decided = {quick};
    Estimate[] counted = {null};
    Reservations.Room room = new Reservations.Room(read.key() == null ? null : read.key().remainingNanos(),
        read.account() == null ? null : read.account().remainingNanos());
    Reservations.Hold hold = reservations.reserve(accountId, keyHash, snapshot.marks(), room, held -> {
      lowered[0] = 0;
      Available keyLeft = available(read.key(), held.key());
      Available accountLeft = available(read.account(), held.account());
      Available binding =
          keyLeft == null
              ? requireNonNull(accountLeft)
              : accountLeft == null || keyLeft.nanos() <= accountLeft.nanos() ? keyLeft : accountLeft;
      BigDecimal left = Money.toUsd(binding.nanos());
      BigDecimal quickWorst = quick.worst();
      // Far from the cap, reserving a little more than the tokenizer would is immaterial; near it,
      // the tokenizer's count decides, so that as many requests fit as their real prompts allow.
      if (quickWorst != null && quickWorst.multiply(QUICK_SHARE).compareTo(left) <= 0) {
        decided[0] = quick;
        return ceilNanos(quickWorst);
      }
      if (counted[0] == null) {
        counted[0] = exact.get();
      }
      Estimate estimate = requireNonNull(counted[0]);
      decided[0] = estimate;
      BigDecimal worst = estimate.worst();
      if (worst != null && worst.compareTo(left) <= 0) {
        return ceilNanos(worst);
      }
      long fitting = request == null ? 0 : estimate.completionTokensWithin(left);
      if (request != null && fitting >= 1) {
        int tokens = (int) Math.min(fitting, Integer.MAX_VALUE);
        lowered[0] = tokens;
        return ceilNanos(estimate.costWith(tokens));
      }
      throw new GatewayException.PaymentRequired(refusal(binding, estimate, request != null));
    });
    Estimate estimate = decided[0];
    if (lowered[0] == 0 || request == null) {
      return new Ticket(request, null, reservations, hold, hold.nanos(), estimate.worstCase());
    }
    int tokens = lowered[0];
    return new Ticket(request.withMaxTokens(tokens), tokens, reservations, hold, hold.nanos(),
        new WorstCase(estimate.promptTokens(), tokens, ceilNanos(estimate.costWith(tokens))));
  }

  /** What a cap leaves after what is committed, reserved, and released since the read. */
  private record Available(long nanos, long heldNanos, Budgets.Cap cap) {}

  private static @Nullable Available available(Budgets.@Nullable Cap cap, long held) {
    if (cap == null) {
      return null;
    }
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

  /**
   * An admitted request: the request to run (with {@code max_tokens} lowered, if it was) and the
   * reservation it holds. {@link #settle} it with the real cost once that is committed, then
   * {@link #close} it; closing twice is harmless. Used by one request at a time.
   */
  public static final class Ticket implements AutoCloseable {
    private final @Nullable ChatRequest request;
    private final @Nullable Integer lowered;
    private final @Nullable Reservations reservations;
    private Reservations.@Nullable Hold hold;
    private final long reservedNanos;
    private final @Nullable WorstCase worstCase;
    private long costNanos;
    private boolean closed;
    private boolean settled;

    private Ticket(
        @Nullable ChatRequest request,
        @Nullable Integer lowered,
        @Nullable Reservations reservations,
        Reservations.@Nullable Hold hold,
        long reservedNanos,
        @Nullable WorstCase worstCase) {
      this.request = request;
      this.lowered = lowered;
      this.reservations = reservations;
      this.hold = hold;
      this.reservedNanos = reservedNanos;
      this.worstCase = worstCase;
    }

    /** A ticket for a request nothing caps: it holds nothing. */
    public static Ticket unreserved(@Nullable ChatRequest request) {
      return new Ticket(request, null, null, null, 0, null);
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

    /**
     * The real cost is known and the client answered, but its charge is not committed yet: until
     * {@link #close} the ticket holds that cost rather than its worst case, so the caller's next
     * request is admitted as if the charge were in the books already.
     */
    public void priced(BigDecimal costUsd) {
      if (closed || reservations == null || hold == null) {
        return;
      }
      hold = reservations.resize(hold, ceilNanos(costUsd));
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
      if (closed || reservations == null || hold == null) {
        closed = true;
        return;
      }
      closed = true;
      // Released is what was charged, above the reservation or below it: a reader that noted its
      // marks before this charge committed counts it as held, exactly, whether or not its read of
      // the store saw it (seen, it errs on refusing). So a snapshot of the caps reused later
      // leaves the same room as a fresh read.
      reservations.release(hold, costNanos);
    }
  }
}
