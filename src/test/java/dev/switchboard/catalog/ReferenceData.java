package dev.switchboard.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the public snapshots the catalog is generated from. They live in {@code
 * shared/reference} beside the repository (or beside the directory holding a git worktree), the
 * same search {@code tools/generate-catalog.mjs} makes.
 */
final class ReferenceData {
  static final String OPENROUTER = "openrouter-models-2026-05-01.json";
  static final String MODELS_DEV = "models-dev-catalog-2025-09.json";

  private ReferenceData() {}

  /** The project directory: surefire runs tests there. */
  static Path repoRoot() {
    return Path.of("").toAbsolutePath();
  }

  static Optional<Path> find(String file) {
    for (Path dir = repoRoot().getParent(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("reference").resolve(file);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
