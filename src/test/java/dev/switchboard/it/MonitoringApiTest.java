package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live endpoint statistics and metrics through the API: after traffic, the endpoints API fills
 * OpenRouter's uptime, latency and throughput fields, {@code GET /api/v1/providers} lists each
 * configured provider with its endpoints' health and statistics, and {@code GET /metrics} has the
 * Prometheus counters and histograms.
 */
class MonitoringApiTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    // Three answers (one streamed) and one upstream failure.
    assertThat(gateway.chat(body(ChatCompletionsTest.PROMPT, "")).statusCode()).isEqualTo(200);
    assertThat(gateway.chat(body(ChatCompletionsTest.PROMPT, "")).statusCode()).isEqualTo(200);
    assertThat(gateway.chat(body(ChatCompletionsTest.PROMPT, StreamingTest.STREAM)).statusCode()).isEqualTo(200);
    assertThat(gateway.chat(body("Break #mock:status=500", "")).statusCode()).isEqualTo(502);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void endpointsApiShowsUptimeLatencyAndThroughput() {
    HttpResponse<String> response = gateway.get("/api/v1/models/mock/mock-model/endpoints", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode endpoint = json(response.body()).path("data").path("endpoints").path(0);
    assertThat(endpoint.path("uptime_last_5m").asDouble()).isEqualTo(75.0);
    assertThat(endpoint.path("uptime_last_30m").asDouble()).isEqualTo(75.0);
    assertThat(endpoint.path("uptime_last_1d").asDouble()).isEqualTo(75.0);
    JsonNode latency = endpoint.path("latency_last_30m");
    assertThat(latency.isObject()).as("latency in %s", endpoint).isTrue();
    assertThat(latency.path("p50").asDouble()).isPositive();
    assertThat(latency.path("p99").asDouble()).isGreaterThanOrEqualTo(latency.path("p50").asDouble());
    assertThat(endpoint.path("throughput_last_30m").path("p50").asDouble()).isPositive();
  }

  @Test
  void providersListsConfiguredProvidersWithEndpointHealthAndStatistics() {
    HttpResponse<String> response = gateway.get("/api/v1/providers", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode providers = json(response.body()).path("data");
    assertThat(providers).hasSize(1);
    JsonNode mock = providers.path(0);
    assertThat(mock.path("slug").asText()).isEqualTo("mock");
    assertThat(mock.path("name").asText()).isEqualTo("mock");
    assertThat(mock.has("privacy_policy_url")).isTrue();
    JsonNode endpoint = mock.path("endpoints").path(0);
    assertThat(endpoint.path("model_id").asText()).isEqualTo("mock/mock-model");
    assertThat(endpoint.path("health").path("circuit").asText()).isEqualTo("closed");
    assertThat(endpoint.path("health").path("recent_successes").asInt()).isEqualTo(3);
    assertThat(endpoint.path("health").path("recent_failures").asInt()).isEqualTo(1);
    assertThat(endpoint.path("uptime_last_5m").asDouble()).isEqualTo(75.0);
    assertThat(gateway.get("/v1/providers", null).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsArePrometheusTextLabelledByCatalogModelAndProvider() {
    HttpResponse<String> response = gateway.get("/metrics", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
    String labels = "model=\"mock/mock-model\",";
    assertThat(response.body())
        .contains("switchboard_requests_total{" + labels + "outcome=\"success\",provider=\"mock\"} 3")
        .contains("switchboard_requests_total{" + labels + "outcome=\"error\",provider=\"mock\"} 1")
        .contains("switchboard_attempts_total{" + labels + "outcome=\"failure\",provider=\"mock\"} 1")
        .contains("switchboard_upstream_failures_total{kind=\"server\"," + labels + "provider=\"mock\"} 1")
        .contains("switchboard_time_to_first_token_seconds_count{" + labels + "provider=\"mock\"} 3")
        .contains("switchboard_request_duration_seconds_bucket{" + labels + "provider=\"mock\",le=\"0.1\"}")
        .contains("switchboard_tokens_total{" + labels + "provider=\"mock\",type=\"completion\"}")
        .contains("switchboard_cost_usd_total{" + labels + "provider=\"mock\"}");
  }
}
