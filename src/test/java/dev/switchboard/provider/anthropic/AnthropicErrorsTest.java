package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error classification the recorded fixtures do not cover. */
class AnthropicErrorsTest {

  private static UpstreamError classify(int status, Map<String, String> headers, String body) {
    return AnthropicErrors.classify(new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aBodyThatIsNotJsonStillYieldsAnErrorByStatus() {
    UpstreamError error = classify(502, Map.of(), "<html><body>Bad gateway</body></html>");

    assertThat(error.kind()).isEqualTo(Kind.SERVER);
    assertThat(error.message()).isEqualTo("upstream returned HTTP 502");
    assertThat(error.raw()).isEqualTo("<html><body>Bad gateway</body></html>");
    assertThat(classify(503, Map.of(), "").raw()).isNull();
  }

  @Test
  void aSpendLimitAndABillingErrorMeanTheAccountIsOutOfFunds() {
    UpstreamError spend = classify(429, Map.of(),
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"spend limit\","
            + "\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}");
    UpstreamError billing = classify(402, Map.of(),
        "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"Payment required\"}}");

    assertThat(spend.kind()).isEqualTo(Kind.PAYMENT);
    assertThat(billing.kind()).isEqualTo(Kind.PAYMENT);
  }

  @Test
  void otherStatusesKeepTheirUsualKinds() {
    String body = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-x\"}}";
    assertThat(classify(404, Map.of(), body).kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(classify(403, Map.of(), body).kind()).isEqualTo(Kind.AUTH);
    assertThat(classify(413, Map.of(), body).kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(classify(504, Map.of(), body).kind()).isEqualTo(Kind.SERVER);
  }

  @Test
  void retryAfterMayBeAnHttpDateMeasuredAgainstTheResponseDate() {
    UpstreamError error = classify(429,
        Map.of("retry-after", "Wed, 01 Oct 2025 12:00:30 GMT", "date", "Wed, 01 Oct 2025 12:00:00 GMT"),
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}");

    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(classify(429, Map.of("retry-after", "soon"), "{}").retryAfter()).isNull();
    assertThat(classify(429, Map.of("retry-after", "-1"), "{}").retryAfter()).isNull();
    assertThat(classify(429, Map.of("retry-after", "0.25"), "{}").retryAfter()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void longMessagesAndBodiesAreTruncated() {
    String message = "x".repeat(5000);
    UpstreamError error = classify(400, Map.of(),
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + message + "\"}}");

    assertThat(error.message()).hasSize(500);
    assertThat(error.raw()).hasSize(2048);
  }
}
