package dev.switchboard.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.GatewayException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic's error types, by status (https://docs.anthropic.com/en/api/errors). */
class AnthropicErrorEnvelopeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "400, invalid_request_error", "401, authentication_error", "402, billing_error", "403, permission_error",
      "404, not_found_error", "408, timeout_error", "413, request_too_large", "429, rate_limit_error",
      "500, api_error", "502, api_error", "503, overloaded_error", "504, timeout_error", "529, overloaded_error",
      "418, invalid_request_error"})
  void typeByStatus(int status, String type) {
    assertThat(AnthropicErrorEnvelope.type(status)).isEqualTo(type);
  }

  @Test
  void theBodyIsAnthropicsEnvelope() throws Exception {
    JsonNode body = JSON.readTree(AnthropicErrorEnvelope.json(JSON.getFactory(),
        new GatewayException.NotFound("no such model: x/y")));
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("not_found_error");
    assertThat(body.path("error").path("message").asText()).isEqualTo("no such model: x/y");
    assertThat(body.size()).isEqualTo(2);
  }

  @Test
  void anUpstreamOverloadIsAnOverloadedError() {
    var overloaded = new GatewayException.UpstreamFailure("upstream provider a failed: Overloaded",
        Map.of("upstream_status", 529));
    var broken = new GatewayException.UpstreamFailure("upstream provider a failed: boom",
        Map.of("upstream_status", 500));
    assertThat(AnthropicErrorEnvelope.type(overloaded)).isEqualTo("overloaded_error");
    assertThat(AnthropicErrorEnvelope.type(broken)).isEqualTo("api_error");
  }
}
