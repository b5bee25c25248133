package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Capability;
import dev.switchboard.provider.EmbeddingAdapter;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import java.util.Map;
import java.util.Set;

/**
 * The adapter for Google's Gemini API ({@code generateContent} and {@code streamGenerateContent};
 * {@code embedContent} and {@code batchEmbedContents} for embeddings).
 * See the package documentation for the quirks it handles.
 *
 * <p>Pure: no I/O and no credentials. The transport sends the encoded request to {@code
 * target.baseUrl() + request.path()} and adds the key in the {@link #AUTH_HEADER} header.
 * Stateless and thread-safe; each stream gets its own decoder.
 */
public final class GeminiAdapter implements ProviderAdapter, EmbeddingAdapter {
  /** The config {@code kind:} of this adapter. */
  public static final String KIND = "gemini";

  /** The default base URL. */
  public static final String BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

  /** The header that carries the API key, as its whole value. */
  public static final String AUTH_HEADER = "x-goog-api-key";

  /** The environment variable that conventionally holds the key. */
  public static final String API_KEY_ENV = "GEMINI_API_KEY";

  /**
   * Shared by the package. Immutable once built, so one instance serves every thread. Trailing
   * tokens fail parsing, so {@code "12 apples"} is text rather than the number 12.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final Set<Capability> CAPABILITIES =
      Set.of(
          Capability.STREAM, Capability.TOOLS, Capability.PARALLEL_TOOLS, Capability.VISION,
          Capability.DOCUMENTS, Capability.AUDIO, Capability.JSON_MODE, Capability.JSON_SCHEMA,
          Capability.REASONING, Capability.CACHING, Capability.SEED);

  private GeminiAdapter() {}

  /** The adapter; it holds no state, so one instance can serve every configured Gemini provider. */
  public static GeminiAdapter create() {
    return new GeminiAdapter();
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Everything but logprobs, whose Gemini shape is not translated. */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    String model = modelPath(target.providerModelId());
    String path = request.stream() ? model + ":streamGenerateContent?alt=sse" : model + ":generateContent";
    return new UpstreamRequest(path, Map.of(), GeminiRequestEncoder.encode(request), request.stream());
  }

  @Override
  public ChatResponse decode(UpstreamResponse response, Target target) {
    return GeminiResponseDecoder.decode(response.bodyText());
  }

  @Override
  public UpstreamRequest encodeEmbeddings(EmbeddingRequest request, Target target) {
    return GeminiEmbeddings.encode(request, target);
  }

  @Override
  public EmbeddingResponse decodeEmbeddings(UpstreamResponse response, Target target) {
    return GeminiEmbeddings.decode(response.body());
  }

  @Override
  public StreamDecoder newStreamDecoder(Target target) {
    return new GeminiStreamDecoder();
  }

  @Override
  public UpstreamError classify(UpstreamResponse response) {
    return GeminiErrors.classify(response);
  }

  @Override
  public String toString() {
    return "GeminiAdapter";
  }

  /**
   * The resource path of a model: {@code /models/gemini-2.5-flash}. An id that already names its
   * collection ({@code models/x}, {@code tunedModels/y}) is used as it is, so it never becomes
   * {@code models/models/x}.
   */
  static String modelPath(String providerModelId) {
    String id = providerModelId.startsWith("/") ? providerModelId.substring(1) : providerModelId;
    return id.contains("/") ? "/" + id : "/models/" + id;
  }
}
