package dev.switchboard.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.accounting.Budgets.Cap;
import dev.switchboard.accounting.Budgets.Caps;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.Role;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  /** $1 per million prompt tokens, $2 per million completion tokens: 1,000 and 2,000 nano-USD. */
  private static final Pricing PRICES = Pricing.of(new BigDecimal("0.000001"), new BigDecimal("0.000002"));

  private static final long PROMPT_NANOS = 1_000;
  private static final long COMPLETION_NANOS = 2_000;
  private static final String KEY = "k".repeat(64);

  private final TokenEstimator estimator = new TokenEstimator();
  private final Admission admission = new Admission(estimator);

  private static ChatRequest request(Integer maxTokens) {
    return ChatRequest.of("acme/model", List.of(Message.text(Role.USER, "Say hello to the admission test")))
        .withMaxTokens(maxTokens);
  }

  private long promptNanos(ChatRequest request) {
    return estimator.prompt(request) * PROMPT_NANOS;
  }

  private static Caps keyCap(long capNanos, long spentNanos) {
    return new Caps(new Cap(capNanos, spentNanos, "this key's limit of $X", "Raise it."), null);
  }

  private Admission.Ticket admit(ChatRequest request, Caps caps) {
    return admission.admit(KEY, "default", request, new Admission.Quote(PRICES, null, 0), () -> caps);
  }

  @Test
  void nothingIsHeldForAKeyNothingCaps() {
    ChatRequest request = request(null);

    Admission.Ticket ticket = admit(request, Caps.NONE);

    assertThat(ticket.request()).isSameAs(request);
    assertThat(ticket.reservedNanos()).isZero();
    assertThat(ticket.loweredMaxTokens()).isNull();
  }

  @Test
  void aWorstCaseThatFitsRunsUnchangedAndIsReserved() {
    ChatRequest request = request(100);
    long worst = promptNanos(request) + 100 * COMPLETION_NANOS;

    Admission.Ticket ticket = admit(request, keyCap(worst, 0));

    assertThat(ticket.request()).isSameAs(request);
    assertThat(ticket.loweredMaxTokens()).isNull();
    assertThat(ticket.reservedNanos()).isEqualTo(worst);
  }

  @Test
  void aWorstCaseThatDoesNotFitHasItsMaxTokensLoweredToWhatFits() {
    ChatRequest request = request(1_000);
    long left = promptNanos(request) + 10 * COMPLETION_NANOS + COMPLETION_NANOS / 2;

    Admission.Ticket ticket = admit(request, keyCap(left + 7, 7));

    assertThat(ticket.loweredMaxTokens()).isEqualTo(10);
    assertThat(ticket.request().maxTokens()).isEqualTo(10);
    assertThat(ticket.request().messages()).isEqualTo(request.messages());
    assertThat(ticket.reservedNanos()).isEqualTo(promptNanos(request) + 10 * COMPLETION_NANOS);
  }

  @Test
  void withoutMaxTokensTheEndpointsOutputCapOrContextBoundsTheWorstCase() {
    ChatRequest request = request(null);
    // Far from the cap the quick guess of the prompt is what is reserved.
    long prompt = estimator.quickPrompt(request);
    Caps roomy = keyCap(1_000_000_000L, 0);

    Admission.Ticket capped =
        admission.admit(KEY, "default", request, new Admission.Quote(PRICES, 50, 8_000), () -> roomy);
    Admission.Ticket byContext =
        admission.admit(KEY, "default", request, new Admission.Quote(PRICES, null, 1_000), () -> roomy);

    assertThat(capped.reservedNanos()).isEqualTo(prompt * PROMPT_NANOS + 50 * COMPLETION_NANOS);
    assertThat(byContext.reservedNanos())
        .isEqualTo(prompt * PROMPT_NANOS + (1_000 - prompt) * COMPLETION_NANOS);
    assertThat(capped.loweredMaxTokens()).isNull();
    assertThat(byContext.loweredMaxTokens()).isNull();
  }

  @Test
  void anUnboundedCompletionIsCappedAtWhatTheBudgetAllows() {
    ChatRequest request = request(null);
    Admission.Ticket ticket = admit(request, keyCap(promptNanos(request) + 40 * COMPLETION_NANOS, 0));

    assertThat(ticket.loweredMaxTokens()).isEqualTo(40);
    assertThat(ticket.request().maxTokens()).isEqualTo(40);
  }

  @Test
  void aRequestWhosePromptDoesNotFitIsRefusedSayingWhatRemains() {
    ChatRequest request = request(10);
    long left = promptNanos(request) + COMPLETION_NANOS - 1; // the prompt, but not one token more

    assertThatThrownBy(() -> admit(request, keyCap(left + 5_000, 5_000)))
        .isInstanceOf(GatewayException.PaymentRequired.class)
        .hasMessageStartingWith("this key's limit of $X has $" + BigDecimal.valueOf(left, 9).stripTrailingZeros().toPlainString() + " left")
        .hasMessageContaining("needs at least $")
        .hasMessageContaining("prompt of about " + estimator.prompt(request) + " tokens")
        .hasMessageEndingWith("Raise it.");
    assertThatThrownBy(() -> admit(request, keyCap(100, 250)))
        .isInstanceOf(GatewayException.PaymentRequired.class)
        .hasMessageStartingWith("this key's limit of $X has $0.00 left");
  }

  @Test
  void theLowerOfTheKeyLimitAndTheAccountBalanceBinds() {
    ChatRequest request = request(1_000);
    long prompt = promptNanos(request);
    Caps caps =
        new Caps(
            new Cap(prompt + 500 * COMPLETION_NANOS, 0, "the key", "Raise it."),
            new Cap(prompt + 20 * COMPLETION_NANOS, 0, "the account", "Add credits."));

    try (Admission.Ticket ticket = admit(request, caps)) {
      assertThat(ticket.loweredMaxTokens()).isEqualTo(20);
    }
    assertThatThrownBy(
            () ->
                admit(
                    request,
                    new Caps(
                        new Cap(prompt + 500 * COMPLETION_NANOS, 0, "the key", "Raise it."),
                        new Cap(1, 0, "the account", "Add credits."))))
        .hasMessageStartingWith("the account has $0.000000001 left")
        .hasMessageEndingWith("Add credits.");
  }

  @Test
  void aFreeCompletionNeedsOnlyThePromptToFit() {
    ChatRequest request = request(null);
    Pricing freeOutput = Pricing.of(new BigDecimal("0.000001"), BigDecimal.ZERO);

    Admission.Ticket ticket =
        admission.admit(KEY, "default", request, new Admission.Quote(freeOutput, null, 0),
            () -> keyCap(promptNanos(request), 0));

    assertThat(ticket.loweredMaxTokens()).isNull();
    assertThat(ticket.reservedNanos()).isEqualTo(promptNanos(request));
  }

  @Test
  void theDearerOfPromptAndCacheWriteAndOfCompletionAndReasoningPricesTheWorstCase() {
    ChatRequest request = request(10);
    Pricing prices =
        new Pricing(new BigDecimal("0.000001"), new BigDecimal("0.000002"), new BigDecimal("0.0000001"),
            new BigDecimal("0.0000015"), new BigDecimal("0.000003"), new BigDecimal("0.01"), null);

    Admission.Ticket ticket =
        admission.admit(KEY, "default", request, new Admission.Quote(prices, null, 0),
            () -> keyCap(1_000_000_000L, 0));

    assertThat(ticket.reservedNanos())
        .isEqualTo(estimator.quickPrompt(request) * 1_500 + 10 * 3_000 + 10_000_000);
  }

  @Test
  void farFromTheCapTheQuickGuessIsReservedAndNearItTheTokenizersCount() {
    ChatRequest request = request(10);
    long quick = estimator.quickPrompt(request) * PROMPT_NANOS + 10 * COMPLETION_NANOS;
    long exact = promptNanos(request) + 10 * COMPLETION_NANOS;
    assertThat(quick).as("the guess leans high on English prose").isGreaterThan(exact);

    assertThat(admit(request, keyCap(16 * quick, 0)).reservedNanos()).isEqualTo(quick);
    assertThat(admit(request, keyCap(16 * quick - 1, 0)).reservedNanos()).isEqualTo(exact);
  }

  @Test
  void aReusedReadOfTheCapsCountsWhatSettledSinceAsHeldAndLeavesTheSameRoomAsAFreshRead() {
    Admission cached = new Admission(estimator, new LocalReservations(), Duration.ofHours(1));
    ChatRequest request = request(10);
    long worst = promptNanos(request) + 10 * COMPLETION_NANOS;
    long[] spent = {0};
    int[] reads = {0};
    Supplier<Caps> store = () -> {
      reads[0]++;
      return keyCap(3 * worst, spent[0]);
    };
    Admission.Quote quote = new Admission.Quote(PRICES, null, 0);

    for (int i = 0; i < 3; i++) {
      try (Admission.Ticket ticket = cached.admit(KEY, "default", request, quote, store)) {
        assertThat(ticket.loweredMaxTokens()).isNull();
        ticket.settle(BigDecimal.valueOf(worst - 5, 9));
        spent[0] += worst - 5; // committed in the store, which the kept read does not see
      }
    }
    assertThat(reads[0]).as("the caps were read once").isEqualTo(1);
    // 15 nano-USD are left: not even the prompt fits, exactly as a fresh read would say.
    assertThatThrownBy(() -> cached.admit(KEY, "default", request, quote, store))
        .isInstanceOf(GatewayException.PaymentRequired.class)
        .hasMessageContaining("has $0.000000015 left");
    assertThatThrownBy(() -> admission.admit(KEY, "default", request, quote, store))
        .isInstanceOf(GatewayException.PaymentRequired.class)
        .hasMessageContaining("has $0.000000015 left");

    int before = reads[0];
    cached.forgetCaps();
    spent[0] = 0; // say credits were granted: a forgotten read is read again
    try (Admission.Ticket ticket = cached.admit(KEY, "default", request, quote, store)) {
      assertThat(ticket.reservedNanos()).isEqualTo(worst);
    }
    assertThat(reads[0]).isEqualTo(before + 1);
  }

  @Test
  void pastHalfItsTtlTheKeptReadServesAtOnceWhileTheCapsAreReadAgainInTheBackground() throws Exception {
    Duration ttl = Duration.ofSeconds(1);
    AtomicLong now = new AtomicLong();
    Admission cached = new Admission(estimator, new LocalReservations(), ttl, now::get);
    ChatRequest request = request(10);
    long worst = promptNanos(request) + 10 * COMPLETION_NANOS;
    Admission.Quote quote = new Admission.Quote(PRICES, null, 0);
    Thread caller = Thread.currentThread();
    CountDownLatch reloadMayAnswer = new CountDownLatch(1);
    CompletableFuture<Thread> reloadedOn = new CompletableFuture<>();
    AtomicLong capNanos = new AtomicLong(3 * worst);
    Supplier<Caps> store = () -> {
      if (Thread.currentThread() != caller) {
        reloadedOn.complete(Thread.currentThread());
        await(reloadMayAnswer);
      }
      return keyCap(capNanos.get(), 0);
    };
    cached.admit(KEY, "default", request, quote, store).close();

    now.set(ttl.dividedBy(2).toNanos() - 1);
    capNanos.set(worst / 2); // lowered in the store: only a new read sees it
    cached.admit(KEY, "default", request, quote, store).close();
    assertThat(reloadedOn).as("not read again before half the TTL").isNotDone();

    now.set(ttl.dividedBy(2).toNanos());
    try (Admission.Ticket ticket = cached.admit(KEY, "default", request, quote, store)) {
      assertThat(ticket.reservedNanos()).as("served from the kept read, not the store's").isEqualTo(worst);
    }
    assertThat(reloadedOn.get(5, TimeUnit.SECONDS)).as("read again, off the request's thread").isNotSameAs(caller);

    reloadMayAnswer.countDown();
    // The clock stands still, so only the background read can replace the kept one.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try (Admission.Ticket ticket = cached.admit(KEY, "default", request, quote, store)) {
        if (ticket.loweredMaxTokens() != null) {
          break; // admitted against the lowered cap
        }
      }
      assertThat(System.nanoTime()).as("the background read replaces the kept one").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aReservationIsHeldUntilItsTicketIsClosed() {
    ChatRequest request = request(100);
    long worst = promptNanos(request) + 100 * COMPLETION_NANOS;
    Caps room = keyCap(worst * 3 / 2, 0);

    Admission.Ticket first = admit(request, room);
    Admission.Ticket second = admit(request, room);

    assertThat(first.loweredMaxTokens()).isNull();
    assertThat(second.loweredMaxTokens()).as("only half a worst case is left").isBetween(1, 99);
    second.close();
    first.close();
    first.close(); // twice is harmless
    // Nothing was committed, and nothing is held: the whole cap is available again.
    assertThat(admit(request, keyCap(worst, 0)).loweredMaxTokens()).isNull();
  }

  @Test
  void aRequestThatSettlesWhileTheStoreIsReadIsStillCounted() {
    ChatRequest request = request(100);
    long worst = promptNanos(request) + 100 * COMPLETION_NANOS;
    long cap = worst * 3 / 2;
    AtomicLong committed = new AtomicLong();
    Admission.Ticket first = admit(request, keyCap(cap, committed.get()));

    // The second request reads the store before the first commits its charge, and the first
    // settles and releases its reservation before the second checks: the read misses the charge
    // and the reservation is gone, yet the cost must still count.
    Admission.Ticket second =
        admission.admit(KEY, "default", request, new Admission.Quote(PRICES, null, 0), () -> {
          Caps stale = keyCap(cap, committed.get());
          committed.addAndGet(worst);
          first.settle(BigDecimal.valueOf(worst, 9));
          first.close();
          return stale;
        });

    assertThat(second.reservedNanos()).isLessThanOrEqualTo(cap - worst);
    assertThat(second.loweredMaxTokens()).isNotNull();
  }

  @Test
  void aCostAboveItsReservationCountsInFullForReadsInProgress() {
    ChatRequest small = request(10);
    long worst = promptNanos(small) + 10 * COMPLETION_NANOS;
    long cap = worst * 10;
    Admission.Ticket first = admit(small, keyCap(cap, 0));

    // The provider ignored max_tokens: the real cost was 8 worst cases. It settles while the next
    // request reads the store (and misses the charge).
    Admission.Ticket next =
        admission.admit(KEY, "default", request(40), new Admission.Quote(PRICES, null, 0), () -> {
          Caps stale = keyCap(cap, 0);
          first.settle(BigDecimal.valueOf(worst * 8, 9));
          first.close();
          return stale;
        });

    // Counting only the reservation would leave 9 worst cases, enough for 40 tokens; counting
    // the real cost leaves 2, which is not.
    assertThat(next.loweredMaxTokens()).isNotNull().isLessThan(40);
    assertThat(next.reservedNanos()).isLessThanOrEqualTo(2 * worst);
  }

  /**
   * Many virtual threads spend from one key at once; each request's real cost is at most its
   * reservation (what the policy assumes). Whatever the interleaving, the committed spending never
   * exceeds the limit, and the budget is actually used (so the test would notice a gate that
   * refuses everything).
   */
  @Test
  void concurrentRequestsOnOneKeyNeverSpendBeyondItsLimit() throws Exception {
    ChatRequest request = request(50);
    long worst = promptNanos(request) + 50 * COMPLETION_NANOS;
    long cap = worst * 40 + worst / 3;
    AtomicLong committed = new AtomicLong();
    AtomicLong highest = new AtomicLong();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger lowered = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    int threads = 200;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        futures.add(pool.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < 5; i++) {
            Admission.Ticket ticket;
            try {
              ticket = admission.admit(KEY, "default", request, new Admission.Quote(PRICES, null, 0), () -> {
                long spent = committed.get();
                Thread.yield(); // widen the window between the read and the check
                return keyCap(cap, spent);
              });
            } catch (GatewayException.PaymentRequired e) {
              refused.incrementAndGet();
              continue;
            }
            admitted.incrementAndGet();
            if (ticket.loweredMaxTokens() != null) {
              lowered.incrementAndGet();
            }
            // The real cost: anything up to the reservation, committed before the release.
            long cost = ticket.reservedNanos() - random.nextLong(ticket.reservedNanos() / 4 + 1);
            long now = committed.addAndGet(cost);
            highest.accumulateAndGet(now, Math::max);
            ticket.settle(BigDecimal.valueOf(cost, 9));
            Thread.yield();
            ticket.close();
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }

    assertThat(highest.get()).isLessThanOrEqualTo(cap);
    assertThat(committed.get()).isLessThanOrEqualTo(cap);
    assertThat(admitted.get()).isGreaterThanOrEqualTo(40);
    assertThat(refused.get()).isPositive();
    assertThat(committed.get()).as("the budget is used, not left idle").isGreaterThan(cap - 2 * worst);
    assertThat(lowered.get()).isLessThanOrEqualTo(admitted.get());
  }
}
