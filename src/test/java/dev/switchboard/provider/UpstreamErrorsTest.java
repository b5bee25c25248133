package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamErrorsTest {

  private static UpstreamResponse response(int status, String body) {
    return new UpstreamResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aResponseKeepsTheProvidersMessageAndBodyOrSaysWhatHappened() {
    UpstreamError error =
        UpstreamErrors.ofResponse(Kind.RATE_LIMITED, response(429, "{\"x\":1}"), Duration.ofSeconds(2), "slow down");
    assertThat(error).isEqualTo(new UpstreamError(Kind.RATE_LIMITED, 429, Duration.ofSeconds(2), "slow down", "{\"x\":1}"));

    UpstreamError empty = UpstreamErrors.ofResponse(Kind.SERVER, response(502, ""), null, null);
    assertThat(empty).isEqualTo(new UpstreamError(Kind.SERVER, 502, null, "upstream returned HTTP 502", null));
  }

  @Test
  void anErrorInABodyKeepsTheTextItCameIn() {
    assertThat(UpstreamErrors.inBody(Kind.SERVER, 200, null, null, "data"))
        .isEqualTo(new UpstreamError(Kind.SERVER, 200, null, "upstream reported an error", "data"));
    assertThat(UpstreamErrors.malformedFrame("not JSON", "{oops"))
        .isEqualTo(new UpstreamError(Kind.MALFORMED, 200, null, "not JSON", "{oops"));
  }

  @Test
  void cutsLongTextButNeverASurrogatePair() {
    String text = "x".repeat(3000);
    UpstreamError error = UpstreamErrors.inBody(Kind.SERVER, 200, null, text, text);
    assertThat(error.message()).hasSize(UpstreamErrors.MESSAGE_LIMIT);
    assertThat(error.raw()).hasSize(UpstreamErrors.RAW_LIMIT);

    assertThat(UpstreamErrors.truncate("ab\uD83D\uDE00c", 3)).isEqualTo("ab");
    assertThat(UpstreamErrors.truncate("ab\uD83D\uDE00c", 4)).isEqualTo("ab\uD83D\uDE00");
    assertThat(UpstreamErrors.truncate("abc", 3)).isEqualTo("abc");
  }

  @Test
  void findsTheErrorObjectInTheShapesProvidersUse() {
    assertThat(UpstreamErrors.errorObject("{\"error\":{\"message\":\"a\"}}")).hasToString("{\"message\":\"a\"}");
    assertThat(UpstreamErrors.errorObject("{\"error\":\"b\"}")).hasToString("{\"message\":\"b\"}");
    assertThat(UpstreamErrors.errorObject("{\"message\":\"c\"}")).hasToString("{\"message\":\"c\"}");
    for (String body : new String[] {"", "  ", "<html>", "[1]", "\"text\""}) {
      assertThat(UpstreamErrors.errorObject(body)).as("'%s'", body).isNull();
    }
  }

  @Test
  void firstTextSkipsMissingBlankAndNonTextFields() throws Exception {
    var node = JsonMapper.builder().build().readTree("{\"a\":\" \",\"b\":3,\"c\":\"yes\",\"d\":\"no\"}");
    assertThat(UpstreamErrors.firstText(node, "missing", "a", "b", "c", "d")).isEqualTo("yes");
    assertThat(UpstreamErrors.firstText(node, "a", "b")).isNull();
    assertThat(UpstreamErrors.firstText(null, "a")).isNull();
  }
}
