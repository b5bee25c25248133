package dev.switchboard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.accounting.Budgets.Cap;
import dev.switchboard.accounting.Budgets.Caps;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.Role;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * For any prices, cap and {@code max_tokens}, admission decides as its policy says: what it admits
 * unchanged has a worst case within what remains; what it lowers gets the most completion tokens
 * that fit (one more would not); what it refuses could not have had even one. The seed is fixed
 * (STYLE.md) so a failure reproduces.
 */
class AdmissionPropertyTest {
  private static final TokenEstimator ESTIMATOR = new TokenEstimator();
  private static final ChatRequest BASE =
      ChatRequest.of("acme/model", List.of(Message.text(Role.USER, "How much does this cost?")));
  private static final long PROMPT = ESTIMATOR.prompt(BASE);
  private static final long QUICK_PROMPT = ESTIMATOR.quickPrompt(BASE);

  @Property(tries = 1_000, seed = "20260301")
  void admissionReservesWithinTheCapAndLowersToTheMostThatFits(
      @ForAll @LongRange(min = 0, max = 5_000) long promptPriceNanos,
      @ForAll @LongRange(min = 0, max = 20_000) long completionPriceNanos,
      @ForAll @LongRange(min = 0, max = 2_000_000) long capNanos,
      @ForAll @LongRange(min = 0, max = 2_000_000) long spentNanos,
      @ForAll @IntRange(min = 0, max = 5_000) int maxTokens) {
    BigDecimal promptPrice = BigDecimal.valueOf(promptPriceNanos, 9);
    BigDecimal completionPrice = BigDecimal.valueOf(completionPriceNanos, 9);
    ChatRequest request = BASE.withMaxTokens(maxTokens == 0 ? null : maxTokens);
    Admission admission = new Admission(ESTIMATOR);
    long left = capNanos - spentNanos;
    BigDecimal fixed = promptPrice.multiply(BigDecimal.valueOf(PROMPT));

    Admission.Ticket ticket;
    try {
      ticket = admission.admit("k".repeat(64), "default", request,
          new Admission.Quote(Pricing.of(promptPrice, completionPrice), null, 0),
          () -> new Caps(new Cap(capNanos, spentNanos, "the key", "Raise it."), null));
    } catch (GatewayException.PaymentRequired refused) {
      // Refused only when not even the prompt and one completion token fit.
      assertThat(nanos(fixed.add(completionPrice))).isGreaterThan(left);
      return;
    }
    assertThat(ticket.reservedNanos()).isLessThanOrEqualTo(Math.max(left, 0));
    Integer lowered = ticket.loweredMaxTokens();
    if (lowered == null) {
      assertThat(ticket.request()).isSameAs(request);
      if (completionPrice.signum() > 0) {
        assertThat(request.maxTokens()).as("an unbounded completion is always capped").isNotNull();
        BigDecimal completion = completionPrice.multiply(BigDecimal.valueOf(request.maxTokens()));
        BigDecimal quick = promptPrice.multiply(BigDecimal.valueOf(QUICK_PROMPT)).add(completion);
        // Far from the cap (under a sixteenth of what is left) the quick guess of the prompt decides.
        BigDecimal reserved = nanos(quick) * 16 <= left ? quick : fixed.add(completion);
        assertThat(ticket.reservedNanos()).isEqualTo(nanos(reserved));
      }
    } else {
      assertThat(lowered).isPositive();
      assertThat(ticket.request().maxTokens()).isEqualTo(lowered);
      if (request.maxTokens() != null) {
        assertThat(lowered).isLessThan(request.maxTokens());
      }
      assertThat(nanos(fixed.add(completionPrice.multiply(BigDecimal.valueOf(lowered + 1L)))))
          .as("one more token would not have fit").isGreaterThan(left);
    }
  }

  private static long nanos(BigDecimal usd) {
    return usd.setScale(9, RoundingMode.CEILING).unscaledValue().longValueExact();
  }
}
