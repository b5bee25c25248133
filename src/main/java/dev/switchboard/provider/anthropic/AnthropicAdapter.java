package dev.switchboard.provider.anthropic;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Capability;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import java.util.Map;
import java.util.Set;

/**
 * The adapter for Anthropic's Messages API ({@code POST /v1/messages}). Wires the package's
 * encoder, decoders and error classifier; the translation and its quirks are documented in {@code
 * package-info}.
 *
 * <p>Pure: no I/O and no credentials. The transport sends the encoded request to {@code
 * target.baseUrl() + }{@link #PATH}, so the base URL is the host root ({@value #DEFAULT_BASE_URL},
 * without {@code /v1}), and adds the key as {@link #AUTH_HEADER}{@code : KEY}. Stateless and
 * thread-safe; each stream gets its own decoder.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  /** The config {@code kind:} of this adapter. */
  public static final String KIND = "anthropic";

  /** Anthropic's public endpoint: the host root, since {@link #PATH} carries the {@code /v1}. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** The path every request goes to, under the base URL. */
  public static final String PATH = "/v1/messages";

  /** The header the transport puts the API key in ({@code UpstreamAuth.Header}). */
  public static final String AUTH_HEADER = "x-api-key";

  /** Where the key is read from when the operator configures none. */
  public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";

  /** The API version header every request carries. */
  public static final String VERSION_HEADER = "anthropic-version";

  /** The API version this adapter speaks. */
  public static final String API_VERSION = "2023-06-01";

  /**
   * The {@code max_tokens} sent when the client set none: Anthropic requires the field, and the
   * adapter does not know the endpoint's own output limit.
   */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private static final Map<String, String> HEADERS = Map.of(VERSION_HEADER, API_VERSION);

  private static final Set<Capability> CAPABILITIES =
      Set.of(
          Capability.STREAM, Capability.TOOLS, Capability.PARALLEL_TOOLS, Capability.VISION,
          Capability.DOCUMENTS, Capability.JSON_MODE, Capability.JSON_SCHEMA, Capability.REASONING,
          Capability.CACHING, Capability.CONTINUATION);

  private final AnthropicRequestEncoder encoder;
  private final AnthropicResponseDecoder decoder = new AnthropicResponseDecoder();

  private AnthropicAdapter(int defaultMaxTokens) {
    this.encoder = new AnthropicRequestEncoder(defaultMaxTokens);
  }

  /** An adapter that sends {@value #DEFAULT_MAX_TOKENS} as {@code max_tokens} when the client set none. */
  public static AnthropicAdapter create() {
    return new AnthropicAdapter(DEFAULT_MAX_TOKENS);
  }

  /** An adapter with another {@code max_tokens} default, which must be positive. */
  public static AnthropicAdapter withDefaultMaxTokens(int defaultMaxTokens) {
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("defaultMaxTokens must be positive: " + defaultMaxTokens);
    }
    return new AnthropicAdapter(defaultMaxTokens);
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** No {@link Capability#AUDIO} (Anthropic takes no audio), logprobs or seed. */
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
    return new UpstreamRequest(PATH, HEADERS, encoder.encode(request, target), request.stream());
  }

  @Override
  public ChatResponse decode(UpstreamResponse response, Target target) {
    return decoder.decode(response.bodyText());
  }

  @Override
  public StreamDecoder newStreamDecoder(Target target) {
    return new AnthropicStreamDecoder();
  }

  @Override
  public UpstreamError classify(UpstreamResponse response) {
    return AnthropicErrors.classify(response);
  }

  @Override
  public String toString() {
    return "AnthropicAdapter";
  }
}
