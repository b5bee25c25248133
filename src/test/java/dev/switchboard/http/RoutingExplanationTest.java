package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoutingExplanationTest {
  private static final byte[] EXPLANATION = "{\"requested\":\"a/b\"}".getBytes(StandardCharsets.UTF_8);

  private static String withField(String body) {
    return new String(RoutingExplanation.withField(body.getBytes(StandardCharsets.UTF_8), EXPLANATION),
        StandardCharsets.UTF_8);
  }

  @Test
  void theFieldGoesBeforeTheClosingBrace() {
    assertThat(withField("{\"id\":\"x\"}")).isEqualTo("{\"id\":\"x\",\"switchboard_metadata\":{\"requested\":\"a/b\"}}");
    assertThat(withField("{\"id\":\"x\"}\n")).isEqualTo("{\"id\":\"x\",\"switchboard_metadata\":{\"requested\":\"a/b\"}}\n");
    assertThat(withField("{ }")).isEqualTo("{ \"switchboard_metadata\":{\"requested\":\"a/b\"}}");
  }

  @Test
  void aBodyThatIsNotAnObjectIsLeftAlone() {
    assertThat(withField("[1,2]")).isEqualTo("[1,2]");
    assertThat(withField("")).isEmpty();
  }

  @Test
  void theStreamFormIsOneSseCommentLine() {
    String comment = new String(RoutingExplanation.comment(EXPLANATION), StandardCharsets.UTF_8);
    assertThat(comment).isEqualTo(": switchboard_metadata {\"requested\":\"a/b\"}\n\n");
  }
}
