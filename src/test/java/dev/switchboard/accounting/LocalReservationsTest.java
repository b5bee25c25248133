package dev.switchboard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link LocalReservations}, and what every {@link Reservations} must do when a hold is resized. */
public class LocalReservationsTest {
  private static final Reservations.Room ROOM = new Reservations.Room(1_000L, 1_000L);

  /** What {@code reader} counts as held for the key, given {@code marks}. */
  private static long heldForKey(Reservations reader, Reservations.Marks marks) {
    long[] held = new long[1];
    Reservations.Hold probe = reader.reserve("acct", "key", marks, ROOM, seen -> {
      held[0] = seen.key();
      return 0;
    });
    reader.release(probe, 0);
    return held[0];
  }

  /**
   * A hold resized from its worst case to the real cost is held at that cost, by {@code writer}
   * and as {@code reader} sees it, until its release adds the cost to the released totals.
   */
  public static void aResizedHoldIsHeldAtItsNewAmountUntilReleased(Reservations writer, Reservations reader) {
    Reservations.Hold hold = writer.reserve("acct", "key", writer.marks("acct", "key"), ROOM, held -> 900);
    assertThat(heldForKey(reader, reader.marks("acct", "key"))).isEqualTo(900);

    Reservations.Hold resized = writer.resize(hold, 300);
    assertThat(resized.nanos()).isEqualTo(300);
    assertThat(heldForKey(reader, reader.marks("acct", "key"))).isEqualTo(300);

    Reservations.Marks beforeRelease = reader.marks("acct", "key");
    writer.release(resized, 300);
    assertThat(heldForKey(reader, beforeRelease)).as("released since the marks: still counted").isEqualTo(300);
    assertThat(heldForKey(reader, reader.marks("acct", "key"))).as("in the store by now: not held").isZero();
  }

  @Test
  void aResizedHoldIsHeldAtItsNewAmountUntilReleased() {
    LocalReservations reservations = new LocalReservations();
    aResizedHoldIsHeldAtItsNewAmountUntilReleased(reservations, reservations);
  }
}
