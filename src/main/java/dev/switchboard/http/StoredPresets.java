package dev.switchboard.http;

import dev.switchboard.core.GatewayException;
import dev.switchboard.http.openai.PresetReader;
import dev.switchboard.routing.Preset;
import dev.switchboard.routing.Presets;
import dev.switchboard.store.PresetRepository;
import dev.switchboard.store.StoredPreset;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@link Presets}' snapshot of API-created presets in step with the store: after every
 * change through this node's API, and periodically (the composition root's timer) for changes made
 * through other nodes sharing the database. Requests never read the store for a preset.
 *
 * <p>{@link #refresh} blocks on JDBC: call it from a worker thread. Thread-safe.
 */
public final class StoredPresets {
  private static final System.Logger LOG = System.getLogger(StoredPresets.class.getName());

  private final PresetRepository repository;
  private final PresetReader reader;
  private final Presets presets;

  public StoredPresets(PresetRepository repository, PresetReader reader, Presets presets) {
    this.repository = repository;
    this.reader = reader;
    this.presets = presets;
  }

  PresetRepository repository() {
    return repository;
  }

  PresetReader reader() {
    return reader;
  }

  Presets presets() {
    return presets;
  }

  /** Reloads every stored preset; one that no longer reads (written by another version) is skipped and logged. */
  public synchronized void refresh() {
    List<Preset> loaded = new ArrayList<>();
    for (StoredPreset stored : repository.list()) {
      try {
        loaded.add(reader.read(stored.slug(), stored.definition()));
      } catch (GatewayException e) {
        LOG.log(Level.WARNING, "stored preset {0} is skipped: {1}", stored.slug(), e.getMessage());
      }
    }
    presets.replaceStored(loaded);
  }
}
