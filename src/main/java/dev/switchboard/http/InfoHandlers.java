package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.core.GatewayException;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.Money;
import dev.switchboard.core.Principal;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The read-only APIs: models, a model's endpoints (with live statistics), the configured providers
 * (with each endpoint's health and statistics), and one generation ({@code /key}: {@link KeysApi}).
 */
final class InfoHandlers {
  private final Vertx vertx;
  private final Supplier<Catalog> catalog;
  private final Auth auth;
  private final GenerationLedger ledger;
  private final JsonFactory json;
  private final HttpApi.Monitoring monitoring;

  InfoHandlers(Vertx vertx, Supplier<Catalog> catalog, Auth auth, GenerationLedger ledger, JsonFactory json,
      HttpApi.Monitoring monitoring) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.auth = auth;
    this.ledger = ledger;
    this.json = json;
    this.monitoring = monitoring;
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = json.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@code GET /api/v1/models}: public, like OpenRouter's, and like it filtered by {@code
   * output_modalities} (a comma-separated list, or {@code all}), which defaults to {@code text}: so
   * embedding models, which cannot chat, are listed only when asked for (or under {@code
   * /embeddings/models}).
   */
  void models(Exchange exchange) {
    String param = exchange.query("output_modalities");
    Set<String> wanted = new HashSet<>();
    for (String modality : (param == null || param.isBlank() ? "text" : param).split(",")) {
      if (!modality.isBlank()) {
        wanted.add(modality.strip().toLowerCase(Locale.ROOT));
      }
    }
    list(exchange, wanted.contains("all")
        ? model -> true
        : model -> model.architecture().outputModalities().stream().anyMatch(wanted::contains));
  }

  /** {@code GET /api/v1/embeddings/models}: the models {@code POST /embeddings} serves. */
  void embeddingModels(Exchange exchange) {
    list(exchange, model -> model.architecture().outputsEmbeddings());
  }

  private void list(Exchange exchange, Predicate<ModelEntry> filter) {
    List<ModelEntry> models = catalog.get().models().stream().filter(filter).toList();
    exchange.sendJson(200, write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (ModelEntry model : models) {
        CatalogJson.model(g, model);
      }
      g.writeEndArray();
      // The whole catalog fits one page, so there is never a next link.
      g.writeNumberField("total_count", models.size());
      g.writeObjectFieldStart("links");
      g.writeNullField("next");
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/models/{author}/{slug}/endpoints}. */
  void endpoints(Exchange exchange) {
    String id = exchange.query("author") + "/" + exchange.query("slug");
    ModelEntry model = catalog.get().find(id).orElseThrow(() -> new GatewayException.NotFound(
        "model '" + id + "' is not available on this gateway; GET /api/v1/models lists the models it serves"));
    exchange.sendJson(200, write(g -> {
      g.writeStartObject();
      g.writeFieldName("data");
      CatalogJson.endpoints(g, model, monitoring.stats()::snapshot);
      g.writeEndObject();
    }));
  }

  /**
   * {@code GET /api/v1/providers}: public, like OpenRouter's. OpenRouter's directory fields (which
   * the gateway does not know for an operator's providers, so null), and per provider the catalog
   * endpoints it serves with their health and live statistics.
   */
  void providers(Exchange exchange) {
    Map<String, List<Endpoint>> served = new LinkedHashMap<>();
    for (ModelEntry model : catalog.get().models()) {
      for (Endpoint endpoint : model.endpoints()) {
        served.computeIfAbsent(endpoint.providerSlug(), slug -> new ArrayList<>()).add(endpoint);
      }
    }
    exchange.sendJson(200, write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (ConfiguredProvider provider : monitoring.providers().all()) {
        g.writeStartObject();
        g.writeStringField("name", provider.slug());
        g.writeStringField("slug", provider.slug());
        for (String unknown :
            List.of("privacy_policy_url", "terms_of_service_url", "status_page_url", "headquarters")) {
          g.writeNullField(unknown);
        }
        g.writeNullField("datacenters");
        g.writeArrayFieldStart("endpoints");
        for (Endpoint endpoint : served.getOrDefault(provider.slug(), List.of())) {
          EndpointId id = EndpointId.of(endpoint);
          EndpointHealth.Snapshot health = monitoring.health().snapshot(id);
          g.writeStartObject();
          g.writeStringField("model_id", endpoint.modelId());
          g.writeStringField("tag", endpoint.providerSlug());
          g.writeObjectFieldStart("health");
          g.writeStringField("circuit", health.circuit());
          g.writeNumberField("consecutive_failures", health.consecutiveFailures());
          g.writeNumberField("recent_successes", health.recentSuccesses());
          g.writeNumberField("recent_failures", health.recentFailures());
          writeNullable(g, "unavailable_until",
              health.unavailableUntil() == null ? null : health.unavailableUntil().toString());
          g.writeEndObject();
          CatalogJson.statistics(g, monitoring.stats().snapshot(id));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/generation?id=}: only the key that made it (or a management key) may see it. */
  void generation(Exchange exchange) {
    Principal principal = auth.any(exchange);
    String id = exchange.query("id");
    if (id == null || id.isBlank()) {
      throw new GatewayException.InvalidRequest("id", "the id query parameter is required, e.g. ?id=gen-…");
    }
    Settlement.awaitBooks(ledger);
    GenerationRecord gen = vertx.executeBlocking(() -> ledger.find(id)).await()
        .filter(found -> principal.management() || found.keyHash().equals(principal.keyHash()))
        .orElseThrow(() -> new GatewayException.NotFound("generation '" + id + "' was not found for this key"));
    exchange.sendJson(200, write(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("data");
      g.writeStringField("id", gen.id());
      g.writeStringField("model", gen.model());
      writeNullable(g, "provider_name", gen.provider());
      writeNullable(g, "upstream_id", gen.upstreamId());
      g.writeStringField("created_at", gen.createdAt().toString());
      g.writeStringField("status", gen.status().wireName());
      g.writeBooleanField("streamed", gen.streamed());
      usd(g, "total_cost", Money.toUsd(gen.costNanos()));
      g.writeNumberField("latency", gen.latencyMs());
      if (gen.firstTokenMs() != null) {
        g.writeNumberField("time_to_first_token", gen.firstTokenMs());
      } else {
        g.writeNullField("time_to_first_token");
      }
      writeNullable(g, "finish_reason", gen.finishReason() == null ? null : gen.finishReason().wireName());
      writeNullable(g, "native_finish_reason", gen.nativeFinishReason());
      var usage = gen.usage();
      g.writeNumberField("tokens_prompt", usage.promptTokens());
      g.writeNumberField("tokens_completion", usage.completionTokens());
      g.writeNumberField("native_tokens_prompt", usage.promptTokens());
      g.writeNumberField("native_tokens_completion", usage.completionTokens());
      if (usage.cachedTokens() != null) {
        g.writeNumberField("native_tokens_cached", usage.cachedTokens());
      }
      if (usage.reasoningTokens() != null) {
        g.writeNumberField("native_tokens_reasoning", usage.reasoningTokens());
      }
      g.writeBooleanField("usage_estimated", usage.estimated());
      g.writeNumberField("num_attempts", gen.attempts());
      if (gen.errorCode() != null) {
        g.writeNumberField("error_code", gen.errorCode());
        writeNullable(g, "error_message", gen.errorMessage());
      }
      // OpenRouter's is_byok; recovered is Switchboard's: settled at its reserved estimate because
      // the node running it stopped first (docs/accounting.md, Recovery).
      g.writeBooleanField("is_byok", gen.byok());
      g.writeBooleanField("recovered", gen.recovered());
      if (gen.recovered()) {
        writeNullable(g, "error_message", gen.errorMessage());
      }
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  /** A USD amount as a plain JSON number: no exponent, no trailing zeros. */
  private static void usd(JsonGenerator g, String name, BigDecimal amount) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString());
  }

  private static void writeNullable(JsonGenerator g, String name, @Nullable String value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, value);
    }
  }
}
