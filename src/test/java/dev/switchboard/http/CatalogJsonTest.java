package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.catalog.Architecture;
import dev.switchboard.catalog.DataPolicy;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Pricing;
import dev.switchboard.routing.health.EndpointStats;
import dev.switchboard.routing.health.Percentiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Required-but-nullable fields of OpenRouter's model, endpoint and error schemas: {@code
 * @openrouter/sdk} validates responses strictly and throws when one is missing.
 */
class CatalogJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Endpoint ENDPOINT = new Endpoint("mock/mock-model", "mock", "mock-model",
      Pricing.of(new BigDecimal("0.000001"), new BigDecimal("0.000002")), 32768, null, null,
      DataPolicy.UNKNOWN, List.of("max_tokens", "tool_choice", "tools"));
  private static final ModelEntry MODEL = new ModelEntry("mock/mock-model", "mock/mock-model", "Mock Model",
      0L, "", 32768, Architecture.TEXT, List.of("max_tokens", "tool_choice", "tools"), List.of(ENDPOINT), List.of());

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  @Test
  void modelCarriesLinksDefaultParametersAndVoices() throws Exception {
    JsonNode model = write(g -> CatalogJson.model(g, MODEL));

    assertThat(model.path("links").path("details").asText()).isEqualTo("/api/v1/models/mock/mock-model/endpoints");
    assertThat(model.path("default_parameters").isObject()).isTrue();
    assertThat(model.has("supported_voices")).isTrue();
    assertThat(model.get("supported_voices").isNull()).isTrue();
    assertThat(model.get("per_request_limits").isNull()).isTrue();
  }

  @Test
  void endpointCarriesModelIdToolChoiceSupportAndNullStatistics() throws Exception {
    JsonNode endpoint = write(g -> CatalogJson.endpoints(g, MODEL)).path("endpoints").path(0);

    assertThat(endpoint.path("model_id").asText()).isEqualTo("mock/mock-model");
    assertThat(endpoint.path("supports_tool_choice").path("required").asBoolean()).isTrue();
    assertThat(endpoint.path("supports_implicit_caching").isBoolean()).isTrue();
    for (String field : List.of("quantization", "max_completion_tokens", "max_prompt_tokens", "latency_last_30m",
        "throughput_last_30m", "uptime_last_5m", "uptime_last_30m", "uptime_last_1d")) {
      assertThat(endpoint.has(field)).as(field).isTrue();
      assertThat(endpoint.get(field).isNull()).as(field).isTrue();
    }
  }

  @Test
  void endpointCarriesLiveStatisticsWhenThereAreAny() throws Exception {
    var stats = new EndpointStats.Snapshot(100.0, 99.5, 99.8, new Percentiles(250, 350, 480, 850.123),
        new Percentiles(45.2, 38.5, 28.3, 15.1));
    JsonNode endpoint = write(g -> CatalogJson.endpoints(g, MODEL, id -> stats)).path("endpoints").path(0);

    assertThat(endpoint.path("uptime_last_5m").asDouble()).isEqualTo(100.0);
    assertThat(endpoint.path("uptime_last_30m").asDouble()).isEqualTo(99.5);
    assertThat(endpoint.path("uptime_last_1d").asDouble()).isEqualTo(99.8);
    assertThat(endpoint.path("latency_last_30m").toString())
        .isEqualTo("{\"p50\":250.0,\"p75\":350.0,\"p90\":480.0,\"p99\":850.12}");
    assertThat(endpoint.path("throughput_last_30m").path("p99").asDouble()).isEqualTo(15.1);
  }

  @Test
  void errorEnvelopeTypesEveryError() throws Exception {
    JsonNode plain = MAPPER.readTree(ErrorEnvelope.json(MAPPER.getFactory(),
        new GatewayException.NotFound("no such model")));
    JsonNode upstream = MAPPER.readTree(ErrorEnvelope.json(MAPPER.getFactory(), 502, "upstream failed",
        Map.of("provider_name", "mock")));

    assertThat(plain.path("error").path("metadata").path("error_type").asText()).isEqualTo("not_found");
    assertThat(upstream.path("error").path("metadata").path("error_type").asText()).isEqualTo("provider_unavailable");
    assertThat(upstream.path("error").path("metadata").path("provider_name").asText()).isEqualTo("mock");
  }

  private static JsonNode write(Writer writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      writer.write(g);
    }
    return MAPPER.readTree(out.toByteArray());
  }
}
