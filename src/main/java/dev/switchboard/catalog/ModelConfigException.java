package dev.switchboard.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A {@code models:} entry in the config that cannot be merged into the catalog. The message names
 * the entry's position, its model id and the offending field, for example {@code models[0]
 * 'mock/mock-model': endpoints[0].provider: provider 'mokc' is not configured}; the config loader
 * can use {@link #modelIndex()} and {@link #field()} to point at the file and line.
 */
public final class ModelConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int modelIndex;
  private final String modelId;
  private final String field;

  /**
   * @param modelIndex the entry's position in the {@code models:} list
   * @param field the field path inside the entry, in config spelling ({@code
   *     endpoints[1].context_length})
   * @param problem what is wrong, written for the operator
   */
  public ModelConfigException(int modelIndex, String modelId, String field, String problem) {
    super("models[" + modelIndex + "] '" + modelId + "': " + field + ": " + problem);
    this.modelIndex = modelIndex;
    this.modelId = requireNonNull(modelId, "modelId");
    this.field = requireNonNull(field, "field");
  }

  /** The entry's position in the config's {@code models:} list. */
  public int modelIndex() {
    return modelIndex;
  }

  /** The model id as written in the config. */
  public String modelId() {
    return modelId;
  }

  /** The field path inside the entry, for example {@code endpoints[0].provider}. */
  public String field() {
    return field;
  }
}
