package dev.switchboard.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.routing.Preset;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a preset definition ({@code POST /api/v1/presets}, and stored presets on load) into a
 * {@link Preset}. Its fields are a chat request's, read by the same rules and with the same 400
 * messages ({@code tools[0].function.name must be …}), plus {@code system_prompt}.
 *
 * <p>Thread-safe.
 */
public final class PresetReader {
  /** What a definition may set. */
  public static final Set<String> FIELDS = Set.of("model", "models", "provider", "system_prompt", "temperature",
      "top_p", "max_tokens", "seed", "stop", "tools", "tool_choice");
  private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Stands in for the messages and model a definition does not have, so the request reader can read it. */
  private static final String PLACEHOLDER_MODEL = "preset/placeholder";

  private final ObjectMapper json;
  private final OpenAiRequestReader requests;

  public PresetReader(ObjectMapper json) {
    this.json = json;
    this.requests = new OpenAiRequestReader(json);
  }

  /**
   * @throws InvalidRequest when the slug or a field is not what a preset may be
   */
  public static String requireSlug(String slug) {
    if (!SLUG.matcher(slug).matches()) {
      throw new InvalidRequest("slug", "slug must be 1-64 letters, digits, '.', '_' or '-', starting with a letter"
          + " or digit (it is used as \"model\": \"@preset/SLUG\"), got '" + slug + "'");
    }
    return slug;
  }

  /**
   * The preset {@code definition} describes.
   *
   * @param definition a JSON object of {@link #FIELDS}
   * @throws InvalidRequest naming the field that is wrong
   */
  public Preset read(String slug, JsonNode definition) {
    requireSlug(slug);
    if (!definition.isObject()) {
      throw new InvalidRequest(null, "a preset must be a JSON object");
    }
    TreeSet<String> unknown = new TreeSet<>();
    definition.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw new InvalidRequest(unknown.first(), "unknown preset field" + (unknown.size() == 1 ? " " : "s ")
          + unknown + "; a preset may set " + new TreeSet<>(FIELDS));
    }
    JsonNode model = definition.get("model");
    if (model != null && !model.isNull() && (!model.isTextual() || model.textValue().isBlank()
        || model.textValue().contains("@preset/"))) {
      throw new InvalidRequest("model", "model must be a model id such as \"openai/gpt-4o-mini\" (not another preset)");
    }
    JsonNode systemPrompt = definition.get("system_prompt");
    if (systemPrompt != null && !systemPrompt.isNull() && !systemPrompt.isTextual()) {
      throw new InvalidRequest("system_prompt", "system_prompt must be a string");
    }
    ObjectNode asRequest = definition.deepCopy();
    asRequest.remove("system_prompt");
    if (model == null || model.isNull()) {
      asRequest.put("model", PLACEHOLDER_MODEL);
    }
    asRequest.putArray("messages").addObject().put("role", "user").put("content", "-");
    ChatRequest read = requests.read(asRequest);
    dev.switchboard.routing.RequestSwitches.validate(read);
    return new Preset(slug, model == null || model.isNull() ? null : read.model(), read.fallbackModels(),
        read.provider(), systemPrompt == null || systemPrompt.isNull() ? null : systemPrompt.textValue(),
        read.temperature(), read.topP(), read.maxTokens(), read.seed(), read.stop(), read.tools(),
        read.toolChoice());
  }

  /** {@link #read(String, JsonNode)} of a stored definition's text. */
  public Preset read(String slug, String definition) {
    try {
      return read(slug, json.readTree(definition));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidRequest(null, "the preset is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
