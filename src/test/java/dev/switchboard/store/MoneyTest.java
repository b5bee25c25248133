package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void convertsUsdToNanosRoundingHalfUpAtTheNinthDecimal() {
    assertThat(Money.toNanos(new BigDecimal("1"))).isEqualTo(1_000_000_000L);
    assertThat(Money.toNanos(new BigDecimal("0.000003"))).isEqualTo(3_000L);
    assertThat(Money.toNanos(new BigDecimal("0.0000000005"))).isEqualTo(1L);
    assertThat(Money.toNanos(new BigDecimal("0.00000000049"))).isEqualTo(0L);
    assertThat(Money.toNanos(new BigDecimal("-0.0000000005"))).isEqualTo(-1L);
    // 1234 tokens at $3 per million: exact.
    assertThat(Money.toNanos(new BigDecimal("0.000003").multiply(BigDecimal.valueOf(1234))))
        .isEqualTo(3_702_000L);
  }

  @Test
  void refusesAmountsBeyondALong() {
    assertThatThrownBy(() -> Money.toNanos(new BigDecimal("10000000000")))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void formatsForPeople() {
    assertThat(Money.format(1_500_000_000L)).isEqualTo("$1.50");
    assertThat(Money.format(0)).isEqualTo("$0.00");
    assertThat(Money.format(123_000L)).isEqualTo("$0.000123");
    assertThat(Money.format(-2_000_000_000L)).isEqualTo("-$2.00");
  }

  @Property
  void nanosSurviveARoundTripThroughUsd(@ForAll long nanos) {
    BigDecimal usd = Money.toUsd(nanos);
    assertThat(usd.scale()).isEqualTo(Money.SCALE);
    assertThat(Money.toNanos(usd)).isEqualTo(nanos);
  }
}
