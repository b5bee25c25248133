package dev.switchboard.http;

import static dev.switchboard.http.JsonOut.string;
import static dev.switchboard.http.JsonOut.usd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.accounting.CreditLedger;
import dev.switchboard.accounting.Credits;
import dev.switchboard.accounting.DailyUsage;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Credits and activity: {@code GET /credits} (OpenRouter's shape), {@code POST /credits} (grants,
 * Switchboard's own, for management keys) and {@code GET /activity} (OpenRouter's shape: usage per
 * UTC day, model and provider; a management key sees every key's, an inference key its own).
 */
final class CreditsApi {
  /** Days {@code /activity} covers: today (UTC, so far) and the 29 before it. */
  static final int ACTIVITY_DAYS = 30;

  private static final Set<String> GRANT_FIELDS = Set.of("amount", "account", "note");

  private final Vertx vertx;
  private final Auth auth;
  private final CreditLedger credits;
  private final GenerationLedger generations;
  private final Clock clock;
  private final ObjectReader reader;
  private final JsonFactory json;

  CreditsApi(Vertx vertx, Auth auth, CreditLedger credits, GenerationLedger generations, Clock clock,
      ObjectMapper json) {
    this.vertx = vertx;
    this.auth = auth;
    this.credits = credits;
    this.generations = generations;
    this.clock = clock;
    this.reader = JsonBody.reader(json);
    this.json = json.getFactory();
  }

  /**
   * {@code GET /api/v1/credits[?account=ID]}: the caller's account's credits and usage. A
   * management key may name another account; an inference key sees only its own.
   */
  void credits(Exchange exchange) {
    Principal principal = auth.any(exchange);
    String account = exchange.query("account");
    if (account == null || account.isBlank()) {
      account = principal.accountId();
    } else if (!principal.management() && !account.equals(principal.accountId())) {
      throw new GatewayException.Forbidden("an inference key can read only its own account's credits");
    }
    String id = account;
    Settlement.awaitBooks(generations);
    Credits found = vertx.executeBlocking(() -> credits.credits(id).orElse(null)).await();
    if (found == null) {
      throw new GatewayException.NotFound("no account has id '" + id + "'");
    }
    sendCredits(exchange, found, false);
  }

  /**
   * {@code POST /api/v1/credits} with {@code {"amount": USD, "account"?: ID, "note"?: TEXT}}: adds
   * credits to an account (the management key's own by default). A positive amount is a grant, a
   * negative one an adjustment that takes credits away. Answers the account's new totals.
   */
  void grant(Exchange exchange) {
    Principal principal = auth.management(exchange);
    JsonBody body = JsonBody.parse(reader, exchange.readBody(), GRANT_FIELDS);
    BigDecimal amount = body.usd("amount");
    if (amount == null) {
      throw new GatewayException.InvalidRequest("amount", "amount is required: the USD to add (negative to take away)");
    }
    if (amount.signum() == 0) {
      throw new GatewayException.InvalidRequest("amount", "amount must not be 0");
    }
    String account = body.string("account");
    String id = account == null ? principal.accountId() : account;
    String note = body.string("note");
    Credits after = vertx.executeBlocking(() -> credits.grant(id, amount, note).orElse(null)).await();
    if (after == null) {
      throw new GatewayException.NotFound("no account has id '" + id + "'");
    }
    sendCredits(exchange, after, true);
  }

  private void sendCredits(Exchange exchange, Credits credits, boolean detailed) {
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("data");
      usd(g, "total_credits", credits.totalCredits());
      usd(g, "total_usage", credits.totalUsage());
      if (detailed) {
        g.writeStringField("account", credits.accountId());
        usd(g, "balance", credits.balance());
      }
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  /**
   * {@code GET /api/v1/activity[?date=YYYY-MM-DD][&api_key_hash=HASH]}: usage per UTC day, model
   * and provider over the last {@value #ACTIVITY_DAYS} days, newest first.
   */
  void activity(Exchange exchange) {
    Principal principal = auth.any(exchange);
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate from = today.minusDays(ACTIVITY_DAYS - 1);
    LocalDate to = today;
    String date = exchange.query("date");
    if (date != null && !date.isBlank()) {
      LocalDate day;
      try {
        day = LocalDate.parse(date.strip());
      } catch (DateTimeParseException e) {
        throw new GatewayException.InvalidRequest("date", "date must be YYYY-MM-DD, got '" + date + "'");
      }
      if (day.isBefore(from) || day.isAfter(today)) {
        throw new GatewayException.InvalidRequest("date",
            "date must be within the last " + ACTIVITY_DAYS + " days (" + from + " to " + today + "), got " + day);
      }
      from = day;
      to = day;
    }
    String keyHash = exchange.query("api_key_hash");
    keyHash = keyHash == null || keyHash.isBlank() ? null : keyHash.strip().toLowerCase(Locale.ROOT);
    if (!principal.management()) {
      if (keyHash != null && !keyHash.equals(principal.keyHash())) {
        throw new GatewayException.Forbidden("an inference key can read only its own activity");
      }
      keyHash = principal.keyHash();
    }
    LocalDate first = from;
    LocalDate last = to;
    @Nullable String key = keyHash;
    Settlement.awaitBooks(generations);
    List<DailyUsage> rows = vertx.executeBlocking(() -> generations.activity(first, last, key)).await();
    exchange.sendJson(200, JsonOut.write(json, g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (DailyUsage row : rows) {
        g.writeStartObject();
        g.writeStringField("date", row.date().toString());
        g.writeStringField("model", row.model());
        g.writeStringField("model_permaslug", row.model());
        g.writeStringField("endpoint_id", (row.provider() == null ? "none" : row.provider()) + ":" + row.model());
        string(g, "provider_name", row.provider());
        usd(g, "usage", row.cost());
        g.writeNumberField("byok_usage_inference", 0);
        g.writeNumberField("requests", row.requests());
        g.writeNumberField("prompt_tokens", row.promptTokens());
        g.writeNumberField("completion_tokens", row.completionTokens());
        g.writeNumberField("reasoning_tokens", row.reasoningTokens());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }
}
