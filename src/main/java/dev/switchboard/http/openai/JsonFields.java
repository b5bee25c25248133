package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.GatewayException.InvalidRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of request JSON fields that fail with a 400 naming the field and the problem. Shared
 * by every client dialect's request reader, so they all word their 400s the same way.
 */
public final class JsonFields {
  /** Jackson's "[Source: REDACTED (…); line: 3, column: 15]" inside a message, for a plain rewrite. */
  private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: [^]]*?; line: (\\d+), column: (\\d+)]");

  private JsonFields() {}

  public static @Nullable String string(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(path, field, "must be a string", node);
    }
    return node.textValue();
  }

  public static String requireString(JsonNode parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null) {
      throw new InvalidRequest(join(path, field), join(path, field) + " is required");
    }
    return value;
  }

  public static @Nullable Boolean bool(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw invalid(path, field, "must be true or false", node);
    }
    return node.booleanValue();
  }

  public static @Nullable Double number(JsonNode parent, String field, String path, double min, double max) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw invalid(path, field, "must be a number", node);
    }
    double value = node.doubleValue();
    if (value < min || value > max) {
      throw new InvalidRequest(join(path, field),
          join(path, field) + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + node);
    }
    return value;
  }

  public static @Nullable Integer integer(JsonNode parent, String field, String path, int min, int max) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(path, field, "must be a whole number", node);
    }
    long value = node.longValue();
    if (value < min || value > max) {
      throw new InvalidRequest(join(path, field),
          join(path, field) + " must be between " + min + " and " + max + ", got " + value);
    }
    return (int) value;
  }

  public static @Nullable Long longValue(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(path, field, "must be a whole number", node);
    }
    return node.longValue();
  }

  public static @Nullable JsonNode object(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw invalid(path, field, "must be an object", node);
    }
    return node;
  }

  public static @Nullable JsonNode array(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw invalid(path, field, "must be an array", node);
    }
    return node;
  }

  /** A string or an array of strings, as {@code stop} and {@code models} allow. */
  public static List<String> strings(JsonNode parent, String field, String path, boolean allowSingle) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (allowSingle && node.isTextual()) {
      return List.of(node.textValue());
    }
    if (!node.isArray()) {
      throw invalid(path, field, allowSingle ? "must be a string or an array of strings" : "must be an array of strings", node);
    }
    List<String> values = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      if (!element.isTextual()) {
        throw invalid(path, field + "[" + i + "]", "must be a string", element);
      }
      values.add(element.textValue());
    }
    return values;
  }

  /**
   * Parses a request body that must be one JSON object; anything else is a 400 saying what is wrong
   * and where. {@code reader} should fail on trailing tokens, so "{…} {…}" is refused.
   */
  public static JsonNode readObject(ObjectReader reader, byte[] body) {
    JsonNode root;
    try {
      root = reader.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidRequest(null, "the request body is not valid JSON: " + syntaxMessage(e));
    } catch (IOException e) {
      throw new InvalidRequest(null, "the request body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequest(null, "the request body must be a JSON object");
    }
    return root;
  }

  /**
   * Jackson's message with its location as "(line L, column C)". Some failures (a read constraint
   * such as nesting depth) carry no location at all.
   */
  private static String syntaxMessage(JacksonException e) {
    String message = SOURCE_LOCATION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("line $1, column $2");
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? message
        : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  public static InvalidRequest invalid(String path, String field, String problem, JsonNode actual) {
    String name = join(path, field);
    return new InvalidRequest(name, name + " " + problem + ", got " + describe(actual));
  }

  public static String join(String path, String field) {
    if (path.isEmpty()) {
      return field;
    }
    return field.startsWith("[") ? path + field : path + "." + field;
  }

  public static String describe(JsonNode node) {
    if (node.isTextual()) return "a string";
    if (node.isNumber()) return "the number " + node;
    if (node.isBoolean()) return String.valueOf(node.booleanValue());
    if (node.isArray()) return "an array";
    if (node.isObject()) return "an object";
    return "null";
  }

  private static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
