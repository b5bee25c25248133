package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiErrorsTest {

  private static UpstreamResponse response(int status, Map<String, String> headers, String body) {
    return new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String retryInfo(String delay) {
    return "{\"error\":{\"code\":429,\"message\":\"m\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
        + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + delay + "\"}]}}";
  }

  @ParameterizedTest
  @CsvSource({"29s, 29000", "1.5s, 1500", "0.0001s, 1", "0s, 0", "29.140868387s, 29141", "-3s, ", "soon, ", "12, "})
  void readsRetryInfoDelays(String delay, Long millis) {
    UpstreamError error = GeminiErrors.classify(response(429, Map.of(), retryInfo(delay)));

    assertThat(error.retryAfter()).isEqualTo(millis == null ? null : Duration.ofMillis(millis));
  }

  @Test
  void prefersTheRetryAfterHeaderAndMeasuresDatesAgainstTheResponseDate() {
    assertThat(GeminiErrors.classify(response(429, Map.of("retry-after", "2"), retryInfo("30s"))).retryAfter())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(
            GeminiErrors.classify(
                    response(503, Map.of("retry-after", "Wed, 21 Oct 2026 07:28:30 GMT", "date", "Wed, 21 Oct 2026 07:28:00 GMT"), ""))
                .retryAfter())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(GeminiErrors.classify(response(503, Map.of("retry-after", "Wed, 21 Oct 2026 07:28:30 GMT"), "")).retryAfter())
        .as("without the response's date there is nothing to measure against")
        .isNull();
  }

  @Test
  void classifiesByTheRpcStatusBeforeTheHttpStatus() {
    String notFound = "{\"error\":{\"code\":400,\"message\":\"m\",\"status\":\"NOT_FOUND\"}}";
    assertThat(GeminiErrors.classify(response(400, Map.of(), notFound)).kind()).isEqualTo(Kind.NOT_FOUND);
    String precondition = "{\"error\":{\"code\":400,\"message\":\"User location is not supported for the API use.\",\"status\":\"FAILED_PRECONDITION\"}}";
    assertThat(GeminiErrors.classify(response(400, Map.of(), precondition)).kind()).isEqualTo(Kind.BAD_REQUEST);
    String expiredKey = "{\"error\":{\"code\":403,\"message\":\"m\",\"status\":\"PERMISSION_DENIED\",\"details\":"
        + "[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_SERVICE_BLOCKED\"}]}}";
    assertThat(GeminiErrors.classify(response(403, Map.of(), expiredKey)).kind()).isEqualTo(Kind.AUTH);
    assertThat(GeminiErrors.classify(response(504, Map.of(), "")).kind()).isEqualTo(Kind.UPSTREAM_TIMEOUT);
    assertThat(GeminiErrors.classify(response(413, Map.of(), "")).kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(GeminiErrors.classify(response(500, Map.of(), "")).raw()).isNull();
  }

  @Test
  void readsAnEnvelopeWrappedInAnArray() {
    // Without alt=sse, Google streams a JSON array, and errors come wrapped the same way.
    String wrapped = "[{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}]";

    UpstreamError error = GeminiErrors.classify(response(503, Map.of(), wrapped));

    assertThat(error.kind()).isEqualTo(Kind.SERVER);
    assertThat(error.message()).isEqualTo("overloaded");
  }

  @Test
  void truncatesLongBodiesAndMessages() {
    String message = "m".repeat(3000);
    String body = "{\"error\":{\"code\":400,\"message\":\"" + message + "\",\"status\":\"INVALID_ARGUMENT\"}}";

    UpstreamError error = GeminiErrors.classify(response(400, Map.of(), body));

    assertThat(error.message()).hasSize(500);
    assertThat(error.raw()).hasSize(UpstreamErrors.RAW_LIMIT);
  }
}
