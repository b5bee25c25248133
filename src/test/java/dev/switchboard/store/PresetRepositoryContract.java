package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresetRepository} does, run against each back-end by a subclass ({@code
 * SqlitePresetRepositoryTest}, {@code PostgresPresetRepositoryTest}) that supplies a fresh store.
 */
public abstract class PresetRepositoryContract {
  private static final Instant T0 = Instant.parse("2026-11-01T08:00:00.123Z");

  private TestStore store;
  private Database database;
  private PresetRepository presets;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    database = store.open();
    presets = database.presets();
  }

  @AfterEach
  void close() {
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  @Test
  void aSavedPresetIsFoundAsWritten() {
    String definition = "{\"models\":[\"a/b\"],\"temperature\":0.2,\"tools\":[{\"type\":\"function\"}]}";

    StoredPreset saved = presets.save("terse", definition, T0);

    assertThat(saved).isEqualTo(new StoredPreset("terse", definition, T0, T0));
    assertThat(presets.find("terse")).contains(saved);
    assertThat(presets.find("other")).isEmpty();
  }

  @Test
  void savingAgainReplacesTheDefinitionAndKeepsTheCreationTime() {
    presets.save("terse", "{\"temperature\":0.2}", T0);

    StoredPreset updated = presets.save("terse", "{\"temperature\":0.9}", T0.plusSeconds(60));

    assertThat(updated).isEqualTo(new StoredPreset("terse", "{\"temperature\":0.9}", T0, T0.plusSeconds(60)));
    assertThat(presets.list()).containsExactly(updated);
  }

  @Test
  void listIsBySlugAndDeleteRemoves() {
    presets.save("b", "{}", T0);
    presets.save("a", "{}", T0.plusMillis(1));

    assertThat(presets.list()).extracting(StoredPreset::slug).containsExactly("a", "b");
    assertThat(presets.delete("a")).isTrue();
    assertThat(presets.delete("a")).isFalse();
    assertThat(presets.list()).extracting(StoredPreset::slug).containsExactly("b");
  }

  @Test
  void presetsSurviveAReopen() {
    presets.save("kept", "{\"seed\":7}", T0);
    database.close();
    database = store.open();

    assertThat(database.presets().find("kept")).map(StoredPreset::definition).contains("{\"seed\":7}");
  }
}
