package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A cursor over one YAML mapping that reads typed fields, interpolates {@code ${ENV}} references
 * in strings and reports every problem as a {@link ConfigException} naming file, line and field.
 */
final class ConfigNode {
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  // The unit is required: a bare "connect: 10" would otherwise silently mean 10 milliseconds.
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private final JsonNode node;
  private final String pointer;
  private final Context context;

  /** What every node of one document shares. */
  record Context(String file, LocatedYaml yaml, Map<String, String> env, List<String> warnings) {}

  ConfigNode(JsonNode node, String pointer, Context context) {
    this.node = node;
    this.pointer = pointer;
    this.context = context;
  }

  static ConfigNode root(Context context) {
    ConfigNode root = new ConfigNode(context.yaml().root(), "", context);
    if (!root.node.isObject()) {
      throw root.error("", "the file must be a YAML mapping (key: value), not " + describe(root.node));
    }
    return root;
  }

  String pointer() {
    return pointer;
  }

  /** Fails on any key not in {@code allowed}, which is how typos get caught. */
  ConfigNode allowOnly(Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw error(name, "unknown setting '" + name + "'; expected one of " + sorted(allowed));
      }
    }
    return this;
  }

  boolean has(String field) {
    JsonNode child = node.get(field);
    return child != null && !child.isNull();
  }

  @Nullable ConfigNode object(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      return null;
    }
    if (!child.isObject()) {
      throw error(field, "'" + field + "' must be a mapping, not " + describe(child));
    }
    return new ConfigNode(child, LocatedYaml.child(pointer, field), context);
  }

  /** The entries of a mapping-valued field, in file order. */
  List<Map.Entry<String, ConfigNode>> entries(String field) {
    ConfigNode object = object(field);
    if (object == null) {
      return List.of();
    }
    List<Map.Entry<String, ConfigNode>> result = new ArrayList<>();
    for (var entry : object.node.properties()) {
      JsonNode value = entry.getValue();
      String childPointer = LocatedYaml.child(object.pointer, entry.getKey());
      if (!value.isObject()) {
        throw object.error(entry.getKey(), "'" + entry.getKey() + "' must be a mapping, not " + describe(value));
      }
      result.add(Map.entry(entry.getKey(), new ConfigNode(value, childPointer, context)));
    }
    return result;
  }

  /** The elements of a list of mappings. */
  List<ConfigNode> objects(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      return List.of();
    }
    if (!child.isArray()) {
      throw error(field, "'" + field + "' must be a list, not " + describe(child));
    }
    List<ConfigNode> result = new ArrayList<>();
    for (int i = 0; i < child.size(); i++) {
      JsonNode element = child.get(i);
      String elementPointer = LocatedYaml.child(pointer, field) + "/" + i;
      if (!element.isObject()) {
        throw new ConfigNode(element, elementPointer, context)
            .error("", "each entry of '" + field + "' must be a mapping, not " + describe(element));
      }
      result.add(new ConfigNode(element, elementPointer, context));
    }
    return result;
  }

  @Nullable List<String> strings(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      return null;
    }
    if (!child.isArray()) {
      throw error(field, "'" + field + "' must be a list of strings, not " + describe(child));
    }
    List<String> result = new ArrayList<>();
    for (JsonNode element : child) {
      if (!element.isValueNode() || element.isNull()) {
        throw error(field, "'" + field + "' must be a list of strings");
      }
      result.add(interpolate(element.asText(), field));
    }
    return result;
  }

  Map<String, String> stringMap(String field) {
    ConfigNode object = object(field);
    if (object == null) {
      return Map.of();
    }
    Map<String, String> result = new java.util.LinkedHashMap<>();
    for (var entry : object.node.properties()) {
      result.put(entry.getKey(), object.requireString(entry.getKey()));
    }
    return result;
  }

  @Nullable String string(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      return null;
    }
    if (!child.isValueNode()) {
      throw error(field, "'" + field + "' must be a single value, not " + describe(child));
    }
    return interpolate(child.asText(), field);
  }

  String string(String field, String defaultValue) {
    String value = string(field);
    return value == null ? defaultValue : value;
  }

  String requireString(String field) {
    String value = string(field);
    if (value == null || value.isBlank()) {
      throw error(field, "'" + field + "' is required");
    }
    return value;
  }

  @Nullable Integer integer(String field) {
    String text = string(field);
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(field, "'" + field + "' must be a whole number, not '" + text + "'");
    }
  }

  int integer(String field, int defaultValue, int min, int max) {
    Integer value = integer(field);
    if (value == null) {
      return defaultValue;
    }
    if (value < min || value > max) {
      throw error(field, "'" + field + "' must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  long bytes(String field, long defaultValue) {
    String text = string(field);
    if (text == null) {
      return defaultValue;
    }
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw error(field, "'" + field + "' must be a size such as 1048576, 512KiB or 32MiB, not '" + text + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
    try {
      long n = Long.parseLong(m.group(1));
      return switch (unit) {
        case "kb", "kib" -> Math.multiplyExact(n, 1024L);
        case "mb", "mib" -> Math.multiplyExact(n, 1024L * 1024);
        case "gb", "gib" -> Math.multiplyExact(n, 1024L * 1024 * 1024);
        default -> n;
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw error(field, "'" + field + "' is too large: '" + text + "'");
    }
  }

  boolean bool(String field, boolean defaultValue) {
    String text = string(field);
    if (text == null) {
      return defaultValue;
    }
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error(field, "'" + field + "' must be true or false, not '" + text + "'");
    };
  }

  Duration duration(String field, Duration defaultValue) {
    String text = string(field);
    if (text == null) {
      return defaultValue;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw error(field, "'" + field + "' must be a duration such as 500ms, 10s, 2m or 1h, not '" + text + "'");
    }
    try {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMillis(n);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw error(field, "'" + field + "' is too long: '" + text + "'");
    }
  }

  @Nullable BigDecimal decimal(String field) {
    String text = string(field);
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw error(field, "'" + field + "' must be a decimal number such as \"0.000001\", not '" + text + "'");
    }
  }

  /** A mapping-valued field as JSON text (no {@code ${ENV}} interpolation inside), or null when absent. */
  @Nullable String json(String field) {
    ConfigNode object = object(field);
    return object == null ? null : object.node.toString();
  }

  @Nullable Long longValue(String field) {
    String text = string(field);
    if (text == null) {
      return null;
    }
    try {
      return Long.valueOf(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(field, "'" + field + "' must be a whole number, not '" + text + "'");
    }
  }

  @Nullable Double number(String field, double min, double max) {
    BigDecimal value = decimal(field);
    if (value == null) {
      return null;
    }
    if (value.doubleValue() < min || value.doubleValue() > max) {
      throw error(field, "'" + field + "' must be between " + min + " and " + max + ", not " + value);
    }
    return value.doubleValue();
  }

  /** Applies {@code reader}, turning an {@link IllegalArgumentException} into a located error. */
  <T> T read(String field, Function<ConfigNode, T> reader) {
    try {
      return reader.apply(this);
    } catch (IllegalArgumentException e) {
      throw error(field, String.valueOf(e.getMessage()));
    }
  }

  ConfigException error(String field, String message) {
    String at = field.isEmpty() ? pointer : LocatedYaml.child(pointer, field);
    int line = context.yaml().lineOf(at);
    String where = line > 0 ? context.file() + ":" + line : context.file();
    return new ConfigException(where + ": " + message + (at.isEmpty() ? "" : " (at " + dotted(at) + ")"));
  }

  /** {@code /providers/my~1mock/kind} as the operator wrote it: {@code providers.my/mock.kind}. */
  private static String dotted(String pointer) {
    List<String> names = new ArrayList<>();
    for (String segment : pointer.substring(1).split("/", -1)) {
      names.add(segment.replace("~1", "/").replace("~0", "~"));
    }
    return String.join(".", names);
  }

  private String interpolate(String text, String field) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher m = ENV_REF.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = context.env().get(m.group(1));
      // As in the shell and docker-compose, ':-' also stands in for a variable that is set but empty.
      if (m.group(2) != null && (value == null || value.isEmpty())) {
        value = m.group(2);
      }
      if (value == null) {
        int line = context.yaml().lineOf(LocatedYaml.child(pointer, field));
        context.warnings().add(context.file() + ":" + line + ": environment variable "
            + m.group(1) + " is not set; using an empty value");
        value = "";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) return "a list";
    if (node.isObject()) return "a mapping";
    if (node.isNull()) return "nothing";
    return "'" + node.asText() + "'";
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
