package dev.switchboard.http.openai;

import static dev.switchboard.http.openai.JsonFields.describe;
import static dev.switchboard.http.openai.JsonFields.integer;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.string;
import static dev.switchboard.http.openai.JsonFields.strings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingRequest.EncodingFormat;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.RawJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenAI/OpenRouter {@code POST /embeddings} body into an {@link EmbeddingRequest},
 * rejecting what is malformed with a 400 that names the field.
 *
 * <p>{@code input} may be a string or an array of strings. Token-id arrays (OpenAI's other two
 * forms) are refused: token ids belong to one tokenizer, and the gateway may route the request to
 * a model with another. Multimodal inputs (OpenRouter's content objects) are refused too, since no
 * adapter translates them yet. Fields the gateway does not interpret are kept verbatim for
 * OpenAI-compatible upstreams.
 */
public final class OpenAiEmbeddingsReader {
  /** OpenAI's own cap on inputs per request; more is refused before any upstream sees it. */
  public static final int MAX_INPUTS = 2048;

  /** Fields read into the canonical request, plus OpenRouter's gateway-only fields. */
  private static final Set<String> INTERPRETED = Set.of(
      "model", "models", "input", "dimensions", "encoding_format", "input_type", "user", "provider",
      "route", "transforms", "usage", "plugins", "session_id");

  private final ObjectReader json;

  public OpenAiEmbeddingsReader(ObjectMapper json) {
    // A second value after the object ("{…} {…}") is an error rather than silently ignored.
    this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public EmbeddingRequest read(byte[] body) {
    return read(JsonFields.readObject(json, body));
  }

  EmbeddingRequest read(JsonNode root) {
    RequestedModels requested =
        RequestedModels.read(root, "openai/text-embedding-3-small", "GET /api/v1/embeddings/models");
    String model = requested.model();
    List<String> fallbacks = requested.fallbacks();
    return new EmbeddingRequest(
        model,
        fallbacks,
        inputs(root.get("input")),
        integer(root, "dimensions", "", 1, Integer.MAX_VALUE),
        encodingFormat(string(root, "encoding_format", "")),
        string(root, "input_type", ""),
        string(root, "user", ""),
        ProviderPreferencesReader.read(object(root, "provider", "")),
        extra(root));
  }

  private static List<String> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw new InvalidRequest("input", "input is required: a string, or an array of strings, to embed");
    }
    if (input.isTextual()) {
      return List.of(nonEmpty(input, "input"));
    }
    if (!input.isArray()) {
      throw new InvalidRequest("input", "input must be a string or an array of strings, got " + describe(input));
    }
    if (input.isEmpty()) {
      throw new InvalidRequest("input", "input must contain at least one string");
    }
    if (input.size() > MAX_INPUTS) {
      throw new InvalidRequest("input",
          "input has " + input.size() + " items; at most " + MAX_INPUTS + " are accepted per request");
    }
    List<String> texts = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String path = "input[" + i + "]";
      if (item.isNumber() || item.isArray()) {
        throw new InvalidRequest(path, "token-id inputs are not supported: token ids belong to one tokenizer and"
            + " the request may be served by a model with another; send the text instead");
      }
      if (item.isObject()) {
        throw new InvalidRequest(path, "multimodal inputs are not supported yet; send text");
      }
      if (!item.isTextual()) {
        throw new InvalidRequest(path, path + " must be a string, got " + describe(item));
      }
      texts.add(nonEmpty(item, path));
    }
    return texts;
  }

  /** OpenAI refuses empty strings, and an empty text has no meaningful embedding. */
  private static String nonEmpty(JsonNode text, String path) {
    if (text.textValue().isEmpty()) {
      throw new InvalidRequest(path, path + " must not be an empty string");
    }
    return text.textValue();
  }

  private static EncodingFormat encodingFormat(@Nullable String value) {
    if (value == null) {
      return EncodingFormat.FLOAT;
    }
    for (EncodingFormat format : EncodingFormat.values()) {
      if (format.wireName().equals(value)) {
        return format;
      }
    }
    throw new InvalidRequest("encoding_format",
        "encoding_format must be \"float\" or \"base64\", got '" + value + "'");
  }

  private static Map<String, RawJson> extra(JsonNode root) {
    Map<String, RawJson> extra = new LinkedHashMap<>();
    for (var field : root.properties()) {
      if (!INTERPRETED.contains(field.getKey())) {
        extra.put(field.getKey(), new RawJson(field.getValue().toString()));
      }
    }
    return extra;
  }
}
