package dev.switchboard.http;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Method + path dispatch. Exact paths are a map lookup; the few templated paths (with a
 * {@code {param}} segment) are matched in order. Immutable once built.
 */
public final class Routes {
  private final Map<String, Handler> exact = new HashMap<>();
  private final List<Template> templates = new ArrayList<>();

  private record Template(HttpMethod method, String[] segments, Handler handler) {}

  /** A matched route and the values of its {@code {param}} segments. */
  public record Match(Handler handler, Map<String, String> params) {}

  public Routes add(HttpMethod method, String path, Handler handler) {
    if (path.contains("{")) {
      templates.add(new Template(method, path.substring(1).split("/"), handler));
    } else {
      exact.put(method.name() + " " + path, handler);
    }
    return this;
  }

  /** The handler for a request, or null when no route matches. */
  public @Nullable Match match(HttpMethod method, String path) {
    if (!path.startsWith("/")) {
      return null; // "" or an asterisk-form "*": nothing is routed there
    }
    String normalised = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Handler handler = exact.get(method.name() + " " + normalised);
    if (handler != null) {
      return new Match(handler, Map.of());
    }
    String[] segments = normalised.substring(1).split("/");
    for (Template template : templates) {
      if (template.method().equals(method) && template.segments().length == segments.length) {
        Map<String, String> params = matchSegments(template.segments(), segments);
        if (params != null) {
          return new Match(template.handler(), params);
        }
      }
    }
    return null;
  }

  /** Whether any method is routed at this path (for 405 versus 404). */
  public boolean knowsPath(String path) {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE)) {
      if (match(method, path) != null) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable Map<String, String> matchSegments(String[] template, String[] actual) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (actual[i].isEmpty()) {
          return null; // "/models//gpt-4o/endpoints" names no author
        }
        params.put(t.substring(1, t.length() - 1), actual[i]);
      } else if (!t.equals(actual[i])) {
        return null;
      }
    }
    return params;
  }
}
