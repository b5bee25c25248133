package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An embeddings request in the gateway's canonical, OpenAI-shaped form ({@code POST /embeddings}).
 *
 * <p>Immutable: fallbacks re-encode the same instance for each attempt, so no adapter may change
 * it. Only text inputs are canonical; OpenAI's token-array inputs are refused at the edge, because
 * token ids belong to one tokenizer and mean nothing to another provider's model.
 *
 * @param model the requested model id ({@code author/slug} or an alias)
 * @param fallbackModels OpenRouter's {@code models}: further models to try, in order
 * @param inputs the texts to embed, in order; one vector comes back per input
 * @param dimensions the requested vector length ({@code dimensions}); null for the model's default
 * @param encodingFormat how the client wants vectors written back; the gateway transcodes, so it
 *     is not an upstream concern
 * @param inputType OpenRouter's {@code input_type} ({@code search_query}, {@code search_document},
 *     …), for providers that embed queries and documents differently; null when not given
 * @param extra top-level request fields the gateway does not interpret, verbatim, forwarded to
 *     upstreams that speak the same dialect
 */
public record EmbeddingRequest(
    String model,
    List<String> fallbackModels,
    List<String> inputs,
    @Nullable Integer dimensions,
    EncodingFormat encodingFormat,
    @Nullable String inputType,
    @Nullable String user,
    ProviderPreferences provider,
    Map<String, RawJson> extra) {

  /** How vectors are written in the response. */
  public enum EncodingFormat {
    /** A JSON array of numbers. */
    FLOAT("float"),
    /** The vector's little-endian float32 bytes, base64-encoded: about a quarter of the size. */
    BASE64("base64");

    private final String wireName;

    EncodingFormat(String wireName) {
      this.wireName = wireName;
    }

    /** The value of OpenAI's {@code encoding_format}. */
    public String wireName() {
      return wireName;
    }
  }

  public EmbeddingRequest {
    requireNonNull(model, "model");
    fallbackModels = List.copyOf(fallbackModels);
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("an embeddings request needs at least one input");
    }
    if (dimensions != null && dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be positive, was " + dimensions);
    }
    requireNonNull(encodingFormat, "encodingFormat");
    requireNonNull(provider, "provider");
    extra = Map.copyOf(extra);
  }

  /** A minimal request for float vectors, mostly for tests and tools. */
  public static EmbeddingRequest of(String model, List<String> inputs) {
    return new EmbeddingRequest(model, List.of(), inputs, null, EncodingFormat.FLOAT, null, null,
        ProviderPreferences.NONE, Map.of());
  }

  /**
   * The names of the optional parameters an upstream must honour for this request, as OpenRouter
   * names them. {@code encoding_format} is not one: the gateway writes either format itself.
   */
  public List<String> requestedParameters() {
    List<String> names = new ArrayList<>(2);
    if (dimensions != null) names.add("dimensions");
    if (inputType != null) names.add("input_type");
    return names;
  }
}
