package dev.switchboard.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML document as a Jackson tree plus the line of every node, keyed by JSON pointer, so that
 * validation that happens after parsing can still point at the offending line.
 *
 * <p>{@code ${VAR}} references are hidden from the YAML parser: inside a flow mapping such as
 * {@code mock: { api_key: ${MOCK_KEY} }} (the documented provider shape) the braces would
 * otherwise open a nested mapping and the file would not parse. Each reference is swapped for an
 * opaque plain-scalar token before parsing and put back into the string values afterwards, so
 * {@link ConfigNode} still sees and interpolates the original text.
 */
record LocatedYaml(JsonNode root, Map<String, Integer> lines) {
  /** Same shape as {@link ConfigNode}'s reference pattern, but never across a line break. */
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}\\n]*)?}");

  static LocatedYaml parse(String text) throws IOException {
    List<String> references = new ArrayList<>();
    String token = tokenPrefix(text);
    Matcher m = ENV_REF.matcher(text);
    StringBuilder shielded = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(shielded, Matcher.quoteReplacement(token + references.size() + "__"));
      references.add(m.group());
    }
    m.appendTail(shielded);
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(shielded.toString())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LocatedYaml(JsonNodeFactory.instance.objectNode(), lines);
      }
      Restorer restorer = new Restorer(Pattern.compile(Pattern.quote(token) + "(\\d+)__"), references);
      JsonNode root = read(parser, "", lines, restorer);
      return new LocatedYaml(root, lines);
    }
  }

  /** A token prefix that does not occur in the text, so restoring cannot touch the user's own text. */
  private static String tokenPrefix(String text) {
    String prefix = "__sb_env_";
    while (text.contains(prefix)) {
      prefix = prefix + "x_";
    }
    return prefix;
  }

  /** Puts the original {@code ${…}} text back in place of its tokens. */
  private record Restorer(Pattern token, List<String> references) {
    String restore(String value) {
      if (references.isEmpty()) {
        return value;
      }
      Matcher m = token.matcher(value);
      StringBuilder sb = new StringBuilder(value.length());
      while (m.find()) {
        m.appendReplacement(sb, Matcher.quoteReplacement(references.get(Integer.parseInt(m.group(1)))));
      }
      m.appendTail(sb);
      return sb.toString();
    }
  }

  /** The line of the node at {@code pointer}, or of its nearest located ancestor; 0 if none. */
  int lineOf(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 0;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  private static JsonNode read(JsonParser parser, String path, Map<String, Integer> lines,
      Restorer restorer) throws IOException {
    lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = path + "/" + name.replace("~", "~0").replace("/", "~1");
          lines.put(child, parser.currentTokenLocation().getLineNr());
          parser.nextToken();
          object.set(name, read(parser, child, lines, restorer));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, path + "/" + index++, lines, restorer));
        }
        yield array;
      }
      case VALUE_STRING -> nodes.textNode(restorer.restore(parser.getText()));
      case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      default -> throw new IOException("unexpected YAML token " + parser.currentToken());
    };
  }
}
