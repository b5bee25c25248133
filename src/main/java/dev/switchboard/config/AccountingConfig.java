package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Money: whether accounts must have credits to spend, what BYOK costs, and how crash recovery
 * decides a node is gone.
 *
 * @param requireCredits when true, a request is admitted only while its account's credit balance
 *     (grants and adjustments less usage) covers it; when false (the default) credits are recorded
 *     and reported but never refuse a request, so a self-hosted gateway works out of the box and
 *     only key limits cap spending
 * @param byokFee ({@code accounting.byok_fee}) the share of its price a request served with the
 *     account's own provider key is charged, 0 to 1 (OpenRouter charges 0.05); default 0
 * @param nodeLease ({@code accounting.node_lease}) how long a gateway node counts as alive after
 *     its last heartbeat; then another node recovers what it left in flight. It heartbeats every
 *     third of it. Keep it well above the clock skew between nodes; default 30 s
 * @param masterKeyFile ({@code secrets.master_key_file}) a file holding the BYOK master key in
 *     base64, when {@code SWITCHBOARD_MASTER_KEY} is not set; null: none
 */
public record AccountingConfig(
    boolean requireCredits, BigDecimal byokFee, Duration nodeLease, @Nullable String masterKeyFile) {
  public static final boolean DEFAULT_REQUIRE_CREDITS = false;
  public static final BigDecimal DEFAULT_BYOK_FEE = BigDecimal.ZERO;
  public static final Duration DEFAULT_NODE_LEASE = Duration.ofSeconds(30);
  public static final AccountingConfig DEFAULTS = new AccountingConfig(DEFAULT_REQUIRE_CREDITS);

  public AccountingConfig {
    requireNonNull(byokFee, "byokFee");
    requireNonNull(nodeLease, "nodeLease");
    if (byokFee.signum() < 0 || byokFee.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("byok_fee must be between 0 and 1, was " + byokFee);
    }
    if (nodeLease.isNegative() || nodeLease.isZero()) {
      throw new IllegalArgumentException("node_lease must be positive, was " + nodeLease);
    }
  }

  /** Defaults except for {@code require_credits}. */
  public AccountingConfig(boolean requireCredits) {
    this(requireCredits, DEFAULT_BYOK_FEE, DEFAULT_NODE_LEASE, null);
  }
}
