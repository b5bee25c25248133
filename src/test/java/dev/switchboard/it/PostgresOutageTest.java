package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.eventually;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.it.cluster.TcpProxy;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL going away under a running gateway (a TCP proxy in front of the machine's server is
 * cut, the server itself is never touched): requests that must be recorded get a clear 503 in
 * the OpenAI error shape with {@code Retry-After}, every request answered 200 is recorded, and
 * service resumes by itself when the database is reachable again.
 */
@RequiresPostgres
class PostgresOutageTest {
  @TempDir Path dir;

  @Test
  void requestsGetA503WhileTheDatabaseIsAwayAndServiceResumesByItself() throws Exception {
    URI server = URI.create(TestPostgres.serverUrl().replaceFirst("^postgres(ql)?://", "http://"));
    try (TestStore store = TestPostgres.freshSchema();
        TcpProxy proxy = TcpProxy.to(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort())) {
      String url = store.config().url().replace(":" + (server.getPort() < 0 ? 5432 : server.getPort()) + "/",
          ":" + proxy.port() + "/");
      try (GatewayFixture gateway = GatewayFixture.start(dir, 1, env -> """
          server: { host: 127.0.0.1, port: 0 }
          storage: { url: "%s" }
          providers:
            mock: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          models:
            - id: mock/mock-model
              context_length: 32768
              endpoints:
                - provider: mock
                  model: mock-model
                  pricing: { prompt: "0.000001", completion: "0.000002" }
          """.formatted(url, env.mockUrl(0)))) {
        int served = 0;
        assertThat(gateway.chat(body("hi", "")).statusCode()).isEqualTo(200);
        served++;

        proxy.cut();
        HttpResponse<String> refused = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (refused == null && System.nanoTime() < deadline) {
          HttpResponse<String> response = gateway.chat(body("hi", ""));
          if (response.statusCode() == 200) {
            served++; // answered before the gateway noticed; it must still be on the books
          } else {
            refused = response;
          }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        JsonNode error = json(refused.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("api_error");
        assertThat(error.path("message").asText()).contains("cannot reach its database");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        HttpResponse<String> ready = gateway.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);

        proxy.restore();
        assertThat(eventually(Duration.ofSeconds(30), () -> gateway.chat(body("hi", "")).statusCode() == 200))
            .isTrue();
        served++;
        int answered = served;
        assertThat(eventually(Duration.ofSeconds(10), () -> generations(store) == answered)).isTrue();
      }
    }
  }

  private static long generations(TestStore store) {
    try (var database = dev.switchboard.store.Database.open(store.config());
        var connection = database.dataSource().getConnection();
        var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT count(*) FROM generations WHERE status = 'success'")) {
      rows.next();
      return rows.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
