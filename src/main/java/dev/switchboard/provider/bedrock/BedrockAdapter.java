package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon Bedrock's Converse and ConverseStream APIs (see {@code package-info} for the protocol and
 * its quirks). The model id goes in the path, escaped; streams are AWS event streams.
 *
 * <p>Pure: no I/O and no credentials. The transport sends the request to {@code target.baseUrl()
 * + request.path()}, where the base URL is {@link #baseUrl(String)} for the configured region, and
 * signs it with {@code UpstreamAuth.SigV4} (or presents a Bedrock API key as {@code
 * UpstreamAuth.Bearer}). Stateless and thread-safe; each stream gets its own decoder.
 */
public final class BedrockAdapter implements ProviderAdapter {
  /** The config {@code kind:} of this adapter. */
  public static final String KIND = "bedrock";

  /** Immutable once built, so one instance serves every thread of the package. */
  static final ObjectMapper JSON = JsonMapper.builder().build();

  private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern TOOL_NAME_CHAR = Pattern.compile("[^a-zA-Z0-9_-]");
  private static final Map<String, String> STREAM_HEADERS = Map.of("accept", "application/vnd.amazon.eventstream");
  private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(
      Capability.STREAM, Capability.TOOLS, Capability.PARALLEL_TOOLS, Capability.VISION, Capability.DOCUMENTS,
      Capability.JSON_MODE, Capability.JSON_SCHEMA, Capability.REASONING));

  private final BedrockRequestEncoder encoder = new BedrockRequestEncoder();

  private BedrockAdapter() {}

  public static BedrockAdapter create() {
    return new BedrockAdapter();
  }

  /** The Bedrock Runtime endpoint of a region: {@code https://bedrock-runtime.<region>.amazonaws.com}. */
  public static String baseUrl(String region) {
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("not an AWS region name: '" + region + "'");
    }
    return "https://bedrock-runtime." + region + ".amazonaws.com";
  }

  /**
   * The operation's path for a model id, inference profile id or ARN. The id is one path segment,
   * so everything outside RFC 3986's unreserved characters is escaped: {@code :} in {@code
   * anthropic.claude-3-5-sonnet-20241022-v2:0} becomes {@code %3A} (as AWS's SDKs send it, and the
   * SigV4 signature is computed over that escaped form), {@code /} in an ARN becomes {@code %2F}.
   */
  public static String path(String modelId, boolean stream) {
    return "/model/" + escapeSegment(modelId) + (stream ? "/converse-stream" : "/converse");
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * Not {@link Capability#CACHING}: Bedrock caches at explicit {@code cachePoint} blocks, which the
   * canonical request cannot express (cache usage is still reported). No audio input, log
   * probabilities or seed in Converse.
   */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Framing framing() {
    return Framing.AWS_EVENT_STREAM;
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    return new UpstreamRequest(
        path(target.providerModelId(), request.stream()),
        request.stream() ? STREAM_HEADERS : Map.of(),
        encoder.encode(request, target),
        request.stream());
  }

  @Override
  public ChatResponse decode(UpstreamResponse response, Target target) {
    return BedrockResponseDecoder.decode(response.bodyText(), response.header("x-amzn-requestid"));
  }

  @Override
  public StreamDecoder newStreamDecoder(Target target) {
    return new BedrockStreamDecoder();
  }

  @Override
  public UpstreamError classify(UpstreamResponse response) {
    return BedrockErrors.classify(response);
  }

  @Override
  public String toString() {
    return "BedrockAdapter";
  }

  /**
   * A {@code toolUseId} Bedrock accepts ({@code [a-zA-Z0-9_-]+}). Ids minted by other providers
   * may hold other characters (Kimi's {@code functions.get_weather:0}); replacing them the same
   * way in {@code toolUse} and {@code toolResult} keeps each pair matched.
   */
  static String toolUseId(String id) {
    return id.isEmpty() ? "tooluse_empty" : TOOL_NAME_CHAR.matcher(id).replaceAll("_");
  }

  private static String escapeSegment(String segment) {
    var out = new StringBuilder(segment.length() + 8);
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
