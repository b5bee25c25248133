package dev.switchboard.http;

import static dev.switchboard.http.JsonOut.instant;
import static dev.switchboard.http.JsonOut.string;
import static dev.switchboard.http.JsonOut.usd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.accounting.CreditLedger;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.keys.IssuedKey;
import dev.switchboard.keys.KeyPatch;
import dev.switchboard.keys.KeyService;
import dev.switchboard.keys.NewKey;
import dev.switchboard.limits.KeyRateLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.KeyUsage;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.Money;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's key APIs: {@code GET /key} (the calling key) for any key, and the management API
 * ({@code GET/POST /keys}, {@code GET/PATCH/DELETE /keys/{hash}}) for management keys only. Key
 * objects carry OpenRouter's fields (usage in USD per UTC day, ISO week and month, read from
 * running counters), plus {@code is_management_key}.
 */
final class KeysApi {
  /** Keys per {@code GET /keys} page; the next page is {@code ?offset=100}. */
  static final int PAGE_SIZE = 100;

  // include_byok_in_limit is OpenRouter's; it is accepted and means nothing here (no BYOK yet).
  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "limit", "limit_reset", "expires_at", "disabled", "include_byok_in_limit",
          "kind", "account", "rate_limit");
  private static final Set<String> PATCH_FIELDS =
      Set.of("name", "limit", "limit_reset", "expires_at", "disabled", "include_byok_in_limit",
          "rate_limit");

  private final Vertx vertx;
  private final Auth auth;
  private final KeyService keys;
  private final CreditLedger credits;
  private final GenerationLedger generations;
  private final KeyRateLimits rateLimits;
  private final ObjectReader reader;
  private final JsonFactory json;

  /** @param generations whose books a read of usage waits for ({@link Settlement#awaitBooks}) */
  KeysApi(Vertx vertx, Auth auth, KeyService keys, CreditLedger credits, GenerationLedger generations,
      KeyRateLimits rateLimits, ObjectMapper json) {
    this.vertx = vertx;
    this.auth = auth;
    this.keys = keys;
    this.credits = credits;
    this.generations = generations;
    this.rateLimits = rateLimits;
    this.reader = JsonBody.reader(json);
    this.json = json.getFactory();
  }

  /** {@code GET /api/v1/key}: the calling key, its usage and limit. */
  void current(Exchange exchange) {
    Principal principal = auth.any(exchange);
    record Found(ApiKey key, KeyUsage usage, RateLimit rate) {}
    Found found = blocking(() -> keys.find(principal.keyHash())
        .map(key -> new Found(key, keys.usage(key.hash()), rateLimits.find(key.hash()))).orElse(null));
    if (found == null) {
      throw new GatewayException.Unauthenticated("invalid API key: it was deleted");
    }
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("data");
      writeKey(g, found.key(), found.usage(), found.rate());
      g.writeBooleanField("is_free_tier", false);
      g.writeBooleanField("is_provisioning_key", found.key().kind() == KeyKind.MANAGEMENT);
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/keys?offset=N&include_disabled=true}: a page of keys, oldest first. */
  void list(Exchange exchange) {
    auth.management(exchange);
    int offset = offset(exchange.query("offset"));
    boolean includeDisabled = flag(exchange.query("include_disabled"), "include_disabled");
    record Row(ApiKey key, KeyUsage usage, RateLimit rate) {}
    List<Row> rows = blocking(() -> {
      List<Row> page = new ArrayList<>();
      for (ApiKey key : keys.page(offset, PAGE_SIZE, includeDisabled)) {
        page.add(new Row(key, keys.usage(key.hash()), rateLimits.find(key.hash())));
      }
      return page;
    });
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (Row row : rows) {
        g.writeStartObject();
        writeKey(g, row.key(), row.usage(), row.rate());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** {@code POST /api/v1/keys}: creates a key; the only response that carries its plaintext. */
  void create(Exchange exchange) {
    Principal caller = auth.management(exchange);
    JsonBody body = JsonBody.parse(reader, exchange.readBody(), CREATE_FIELDS);
    String name = body.requireString("name");
    BigDecimal limit = body.usd("limit");
    if (limit != null && limit.signum() < 0) {
      throw new GatewayException.InvalidRequest("limit", "limit must not be negative, got " + limit);
    }
    LimitReset reset = reset(body);
    String kind = body.string("kind");
    String account = body.string("account");
    RateLimit rate = body.rateLimit("rate_limit");
    NewKey spec;
    try {
      spec = new NewKey(name, kind == null ? KeyKind.INFERENCE : KeyKind.parse(kind),
          limit == null ? null : Money.toNanos(limit), reset, body.instant("expires_at"),
          Boolean.TRUE.equals(body.bool("disabled")), account == null ? caller.accountId() : account);
    } catch (IllegalArgumentException e) {
      throw new GatewayException.InvalidRequest(null, String.valueOf(e.getMessage()));
    }
    IssuedKey issued = blocking(() -> {
      if (credits.credits(spec.accountId()).isEmpty()) {
        throw new GatewayException.InvalidRequest("account", "no account has id '" + spec.accountId() + "'");
      }
      IssuedKey created;
      try {
        created = keys.create(spec);
      } catch (IllegalArgumentException e) {
        throw new GatewayException.InvalidRequest("expires_at", String.valueOf(e.getMessage()));
      }
      if (!rate.isNone()) {
        rateLimits.set(created.key().hash(), rate, System.currentTimeMillis());
      }
      return created;
    });
    exchange.sendJson(201, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("data");
      writeKey(g, issued.key(), KeyUsage.ZERO, rate);
      g.writeEndObject();
      g.writeStringField("key", issued.plaintext());
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/keys/{hash}}. */
  void get(Exchange exchange) {
    auth.management(exchange);
    String hash = hash(exchange);
    record Found(ApiKey key, KeyUsage usage, RateLimit rate) {}
    Found found = blocking(() -> keys.find(hash)
        .map(key -> new Found(key, keys.usage(hash), rateLimits.find(hash))).orElse(null));
    if (found == null) {
      throw notFound(hash);
    }
    sendKey(exchange, found.key(), found.usage(), found.rate());
  }

  /** {@code PATCH /api/v1/keys/{hash}}: name, disabled, limit, limit_reset, expires_at. */
  void update(Exchange exchange) {
    auth.management(exchange);
    String hash = hash(exchange);
    JsonBody body = JsonBody.parse(reader, exchange.readBody(), PATCH_FIELDS);
    if (body.has("name") && body.string("name") == null) {
      throw new GatewayException.InvalidRequest("name", "name cannot be null");
    }
    if (body.has("disabled") && body.bool("disabled") == null) {
      throw new GatewayException.InvalidRequest("disabled", "disabled cannot be null");
    }
    BigDecimal limit = body.usd("limit");
    if (limit != null && limit.signum() < 0) {
      throw new GatewayException.InvalidRequest("limit", "limit must not be negative, got " + limit);
    }
    RateLimit rate = body.rateLimit("rate_limit");
    boolean rateChanged = body.has("rate_limit");
    KeyPatch patch;
    try {
      patch = new KeyPatch(body.string("name"), body.bool("disabled"),
          body.has("limit") ? KeyPatch.Change.to(limit == null ? null : Money.toNanos(limit)) : null,
          body.has("limit_reset") ? KeyPatch.Change.to(reset(body)) : null,
          body.has("expires_at") ? KeyPatch.Change.to(body.instant("expires_at")) : null);
    } catch (IllegalArgumentException e) {
      throw new GatewayException.InvalidRequest(null, String.valueOf(e.getMessage()));
    }
    record Updated(ApiKey key, KeyUsage usage, RateLimit rate) {}
    Updated updated = blocking(() -> {
      try {
        var changed = keys.update(hash, patch);
        if (changed.isPresent() && rateChanged) {
          rateLimits.set(hash, rate, System.currentTimeMillis());
        }
        return changed.map(key -> new Updated(key, keys.usage(hash), rateLimits.find(hash))).orElse(null);
      } catch (IllegalArgumentException e) {
        throw new GatewayException.InvalidRequest(null, String.valueOf(e.getMessage()));
      }
    });
    if (updated == null) {
      throw notFound(hash);
    }
    sendKey(exchange, updated.key(), updated.usage(), updated.rate());
  }

  /** {@code DELETE /api/v1/keys/{hash}}: {@code {"deleted":true}}. */
  void delete(Exchange exchange) {
    auth.management(exchange);
    String hash = hash(exchange);
    boolean deleted = blocking(() -> {
      try {
        return keys.delete(hash);
      } catch (IllegalArgumentException e) {
        throw new GatewayException.InvalidRequest(null, String.valueOf(e.getMessage()));
      }
    });
    if (!deleted) {
      throw notFound(hash);
    }
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeBooleanField("deleted", true);
      g.writeEndObject();
    }));
  }

  private void sendKey(Exchange exchange, ApiKey key, KeyUsage usage, RateLimit rate) {
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("data");
      writeKey(g, key, usage, rate);
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  /**
   * OpenRouter's key object. There is no BYOK yet, so the byok figures are 0. {@code rate_limit}
   * is Switchboard's: the key's own limits, null when it has none (the config's apply).
   */
  private static void writeKey(JsonGenerator g, ApiKey key, KeyUsage usage, RateLimit rate) throws IOException {
    g.writeStringField("hash", key.hash());
    g.writeStringField("name", key.name());
    g.writeStringField("label", key.label());
    g.writeBooleanField("disabled", key.disabled());
    Long limit = key.limitNanos();
    LimitReset reset = key.limitReset();
    usd(g, "limit", limit == null ? null : Money.toUsd(limit));
    usd(g, "limit_remaining",
        limit == null ? null : Money.toUsd(Math.max(0, limit - usage.inWindow(reset))));
    string(g, "limit_reset", reset == null ? null : reset.wireName());
    g.writeBooleanField("include_byok_in_limit", false);
    usd(g, "usage", Money.toUsd(usage.totalNanos()));
    usd(g, "usage_daily", Money.toUsd(usage.dailyNanos()));
    usd(g, "usage_weekly", Money.toUsd(usage.weeklyNanos()));
    usd(g, "usage_monthly", Money.toUsd(usage.monthlyNanos()));
    for (String field : List.of("byok_usage", "byok_usage_daily", "byok_usage_weekly", "byok_usage_monthly")) {
      g.writeNumberField(field, 0);
    }
    g.writeBooleanField("is_management_key", key.kind() == KeyKind.MANAGEMENT);
    instant(g, "created_at", key.createdAt());
    instant(g, "updated_at", key.updatedAt());
    instant(g, "expires_at", key.expiresAt());
    if (rate.isNone()) {
      g.writeNullField("rate_limit");
    } else {
      g.writeObjectFieldStart("rate_limit");
      if (rate.requestsPerMinute() != null) {
        g.writeNumberField("requests_per_minute", rate.requestsPerMinute());
      }
      if (rate.tokensPerMinute() != null) {
        g.writeNumberField("tokens_per_minute", rate.tokensPerMinute());
      }
      g.writeEndObject();
    }
  }

  private static @Nullable LimitReset reset(JsonBody body) {
    String value = body.string("limit_reset");
    if (value == null) {
      return null;
    }
    try {
      return LimitReset.parse(value);
    } catch (IllegalArgumentException e) {
      throw new GatewayException.InvalidRequest("limit_reset",
          "limit_reset must be daily, weekly, monthly or null, got '" + value + "'");
    }
  }

  /** The {@code {hash}} path segment; anything but 64 hex digits names no key. */
  private static String hash(Exchange exchange) {
    String hash = exchange.query("hash");
    if (hash == null || !hash.matches("[0-9a-fA-F]{64}")) {
      throw new GatewayException.NotFound(
          "no key has hash '" + hash + "'; a key's hash is the SHA-256 hex of the key, as GET /api/v1/keys lists it");
    }
    return hash.toLowerCase(java.util.Locale.ROOT);
  }

  private static GatewayException notFound(String hash) {
    return new GatewayException.NotFound("no key has hash '" + hash + "'");
  }

  private static int offset(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(value.strip());
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new GatewayException.InvalidRequest("offset",
        "offset must be a whole number of 0 or more, got '" + value + "'");
  }

  static boolean flag(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new GatewayException.InvalidRequest(name, name + " must be true or false, got '" + value + "'");
    };
  }

  /**
   * Runs store work on a worker thread: JDBC on the request's virtual-thread context would hold up
   * the other requests on that context. It runs once the books hold every request answered so far,
   * whose usage a key's figures include.
   */
  private <T> T blocking(Callable<T> work) {
    Settlement.awaitBooks(generations);
    return vertx.executeBlocking(work).await();
  }
}
