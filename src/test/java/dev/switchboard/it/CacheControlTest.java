package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenRouter's {@code cache_control} breakpoints on OpenAI-format text parts reach an Anthropic
 * upstream as they were sent, and become plain text for upstreams that would reject the field.
 */
class CacheControlTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  private static final String LONG = "A long, reusable instruction block. ".repeat(20);

  @BeforeAll
  static void start() {
    gateway = NativeProvidersTest.startNative(dir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String body(String model) {
    return """
        {"model":"%s","max_tokens":64,"messages":[{"role":"user","content":[
          {"type":"text","text":"%s","cache_control":{"type":"ephemeral"}},
          {"type":"text","text":"Now answer briefly."}]}]}""".formatted(model, LONG);
  }

  @Test
  void anthropicUpstreamReceivesTheBreakpoint() {
    var response = gateway.chat(body(NativeProvidersTest.CLAUDE));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode blocks = gateway.mock().stats().lastRequest().path("messages").path(0).path("content");
    assertThat(blocks.path(0).path("text").asText()).isEqualTo(LONG);
    assertThat(blocks.path(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
    assertThat(blocks.path(1).has("cache_control")).isFalse();
  }

  @Test
  void openAiCompatibleUpstreamGetsPlainText() {
    // Azure speaks OpenAI's dialect, which has no cache_control field.
    var response = gateway.chat(body(NativeProvidersTest.AZURE));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.toString()).doesNotContain("cache_control").contains("A long, reusable instruction block.");
  }
}
