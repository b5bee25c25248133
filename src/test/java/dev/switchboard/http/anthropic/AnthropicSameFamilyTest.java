package dev.switchboard.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.anthropic.AnthropicAdapter;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic client in front of an Anthropic upstream: what the dialect keeps of the request
 * (signed thinking blocks, cache breakpoints, the thinking budget) must reach Anthropic as the
 * client sent it. Reads the dialect's fixture requests and encodes them with the Anthropic adapter.
 */
class AnthropicSameFamilyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AnthropicChatDialect dialect = new AnthropicChatDialect(JSON);
  private final Target target = new Target("anthropic", "claude-sonnet-4-5", AnthropicAdapter.DEFAULT_BASE_URL);

  private JsonNode upstream(String fixtureCase) throws Exception {
    byte[] body = Files.readAllBytes(
        Fixtures.root().resolve("dialect-anthropic").resolve(fixtureCase).resolve("request.json"));
    ChatRequest request = dialect.read(body);
    return JSON.readTree(AnthropicAdapter.create().encode(request, target).body());
  }

  @Test
  void signedThinkingBlocksGoBackFirstAndTheBudgetIsKept() throws Exception {
    JsonNode sent = upstream("thinking");

    JsonNode assistant = sent.path("messages").path(1);
    assertThat(assistant.path("content").path(0).path("type").asText()).isEqualTo("thinking");
    assertThat(assistant.path("content").path(0).path("signature").asText())
        .isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds");
    assertThat(assistant.path("content").path(1).path("type").asText()).isEqualTo("redacted_thinking");
    assertThat(assistant.path("content").path(2).path("type").asText()).isEqualTo("tool_use");
    assertThat(sent.path("thinking").path("type").asText()).isEqualTo("enabled");
    assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(10000);
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(16000);
  }

  @Test
  void cacheBreakpointsOnTextReachAnthropic() throws Exception {
    JsonNode sent = upstream("caching");

    assertThat(sent.path("system").path(1).path("cache_control").path("ttl").asText()).isEqualTo("1h");
    assertThat(sent.path("system").path(0).has("cache_control")).isFalse();
    assertThat(sent.path("messages").path(0).path("content").path(0).path("cache_control").path("type").asText())
        .isEqualTo("ephemeral");
    assertThat(sent.path("cache_control").path("type").asText()).isEqualTo("ephemeral");
  }
}
