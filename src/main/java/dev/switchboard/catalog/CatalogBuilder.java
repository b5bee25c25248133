package dev.switchboard.catalog;

import dev.switchboard.config.EndpointConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.core.Pricing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Merges the bundled catalog with the operator's {@code models:} config into the {@link Catalog}
 * the gateway serves. A pure function of its inputs.
 *
 * <p>Rules, applied to each config entry in file order:
 *
 * <ul>
 *   <li>{@code disabled: true} removes the model (a model the catalog does not have is ignored, so
 *       a config survives catalog updates).
 *   <li>A model the catalog lacks is added: name defaults to the id, description to empty, context
 *       length to the largest one its endpoints declare (one of the two is required).
 *   <li>For a model the catalog has, {@code name}, {@code description} and {@code context_length}
 *       replace the catalog's when set; aliases are added.
 *   <li>An endpoint with {@code disabled: true} removes that provider's endpoint. Any other
 *       endpoint replaces the model's endpoint on the same provider, or adds one. Unset fields keep
 *       the replaced endpoint's values; for a new endpoint the provider model id is the part of the
 *       model id after the first {@code /}, pricing is free (logged), context length the model's,
 *       and supported parameters the model's or else {@link #DEFAULT_SUPPORTED_PARAMETERS} ({@link
 *       #DEFAULT_EMBEDDING_PARAMETERS} for an embeddings model). {@code output_modalities} replaces
 *       the model's (a new model's default is text); {@code [embeddings]} makes it an embeddings
 *       model, served by {@code /embeddings} only.
 *       Pricing is replaced as a whole, never merged component by component.
 * </ul>
 *
 * <p>Then only endpoints whose provider is enabled are kept, models left with no endpoint are
 * dropped, each model's supported parameters become the union of its endpoints', and models are
 * sorted by id (endpoints by provider).
 */
public final class CatalogBuilder {
  private static final System.Logger LOG = System.getLogger(CatalogBuilder.class.getName());

  /**
   * What a config-declared endpoint is assumed to accept when neither it nor the catalog says: the
   * parameters OpenAI's chat API defines. Generous on purpose: a parameter an endpoint is wrongly
   * assumed to lack would be dropped from requests, while one it wrongly seems to have is only
   * forwarded for the provider to judge.
   */
  public static final List<String> DEFAULT_SUPPORTED_PARAMETERS =
      List.of(
          "frequency_penalty",
          "logprobs",
          "max_tokens",
          "presence_penalty",
          "response_format",
          "seed",
          "stop",
          "structured_outputs",
          "temperature",
          "tool_choice",
          "tools",
          "top_logprobs",
          "top_p");

  /** The embeddings counterpart of {@link #DEFAULT_SUPPORTED_PARAMETERS}. */
  public static final List<String> DEFAULT_EMBEDDING_PARAMETERS = List.of("dimensions");

  private CatalogBuilder() {}

  /**
   * Builds the served catalog, treating the enabled providers as the only configured ones: an
   * endpoint naming any other provider is an error.
   *
   * @throws ModelConfigException (an {@link IllegalArgumentException}) for an invalid config entry
   */
  public static Catalog build(
      List<ModelEntry> bundled, List<ModelConfig> overrides, Set<String> enabledProviders) {
    return build(bundled, overrides, enabledProviders, enabledProviders);
  }

