package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed default catalog is exactly what {@code tools/generate-catalog.mjs} produces, and
 * the generator is deterministic. Skipped where Node or the reference snapshots are missing.
 */
class DefaultCatalogGeneratorTest {
  private static final Path SCRIPT = Path.of("tools", "generate-catalog.mjs");
  private static final Path COMMITTED =
      Path.of("src", "main", "resources", "dev", "switchboard", "catalog", "default-catalog.json");

  @Test
  void regeneratingGivesTheCommittedFileByteForByte(@TempDir Path dir) throws Exception {
    Optional<Path> node = onPath("node");
    assumeThat(node).as("node on PATH").isPresent();
    assumeThat(ReferenceData.find(ReferenceData.OPENROUTER)).as("OpenRouter snapshot").isPresent();
    assumeThat(ReferenceData.find(ReferenceData.MODELS_DEV)).as("models.dev snapshot").isPresent();

    Path first = dir.resolve("first.json");
    Path second = dir.resolve("second.json");
    String summary = generate(node.orElseThrow(), first);
    generate(node.orElseThrow(), second);

    assertThat(summary).contains("models: ").contains("unmatched models.dev entries");
    byte[] produced = Files.readAllBytes(first);
    assertThat(firstDifference(Files.readAllBytes(second), produced))
        .as("two runs differ at byte")
        .isEqualTo(-1);
    byte[] committed = Files.readAllBytes(ReferenceData.repoRoot().resolve(COMMITTED));
    assertThat(firstDifference(produced, committed))
        .as("committed catalog is stale (differs at byte shown): run `node"
            + " tools/generate-catalog.mjs` and commit the result")
        .isEqualTo(-1);
  }

  // An offset rather than AssertJ's dump of two 600 kB arrays.
  private static long firstDifference(byte[] a, byte[] b) {
    return Arrays.mismatch(a, b);
  }

  private static String generate(Path node, Path out) throws IOException, InterruptedException {
    Path stderr = out.resolveSibling(out.getFileName() + ".stderr");
    Process process =
        new ProcessBuilder(node.toString(), SCRIPT.toString(), "--out", out.toString())
            .directory(ReferenceData.repoRoot().toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("generator did not finish in two minutes");
    }
    String summary = Files.readString(stderr, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(summary).isZero();
    return summary;
  }

  private static Optional<Path> onPath(String executable) {
    String path = System.getenv("PATH");
    List<String> dirs = path == null ? List.of() : Arrays.asList(path.split(File.pathSeparator));
    return dirs.stream()
        .map(dir -> Path.of(dir, executable))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
