package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Pricing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The default model catalog that ships inside the jar, and the reader for its JSON format.
 *
 * <p>The file is generated from public snapshots by {@code tools/generate-catalog.mjs}; {@code
 * docs/catalog.md} describes the format and how to regenerate it. Nothing about a particular
 * model lives in Java: this class only maps the JSON onto {@link ModelEntry} records. Prices are
 * decimal strings in USD per token and become {@link BigDecimal}s without passing through {@code
 * double}.
 *
 * <p>The JSON is mapped by hand from a tree rather than by databind annotations, so the catalog
 * records stay free of JSON concerns and a malformed file fails with a message naming the model
 * and field.
 */
public final class BundledCatalog {
  /** Classpath location of the bundled catalog. */
  public static final String RESOURCE = "/dev/switchboard/catalog/default-catalog.json";

  /** The only format version this reader understands. */
  public static final int FORMAT_VERSION = 1;

  private BundledCatalog() {}

  /**
   * Reads the bundled catalog from the classpath.
   *
   * @return the models sorted as in the file (by id)
   * @throws IllegalStateException if the resource is missing or malformed (a build defect)
   */
  public static List<ModelEntry> load() {
    try (InputStream in = BundledCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bundled catalog " + RESOURCE + " is not on the classpath");
      }
      return read(in, RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled catalog " + RESOURCE, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("bundled catalog is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a catalog file in the bundled format, for example a newer one an operator imports.
   *
   * @param source names the input in error messages (a path or resource name)
   * @throws IllegalArgumentException if the content is not a valid catalog, naming the model and
   *     field
   * @throws UncheckedIOException if reading fails
   */
  public static List<ModelEntry> read(InputStream in, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a JSON object");
    }
    JsonNode version = root.path("version");
    if (!version.isInt() || version.intValue() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          source + ": unsupported catalog version " + version + ", expected " + FORMAT_VERSION);
    }
    JsonNode models = root.path("models");
    if (!models.isArray()) {
      throw new IllegalArgumentException(source + ": 'models' must be an array");
    }
    List<ModelEntry> entries = new ArrayList<>(models.size());
    for (int i = 0; i < models.size(); i++) {
      JsonNode model = models.get(i);
      String where = source + ": models[" + i + "]";
      if (model.path("id").isTextual()) {
        where += " '" + model.path("id").textValue() + "'";
      }
      try {
        entries.add(model(new Fields(model, "")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(entries);
  }

  private static ModelEntry model(Fields model) {
    String id = model.text("id");
    List<Endpoint> endpoints = new ArrayList<>();
    for (Fields endpoint : model.objects("endpoints")) {
      endpoints.add(endpoint(id, endpoint));
    }
    return new ModelEntry(
        id,
        model.optionalText("canonical_slug") instanceof String slug ? slug : id,
        model.text("name"),
        model.optionalLong("created") instanceof Long created ? created : 0L,
        model.optionalText("description") instanceof String description ? description : "",
        model.positiveInt("context_length"),
        architecture(model.object("architecture")),
        model.strings("supported_parameters"),
        endpoints,
        model.has("aliases") ? model.strings("aliases") : List.of());
  }

  private static Architecture architecture(Fields architecture) {
    return new Architecture(
        architecture.text("modality"),
        architecture.strings("input_modalities"),
        architecture.strings("output_modalities"),
        architecture.text("tokenizer"),
        architecture.optionalText("instruct_type"));
  }

  private static Endpoint endpoint(String modelId, Fields endpoint) {
    Fields policy = endpoint.object("data_policy");
    return new Endpoint(
        modelId,
        endpoint.text("provider"),
        endpoint.text("model"),
        pricing(endpoint.object("pricing")),
        endpoint.positiveInt("context_length"),
        endpoint.optionalPositiveInt("max_completion_tokens"),
        endpoint.optionalText("quantization"),
        new DataPolicy(
            policy.bool("training"), policy.bool("retains_prompts"), policy.bool("zdr")),
        endpoint.strings("supported_parameters"));
  }

  private static Pricing pricing(Fields pricing) {
    BigDecimal prompt = pricing.price("prompt");
    BigDecimal completion = pricing.price("completion");
    BigDecimal cacheRead = pricing.optionalPrice("cache_read");
    BigDecimal cacheWrite = pricing.optionalPrice("cache_write");
    BigDecimal reasoning = pricing.optionalPrice("reasoning");
    BigDecimal request = pricing.optionalPrice("request");
    BigDecimal image = pricing.optionalPrice("image");
    try {
      return new Pricing(prompt, completion, cacheRead, cacheWrite, reasoning, request, image);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + pricing.where() + "': " + e.getMessage(), e);
    }
  }

  /** Typed access to one JSON object's members; errors name the member by its dotted path. */
  private record Fields(JsonNode node, String path) {
    /** This object's own path, for messages. */
    String where() {
      return path.isEmpty() ? "(root)" : path.substring(0, path.length() - 1);
    }

    boolean has(String name) {
      return node.hasNonNull(name);
    }

    private JsonNode member(String name) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw fieldError(name, "is required");
      }
      return value;
    }

    String text(String name) {
      JsonNode value = member(name);
      if (!value.isTextual()) {
        throw fieldError(name, "must be a string");
      }
      return value.textValue();
    }

    @Nullable String optionalText(String name) {
      return has(name) ? text(name) : null;
    }

    int positiveInt(String name) {
      JsonNode value = member(name);
      if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() <= 0) {
        throw fieldError(name, "must be a positive integer, was " + value);
      }
      return value.intValue();
    }

    @Nullable Integer optionalPositiveInt(String name) {
      return has(name) ? positiveInt(name) : null;
    }

    @Nullable Long optionalLong(String name) {
      if (!has(name)) {
        return null;
      }
      JsonNode value = node.get(name);
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw fieldError(name, "must be an integer, was " + value);
      }
      return value.longValue();
    }

    boolean bool(String name) {
      JsonNode value = member(name);
      if (!value.isBoolean()) {
        throw fieldError(name, "must be true or false");
      }
      return value.booleanValue();
    }

    // Prices must be strings: a JSON number would already have been rounded to a double by
    // most producers, and money never passes through binary floating point here.
    BigDecimal price(String name) {
      String text = text(name);
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw fieldError(name, "must be a decimal string, was '" + text + "'");
      }
    }

    @Nullable BigDecimal optionalPrice(String name) {
      return has(name) ? price(name) : null;
    }

    List<String> strings(String name) {
      JsonNode value = member(name);
      if (!value.isArray()) {
        throw fieldError(name, "must be an array of strings");
      }
      List<String> result = new ArrayList<>(value.size());
      for (JsonNode item : value) {
        if (!item.isTextual()) {
          throw fieldError(name, "must be an array of strings");
        }
        result.add(item.textValue());
      }
      return result;
    }

    Fields object(String name) {
      JsonNode value = member(name);
      if (!value.isObject()) {
        throw fieldError(name, "must be an object");
      }
      return new Fields(value, path + name + ".");
    }

    List<Fields> objects(String name) {
      JsonNode value = member(name);
      if (!value.isArray()) {
        throw fieldError(name, "must be an array of objects");
      }
      List<Fields> result = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        if (!value.get(i).isObject()) {
          throw fieldError(name, "must be an array of objects");
        }
        result.add(new Fields(value.get(i), path + name + "[" + i + "]."));
      }
      return result;
    }

    private IllegalArgumentException fieldError(String name, String problem) {
      return new IllegalArgumentException("'" + path + name + "' " + problem);
    }
  }
}
