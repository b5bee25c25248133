package dev.switchboard.catalog;

import dev.switchboard.config.EndpointConfig;
import dev.switchboard.config.ModelConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks the config's {@code models:} entries on their own, before any merging, so every mistake
 * is reported against the entry and field the operator wrote. Field names use the config's
 * spelling ({@code context_length}, not {@code contextLength}).
 */
final class ModelConfigValidator {
  private ModelConfigValidator() {}

  static void validate(List<ModelConfig> models, Set<String> configuredProviders) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < models.size(); i++) {
      ModelConfig model = models.get(i);
      Integer earlier = seen.putIfAbsent(model.id(), i);
      if (earlier != null) {
        throw new ModelConfigException(
            i, model.id(), "id", "is declared twice (first at models[" + earlier + "])");
      }
      validate(i, model, configuredProviders);
    }
  }

  private static void validate(int index, ModelConfig model, Set<String> configuredProviders) {
    String id = model.id();
    int slash = id.indexOf('/');
    if (slash <= 0 || slash == id.length() - 1 || hasWhitespace(id)) {
      throw new ModelConfigException(
          index, id, "id", "must look like 'author/slug' (for example 'openai/gpt-4o')");
    }
    if (model.name() != null && model.name().isBlank()) {
      throw new ModelConfigException(index, id, "name", "must not be blank");
    }
    requirePositive(index, id, "context_length", model.contextLength());
    validateOutputs(index, id, model.outputModalities());
    Set<String> aliases = new HashSet<>();
    for (int a = 0; a < model.aliases().size(); a++) {
      String alias = model.aliases().get(a);
      String field = "aliases[" + a + "]";
      if (alias.isBlank() || hasWhitespace(alias)) {
        throw new ModelConfigException(index, id, field, "must be a non-blank id without spaces");
      }
      if (alias.equals(id)) {
        throw new ModelConfigException(index, id, field, "is the model's own id");
      }
      if (!aliases.add(alias)) {
        throw new ModelConfigException(index, id, field, "'" + alias + "' is listed twice");
      }
    }
    Set<String> providers = new HashSet<>();
    for (int e = 0; e < model.endpoints().size(); e++) {
      validate(index, id, "endpoints[" + e + "].", model.endpoints().get(e), configuredProviders);
      String provider = model.endpoints().get(e).provider();
      if (!providers.add(provider)) {
        throw new ModelConfigException(
            index, id, "endpoints[" + e + "].provider", "'" + provider + "' appears twice");
      }
    }
  }

  private static void validate(
      int index,
      String id,
      String prefix,
      EndpointConfig endpoint,
      Set<String> configuredProviders) {
    String provider = endpoint.provider();
    if (!configuredProviders.contains(provider)) {
      throw new ModelConfigException(
          index,
          id,
          prefix + "provider",
          "provider '"
              + provider
              + "' is not configured (configured: "
              + String.join(", ", new TreeSet<>(configuredProviders))
              + ")");
    }
    String model = endpoint.model();
    if (model != null && (model.isBlank() || hasWhitespace(model))) {
      throw new ModelConfigException(
          index, id, prefix + "model", "must be the provider's model id, without spaces");
    }
    requirePositive(index, id, prefix + "context_length", endpoint.contextLength());
    requirePositive(index, id, prefix + "max_completion_tokens", endpoint.maxCompletionTokens());
    List<String> parameters = endpoint.supportedParameters();
    if (parameters != null && parameters.stream().anyMatch(String::isBlank)) {
      throw new ModelConfigException(
          index, id, prefix + "supported_parameters", "must not contain blank names");
    }
  }

  private static void requirePositive(
      int index, String id, String field, @Nullable Integer value) {
    if (value != null && value <= 0) {
      throw new ModelConfigException(index, id, field, "must be positive, was " + value);
    }
  }

  /** What a model can produce; embeddings exclude everything else (no route serves both). */
  private static final Set<String> OUTPUT_MODALITIES = Set.of("text", "image", "audio", "embeddings");

  private static void validateOutputs(int index, String id, @Nullable List<String> outputs) {
    if (outputs == null) {
      return;
    }
    if (outputs.isEmpty()) {
      throw new ModelConfigException(index, id, "output_modalities", "must name at least one modality");
    }
    for (String output : outputs) {
      if (!OUTPUT_MODALITIES.contains(output)) {
        throw new ModelConfigException(index, id, "output_modalities",
            "'" + output + "' is not one of " + new TreeSet<>(OUTPUT_MODALITIES));
      }
    }
    if (outputs.contains("embeddings") && outputs.size() > 1) {
      throw new ModelConfigException(index, id, "output_modalities",
          "an embeddings model produces only embeddings; write [embeddings]");
    }
  }

  private static boolean hasWhitespace(String text) {
    return text.chars().anyMatch(Character::isWhitespace);
  }
}
