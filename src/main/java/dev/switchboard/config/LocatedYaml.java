package dev.switchboard.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A YAML document as a Jackson tree plus the line of every node, keyed by JSON pointer, so that
 * validation that happens after parsing can still point at the offending line.
 *
 * <p>Stricter than Jackson's tree reader in three ways, each of which would otherwise silently
 * change what the operator wrote: a duplicate key is an error (Jackson keeps the last one), an
 * alias ({@code *name}) is resolved to its anchor's value (Jackson reads it as the string {@code
 * "name"}), and a second document ({@code ---}) is an error (Jackson would ignore it).
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

  /**
   * Parses {@code text}.
   *
   * @param file the name used in error messages
   * @throws ConfigException naming {@code file}, the line and the problem
   */
  static LocatedYaml parse(String file, String text) {
    List<String> references = new ArrayList<>();
    String token = tokenPrefix(text);
    Matcher m = ENV_REF.matcher(text);
    StringBuilder shielded = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(shielded, Matcher.quoteReplacement(token + references.size() + "__"));
      references.add(m.group());
    }
    m.appendTail(shielded);
    Restorer restorer = new Restorer(Pattern.compile(Pattern.quote(token) + "(\\d+)__"), references);
    Map<String, Integer> lines = new HashMap<>();
    try (YAMLParser parser = new YAMLFactory().createParser(shielded.toString())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LocatedYaml(JsonNodeFactory.instance.objectNode(), lines);
      }
      JsonNode root = new Reader(file, parser, lines, restorer).read("");
      if (parser.nextToken() != null) {
        throw new ConfigException(file + ":" + parser.currentTokenLocation().getLineNr()
            + ": the file must hold one YAML document; remove the second '---' and what follows it");
      }
      return new LocatedYaml(root, lines);
    } catch (JsonProcessingException e) {
      throw syntaxError(file, e);
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    } catch (IOException e) {
      // Reading from a String cannot fail with I/O; anything else is a parser error handled above.
      throw new UncheckedIOException(e);
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

  /** The JSON pointer of {@code name} inside the node at {@code parent} (RFC 6901 escaping). */
  static String child(String parent, String name) {
    return parent + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  /**
   * SnakeYAML's own problem mark points at the offending character; Jackson's location is where
   * its parser stood, which for a tab or an unclosed bracket can be lines earlier.
   */
  private static ConfigException syntaxError(String file, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark problem = marked.getProblemMark();
      StringBuilder message = new StringBuilder(file).append(':').append(problem.getLine() + 1)
          .append(": not valid YAML: ").append(oneLine(marked.getProblem()))
          .append(" (column ").append(problem.getColumn() + 1);
      if (marked.getContext() != null) {
        message.append(", ").append(oneLine(marked.getContext()));
        Mark context = marked.getContextMark();
        if (context != null && context.getLine() != problem.getLine()) {
          message.append(" that starts on line ").append(context.getLine() + 1);
        }
      }
      return new ConfigException(message.append(')').toString());
    }
    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    return new ConfigException(
        (line > 0 ? file + ":" + line : file) + ": not valid YAML: " + oneLine(e.getOriginalMessage()));
  }

  private static String oneLine(@Nullable String text) {
    return text == null ? "syntax error" : text.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  /** Builds the tree for one document, recording lines and anchors as it goes. */
  private record Reader(String file, YAMLParser parser, Map<String, Integer> lines, Restorer restorer,
      Map<String, JsonNode> anchors) {
    Reader(String file, YAMLParser parser, Map<String, Integer> lines, Restorer restorer) {
      this(file, parser, lines, restorer, new HashMap<>());
    }

    JsonNode read(String path) throws IOException {
      int line = parser.currentTokenLocation().getLineNr();
      lines.putIfAbsent(path, line);
      if (parser.isCurrentAlias()) {
        JsonNode anchored = anchors.get(parser.getText());
        if (anchored == null) {
          throw new ConfigException(file + ":" + line + ": unknown YAML alias '*" + parser.getText()
              + "'; define it first with '&" + parser.getText() + "'");
        }
        return anchored.deepCopy();
      }
      String anchor = parser.getObjectId();
      JsonNode node = value(path);
      if (anchor != null) {
        anchors.put(anchor, node);
      }
      return node;
    }

    private JsonNode value(String path) throws IOException {
      JsonNodeFactory nodes = JsonNodeFactory.instance;
      return switch (parser.currentToken()) {
        case START_OBJECT -> {
          ObjectNode object = nodes.objectNode();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String child = child(path, name);
            int line = parser.currentTokenLocation().getLineNr();
            if (object.has(name)) {
              throw new ConfigException(file + ":" + line + ": duplicate key '" + name + "' (first on line "
                  + lines.get(child) + ")");
            }
            lines.put(child, line);
            parser.nextToken();
            object.set(name, read(child));
          }
          yield object;
        }
        case START_ARRAY -> {
          ArrayNode array = nodes.arrayNode();
          int index = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(read(path + "/" + index++));
          }
          yield array;
        }
        case VALUE_STRING -> nodes.textNode(restorer.restore(parser.getText()));
        case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
        case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
        case VALUE_TRUE -> nodes.booleanNode(true);
        case VALUE_FALSE -> nodes.booleanNode(false);
        case VALUE_NULL -> nodes.nullNode();
        default -> throw new ConfigException(file + ":" + parser.currentTokenLocation().getLineNr()
            + ": unexpected YAML token " + parser.currentToken());
      };
    }
  }
}
