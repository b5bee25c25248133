package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.GatewayApp;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config the bundled catalog rejects (known only once the catalog is read, after Vert.x and the
 * store have started opening) stops the start with the config's own words and leaves nothing
 * running behind it.
 */
class CatalogStartFailureTest {
  @TempDir Path dir;

  private GatewayConfig config(String models) {
    return new ConfigLoader(GatewayApp.providerKinds(), Map.of()).parse("start.yaml", """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: sqlite:%s }
        providers:
          local: { kind: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: unused }
        models:
        %s
        """.formatted(dir.resolve("start.db"), models.indent(2)));
  }

  @Test
  void aModelTheCatalogCannotBuildStopsTheStartAndLeavesNoThreadRunning() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    // Not in the bundled catalog and no context length anywhere: only the catalog's build can tell.
    GatewayConfig broken = config("""
        - id: local/unknown-model
          endpoints:
            - provider: local
              model: unknown-model
        """);

    assertThatThrownBy(() -> GatewayApp.start(broken, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("start.yaml")
        .hasMessageContaining("'local/unknown-model': context_length: is required for a model not in the catalog");

    // Vert.x's event loops, the store's writer and pool, the start-up threads: all gone.
    assertThat(GatewayFixture.eventually(Duration.ofSeconds(10), () -> started(before).isEmpty()))
        .as("threads the failed start left running: %s", started(before)).isTrue();

    GatewayConfig fixed = config("""
        - id: local/unknown-model
          context_length: 8192
          endpoints:
            - provider: local
              model: unknown-model
        """);
    try (GatewayApp app = GatewayApp.start(fixed, Map.of())) {
      assertThat(app.catalog().find("local/unknown-model")).isPresent();
    }
  }

  /**
   * Live threads that did not exist in {@code before}, but for the JDK's own (its cleaner and process
   * reaper start on first use and stay, in a thread group of their own).
   */
  private static List<String> started(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread) && thread.isAlive()
            && thread.getThreadGroup() == Thread.currentThread().getThreadGroup())
        .map(Thread::getName)
        .toList();
  }
}
