package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.accounting.CreditLedger;
import dev.switchboard.byok.ByokRouting;
import dev.switchboard.byok.ByokVault;
import dev.switchboard.config.Secret;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * BYOK credentials, management keys only: {@code PUT /api/v1/byok/{provider}} stores an account's
 * own key for a configured provider, {@code GET /api/v1/byok} lists which providers have one (never
 * the key: its last four characters at most), {@code DELETE /api/v1/byok/{provider}} removes it.
 * Each takes the account in the body ({@code PUT}) or {@code ?account=ID}, defaulting to the
 * management key's own. Without a master key every route answers 503 saying how to configure one.
 */
final class ByokApi {
  private static final Set<String> PUT_FIELDS = Set.of("api_key", "account");
  /** Longer is not a provider key; refusing it keeps a pasted document out of the store. */
  private static final int MAX_KEY_LENGTH = 4096;

  private final Vertx vertx;
  private final Auth auth;
  private final ByokVault vault;
  private final CreditLedger accounts;
  private final ProviderRegistry providers;
  private final ObjectReader reader;
  private final JsonFactory json;

  ByokApi(Vertx vertx, Auth auth, ByokVault vault, CreditLedger accounts, ProviderRegistry providers,
      ObjectMapper json) {
    this.vertx = vertx;
    this.auth = auth;
    this.vault = vault;
    this.accounts = accounts;
    this.providers = providers;
    this.reader = JsonBody.reader(json);
    this.json = json.getFactory();
  }

  /** {@code PUT /api/v1/byok/{provider}} with {@code {"api_key": KEY, "account"?: ID}}. */
  void put(Exchange exchange) {
    Principal principal = auth.management(exchange);
    requireEnabled();
    String provider = provider(exchange);
    JsonBody body = JsonBody.parse(reader, exchange.readBody(), PUT_FIELDS);
    String apiKey = body.string("api_key");
    if (apiKey == null || apiKey.isBlank()) {
      throw new GatewayException.InvalidRequest("api_key", "api_key is required: the provider API key to store");
    }
    if (apiKey.length() > MAX_KEY_LENGTH || !apiKey.strip().equals(apiKey) || apiKey.chars().anyMatch(Character::isISOControl)) {
      throw new GatewayException.InvalidRequest("api_key",
          "api_key must be a single line of at most " + MAX_KEY_LENGTH + " characters without surrounding spaces");
    }
    String account = account(principal, body.string("account"));
    Secret key = Secret.of(apiKey);
    ByokVault.Listed stored = vertx.executeBlocking(() -> vault.put(account, provider, key)).await();
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeFieldName("data");
      write(g, account, stored);
      g.writeEndObject();
    }));
  }

  /** {@code GET /api/v1/byok[?account=ID]}. */
  void list(Exchange exchange) {
    Principal principal = auth.management(exchange);
    requireEnabled();
    String account = account(principal, exchange.query("account"));
    List<ByokVault.Listed> listed = vertx.executeBlocking(() -> vault.list(account)).await();
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (ByokVault.Listed entry : listed) {
        write(g, account, entry);
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** {@code DELETE /api/v1/byok/{provider}[?account=ID]}. */
  void delete(Exchange exchange) {
    Principal principal = auth.management(exchange);
    requireEnabled();
    String provider = exchange.query("provider");
    String account = account(principal, exchange.query("account"));
    boolean deleted = provider != null && vertx.executeBlocking(() -> vault.delete(account, provider)).await();
    if (!deleted) {
      throw new GatewayException.NotFound("account '" + account + "' has no key for provider '" + provider + "'");
    }
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeBooleanField("deleted", true);
      g.writeEndObject();
    }));
  }

  private void requireEnabled() {
    if (!vault.enabled()) {
      throw new GatewayException.NotConfigured(ByokVault.DISABLED);
    }
  }

  private String provider(Exchange exchange) {
    String slug = exchange.query("provider");
    ConfiguredProvider provider = slug == null ? null : providers.find(slug).orElse(null);
    if (slug == null || provider == null) {
      throw new GatewayException.NotFound("no provider '" + slug + "' is configured; configured: "
          + String.join(", ", new TreeSet<>(providers.slugs())));
    }
    if (!ByokRouting.accepts(provider.auth())) {
      throw new GatewayException.InvalidRequest("provider", "provider '" + slug
          + "' signs requests with a key pair (AWS SigV4); a single API key cannot stand in for it");
    }
    return slug;
  }

  private String account(Principal principal, @Nullable String named) {
    String account = named == null || named.isBlank() ? principal.accountId() : named;
    if (vertx.executeBlocking(() -> accounts.credits(account).isEmpty()).await()) {
      throw new GatewayException.NotFound("no account has id '" + account + "'");
    }
    return account;
  }

  private static void write(JsonGenerator g, String account, ByokVault.Listed entry) throws IOException {
    g.writeStartObject();
    g.writeStringField("provider", entry.provider());
    g.writeStringField("account", account);
    g.writeStringField("label", entry.label().isEmpty() ? "***" : "..." + entry.label());
    g.writeStringField("key_id", entry.keyId());
    g.writeStringField("created_at", entry.createdAt().toString());
    g.writeStringField("updated_at", entry.updatedAt().toString());
    g.writeEndObject();
  }
}
