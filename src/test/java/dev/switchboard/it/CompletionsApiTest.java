package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Legacy text completions through the official OpenAI Java SDK, answered by the chat mock. */
class CompletionsApiTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    client = gateway.client("/api/v1");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void promptIsAnsweredAsTheUserTurn() {
    Completion completion = client.completions().create(CompletionCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .prompt("Once upon a time")
        .maxTokens(50)
        .temperature(0.3)
        .stop("\n\n")
        .seed(7)
        .frequencyPenalty(0.5)
        .build());

    completion.validate();
    CompletionChoice choice = completion.choices().getFirst();
    assertThat(choice.text()).isEqualTo("Mock answer to: Once upon a time");
    assertThat(choice.finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
    assertThat(choice.logprobs()).isEmpty();
    assertThat(completion.model()).isEqualTo(GatewayFixture.MODEL);
    assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
    JsonNode sent = gateway.mock().stats().lastRequest();
    assertThat(sent.path("messages")).hasSize(1);
    assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("user");
    assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Once upon a time");
    assertThat(sent.path("max_completion_tokens").asInt(sent.path("max_tokens").asInt())).isEqualTo(50);
    assertThat(sent.path("stop").path(0).asText()).isEqualTo("\n\n");
    assertThat(sent.path("seed").asLong()).isEqualTo(7);
    assertThat(sent.path("frequency_penalty").asDouble()).isEqualTo(0.5);
    assertThat(sent.has("prompt")).isFalse();
  }

  @Test
  void rawAnswerIsATextCompletionWithTheGenerationId() {
    HttpResponse<String> answer = gateway.post("/v1/completions",
        "{\"model\":\"" + GatewayFixture.MODEL + "\",\"prompt\":[\"Say hi\"]}", gateway.key);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = json(answer.body());
    assertThat(body.path("object").asText()).isEqualTo("text_completion");
    assertThat(body.path("id").asText()).isEqualTo(answer.headers().firstValue("x-generation-id").orElseThrow());
    assertThat(body.path("choices").path(0).path("text").asText()).isEqualTo("Mock answer to: Say hi");
    assertThat(body.path("choices").path(0).has("logprobs")).isTrue();
    assertThat(body.path("usage").path("cost").decimalValue()).isPositive();
  }

  @Test
  void streamedTextThenFinishThenUsage() {
    List<Completion> chunks = new ArrayList<>();
    try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .prompt("Tell a story #mock:chunks=5")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build())) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    chunks.stream().flatMap(chunk -> chunk.choices().stream()).forEach(choice -> text.append(choice.text()));
    assertThat(text.toString()).isEqualTo("Mock answer to: Tell a story #mock:chunks=5");
    assertThat(chunks).hasSizeGreaterThan(5);
    Completion finishing = chunks.get(chunks.size() - 2);
    assertThat(finishing.choices().getFirst().finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
    Completion last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().totalTokens()).isPositive();
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.id()).isEqualTo(chunks.getFirst().id()));
  }

  @Test
  void failureMidStreamIsRaisedBySdk() {
    List<Completion> chunks = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
          .model(GatewayFixture.MODEL).prompt("Tell a story #mock:chunks=6 #mock:error-after=3").build())) {
        stream.stream().forEach(chunks::add);
      }
    }).isInstanceOf(SseException.class);
    assertThat(chunks).isNotEmpty();
  }

  @Test
  void unsupportedLegacyFeaturesAreRefused() {
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder()
        .model(GatewayFixture.MODEL).prompt("def add(a, b):").suffix("    return c").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.getMessage()).contains("suffix");
          assertThat(e.param()).hasValue("suffix");
        });
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder()
        .model(GatewayFixture.MODEL).promptOfArrayOfStrings(List.of("one", "two")).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("send one prompt per request"));
  }
}
