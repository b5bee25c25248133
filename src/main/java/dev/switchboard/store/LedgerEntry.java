package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One line of an account's append-only credit ledger.
 *
 * @param id {@code led-…} for entries people make, {@code chg-<generation id>} for charges
 * @param amountNanos the signed effect on the balance: grants positive, charges negative, refunds
 *     positive, adjustments either way
 * @param generationId the generation a charge (or refund) is for; unique among entries
 * @param keyHash the key that spent, for charges
 * @param note why, for entries people make
 */
public record LedgerEntry(
    String id,
    String accountId,
    Kind kind,
    long amountNanos,
    @Nullable String generationId,
    @Nullable String keyHash,
    @Nullable String note,
    Instant createdAt) {

  /** Longer notes are cut; they are for people. */
  public static final int MAX_NOTE = 500;

  /** What an entry records. */
  public enum Kind {
    /** Credits added by the operator. */
    GRANT,
    /** What a generation cost, written with its record. */
    CHARGE,
    /** A charge given back. */
    REFUND,
    /** A correction by the operator, either way. */
    ADJUSTMENT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The value stored in {@code ledger.kind}. */
    public String wireName() {
      return wireName;
    }

    /** Parses a {@link #wireName()}. */
    public static Kind parse(String value) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(value)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown ledger entry kind '" + value + "'");
    }
  }

  public LedgerEntry {
    requireNonNull(id, "id");
    requireNonNull(accountId, "accountId");
    requireNonNull(kind, "kind");
    requireNonNull(createdAt, "createdAt");
    if (kind == Kind.GRANT && amountNanos <= 0) {
      throw new IllegalArgumentException("a grant must be positive, was " + amountNanos + " nano-USD");
    }
    if (kind == Kind.CHARGE && (amountNanos > 0 || generationId == null)) {
      throw new IllegalArgumentException("a charge is negative and names its generation");
    }
    if (note != null && note.length() > MAX_NOTE) {
      note = note.substring(0, MAX_NOTE);
    }
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
  }
}
