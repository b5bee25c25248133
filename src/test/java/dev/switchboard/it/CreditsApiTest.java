package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.number;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.store.KeyKind;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credits, grants, the ledger beside each generation, and activity, over HTTP. */
class CreditsApiTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;
  static String admin;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    admin = gateway.managementKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonNode credits(String key) {
    HttpResponse<String> response = gateway.get("/api/v1/credits", key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).path("data");
  }

  @Test
  void grantsAddCreditsAndEveryGenerationIsChargedOnceBesideItsRecord() {
    JsonNode before = credits(admin);
    HttpResponse<String> chat = gateway.chat(body(ChatCompletionsTest.PROMPT, ""));
    String id = json(chat.body()).path("id").asText();

    HttpResponse<String> granted = gateway.post("/api/v1/credits", "{\"amount\": 10.25, \"note\": \"top-up\"}", admin);
    HttpResponse<String> taken = gateway.post("/api/v1/credits", "{\"amount\": -0.25}", admin);

    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
    JsonNode afterGrant = json(granted.body()).path("data");
    assertThat(afterGrant.path("account").asText()).isEqualTo("default");
    assertThat(afterGrant.path("total_credits").decimalValue())
        .isEqualByComparingTo(before.path("total_credits").decimalValue().add(new BigDecimal("10.25")));
    JsonNode after = credits(gateway.key); // an inference key reads its own account
    assertThat(after.path("total_credits").decimalValue())
        .isEqualByComparingTo(before.path("total_credits").decimalValue().add(BigDecimal.TEN));
    assertThat(after.path("total_usage").decimalValue())
        .isEqualByComparingTo(before.path("total_usage").decimalValue().add(ChatCompletionsTest.COST));
    assertThat(json(taken.body()).path("data").path("balance").decimalValue())
        .isEqualByComparingTo(after.path("total_credits").decimalValue().subtract(after.path("total_usage").decimalValue()));

    // The charge sits in the ledger beside the record: one row, the record's cost, negative.
    List<Map<String, Object>> charges = gateway.rows("SELECT * FROM ledger WHERE generation_id = ?", id);
    assertThat(charges).hasSize(1);
    assertThat(number(charges.getFirst(), "amount_nanos"))
        .isEqualTo(-number(gateway.generationRow(id), "cost_nanos"));
    assertThat(charges.getFirst().get("kind")).isEqualTo("charge");
    assertThat(gateway.rows("SELECT * FROM ledger WHERE note = ?", "top-up")).hasSize(1);
  }

  @Test
  void creditsRefusalsAreNamed() {
    assertThat(gateway.post("/api/v1/credits", "{\"amount\": 1, \"account\": \"nobody\"}", admin).statusCode())
        .isEqualTo(404);
    assertThat(gateway.get("/api/v1/credits?account=nobody", admin).statusCode()).isEqualTo(404);
    assertThat(gateway.get("/api/v1/credits?account=other", gateway.key).statusCode()).isEqualTo(403);
    assertThat(gateway.get("/api/v1/credits", null).statusCode()).isEqualTo(401);
    for (String[] bad : new String[][] {
        {"{}", "amount"}, {"{\"amount\": \"10\"}", "amount"}, {"{\"amount\": 0}", "amount"},
        {"{\"amount\": 1e-12}", "amount"}, {"{\"amount\": 1, \"account\": 7}", "account"},
        {"{\"amount\": 1, \"currency\": \"EUR\"}", "currency"}}) {
      HttpResponse<String> response = gateway.post("/api/v1/credits", bad[0], admin);
      assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(json(response.body()).path("error").path("param").asText()).as(bad[0]).isEqualTo(bad[1]);
    }
    assertThat(gateway.post("/api/v1/credits", "{\"amount\": ", admin).statusCode()).isEqualTo(400);
  }

  @Test
  void activityIsPerDayModelAndProviderAndAnInferenceKeySeesOnlyItsOwn() {
    String mine = gateway.app.keys().create("activity-mine", KeyKind.INFERENCE).plaintext();
    String theirs = gateway.app.keys().create("activity-theirs", KeyKind.INFERENCE).plaintext();
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.post("/api/v1/chat/completions", body(ChatCompletionsTest.PROMPT, ""), mine).statusCode())
          .isEqualTo(200);
    }
    assertThat(gateway.post("/api/v1/chat/completions", body(ChatCompletionsTest.PROMPT, ""), theirs).statusCode())
        .isEqualTo(200);
    String today = LocalDate.now(ZoneOffset.UTC).toString();

    JsonNode own = json(gateway.get("/api/v1/activity", mine).body()).path("data");
    assertThat(own).hasSize(1);
    JsonNode row = own.path(0);
    assertThat(row.path("date").asText()).isEqualTo(today);
    assertThat(row.path("model").asText()).isEqualTo(GatewayFixture.MODEL);
    assertThat(row.path("provider_name").asText()).isEqualTo("mock");
    assertThat(row.path("requests").asLong()).isEqualTo(3);
    assertThat(row.path("prompt_tokens").asLong()).isEqualTo(3L * ChatCompletionsTest.PROMPT_TOKENS);
    assertThat(row.path("completion_tokens").asLong()).isEqualTo(3L * ChatCompletionsTest.COMPLETION_TOKENS);
    assertThat(row.path("usage").decimalValue())
        .isEqualByComparingTo(ChatCompletionsTest.COST.multiply(BigDecimal.valueOf(3)));
    assertThat(row.has("endpoint_id")).isTrue();

    // The management key sees every key's requests, or one key's when it names it.
    long all = 0;
    for (JsonNode r : json(gateway.get("/api/v1/activity", admin).body()).path("data")) {
      all += r.path("requests").asLong();
    }
    assertThat(all).isGreaterThanOrEqualTo(4);
    JsonNode filtered = json(gateway.get("/api/v1/activity?api_key_hash=" + ApiKeys.hash(theirs) + "&date=" + today,
        admin).body()).path("data");
    assertThat(filtered).hasSize(1);
    assertThat(filtered.path(0).path("requests").asLong()).isEqualTo(1);

    assertThat(gateway.get("/api/v1/activity?api_key_hash=" + ApiKeys.hash(theirs), mine).statusCode()).isEqualTo(403);
    assertThat(gateway.get("/api/v1/activity?date=" + LocalDate.now(ZoneOffset.UTC).minusDays(30), mine).statusCode())
        .isEqualTo(400);
    assertThat(gateway.get("/api/v1/activity?date=yesterday", mine).statusCode()).isEqualTo(400);
    assertThat(json(gateway.get("/api/v1/activity?date=" + LocalDate.now(ZoneOffset.UTC).minusDays(29), mine).body())
        .path("data")).isEmpty();
  }
}
