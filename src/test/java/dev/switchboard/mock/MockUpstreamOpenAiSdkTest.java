package dev.switchboard.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK accepts what the mock sends: the wire shape is really OpenAI's. */
class MockUpstreamOpenAiSdkTest {
  static MockUpstream mock;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    mock = MockUpstream.start(MockOptions.of().withApiKey("sk-mock"));
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(mock.baseUrl())
            .apiKey("sk-mock")
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    mock.close();
  }

  @Test
  void completes() {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("mock-gpt")
                    .addUserMessage("Hi")
                    .build());

    assertThat(completion.choices().getFirst().message().content()).hasValue("Mock answer to: Hi");
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
  }

  @Test
  void streamsWithUsage() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("mock-gpt")
            .addUserMessage("Hi there")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder content = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(content::append)));
    assertThat(content).hasToString("Mock answer to: Hi there");
    assertThat(chunks.getLast().choices()).isEmpty();
    assertThat(chunks.getLast().usage().orElseThrow().totalTokens()).isEqualTo(2 + 5);
  }

  @Test
  void rateLimitFaultIsARateLimitError() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("mock-gpt")
            .addUserMessage("Hi #mock:status=429")
            .build();

    assertThatThrownBy(() -> client.chat().completions().create(params))
        .isInstanceOf(RateLimitException.class);
  }
}
