package dev.switchboard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private final TokenEstimator estimator = new TokenEstimator();

  @Test
  void countsTextWithO200k() {
    assertThat(estimator.count("")).isZero();
    // o200k_base: "Hello" + "," + " world" + "!"
    assertThat(estimator.count("Hello, world!")).isEqualTo(4);
    String paragraph = "The quick brown fox jumps over the lazy dog. ".repeat(20);
    // English runs at roughly four characters per token.
    assertThat(estimator.count(paragraph)).isBetween(paragraph.length() / 8L, paragraph.length() / 2L);
  }

  @Test
  void promptIncludesFramingForEveryMessage() {
    ChatRequest one = ChatRequest.of("m/x", List.of(Message.text(Role.USER, "Hello, world!")));
    // 3 for the reply priming + 4 per message + 4 for the text
    assertThat(estimator.prompt(one)).isEqualTo(11);
    ChatRequest two = ChatRequest.of("m/x", List.of(
        Message.text(Role.SYSTEM, "Be brief."), Message.text(Role.USER, "Hello, world!")));
    assertThat(estimator.prompt(two)).isGreaterThan(estimator.prompt(one) + 4);
  }

  @Test
  void imagesToolCallsAndToolSchemasAddTokens() {
    Message text = Message.text(Role.USER, "What is in this picture?");
    long base = estimator.prompt(ChatRequest.of("m/x", List.of(text)));

    Message withImage = new Message(Role.USER,
        List.of(new ContentPart.Text("What is in this picture?"), new ContentPart.Image("https://x/y.png", null)),
        null, List.of(), null, null);
    assertThat(estimator.prompt(ChatRequest.of("m/x", List.of(withImage)))).isGreaterThan(base);

    Message call = new Message(Role.ASSISTANT, List.of(), null,
        List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")), null, null);
    assertThat(estimator.prompt(ChatRequest.of("m/x", List.of(text, call)))).isGreaterThan(base + 4 + 5);

    ChatRequest withTools = new ChatRequest("m/x", List.of(), List.of(text),
        List.of(new ToolSpec("get_weather", "Current weather for a city",
            RawJson.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), null)),
        null, null, null, null, null, null, null, List.of(), null, null, null, false, false,
        dev.switchboard.core.ProviderPreferences.NONE, Map.of());
    assertThat(estimator.prompt(withTools)).isGreaterThan(base + 10);
  }
}
