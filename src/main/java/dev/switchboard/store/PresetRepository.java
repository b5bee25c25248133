package dev.switchboard.store;

import java.util.List;
import java.util.Optional;

/**
 * Presets created through the API, by slug. Implementations are thread-safe and cache nothing:
 * {@code routing.Presets} keeps the snapshot requests read.
 */
public interface PresetRepository {

  /** Every stored preset, by slug. Preset tables are small (people create them). */
  List<StoredPreset> list();

  Optional<StoredPreset> find(String slug);

  /**
   * Creates the preset, or replaces the definition of the one with its slug (keeping its creation
   * time).
   *
   * @return the preset as stored now
   */
  StoredPreset save(String slug, String definition, java.time.Instant now);

  /** @return false if no preset had this slug */
  boolean delete(String slug);
}
