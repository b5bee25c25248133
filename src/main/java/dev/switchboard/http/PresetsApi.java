package dev.switchboard.http;

import static dev.switchboard.http.JsonOut.instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.PresetConfig;
import dev.switchboard.core.GatewayException;
import dev.switchboard.http.openai.PresetReader;
import dev.switchboard.store.StoredPreset;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The presets API, for management keys: {@code POST /presets} creates or replaces one, {@code GET
 * /presets} lists them, {@code GET} and {@code DELETE /presets/{slug}} read and remove one. A body
 * is {@code {"slug": …}} plus the preset's fields ({@link PresetReader#FIELDS}), validated as a
 * chat request's fields are. Presets from the config file are listed with {@code "source":
 * "config"} and cannot be changed here (403).
 */
final class PresetsApi {
  private final Vertx vertx;
  private final Auth auth;
  private final StoredPresets stored;
  private final List<PresetConfig> configured;
  private final ObjectReader reader;
  private final ObjectMapper mapper;
  private final JsonFactory json;

  PresetsApi(Vertx vertx, Auth auth, StoredPresets stored, List<PresetConfig> configured, ObjectMapper json) {
    this.vertx = vertx;
    this.auth = auth;
    this.stored = stored;
    this.configured = List.copyOf(configured);
    this.reader = JsonBody.reader(json);
    this.mapper = json;
    this.json = json.getFactory();
  }

  /** {@code POST /api/v1/presets}: 201 with the preset when new, 200 when it replaced one. */
  void save(Exchange exchange) {
    auth.management(exchange);
    Set<String> allowed = new HashSet<>(PresetReader.FIELDS);
    allowed.add("slug");
    JsonNode root = ((ObjectNode) readObject(exchange.readBody(), allowed)).deepCopy();
    JsonNode slugNode = root.get("slug");
    if (slugNode == null || !slugNode.isTextual()) {
      throw new GatewayException.InvalidRequest("slug", "slug is required: the name the preset is used by,"
          + " as in \"model\": \"@preset/SLUG\"");
    }
    String slug = PresetReader.requireSlug(slugNode.textValue());
    readOnlyUnlessStored(slug);
    ObjectNode definition = (ObjectNode) root;
    definition.remove("slug");
    stored.reader().read(slug, definition); // 400 naming the field, before anything is stored
    record Saved(StoredPreset preset, boolean created) {}
    Saved saved = blocking(() -> {
      boolean existed = stored.repository().find(slug).isPresent();
      StoredPreset preset = stored.repository().save(slug, definition.toString(), Instant.now());
      stored.refresh();
      return new Saved(preset, !existed);
    });
    exchange.sendJson(saved.created() ? 201 : 200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeFieldName("data");
      writeStored(g, saved.preset());
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/presets}: the config file's presets, then the API's, each by slug. */
  void list(Exchange exchange) {
    auth.management(exchange);
    List<StoredPreset> presets = blocking(() -> stored.repository().list());
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (PresetConfig preset : configured.stream().sorted((a, b) -> a.slug().compareTo(b.slug())).toList()) {
        writeConfigured(g, preset);
      }
      for (StoredPreset preset : presets) {
        if (!isConfigured(preset.slug())) {
          writeStored(g, preset);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/presets/{slug}}. */
  void get(Exchange exchange) {
    auth.management(exchange);
    String slug = slug(exchange);
    Optional<PresetConfig> config = configured.stream().filter(p -> p.slug().equals(slug)).findFirst();
    if (config.isPresent()) {
      exchange.sendJson(200, JsonOut.write(json, g -> {
        g.writeStartObject();
        g.writeFieldName("data");
        writeConfigured(g, config.get());
        g.writeEndObject();
      }));
      return;
    }
    StoredPreset preset = blocking(() -> stored.repository().find(slug).orElse(null));
    if (preset == null) {
      throw notFound(slug);
    }
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeFieldName("data");
      writeStored(g, preset);
      g.writeEndObject();
    }));
  }

  /** {@code DELETE /api/v1/presets/{slug}}. */
  void delete(Exchange exchange) {
    auth.management(exchange);
    String slug = slug(exchange);
    readOnlyUnlessStored(slug);
    boolean deleted = blocking(() -> {
      boolean found = stored.repository().delete(slug);
      stored.refresh();
      return found;
    });
    if (!deleted) {
      throw notFound(slug);
    }
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeBooleanField("deleted", true);
      g.writeEndObject();
    }));
  }

  private void readOnlyUnlessStored(String slug) {
    if (isConfigured(slug)) {
      throw new GatewayException.Forbidden("preset '" + slug + "' is defined in the gateway's config file and is"
          + " read-only through the API; change it under 'presets:' in the config, or use another slug");
    }
  }

  private boolean isConfigured(String slug) {
    return stored.presets().configured(slug);
  }

  private static String slug(Exchange exchange) {
    String slug = exchange.query("slug");
    if (slug == null || slug.isEmpty()) {
      throw new GatewayException.NotFound("no preset slug in the path: use /api/v1/presets/SLUG");
    }
    return slug;
  }

  private static GatewayException notFound(String slug) {
    return new GatewayException.NotFound("no preset has slug '" + slug + "'; GET /api/v1/presets lists them");
  }

  private JsonNode readObject(byte[] body, Set<String> allowed) {
    JsonBody.parse(reader, body, allowed); // the body's shape and field names, with its 400s
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new GatewayException.InvalidRequest(null, "the request body could not be read");
    }
  }

  private void writeStored(JsonGenerator g, StoredPreset preset) throws IOException {
    g.writeStartObject();
    g.writeStringField("slug", preset.slug());
    g.writeStringField("source", "api");
    JsonNode definition = mapper.readTree(preset.definition());
    for (var field : definition.properties()) {
      g.writeFieldName(field.getKey());
      g.writeTree(field.getValue());
    }
    instant(g, "created_at", preset.createdAt());
    instant(g, "updated_at", preset.updatedAt());
    g.writeEndObject();
  }

  private static void writeConfigured(JsonGenerator g, PresetConfig preset) throws IOException {
    g.writeStartObject();
    g.writeStringField("slug", preset.slug());
    g.writeStringField("source", "config");
    g.writeBooleanField("read_only", true);
    if (preset.model() != null) {
      g.writeStringField("model", preset.model());
    }
    if (!preset.models().isEmpty()) {
      g.writeArrayFieldStart("models");
      for (String model : preset.models()) {
        g.writeString(model);
      }
      g.writeEndArray();
    }
    if (preset.provider() != null) {
      g.writeFieldName("provider");
      g.writeRawValue(preset.provider().json());
    }
    if (preset.systemPrompt() != null) {
      g.writeStringField("system_prompt", preset.systemPrompt());
    }
    if (preset.temperature() != null) {
      g.writeNumberField("temperature", preset.temperature());
    }
    if (preset.topP() != null) {
      g.writeNumberField("top_p", preset.topP());
    }
    if (preset.maxTokens() != null) {
      g.writeNumberField("max_tokens", preset.maxTokens());
    }
    if (preset.seed() != null) {
      g.writeNumberField("seed", preset.seed());
    }
    if (!preset.stop().isEmpty()) {
      g.writeArrayFieldStart("stop");
      for (String stop : preset.stop()) {
        g.writeString(stop);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private <T> T blocking(Callable<T> work) {
    return vertx.executeBlocking(work).await();
  }
}
