package dev.switchboard.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openaicompat.OpenAiWireContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureOpenAiAdapterTest implements OpenAiWireContract {
  private final AzureOpenAiAdapter adapter =
      new AzureOpenAiAdapter(OpenAiAdapter.builtinProfile(), AzureOpenAiAdapter.DEFAULT_API_VERSION);

  @Override
  public ProviderAdapter adapter() {
    return adapter;
  }

  @Override
  public Target target() {
    return new Target("azure", "gpt-4o-prod", "https://acme.openai.azure.com");
  }

  @Test
  void sendsToTheDeploymentWithTheApiVersion() {
    UpstreamRequest encoded = adapter.encode(
        ChatRequest.of("openai/gpt-4o", List.of(Message.text(Role.USER, "hi"))), target());

    assertThat(adapter.kind()).isEqualTo("azure-openai");
    assertThat(encoded.path())
        .isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    assertThat(new String(encoded.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"gpt-4o-prod\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void sendsEmbeddingsToTheDeploymentsEmbeddingsPath() {
    UpstreamRequest encoded = adapter.encodeEmbeddings(
        EmbeddingRequest.of("openai/text-embedding-3-small", List.of("hi")),
        new Target("azure", "embed prod", "https://acme.openai.azure.com"));

    assertThat(encoded.path())
        .isEqualTo("/openai/deployments/embed%20prod/embeddings?api-version=2024-10-21");
    assertThat(new String(encoded.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"embed prod\",\"input\":[\"hi\"],\"encoding_format\":\"base64\"}");
  }

  @Test
  void escapesDeploymentNamesAndVersions() {
    var custom = new AzureOpenAiAdapter(OpenAiAdapter.builtinProfile(), "2025-01-01-preview");
    UpstreamRequest encoded = custom.encode(
        ChatRequest.of("x/y", List.of(Message.text(Role.USER, "hi"))),
        new Target("azure", "my deployment/1", "https://acme.openai.azure.com"));

    assertThat(encoded.path())
        .isEqualTo("/openai/deployments/my%20deployment%2F1/chat/completions?api-version=2025-01-01-preview");
  }
}
