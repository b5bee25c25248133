package dev.switchboard.provider;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.UpstreamError;
import java.util.Set;

/**
 * Translates between the canonical model and one provider's wire format. Implementations are
 * stateless and thread-safe; per-stream state lives in the {@link StreamDecoder} they create.
 */
public interface ProviderAdapter {

  /** The protocol family, as named by config {@code kind:} (for example {@code openai}). */
  String kind();

  /** What this adapter can translate; an endpoint may declare less. */
  Set<Capability> capabilities();

  /** How the transport must split a streamed response body into frames. */
  Framing framing();

  /**
   * Builds the upstream request. Pure: must not mutate {@code request}, which later fallback
   * attempts encode again.
   *
   * @throws dev.switchboard.core.GatewayException.InvalidRequest when the request asks for
   *     something this provider's format cannot express
   */
  UpstreamRequest encode(ChatRequest request, Target target);

  /**
   * Reads a successful (2xx) non-streamed response.
   *
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not what the provider
   *     documents
   */
  ChatResponse decode(UpstreamResponse response, Target target);

  /** A fresh decoder for one streamed response. */
  StreamDecoder newStreamDecoder(Target target);

  /** Classifies a non-2xx response. */
  UpstreamError classify(UpstreamResponse response);
}
