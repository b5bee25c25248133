package dev.switchboard.http.completions;

import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.describe;
import static dev.switchboard.http.openai.JsonFields.integer;
import static dev.switchboard.http.openai.JsonFields.longValue;
import static dev.switchboard.http.openai.JsonFields.number;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.string;
import static dev.switchboard.http.openai.JsonFields.strings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.http.openai.JsonFields;
import dev.switchboard.http.openai.ProviderPreferencesReader;
import dev.switchboard.http.openai.RequestedModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a legacy {@code POST /completions} body into a one-turn {@link ChatRequest}: the prompt is
 * the user's message. Fields it does not interpret are kept verbatim for OpenAI-compatible
 * upstreams, as the chat reader keeps them.
 */
final class CompletionsRequestReader {
  /** Fields read here, plus OpenRouter's gateway-only fields, which must never reach an upstream. */
  private static final Set<String> INTERPRETED = Set.of(
      "model", "models", "prompt", "suffix", "echo", "n", "best_of", "logprobs", "max_tokens", "temperature",
      "top_p", "stop", "seed", "user", "stream", "stream_options", "provider",
      "route", "transforms", "usage", "plugins", "session_id");

  private final ObjectReader json;

  CompletionsRequestReader(ObjectMapper mapper) {
    this.json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  ChatRequest read(byte[] body) {
    return read(JsonFields.readObject(json, body));
  }

  ChatRequest read(JsonNode root) {
    refuseUnsupported(root);
    RequestedModels requested = RequestedModels.forChat(root);
    String model = requested.model();
    List<String> fallbacks = requested.fallbacks();
    JsonNode streamOptions = object(root, "stream_options", "");
    return new ChatRequest(
        model,
        fallbacks,
        List.of(Message.text(Role.USER, prompt(root))),
        List.of(),
        null,
        null,
        null,
        number(root, "temperature", "", 0, 2),
        number(root, "top_p", "", 0, 1),
        longValue(root, "seed", ""),
        integer(root, "max_tokens", "", 1, Integer.MAX_VALUE),
        strings(root, "stop", "", true),
        null,
        null,
        string(root, "user", ""),
        Boolean.TRUE.equals(bool(root, "stream", "")),
        streamOptions != null && Boolean.TRUE.equals(bool(streamOptions, "include_usage", "stream_options")),
        ProviderPreferencesReader.read(object(root, "provider", "")),
        extra(root));
  }

  /** The one prompt: a string, or an array holding one string. */
  private static String prompt(JsonNode root) {
    JsonNode prompt = root.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw new InvalidRequest("prompt", "prompt is required: the text the model should answer");
    }
    if (prompt.isTextual()) {
      return prompt.textValue();
    }
    if (!prompt.isArray()) {
      throw new InvalidRequest("prompt", "prompt must be a string, got " + describe(prompt));
    }
    if (prompt.isEmpty()) {
      throw new InvalidRequest("prompt", "prompt must not be an empty array");
    }
    if (!prompt.get(0).isTextual()) {
      throw new InvalidRequest("prompt", "token-id prompts are not supported: send the prompt as text");
    }
    if (prompt.size() > 1) {
      throw new InvalidRequest("prompt", "send one prompt per request: this gateway answers a single prompt"
          + " (got " + prompt.size() + ")");
    }
    return prompt.get(0).textValue();
  }

  /** Legacy features a chat model cannot provide, each refused with what to do instead. */
  private static void refuseUnsupported(JsonNode root) {
    if (string(root, "suffix", "") != null) {
      throw new InvalidRequest("suffix", "suffix (fill-in-the-middle) is not supported: the prompt is sent to a"
          + " chat model as the user's message; put the surrounding text in the prompt instead");
    }
    if (Boolean.TRUE.equals(bool(root, "echo", ""))) {
      throw new InvalidRequest("echo", "echo is not supported: the prompt is not repeated in the completion");
    }
    Integer n = integer(root, "n", "", 1, 128);
    if (n != null && n > 1) {
      throw new InvalidRequest("n", "n above 1 is not supported: send one request per completion");
    }
    Integer bestOf = integer(root, "best_of", "", 0, 20);
    if (bestOf != null && bestOf > 1) {
      throw new InvalidRequest("best_of", "best_of above 1 is not supported: send one request per completion");
    }
    Integer logprobs = integer(root, "logprobs", "", 0, 5);
    if (logprobs != null && logprobs > 0) {
      throw new InvalidRequest("logprobs", "logprobs is not supported on /completions: use /chat/completions with"
          + " \"logprobs\": true and \"top_logprobs\"");
    }
  }

  private static Map<String, RawJson> extra(JsonNode root) {
    Map<String, RawJson> extra = new LinkedHashMap<>();
    for (var field : root.properties()) {
      if (!INTERPRETED.contains(field.getKey())) {
        extra.put(field.getKey(), RawJson.of(field.getValue().toString()));
      }
    }
    return extra;
  }
}
