package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.catalog.Architecture;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.Pricing;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import dev.switchboard.routing.health.Percentiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Writes catalog entries as OpenRouter's model and endpoint objects.
 *
 * <p>Fields OpenRouter's schema marks required but nullable (live statistics, voices, default
 * parameters) are written as {@code null} or empty rather than left out: OpenRouter's generated SDK
 * validates responses strictly and rejects an object that lacks one.
 */
final class CatalogJson {
  private CatalogJson() {}

  static void model(JsonGenerator g, ModelEntry model) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", model.id());
    // Not in OpenRouter's object, but required by OpenAI's Model schema: without them the
    // official SDKs reject the list as invalid data when validating or reading these fields.
    g.writeStringField("object", "model");
    g.writeStringField("owned_by", model.id().substring(0, Math.max(0, model.id().indexOf('/'))));
    g.writeStringField("canonical_slug", model.canonicalSlug());
    g.writeStringField("name", model.name());
    g.writeNumberField("created", model.created());
    g.writeStringField("description", model.description());
    g.writeNumberField("context_length", model.contextLength());
    architecture(g, model.architecture());
    Endpoint top = cheapest(model.endpoints());
    if (top != null) {
      pricing(g, top.pricing());
      g.writeObjectFieldStart("top_provider");
      g.writeNumberField("context_length", top.contextLength());
      if (top.maxCompletionTokens() != null) {
        g.writeNumberField("max_completion_tokens", top.maxCompletionTokens());
      } else {
        g.writeNullField("max_completion_tokens");
      }
      g.writeBooleanField("is_moderated", false);
      g.writeEndObject();
    }
    g.writeNullField("per_request_limits");
    strings(g, "supported_parameters", model.supportedParameters());
    // The catalog holds no sampling defaults; OpenRouter writes {} for such models.
    g.writeObjectFieldStart("default_parameters");
    g.writeEndObject();
    g.writeNullField("supported_voices");
    g.writeObjectFieldStart("links");
    g.writeStringField("details", "/api/v1/models/" + model.id() + "/endpoints");
    g.writeEndObject();
    g.writeEndObject();
  }

  static void endpoints(JsonGenerator g, ModelEntry model) throws IOException {
    endpoints(g, model, id -> EndpointStats.Snapshot.EMPTY);
  }

  /** The endpoints object, with each endpoint's live statistics from {@code stats}. */
  static void endpoints(JsonGenerator g, ModelEntry model, Function<EndpointId, EndpointStats.Snapshot> stats)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", model.id());
    g.writeStringField("name", model.name());
    g.writeNumberField("created", model.created());
    g.writeStringField("description", model.description());
    architecture(g, model.architecture());
    g.writeArrayFieldStart("endpoints");
    for (Endpoint endpoint : model.endpoints()) {
      g.writeStartObject();
      g.writeStringField("name", endpoint.providerSlug() + " | " + endpoint.providerModelId());
      g.writeStringField("model_id", model.id());
      g.writeStringField("model_name", model.name());
      g.writeNumberField("context_length", endpoint.contextLength());
      pricing(g, endpoint.pricing());
      g.writeStringField("provider_name", endpoint.providerSlug());
      g.writeStringField("tag", endpoint.providerSlug());
      if (endpoint.quantization() != null) {
        g.writeStringField("quantization", endpoint.quantization());
      } else {
        g.writeNullField("quantization");
      }
      if (endpoint.maxCompletionTokens() != null) {
        g.writeNumberField("max_completion_tokens", endpoint.maxCompletionTokens());
      } else {
        g.writeNullField("max_completion_tokens");
      }
      g.writeNullField("max_prompt_tokens");
      strings(g, "supported_parameters", endpoint.supportedParameters());
      boolean toolChoice = endpoint.supportedParameters().contains("tool_choice");
      g.writeObjectFieldStart("supports_tool_choice");
      g.writeBooleanField("auto", toolChoice);
      g.writeBooleanField("none", toolChoice);
      g.writeBooleanField("required", toolChoice);
      g.writeBooleanField("function", toolChoice);
      g.writeEndObject();
      g.writeBooleanField("supports_implicit_caching", false);
      g.writeNumberField("status", 0);
      statistics(g, stats.apply(EndpointId.of(endpoint)));
      g.writeObjectFieldStart("data_policy");
      g.writeBooleanField("training", endpoint.dataPolicy().training());
      g.writeBooleanField("retains_prompts", endpoint.dataPolicy().retainsPrompts());
      g.writeBooleanField("zdr", endpoint.dataPolicy().zeroDataRetention());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * OpenRouter's live fields: uptime in percent, latency (time to first token) in milliseconds as
   * its schema describes it, throughput in tokens per second. Null where there is no data yet.
   */
  static void statistics(JsonGenerator g, EndpointStats.Snapshot stats) throws IOException {
    percentiles(g, "latency_last_30m", stats.latency30m());
    percentiles(g, "throughput_last_30m", stats.throughput30m());
    number(g, "uptime_last_5m", stats.uptime5m());
    number(g, "uptime_last_30m", stats.uptime30m());
    number(g, "uptime_last_1d", stats.uptime1d());
  }

  private static void percentiles(JsonGenerator g, String name, @Nullable Percentiles p) throws IOException {
    if (p == null) {
      g.writeNullField(name);
      return;
    }
    g.writeObjectFieldStart(name);
    g.writeNumberField("p50", round(p.p50()));
    g.writeNumberField("p75", round(p.p75()));
    g.writeNumberField("p90", round(p.p90()));
    g.writeNumberField("p99", round(p.p99()));
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, @Nullable Double value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, round(value));
    }
  }

  /** Two decimals: the figures are approximate and long fractions are noise. */
  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void architecture(JsonGenerator g, Architecture a) throws IOException {
    g.writeObjectFieldStart("architecture");
    g.writeStringField("modality", a.modality());
    strings(g, "input_modalities", a.inputModalities());
    strings(g, "output_modalities", a.outputModalities());
    g.writeStringField("tokenizer", a.tokenizer());
    if (a.instructType() != null) {
      g.writeStringField("instruct_type", a.instructType());
    } else {
      g.writeNullField("instruct_type");
    }
    g.writeEndObject();
  }

  private static void pricing(JsonGenerator g, Pricing p) throws IOException {
    g.writeObjectFieldStart("pricing");
    price(g, "prompt", p.prompt());
    price(g, "completion", p.completion());
    price(g, "request", p.request());
    price(g, "image", p.image());
    price(g, "input_cache_read", p.cacheRead());
    price(g, "input_cache_write", p.cacheWrite());
    price(g, "internal_reasoning", p.reasoning());
    g.writeEndObject();
  }

  private static void price(JsonGenerator g, String name, @Nullable BigDecimal value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString());
    }
  }

  private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  private static @Nullable Endpoint cheapest(List<Endpoint> endpoints) {
    return endpoints.stream()
        .min(Comparator.comparing(e -> e.pricing().prompt().multiply(BigDecimal.valueOf(3)).add(e.pricing().completion())))
        .orElse(null);
  }
}
