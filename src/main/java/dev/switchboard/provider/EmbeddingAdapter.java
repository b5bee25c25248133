package dev.switchboard.provider;

import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.UpstreamError;

/**
 * An optional feature of an adapter: translating embeddings requests. The planner routes an
 * embeddings request only to providers whose adapter implements this, so an adapter without an
 * embeddings API (Anthropic's) simply does not implement it; nothing is stubbed.
 *
 * <p>Same rules as {@link ProviderAdapter}: pure translators, stateless and thread-safe; HTTP,
 * credentials and retries live outside.
 */
public interface EmbeddingAdapter {

  /**
   * Builds the upstream request. Pure: must not mutate {@code request}, which later fallback
   * attempts encode again.
   *
   * @throws dev.switchboard.core.GatewayException.InvalidRequest when the request asks for
   *     something this provider's format cannot express
   */
  UpstreamRequest encodeEmbeddings(EmbeddingRequest request, Target target);

  /**
   * Reads a successful (2xx) response, with the vectors in input order.
   *
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not what the provider
   *     documents
   */
  EmbeddingResponse decodeEmbeddings(UpstreamResponse response, Target target);

  /**
   * Classifies a non-2xx response; the same contract as {@link ProviderAdapter#classify}, and an
   * adapter implementing both interfaces has one method for the two.
   */
  UpstreamError classify(UpstreamResponse response);
}
