package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Migrations#LATEST} against the bundled scripts: a new {@code V<n>__} script that did not
 * raise it would never be applied to a database that is current by the old number.
 */
class MigrationsTest {

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void latestIsTheNewestBundledMigration(String dialect) throws IOException {
    try (var files = Files.list(Path.of("src/main/resources/db/migration", dialect))) {
      int newest = files.map(f -> f.getFileName().toString())
          .filter(n -> n.matches("V[0-9]+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
          .max()
          .orElseThrow();
      assertThat(Migrations.LATEST).isEqualTo(newest);
    }
  }
}
