package dev.switchboard.provider.openaicompat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.provider.ProviderAdapterContract;
import dev.switchboard.provider.UpstreamResponse;
import java.util.List;

/**
 * The adapter contract for adapters that speak OpenAI's chat-completions wire format (the
 * compatible profiles, OpenAI itself, Azure OpenAI): the samples are OpenAI's ({@link
 * OpenAiSamples}), so a test that implements this names only its adapter and target.
 */
public interface OpenAiWireContract extends ProviderAdapterContract {

  @Override
  default List<ChatRequest> sampleRequests() {
    return OpenAiSamples.requests();
  }

  @Override
  default List<String> upstreamFinishReasons() {
    return OpenAiSamples.FINISH_REASONS;
  }

  @Override
  default byte[] streamFinishingWith(String nativeReason) {
    return OpenAiSamples.streamFinishingWith(nativeReason);
  }

  @Override
  default UpstreamResponse responseFinishingWith(String nativeReason) {
    return OpenAiSamples.responseFinishingWith(nativeReason);
  }

  @Override
  default List<byte[]> sampleStreams() {
    return OpenAiSamples.recordedStreams();
  }

  @Override
  default UpstreamResponse errorResponse(int status) {
    return OpenAiSamples.errorResponse(status);
  }
}
