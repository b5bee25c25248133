package dev.switchboard.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the models the gateway serves. Thread-safe: shared by all requests
 * and replaced as a whole on reload.
 */
public final class Catalog {
  private final List<ModelEntry> models;
  private final Map<String, ModelEntry> byId;

  private Catalog(List<ModelEntry> models) {
    this.models = List.copyOf(models);
    Map<String, ModelEntry> index = new HashMap<>();
    for (ModelEntry model : this.models) {
      for (String alias : model.aliases()) {
        index.put(alias, model);
      }
    }
    // Real ids win over aliases that happen to collide with them.
    for (ModelEntry model : this.models) {
      index.put(model.id(), model);
    }
    this.byId = Map.copyOf(index);
  }

  public static Catalog of(List<ModelEntry> models) {
    return new Catalog(models);
  }

  /** All models, sorted as given to {@link #of}. */
  public List<ModelEntry> models() {
    return models;
  }

  /** A model by id or alias. */
  public Optional<ModelEntry> find(String idOrAlias) {
    return Optional.ofNullable(byId.get(idOrAlias));
  }

  public int size() {
    return models.size();
  }
}
