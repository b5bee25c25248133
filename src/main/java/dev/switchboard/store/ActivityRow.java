package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * Generations of one UTC day for one model on one provider, summed (over keys, unless the query
 * named one): a row of {@code GET /api/v1/activity}.
 *
 * @param provider the provider slug; null for requests that reached none
 * @param requests generation records, failed ones included
 */
public record ActivityRow(
    LocalDate date,
    String model,
    @Nullable String provider,
    long requests,
    long promptTokens,
    long completionTokens,
    long reasoningTokens,
    long costNanos) {
  public ActivityRow {
    requireNonNull(date, "date");
    requireNonNull(model, "model");
  }
}
