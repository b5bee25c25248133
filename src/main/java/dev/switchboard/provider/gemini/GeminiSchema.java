package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.GeminiAdapter.JSON;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites a tool's JSON Schema into the OpenAPI-3.0 subset Gemini's {@code
 * FunctionDeclaration.parameters} accepts (https://ai.google.dev/api/caching#Schema).
 *
 * <p>That field is read into a protobuf message, so a keyword it does not know is not ignored but
 * answered with 400 ("Invalid JSON payload received. Unknown name "additionalProperties" ...
 * Cannot find field"). Hence an allow-list, {@link #KEPT}, rather than a deny-list: JSON Schema
 * grows, the subset does not. What can be expressed another way is rewritten rather than dropped;
 * the package documentation lists both. A separate class, not part of the encoder, because it is
 * a self-contained tree rewrite with its own recursion.
 */
final class GeminiSchema {
  /** The {@code Schema} fields of the generativelanguage v1beta API that are copied as they are. */
  private static final Set<String> KEPT =
      Set.of(
          "type", "title", "description", "nullable", "required", "minItems", "maxItems", "minLength",
          "maxLength", "pattern", "minimum", "maximum", "minProperties", "maxProperties", "example", "default",
          "propertyOrdering");

  /**
   * How many {@code $ref}s deep a schema is inlined. Gemini's subset has no references, and a
   * recursive schema (a tree node) would otherwise inline forever.
   */
  private static final int MAX_REF_DEPTH = 6;

  private final JsonNode root;

  private GeminiSchema(JsonNode root) {
    this.root = root;
  }

  /**
   * The tool's parameters in Gemini's subset; null when the function takes none, because Gemini
   * rejects an object schema without properties ("properties: should be non-empty for OBJECT
   * type") and a declaration without {@code parameters} means exactly "no arguments".
   */
  static @Nullable ObjectNode parameters(ToolSpec tool) {
    if (tool.parameters() == null) {
      return null;
    }
    JsonNode schema = parse(tool.parameters(), "tools");
    ObjectNode clean = new GeminiSchema(schema).clean(schema, 0);
    boolean noProperties = !clean.has("properties") || clean.get("properties").isEmpty();
    return noProperties && "object".equalsIgnoreCase(clean.path("type").asText("object")) ? null : clean;
  }

  /** A schema the client sent, as a tree; an {@link InvalidRequest} when it is not an object. */
  static JsonNode parse(RawJson raw, String param) {
    try {
      JsonNode node = JSON.readTree(raw.json());
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JacksonException notJson) {
      // reported below
    }
    throw new InvalidRequest(param, "the schema in '" + param + "' is not a JSON object");
  }

  private ObjectNode clean(JsonNode schema, int depth) {
    if (!schema.isObject()) {
      return JSON.createObjectNode(); // `true` (anything) has no subset form; an empty schema is closest
    }
    JsonNode source = expand(schema, depth);
    int nextDepth = source == schema ? depth : depth + 1;
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> field : source.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case "type" -> type(value, out);
        case "enum" -> {
          // Gemini's enum is a list of strings; a numeric enum cannot be stated, so it is dropped.
          if (value.isArray() && allStrings(value)) {
            out.set("enum", value);
          }
        }
        case "const" -> {
          // Gemini's enum needs a string type; a const without one is a string by its value.
          if (value.isTextual() && !source.has("enum")) {
            out.putArray("enum").add(value);
            if (!source.has("type")) {
              out.put("type", "string");
            }
          }
        }
        case "format" -> out.set("format", value); // checked against the type below
        case "properties" -> {
          if (value.isObject() && !value.isEmpty()) {
            ObjectNode properties = out.putObject("properties");
            for (Map.Entry<String, JsonNode> property : value.properties()) {
              properties.set(property.getKey(), clean(property.getValue(), nextDepth));
            }
          }
        }
        // Draft-4 tuples list one schema per position; the subset has one for all, so the first.
        case "items" -> {
          JsonNode items = value.isArray() ? value.path(0) : value;
          if (items.isObject()) {
            out.set("items", clean(items, nextDepth));
          }
        }
        case "anyOf", "oneOf" -> { // Gemini documents oneOf as read like anyOf
          if (value.isArray()) {
            union(value, nextDepth, out);
          }
        }
        default -> {
          if (KEPT.contains(key)) {
            out.set(key, value);
          }
        }
      }
    }
    checkFormat(out);
    return out;
  }

  /**
   * A union. Its {@code {"type": "null"}} members become {@code nullable}, so Pydantic's and
   * Zod's {@code Optional[X]} ({@code anyOf: [X, {"type": "null"}]}) becomes plain {@code X} with
   * {@code nullable: true}, which every Gemini model understands, instead of a one-member union.
   */
  private void union(JsonNode members, int depth, ObjectNode out) {
    var kept = new ArrayList<ObjectNode>();
    for (JsonNode member : members) {
      ObjectNode clean = clean(member, depth);
      if (clean.size() == 1 && clean.path("nullable").asBoolean(false)) {
        out.put("nullable", true);
      } else {
        kept.add(clean);
      }
    }
    if (kept.size() == 1) {
      kept.getFirst().properties().forEach(field -> out.putIfAbsent(field.getKey(), field.getValue()));
    } else if (!kept.isEmpty()) {
      out.withArray("anyOf").addAll(kept);
    }
  }

  /**
   * The schema to read instead of {@code schema}: its {@code $ref} target, or its only {@code
   * allOf} member (Pydantic writes {@code {"allOf": [{"$ref": ...}], "description": ...}}), with
   * the schema's own keywords taking precedence. The schema itself when neither applies.
   */
  private JsonNode expand(JsonNode schema, int depth) {
    JsonNode target = null;
    if (schema.path("$ref").isTextual()) {
      String ref = schema.get("$ref").asText();
      if (ref.startsWith("#") && depth < MAX_REF_DEPTH) {
        target = resolve(ref.substring(1));
      }
      if (target == null) {
        // Unresolvable, remote, or too deep: only the description survives.
        ObjectNode stub = JSON.createObjectNode();
        if (schema.has("description")) {
          stub.set("description", schema.get("description"));
        }
        return stub;
      }
    } else if (schema.path("allOf").isArray() && schema.get("allOf").size() == 1) {
      target = schema.get("allOf").get(0);
    }
    if (target == null || !target.isObject()) {
      return schema;
    }
    ObjectNode merged = target.deepCopy();
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      if (!field.getKey().equals("$ref") && !field.getKey().equals("allOf")) {
        merged.set(field.getKey(), field.getValue());
      }
    }
    // A target that is itself a reference (or a lone allOf) is expanded one level deeper.
    return merged.has("$ref") || merged.has("allOf") ? expand(merged, depth + 1) : merged;
  }

  private @Nullable JsonNode resolve(String pointer) {
    try {
      JsonNode found = root.at(JsonPointer.compile(pointer));
      return found.isObject() ? found : null;
    } catch (IllegalArgumentException notAPointer) {
      return null; // "#name" anchors are not supported
    }
  }

  /** {@code "type": ["string", "null"]} (JSON Schema) as {@code type} plus {@code nullable}. */
  private static void type(JsonNode value, ObjectNode out) {
    if (value.isTextual()) {
      if ("null".equals(value.asText())) {
        out.put("nullable", true);
      } else {
        out.set("type", value);
      }
      return;
    }
    if (!value.isArray()) {
      return;
    }
    List<String> types = new ArrayList<>();
    for (JsonNode type : value) {
      if ("null".equals(type.asText())) {
        out.put("nullable", true);
      } else if (type.isTextual()) {
        types.add(type.asText());
      }
    }
    if (types.size() == 1) {
      out.put("type", types.getFirst());
    } else if (types.size() > 1) {
      ArrayNode anyOf = out.withArray("anyOf");
      types.forEach(type -> anyOf.addObject().put("type", type));
    }
  }

  /**
   * Gemini accepts only {@code enum} and {@code date-time} as string formats, and {@code float},
   * {@code double}, {@code int32}, {@code int64} as number formats; others ({@code uri}, {@code
   * email}) are a 400, so they go. They only ever hinted at validation the model does not do.
   */
  private static void checkFormat(ObjectNode out) {
    if (!out.has("format")) {
      return;
    }
    String format = out.get("format").asText("");
    boolean ok =
        switch (out.path("type").asText("").toLowerCase(Locale.ROOT)) {
          case "string" -> format.equals("enum") || format.equals("date-time");
          case "number", "integer" -> Set.of("float", "double", "int32", "int64").contains(format);
          default -> false;
        };
    if (!ok) {
      out.remove("format");
    }
  }

  private static boolean allStrings(JsonNode array) {
    for (JsonNode value : array) {
      if (!value.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
