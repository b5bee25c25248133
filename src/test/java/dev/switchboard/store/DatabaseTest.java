package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.StorageConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@link Database#open} picks a back-end from the url. What each back-end guarantees is in
 * {@link DatabaseContract} and its subclasses.
 */
class DatabaseTest {

  @Test
  void rejectsUrlsOfOtherBackEnds() {
    assertThatThrownBy(() -> Database.open(new StorageConfig("mysql://u:hunter2@db/sb")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sqlite:")
        .hasMessageContaining("postgresql://")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void rejectsAMalformedPostgresUrlWithoutEchoingThePassword() {
    assertThatThrownBy(
            () -> Database.open(new StorageConfig("postgresql://u:hunter2@127.0.0.1:99999/sb")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anUnreachablePostgresServerIsAStoreErrorThatHidesThePassword() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    StorageConfig config = new StorageConfig("postgresql://sb:hunter2@127.0.0.1:1/sb");

    assertThatThrownBy(() -> Database.open(config, Map.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/sb")
        .hasMessageNotContaining("hunter2");
  }
}
