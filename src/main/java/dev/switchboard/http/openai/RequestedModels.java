package dev.switchboard.http.openai;

import static dev.switchboard.http.openai.JsonFields.string;
import static dev.switchboard.http.openai.JsonFields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.GatewayException.InvalidRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenRouter's {@code model} and {@code models} of a request body, as every OpenAI-shaped dialect
 * reads them: {@code model} is the first choice, or the first of {@code models} when it is absent;
 * the rest of {@code models}, without repeats, are the fallbacks in order.
 *
 * @param fallbacks the other models to try, never containing {@code model}
 */
public record RequestedModels(String model, List<String> fallbacks) {
  public RequestedModels {
    fallbacks = List.copyOf(fallbacks);
  }

  /**
   * Reads them from {@code root}.
   *
   * @param example a model id to show in the error when neither field names one
   * @param listing where the client can list the models, for the same error
   */
  public static RequestedModels read(JsonNode root, String example, String listing) {
    List<String> models = strings(root, "models", "", false);
    String model = string(root, "model", "");
    if (model == null || model.isBlank()) {
      if (models.isEmpty()) {
        throw new InvalidRequest("model", "model is required: name the model to use, for example \""
            + example + "\" (" + listing + " lists them)");
      }
      model = models.getFirst();
    }
    List<String> fallbacks = new ArrayList<>();
    for (String candidate : models) {
      if (!candidate.equals(model) && !fallbacks.contains(candidate)) {
        fallbacks.add(candidate);
      }
    }
    return new RequestedModels(model, fallbacks);
  }

  /** For the chat dialects. */
  public static RequestedModels forChat(JsonNode root) {
    return read(root, "openai/gpt-4o-mini", "GET /api/v1/models");
  }
}
