package dev.switchboard.provider.openaicompat;

import static java.util.Objects.requireNonNull;

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
import java.util.EnumSet;
import java.util.Set;

/**
 * The one adapter for every provider that speaks OpenAI's chat-completions dialect (and its
 * {@code /embeddings}). What differs between providers is data, in its {@link
 * OpenAiCompatProfile}; the translation is here and in the package's encoder and decoders.
 *
 * <p>Pure: no I/O and no credentials. The transport sends the encoded request to {@code
 * target.baseUrl() + request.path()} and adds the key as {@link #profile()}{@code .authStyle()}
 * says. Stateless and thread-safe; each stream gets its own decoder.
 */
public class OpenAiCompatAdapter implements ProviderAdapter, EmbeddingAdapter {
  /** The config {@code kind:} of this adapter. */
  public static final String KIND = "openai-compatible";

  /** The path every request goes to, under the profile's base URL. */
  public static final String PATH = "/chat/completions";

  /** The path of embeddings requests, under the profile's base URL. */
  public static final String EMBEDDINGS_PATH = "/embeddings";

  private final OpenAiCompatProfile profile;
  private final Set<Capability> capabilities;
  private final OpenAiRequestEncoder encoder;
  private final OpenAiResponseDecoder decoder;
  private final OpenAiEmbeddings embeddings;

  public OpenAiCompatAdapter(OpenAiCompatProfile profile) {
    this.profile = requireNonNull(profile, "profile");
    this.capabilities = capabilitiesOf(profile);
    this.encoder = new OpenAiRequestEncoder(profile);
    this.decoder = new OpenAiResponseDecoder(profile);
    this.embeddings = new OpenAiEmbeddings(profile);
  }

  /** The provider this adapter speaks to: base URL, auth style, dialect differences. */
  public final OpenAiCompatProfile profile() {
    return profile;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * Everything the OpenAI dialect can express, less what the profile drops: a provider that
   * rejects {@code logprobs} cannot offer {@link Capability#LOGPROBS}, and so on.
   */
  @Override
  public final Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public final Framing framing() {
    return Framing.SSE;
  }

  @Override
  public final UpstreamRequest encode(ChatRequest request, Target target) {
    return new UpstreamRequest(path(target), profile.headers(), encoder.encode(request, target), request.stream());
  }

  /**
   * Where the request goes, under the target's base URL. {@link #PATH} for OpenAI and every
   * compatible server; Azure OpenAI puts the deployment and API version in the path instead.
   */
  protected String path(Target target) {
    return PATH;
  }

  @Override
  public final ChatResponse decode(UpstreamResponse response, Target target) {
    return decoder.decode(response.body());
  }

  @Override
  public final UpstreamRequest encodeEmbeddings(EmbeddingRequest request, Target target) {
    return new UpstreamRequest(embeddingsPath(target), profile.headers(), embeddings.encode(request, target), false);
  }

  /**
   * Where embeddings requests go, under the target's base URL: {@link #EMBEDDINGS_PATH}, or
   * Azure's deployment path.
   */
  protected String embeddingsPath(Target target) {
    return EMBEDDINGS_PATH;
  }

  @Override
  public final EmbeddingResponse decodeEmbeddings(UpstreamResponse response, Target target) {
    return embeddings.decode(response.body());
  }

  @Override
  public final StreamDecoder newStreamDecoder(Target target) {
    return new OpenAiStreamDecoder(profile);
  }

  @Override
  public final UpstreamError classify(UpstreamResponse response) {
    return OpenAiErrors.classify(response);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + profile.slug() + "]";
  }

  private static Set<Capability> capabilitiesOf(OpenAiCompatProfile profile) {
    var set = EnumSet.allOf(Capability.class);
    if (!profile.supports("tools")) {
      set.remove(Capability.TOOLS);
      set.remove(Capability.PARALLEL_TOOLS);
    }
    if (!profile.supports("parallel_tool_calls")) {
      set.remove(Capability.PARALLEL_TOOLS);
    }
    if (!profile.supports("response_format")) {
      set.remove(Capability.JSON_MODE);
      set.remove(Capability.JSON_SCHEMA);
    }
    if (!profile.supports("logprobs")) {
      set.remove(Capability.LOGPROBS);
    }
    if (!profile.supports("seed")) {
      set.remove(Capability.SEED);
    }
    if (profile.has(OpenAiCompatProfile.Quirk.NO_PREFILL)) {
      set.remove(Capability.CONTINUATION);
    }
    return Set.copyOf(set);
  }
}
