package dev.switchboard.provider.openaicompat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {

  private static UpstreamResponse response(int status, Map<String, String> headers, String body) {
    return new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void prefersRetryAfterMsThenSecondsThenAnHttpDate() {
    assertThat(OpenAiErrors.retryAfter(response(429, Map.of("retry-after-ms", "250", "retry-after", "9"), "")))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(OpenAiErrors.retryAfter(response(429, Map.of("retry-after", "1.5"), ""))).isEqualTo(Duration.ofMillis(1500));
    assertThat(OpenAiErrors.retryAfter(response(429, Map.of("retry-after-ms", "soon", "retry-after", "2"), "")))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(
            OpenAiErrors.retryAfter(
                response(503, Map.of("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT", "date", "Wed, 21 Oct 2026 07:29:00 GMT"), "")))
        .as("a date in the past means now")
        .isEqualTo(Duration.ZERO);
    assertThat(OpenAiErrors.retryAfter(response(503, Map.of("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"), "")))
        .as("without the response's date header there is nothing to measure against")
        .isNull();
    assertThat(OpenAiErrors.retryAfter(response(429, Map.of("retry-after", "-3"), ""))).isNull();
    assertThat(OpenAiErrors.retryAfter(response(429, Map.of(), ""))).isNull();
  }

  @Test
  void readsTheMessageFromTheShapesProvidersUse() {
    assertThat(OpenAiErrors.classify(response(400, Map.of(), "{\"error\":{\"message\":\"bad\"}}")).message()).isEqualTo("bad");
    assertThat(OpenAiErrors.classify(response(400, Map.of(), "{\"error\":\"plain\"}")).message()).isEqualTo("plain");
    assertThat(OpenAiErrors.classify(response(400, Map.of(), "{\"message\":\"flat\"}")).message()).isEqualTo("flat");
    assertThat(OpenAiErrors.classify(response(404, Map.of(), "{\"detail\":\"Not Found\"}")).message()).isEqualTo("Not Found");
    assertThat(OpenAiErrors.classify(response(500, Map.of(), "")).message()).isEqualTo("upstream returned HTTP 500");
    assertThat(OpenAiErrors.classify(response(500, Map.of(), "")).raw()).isNull();
  }

  @Test
  void refinesTheKindByErrorCode() {
    String filtered = "{\"error\":{\"message\":\"Your request was rejected\",\"code\":\"content_policy_violation\"}}";
    assertThat(OpenAiErrors.classify(response(400, Map.of(), filtered)).kind()).isEqualTo(Kind.CONTENT_FILTER);
    assertThat(OpenAiErrors.classify(response(404, Map.of(), "{}")).kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(OpenAiErrors.classify(response(402, Map.of(), "{}")).kind()).isEqualTo(Kind.PAYMENT);
    assertThat(OpenAiErrors.classify(response(529, Map.of(), "{}")).kind()).isEqualTo(Kind.SERVER);
  }

  @Test
  void truncatesLongBodiesAndMessages() {
    String message = "m".repeat(3000);
    UpstreamError error = OpenAiErrors.classify(response(500, Map.of(), "{\"error\":{\"message\":\"" + message + "\"}}"));
    assertThat(error.raw()).hasSize(2048);
    assertThat(error.message()).hasSize(500);
  }

  @Test
  void classifiesErrorsThatArriveInsideA200() {
    JsonNode numeric = OpenAiWire.JSON.createObjectNode().put("code", 429).put("message", "slow down");
    assertThat(OpenAiErrors.fromBodyError(numeric, "raw").kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(OpenAiErrors.fromBodyError(numeric, "raw").status()).isEqualTo(429);

    JsonNode named = OpenAiWire.JSON.createObjectNode().put("type", "rate_limit_error").put("message", "m");
    assertThat(OpenAiErrors.fromBodyError(named, "raw").kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(OpenAiErrors.fromBodyError(named, "raw").status()).isEqualTo(200);

    JsonNode server = OpenAiWire.JSON.createObjectNode().put("code", 502).put("message", "m");
    assertThat(OpenAiErrors.fromBodyError(server, "raw").kind()).isEqualTo(Kind.SERVER);

    JsonNode anything = OpenAiWire.JSON.createObjectNode().put("type", "overloaded_error");
    UpstreamError error = OpenAiErrors.fromBodyError(anything, "raw");
    assertThat(error.kind()).isEqualTo(Kind.SERVER);
    assertThat(error.message()).isEqualTo("upstream reported an error");
    assertThat(error.raw()).isEqualTo("raw");
  }
}
