package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One UTC day of generations for one model on one provider: a row of {@code GET
 * /api/v1/activity}.
 *
 * @param provider the provider slug; null for requests that reached none
 * @param requests generations recorded, failed ones included
 * @param cost exact USD
 */
public record DailyUsage(
    LocalDate date,
    String model,
    @Nullable String provider,
    long requests,
    long promptTokens,
    long completionTokens,
    long reasoningTokens,
    BigDecimal cost) {
  public DailyUsage {
    requireNonNull(date, "date");
    requireNonNull(model, "model");
    requireNonNull(cost, "cost");
  }
}
