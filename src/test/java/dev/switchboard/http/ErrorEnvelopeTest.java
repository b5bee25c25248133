package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.GatewayException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorEnvelopeTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Test
  void invalidRequestCarriesParamBesideOpenRoutersFields() throws Exception {
    JsonNode error = envelope(new GatewayException.InvalidRequest("messages[1].role", "messages[1].role is bad"));
    assertThat(error.path("code").isInt()).isTrue();
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("message").asText()).isEqualTo("messages[1].role is bad");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("messages[1].role");
    assertThat(error.path("metadata").toString())
        .isEqualTo("{\"error_type\":\"invalid_request\",\"param\":\"messages[1].role\"}");
  }

  @Test
  void withoutMetadataThereIsOnlyTheErrorTypeAndNoParam() throws Exception {
    JsonNode root = JSON.readTree(ErrorEnvelope.json(JSON.getFactory(), new GatewayException.Unauthenticated("no key")));
    assertThat(root.properties()).extracting(Map.Entry::getKey).containsExactly("error");
    JsonNode error = root.path("error");
    assertThat(error.properties()).extracting(Map.Entry::getKey).containsExactly("code", "message", "type", "metadata");
    assertThat(error.path("type").asText()).isEqualTo("authentication_error");
    // OpenRouter types every error with its canonical error_type; clients switch on it.
    assertThat(error.path("metadata").toString()).isEqualTo("{\"error_type\":\"authentication\"}");
  }

  @Test
  void metadataKeepsItsJsonTypes() throws Exception {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("provider_name", "mock");
    metadata.put("upstream_status", 503);
    metadata.put("retryable", true);
    metadata.put("filtered", Map.of("acme/chat via mid", "in provider.ignore"));
    metadata.put("tried", List.of("cheap", "mid"));
    JsonNode error = envelope(new GatewayException.UpstreamFailure("upstream provider mock failed", metadata));
    assertThat(error.path("code").asInt()).isEqualTo(502);
    assertThat(error.path("type").asText()).isEqualTo("api_error");
    assertThat(error.has("param")).isFalse();
    // Compared as trees: exceptions keep metadata in an unordered map.
    assertThat(error.path("metadata")).isEqualTo(JSON.readTree("{\"error_type\":\"provider_unavailable\",\"provider_name\":\"mock\",\"upstream_status\":503,"
        + "\"retryable\":true,\"filtered\":{\"acme/chat via mid\":\"in provider.ignore\"},\"tried\":[\"cheap\",\"mid\"]}"));
  }

  @Test
  void everyExceptionTypeMapsToItsStatusAndType() throws Exception {
    record Expect(GatewayException error, int status, String type) {}
    for (Expect e : List.of(
        new Expect(new GatewayException.InvalidRequest(null, "m"), 400, "invalid_request_error"),
        new Expect(new GatewayException.Unauthenticated("m"), 401, "authentication_error"),
        new Expect(new GatewayException.PaymentRequired("m"), 402, "insufficient_quota"),
        new Expect(new GatewayException.Forbidden("m"), 403, "permission_error"),
        new Expect(new GatewayException.NotFound("m"), 404, "invalid_request_error"),
        new Expect(new GatewayException.RequestTimeout("m", Map.of()), 408, "timeout_error"),
        new Expect(new GatewayException.PayloadTooLarge("m"), 413, "invalid_request_error"),
        new Expect(new GatewayException.RateLimited("m", 3L, Map.of()), 429, "rate_limit_error"),
        new Expect(new GatewayException.UpstreamFailure("m", Map.of()), 502, "api_error"),
        new Expect(new GatewayException.NoEndpointAvailable("m", Map.of()), 503, "api_error"))) {
      JsonNode error = envelope(e.error());
      assertThat(error.path("code").asInt()).as(e.error().getClass().getSimpleName()).isEqualTo(e.status());
      assertThat(error.path("type").asText()).as(e.error().getClass().getSimpleName()).isEqualTo(e.type());
    }
  }

  @ParameterizedTest
  @CsvSource({"400,invalid_request_error", "405,invalid_request_error", "500,api_error", "504,api_error",
      "529,api_error"})
  void typeForOtherStatuses(int status, String type) {
    assertThat(ErrorEnvelope.type(status)).isEqualTo(type);
  }

  private static JsonNode envelope(GatewayException error) throws Exception {
    return JSON.readTree(ErrorEnvelope.json(JSON.getFactory(), error)).path("error");
  }
}