  /**
   * Builds the served catalog.
   *
   * @param bundled the starting catalog; empty when the operator turned the bundled one off
   * @param overrides the config's {@code models:} entries, in file order
   * @param configuredProviders every provider declared in config, enabled or not: an endpoint
   *     naming a provider outside this set is a typo and fails; one naming a disabled provider is
   *     valid but filtered out
   * @param enabledProviders the providers whose endpoints are served
   * @throws ModelConfigException (an {@link IllegalArgumentException}) for an invalid config entry
   */
  public static Catalog build(
      List<ModelEntry> bundled,
      List<ModelConfig> overrides,
      Set<String> configuredProviders,
      Set<String> enabledProviders) {
    ModelConfigValidator.validate(overrides, configuredProviders);
    Map<String, ModelEntry> models = new TreeMap<>();
    for (ModelEntry model : bundled) {
      if (models.put(model.id(), model) != null) {
        throw new IllegalArgumentException("catalog lists model '" + model.id() + "' twice");
      }
    }
    for (int i = 0; i < overrides.size(); i++) {
      apply(models, overrides.get(i), i);
    }
    checkAliases(models, overrides);
    List<ModelEntry> served = new ArrayList<>();
    for (ModelEntry model : models.values()) {
      ModelEntry kept = restrict(model, enabledProviders);
      if (kept != null) {
        served.add(kept);
      }
    }
    return Catalog.of(served);
  }

  private static void apply(Map<String, ModelEntry> models, ModelConfig config, int index) {
    String id = config.id();
    if (config.disabled()) {
      models.remove(id);
      return;
    }
    ModelEntry existing = models.get(id);
    if (existing == null && config.endpoints().stream().allMatch(EndpointConfig::disabled)) {
      throw new ModelConfigException(
          index, id, "endpoints", "a model not in the catalog needs at least one enabled endpoint");
    }
    int contextLength = modelContextLength(config, existing, index);
    List<Endpoint> endpoints =
        existing == null ? new ArrayList<>() : new ArrayList<>(existing.endpoints());
    List<String> modelParameters = existing == null ? List.of() : existing.supportedParameters();
    Architecture architecture = architecture(existing, config.outputModalities());
    for (EndpointConfig endpoint : config.endpoints()) {
      int current = indexOfProvider(endpoints, endpoint.provider());
      if (endpoint.disabled()) {
        if (current >= 0) {
          endpoints.remove(current);
        }
        continue;
      }
      Endpoint replaced = current >= 0 ? endpoints.get(current) : null;
      Endpoint merged = endpoint(id, endpoint, replaced, contextLength, modelParameters,
          architecture.outputsEmbeddings() ? DEFAULT_EMBEDDING_PARAMETERS : DEFAULT_SUPPORTED_PARAMETERS);
      if (current >= 0) {
        endpoints.set(current, merged);
      } else {
        endpoints.add(merged);
      }
    }
    Set<String> aliases = new LinkedHashSet<>(existing == null ? List.of() : existing.aliases());
    aliases.addAll(config.aliases());
    models.put(
        id,
        new ModelEntry(
            id,
            existing == null ? id : existing.canonicalSlug(),
            config.name() != null ? config.name() : existing == null ? id : existing.name(),
            existing == null ? 0 : existing.created(),
            config.description() != null
                ? config.description()
                : existing == null ? "" : existing.description(),
            contextLength,
            architecture,
            modelParameters,
            endpoints,
            List.copyOf(aliases)));
  }

  private static int modelContextLength(
      ModelConfig config, @Nullable ModelEntry existing, int index) {
    if (config.contextLength() != null) {
      return config.contextLength();
    }
    if (existing != null) {
      return existing.contextLength();
    }
    int largest = 0;
    for (EndpointConfig endpoint : config.endpoints()) {
      if (!endpoint.disabled() && endpoint.contextLength() != null) {
        largest = Math.max(largest, endpoint.contextLength());
      }
    }
    if (largest == 0) {
      throw new ModelConfigException(
          index,
          config.id(),
          "context_length",
          "is required for a model not in the catalog (set it on the model or its endpoints)");
    }
    return largest;
  }

