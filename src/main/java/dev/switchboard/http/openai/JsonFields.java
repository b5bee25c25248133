package dev.switchboard.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.GatewayException.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Typed reads of request JSON fields that fail with a 400 naming the field and the problem. */
final class JsonFields {
  private JsonFields() {}

  static @Nullable String string(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(path, field, "must be a string", node);
    }
    return node.textValue();
  }

  static String requireString(JsonNode parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null) {
      throw new InvalidRequest(join(path, field), join(path, field) + " is required");
    }
    return value;
  }

  static @Nullable Boolean bool(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw invalid(path, field, "must be true or false", node);
    }
    return node.booleanValue();
  }

  static @Nullable Double number(JsonNode parent, String field, String path, double min, double max) {
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

  static @Nullable Integer integer(JsonNode parent, String field, String path, int min, int max) {
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

  static @Nullable Long longValue(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(path, field, "must be a whole number", node);
    }
    return node.longValue();
  }

  static @Nullable JsonNode object(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw invalid(path, field, "must be an object", node);
    }
    return node;
  }

  static @Nullable JsonNode array(JsonNode parent, String field, String path) {
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
  static List<String> strings(JsonNode parent, String field, String path, boolean allowSingle) {
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

  static InvalidRequest invalid(String path, String field, String problem, JsonNode actual) {
    String name = join(path, field);
    return new InvalidRequest(name, name + " " + problem + ", got " + describe(actual));
  }

  static String join(String path, String field) {
    if (path.isEmpty()) {
      return field;
    }
    return field.startsWith("[") ? path + field : path + "." + field;
  }

  static String describe(JsonNode node) {
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
