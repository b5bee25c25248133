package dev.switchboard.routing;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.RawJson;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's own switches in a request's {@code provider} object, beside OpenRouter's
 * preferences: {@code provider.stream_resume} (default: {@code routing.stream_resume.enabled}) and
 * {@code provider.hedge} (default: {@code routing.hedging.enabled}). They live in {@code provider}
 * because that object never reaches an upstream, so strict OpenAI-style servers never see them.
 */
public final class RequestSwitches {
  static final String STREAM_RESUME = "stream_resume";
  static final String HEDGE = "hedge";

  private RequestSwitches() {}

  /** Whether a broken stream of this request may continue on another endpoint. */
  public static boolean streamResume(ChatRequest request, RoutingConfig config) {
    Boolean asked = flag(request, STREAM_RESUME);
    return config.streamResume().maxResumes() > 0 && (asked != null ? asked : config.streamResume().enabled());
  }

  /** Whether this request's first byte is hedged. */
  public static boolean hedge(ChatRequest request, RoutingConfig config) {
    Boolean asked = flag(request, HEDGE);
    return asked != null ? asked : config.hedging().enabled();
  }

  /**
   * Rejects a switch that is not a boolean, at the start of the request rather than halfway
   * through a stream.
   *
   * @throws GatewayException.InvalidRequest naming the field
   */
  public static void validate(ChatRequest request) {
    flag(request, STREAM_RESUME);
    flag(request, HEDGE);
  }

  private static @Nullable Boolean flag(ChatRequest request, String name) {
    RawJson value = request.provider().extra().get(name);
    if (value == null || value.json().equals("null")) {
      return null;
    }
    return switch (value.json().strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new GatewayException.InvalidRequest("provider." + name,
          "provider." + name + " must be true or false, not " + value.json());
    };
  }
}
