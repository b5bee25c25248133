package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.provider.Capability;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.ProviderAdapterContract;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter contract, run against the Anthropic adapter, plus what is particular to it. */
class AnthropicAdapterTest implements ProviderAdapterContract {
  private final AnthropicAdapter adapter = AnthropicAdapter.create();

  @Override
  public ProviderAdapter adapter() {
    return adapter;
  }

  @Override
  public Target target() {
    return AnthropicSamples.target();
  }

  @Override
  public List<ChatRequest> sampleRequests() {
    return AnthropicSamples.requests();
  }

  @Override
  public List<String> upstreamFinishReasons() {
    return AnthropicSamples.STOP_REASONS;
  }

  @Override
  public byte[] streamFinishingWith(String nativeReason) {
    return AnthropicSamples.streamFinishingWith(nativeReason);
  }

  @Override
  public UpstreamResponse responseFinishingWith(String nativeReason) {
    return AnthropicSamples.responseFinishingWith(nativeReason);
  }

  @Override
  public List<byte[]> sampleStreams() {
    return AnthropicSamples.recordedStreams();
  }

  @Override
  public UpstreamResponse errorResponse(int status) {
    return AnthropicSamples.errorResponse(status);
  }

  @Test
  void speaksTheMessagesApiOverSseUnderItsOwnKind() {
    assertThat(adapter.kind()).isEqualTo("anthropic");
    assertThat(adapter.framing()).isEqualTo(Framing.SSE);
    assertThat(AnthropicAdapter.AUTH_HEADER).isEqualTo("x-api-key");
    assertThat(AnthropicAdapter.DEFAULT_BASE_URL).isEqualTo("https://api.anthropic.com");
    assertThat(AnthropicAdapter.PATH).isEqualTo("/v1/messages");
    assertThat(adapter.capabilities())
        .contains(Capability.TOOLS, Capability.VISION, Capability.DOCUMENTS, Capability.REASONING, Capability.CACHING)
        .doesNotContain(Capability.AUDIO, Capability.LOGPROBS, Capability.SEED);
  }

  @Test
  void everySampleRequestFollowsAnthropicsRules() {
    for (ChatRequest request : sampleRequests()) {
      var body = dev.switchboard.provider.CanonicalJson.parse(
          new String(adapter.encode(request, target()).body(), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(AnthropicRequestRules.violations(body)).as("%s", body).isEmpty();
    }
  }
}