  private static Endpoint endpoint(
      String modelId,
      EndpointConfig config,
      @Nullable Endpoint current,
      int modelContextLength,
      List<String> modelParameters,
      List<String> defaultParameters) {
    String providerModelId = config.model();
    if (providerModelId == null) {
      providerModelId =
          current != null
              ? current.providerModelId()
              : modelId.substring(modelId.indexOf('/') + 1);
    }
    Pricing pricing = config.pricing();
    if (pricing == null && current != null) {
      pricing = current.pricing();
    }
    if (pricing == null) {
      // Free is the only honest default for a price nobody stated, but it costs the operator
      // money silently, so say so once at start-up.
      LOG.log(
          System.Logger.Level.WARNING,
          "model {0} on provider {1} has no pricing in config; it is served free of charge",
          modelId,
          config.provider());
      pricing = Pricing.FREE;
    }
    List<String> parameters;
    if (config.supportedParameters() != null) {
      parameters = config.supportedParameters();
    } else if (current != null) {
      parameters = current.supportedParameters();
    } else if (!modelParameters.isEmpty()) {
      parameters = modelParameters;
    } else {
      parameters = defaultParameters;
    }
    return new Endpoint(
        modelId,
        config.provider(),
        providerModelId,
        pricing,
        config.contextLength() != null
            ? config.contextLength()
            : current != null ? current.contextLength() : modelContextLength,
        config.maxCompletionTokens() != null
            ? config.maxCompletionTokens()
            : current != null ? current.maxCompletionTokens() : null,
        current != null ? current.quantization() : null,
        current != null ? current.dataPolicy() : DataPolicy.UNKNOWN,
        parameters);
  }

  /** The model's architecture with the configured outputs, when the config names any. */
  private static Architecture architecture(@Nullable ModelEntry existing, @Nullable List<String> outputs) {
    Architecture base = existing == null ? Architecture.TEXT : existing.architecture();
    if (outputs == null) {
      return base;
    }
    return new Architecture(
        String.join("+", base.inputModalities()) + "->" + String.join("+", outputs),
        base.inputModalities(),
        outputs,
        base.tokenizer(),
        // A chat template means nothing to a model that does not generate.
        outputs.contains(Architecture.EMBEDDINGS_MODALITY) ? null : base.instructType());
  }

  private static int indexOfProvider(List<Endpoint> endpoints, String provider) {
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).providerSlug().equals(provider)) {
        return i;
      }
    }
    return -1;
  }

  // Checked after disables but before provider filtering, so whether a config is valid never
  // depends on which API keys happen to be in the environment.
  private static void checkAliases(Map<String, ModelEntry> models, List<ModelConfig> overrides) {
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < overrides.size(); i++) {
      ModelConfig config = overrides.get(i);
      if (config.disabled()) {
        continue;
      }
      for (int a = 0; a < config.aliases().size(); a++) {
        String alias = config.aliases().get(a);
        String field = "aliases[" + a + "]";
        if (models.containsKey(alias)) {
          throw new ModelConfigException(
              i,
              config.id(),
              field,
              "'" + alias + "' is already a model id; disable that model first");
        }
        String owner = owners.putIfAbsent(alias, config.id());
        if (owner != null && !owner.equals(config.id())) {
          throw new ModelConfigException(
              i, config.id(), field, "'" + alias + "' is already an alias of '" + owner + "'");
        }
      }
    }
  }

  private static @Nullable ModelEntry restrict(ModelEntry model, Set<String> enabledProviders) {
    List<Endpoint> endpoints =
        model.endpoints().stream()
            .filter(endpoint -> enabledProviders.contains(endpoint.providerSlug()))
            .sorted(Comparator.comparing(Endpoint::providerSlug))
            .toList();
    if (endpoints.isEmpty()) {
      return null;
    }
    Set<String> parameters = new TreeSet<>();
    for (Endpoint endpoint : endpoints) {
      parameters.addAll(endpoint.supportedParameters());
    }
    return new ModelEntry(
        model.id(),
        model.canonicalSlug(),
        model.name(),
        model.created(),
        model.description(),
        model.contextLength(),
        model.architecture(),
        List.copyOf(parameters),
        endpoints,
        model.aliases());
  }
}
