package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.GatewayApp;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.keys.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management key of a first start: generated once, or the operator's SWITCHBOARD_ADMIN_KEY. */
class AdminKeyBootstrapTest {
  @TempDir Path dir;

  private GatewayConfig config() {
    return new ConfigLoader(GatewayApp.providerKinds(), Map.of()).parse("boot.yaml", """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: sqlite:%s }
        catalog: { bundled: false }
        """.formatted(dir.resolve("boot.db")));
  }

  private static int keysStatus(GatewayApp app, String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/keys"))
              .header("authorization", "Bearer " + key).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    }
  }

  @Test
  void aGeneratedKeyIsMadeOnceAndStoredOnlyAsItsHash() throws Exception {
    String generated;
    try (GatewayApp first = GatewayApp.start(config(), Map.of())) {
      assertThat(first.bootstrapKey()).isNotNull();
      generated = first.bootstrapKey().plaintext();
      assertThat(keysStatus(first, generated)).isEqualTo(200);
    }
    try (GatewayApp second = GatewayApp.start(config(), Map.of())) {
      assertThat(second.bootstrapKey()).isNull();
      assertThat(keysStatus(second, generated)).isEqualTo(200);
    }
    String secret = generated.substring(ApiKeys.PREFIX.length() + 3, ApiKeys.LENGTH - 3);
    // Every file the gateway left, the attempt journal's included.
    try (var files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(file.toString()).doesNotContain(secret);
      }
    }
  }

  @Test
  void theOperatorsKeyIsRegisteredAndNoneIsGenerated() throws Exception {
    String preset = ApiKeys.create().generate();

    try (GatewayApp app = GatewayApp.start(config(), Map.of(GatewayApp.ADMIN_KEY_ENV, preset))) {
      assertThat(app.bootstrapKey()).isNull();
      assertThat(keysStatus(app, preset)).isEqualTo(200);
      assertThat(app.keys().list()).hasSize(1);
    }
  }

  @Test
  void aMalformedOperatorsKeyStopsTheStart() {
    assertThatThrownBy(() -> GatewayApp.start(config(), Map.of(GatewayApp.ADMIN_KEY_ENV, "admin123")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SWITCHBOARD_ADMIN_KEY")
        .hasMessageNotContaining("admin123");
  }
}
