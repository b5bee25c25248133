package dev.switchboard.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to an {@link EmbeddingRequest}, as the provider gave it.
 *
 * @param vectors one per input, in input order (adapters put them in order whatever order the
 *     provider used)
 * @param usage the provider's token counts (only {@code promptTokens} is meaningful); null when it
 *     reported none, so the gateway estimates and says so
 * @param upstreamId the provider's response id, when it sends one
 * @param upstreamModel the model the provider says answered, when it says
 */
public record EmbeddingResponse(
    List<EmbeddingVector> vectors,
    @Nullable Usage usage,
    @Nullable String upstreamId,
    @Nullable String upstreamModel) {
  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
  }
}
