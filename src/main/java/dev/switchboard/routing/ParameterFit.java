package dev.switchboard.routing;

import dev.switchboard.catalog.Endpoint;
import dev.switchboard.core.ChatRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What of a request an endpoint cannot honour, and the request to send it instead.
 *
 * <p>Without {@code provider.require_parameters} (which filters such endpoints out in {@link
 * RoutePlanner}), a request still goes to an endpoint that lacks a parameter it set, but without
 * that parameter, and the response names what was dropped ({@code X-Switchboard-Dropped-Parameters})
 * so nothing is lost silently. Only parameters whose absence changes an answer's form are
 * considered: {@code max_tokens} (a cap every endpoint honours) and hints such as {@code
 * parallel_tool_calls} are never dropped.
 *
 * @param dropped the parameters removed, in OpenRouter's names; empty when the request fits
 */
public record ParameterFit(ChatRequest request, List<String> dropped) {

  public ParameterFit {
    dropped = List.copyOf(dropped);
  }

  public static ParameterFit of(ChatRequest request, Endpoint endpoint) {
    Set<String> dropped = new LinkedHashSet<>();
    for (String parameter : request.requestedParameters()) {
      if (!honours(endpoint, parameter)) {
        dropped.add(parameter);
      }
    }
    return dropped.isEmpty()
        ? new ParameterFit(request, List.of())
        : new ParameterFit(request.without(dropped), List.copyOf(dropped));
  }

  private static boolean honours(Endpoint endpoint, String parameter) {
    return switch (parameter) {
      case "max_tokens", "parallel_tool_calls" -> true;
      // Endpoints that take a JSON schema through response_format often list only that name.
      case "structured_outputs" -> endpoint.supports("structured_outputs") || endpoint.supports("response_format");
      case "tool_choice" -> endpoint.supports("tool_choice") || endpoint.supports("tools");
      default -> endpoint.supports(parameter);
    };
  }
}
