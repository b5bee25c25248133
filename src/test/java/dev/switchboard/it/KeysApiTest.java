package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.keys.ApiKeys;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key management API over HTTP, with OpenRouter's shapes, and every way it refuses. */
class KeysApiTest {
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

  private static HttpResponse<String> call(String method, String path, String body, String key) {
    return gateway.request(method, "/api/v1" + path, body, key);
  }

  private static JsonNode created(String body) {
    HttpResponse<String> response = call("POST", "/keys", body, admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response.body());
  }

  @Test
  void theFirstStartMadeAManagementKeyThatCannotCallModels() {
    JsonNode me = json(call("GET", "/key", null, admin).body()).path("data");
    assertThat(me.path("is_management_key").asBoolean()).isTrue();
    assertThat(me.path("is_provisioning_key").asBoolean()).isTrue();

    HttpResponse<String> chat = gateway.post("/api/v1/chat/completions", body("hi", ""), admin);
    assertThat(chat.statusCode()).isEqualTo(403);
    assertThat(json(chat.body()).path("error").path("message").asText()).contains("management key");
  }

  @Test
  void createReturnsThePlaintextOnceAndTheKeyWorks() {
    JsonNode created = created("""
        {"name": "ci", "limit": 2.5, "limit_reset": "weekly", "expires_at": "2099-01-01T00:00:00Z",
         "include_byok_in_limit": false}""");

    String plaintext = created.path("key").asText();
    JsonNode data = created.path("data");
    assertThat(ApiKeys.isWellFormed(plaintext)).isTrue();
    assertThat(data.path("hash").asText()).isEqualTo(ApiKeys.hash(plaintext));
    assertThat(data.path("name").asText()).isEqualTo("ci");
    assertThat(data.path("label").asText()).isEqualTo(ApiKeys.label(plaintext));
    assertThat(data.path("limit").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(data.path("limit_remaining").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(data.path("limit_reset").asText()).isEqualTo("weekly");
    assertThat(data.path("expires_at").asText()).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(data.path("disabled").asBoolean()).isFalse();
    assertThat(data.path("usage").decimalValue()).isZero();
    assertThat(data.path("is_management_key").asBoolean()).isFalse();
    assertThat(data.has("created_at")).isTrue();
    assertThat(data.toString()).doesNotContain(plaintext);

    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), plaintext).statusCode()).isEqualTo(200);
    HttpResponse<String> listed = call("GET", "/keys", null, admin);
    assertThat(listed.body()).contains(ApiKeys.hash(plaintext)).doesNotContain(plaintext);
    HttpResponse<String> one = call("GET", "/keys/" + ApiKeys.hash(plaintext), null, admin);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(json(one.body()).path("data").path("usage").decimalValue()).isPositive();
    assertThat(one.body()).doesNotContain(plaintext);
  }

  @Test
  void patchChangesTheKeyAndDisablingItStopsItAtOnce() {
    JsonNode created = created("{\"name\": \"to change\"}");
    String plaintext = created.path("key").asText();
    String path = "/keys/" + created.path("data").path("hash").asText();

    JsonNode patched = json(call("PATCH", path, "{\"name\": \"changed\", \"limit\": 1, \"limit_reset\": \"daily\"}",
        admin).body()).path("data");
    assertThat(patched.path("name").asText()).isEqualTo("changed");
    assertThat(patched.path("limit").decimalValue()).isEqualByComparingTo("1");
    assertThat(patched.path("limit_reset").asText()).isEqualTo("daily");

    JsonNode cleared = json(call("PATCH", path, "{\"limit\": null}", admin).body()).path("data");
    assertThat(cleared.path("limit").isNull()).isTrue();
    assertThat(cleared.path("limit_reset").isNull()).isTrue();
    assertThat(cleared.path("name").asText()).isEqualTo("changed");

    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), plaintext).statusCode()).isEqualTo(200);
    JsonNode disabled = json(call("PATCH", path, "{\"disabled\": true}", admin).body()).path("data");
    assertThat(disabled.path("disabled").asBoolean()).isTrue();
    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), plaintext).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/key", null, plaintext).statusCode()).isEqualTo(401);

    // Listed only when asked for; enabled again, it works again.
    assertThat(call("GET", "/keys", null, admin).body()).doesNotContain(created.path("data").path("hash").asText());
    assertThat(call("GET", "/keys?include_disabled=true", null, admin).body())
        .contains(created.path("data").path("hash").asText());
    call("PATCH", path, "{\"disabled\": false}", admin);
    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), plaintext).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredKeyIsRefusedWith401() {
    JsonNode created = created("{\"name\": \"expiring\", \"expires_at\": \"2099-01-01T00:00:00+02:00\"}");
    String plaintext = created.path("key").asText();
    assertThat(created.path("data").path("expires_at").asText()).isEqualTo("2098-12-31T22:00:00Z");

    call("PATCH", "/keys/" + created.path("data").path("hash").asText(), "{\"expires_at\": \"2020-01-01T00:00:00Z\"}",
        admin);

    HttpResponse<String> chat = gateway.post("/api/v1/chat/completions", body("hi", ""), plaintext);
    assertThat(chat.statusCode()).isEqualTo(401);
    assertThat(json(chat.body()).path("error").path("message").asText()).contains("expired");
  }

  @Test
  void deleteRemovesTheKey() {
    JsonNode created = created("{\"name\": \"doomed\"}");
    String plaintext = created.path("key").asText();
    String path = "/keys/" + created.path("data").path("hash").asText();

    HttpResponse<String> deleted = call("DELETE", path, null, admin);

    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted.body()).path("deleted").asBoolean()).isTrue();
    assertThat(call("GET", path, null, admin).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", path, null, admin).statusCode()).isEqualTo(404);
    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), plaintext).statusCode()).isEqualTo(401);
  }

  @Test
  void listPagesByOffset() {
    for (int i = 0; i < 3; i++) {
      created("{\"name\": \"page-" + i + "\"}");
    }
    List<String> hashes = new ArrayList<>();
    for (JsonNode key : json(call("GET", "/keys", null, admin).body()).path("data")) {
      hashes.add(key.path("hash").asText());
    }
    assertThat(hashes.size()).isGreaterThanOrEqualTo(5); // the management key, the fixture's, these

    JsonNode skipped = json(call("GET", "/keys?offset=2", null, admin).body()).path("data");
    assertThat(skipped.size()).isEqualTo(hashes.size() - 2);
    assertThat(skipped.path(0).path("hash").asText()).isEqualTo(hashes.get(2));
    assertThat(json(call("GET", "/keys?offset=100000", null, admin).body()).path("data")).isEmpty();
    assertThat(call("GET", "/keys?offset=-1", null, admin).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/keys?offset=two", null, admin).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/keys?include_disabled=maybe", null, admin).statusCode()).isEqualTo(400);
    assertThat(gateway.request("GET", "/v1/keys?offset=2", null, admin).body()).isEqualTo(
        call("GET", "/keys?offset=2", null, admin).body());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET    | /keys",
      "POST   | /keys",
      "GET    | /keys/" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
      "PATCH  | /keys/" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
      "DELETE | /keys/" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
      "POST   | /credits"})
  void inferenceKeysMayNotManage(String method, String path) {
    HttpResponse<String> response = call(method, path, "{\"name\": \"x\", \"amount\": 1}", gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(json(response.body()).path("error").path("message").asText()).contains("management key");
    assertThat(call(method, path, "{\"name\": \"x\", \"amount\": 1}", null).statusCode()).isEqualTo(401);
    assertThat(call(method, path, "{}", ApiKeys.create().generate()).statusCode()).isEqualTo(401);
  }

  @Test
  void aHashThatNamesNoKeyIs404() {
    for (String hash : List.of("0".repeat(64), "not-a-hash", "abc", "Z".repeat(64))) {
      for (String method : List.of("GET", "PATCH", "DELETE")) {
        HttpResponse<String> response = call(method, "/keys/" + hash, "{}", admin);
        assertThat(response.statusCode()).as(method + " " + hash + ": " + response.body()).isEqualTo(404);
      }
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"name\": 5}                                  | name",
      "{}                                             | name",
      "{\"name\": \"x\", \"limit\": \"10\"}          | limit",
      "{\"name\": \"x\", \"limit\": -1}              | limit",
      "{\"name\": \"x\", \"limit\": 0.0000000001}    | limit",
      "{\"name\": \"x\", \"limit_reset\": \"yearly\"} | limit_reset",
      "{\"name\": \"x\", \"expires_at\": \"tomorrow\"} | expires_at",
      "{\"name\": \"x\", \"disabled\": \"no\"}       | disabled",
      "{\"name\": \"x\", \"colour\": \"red\"}        | colour",
      "{\"name\": \"x\", \"kind\": \"root\"}         | ",
      "{\"name\": \"x\", \"limit_reset\": \"daily\"} | ",
      "{\"name\": \"x\", \"expires_at\": \"2001-01-01T00:00:00Z\"} | expires_at",
      "{\"name\": \"x\", \"account\": \"nobody\"}    | account",
      "{\"name\": \"x\"                              | ",
      "[1, 2]                                         | ",
      "{\"name\": \"x\"} {}                           | "})
  void malformedCreateBodiesAre400NamingTheField(String body, String field) {
    HttpResponse<String> response = call("POST", "/keys", body, admin);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = json(response.body()).path("error");
    if (field != null) {
      assertThat(error.path("param").asText()).isEqualTo(field);
      assertThat(error.path("message").asText()).contains(field);
    }
  }

  @Test
  void malformedPatchBodiesAre400NamingTheField() {
    String path = "/keys/" + created("{\"name\": \"patched badly\"}").path("data").path("hash").asText();

    for (String[] bad : new String[][] {
        {"{\"name\": null}", "name"}, {"{\"disabled\": null}", "disabled"}, {"{\"limit\": true}", "limit"},
        {"{\"kind\": \"management\"}", "kind"}, {"{\"limit_reset\": 1}", "limit_reset"}}) {
      HttpResponse<String> response = call("PATCH", path, bad[0], admin);
      assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(json(response.body()).path("error").path("param").asText()).isEqualTo(bad[1]);
    }
    assertThat(call("PATCH", path, "{not json", admin).statusCode()).isEqualTo(400);
    assertThat(call("PATCH", path, "{\"limit_reset\": \"daily\"}", admin).statusCode()).isEqualTo(400);
  }

  @Test
  void theLastManagementKeyCannotBeDeletedOrDisabled() {
    String path = "/keys/" + ApiKeys.hash(admin);

    HttpResponse<String> deleted = call("DELETE", path, null, admin);
    HttpResponse<String> disabled = call("PATCH", path, "{\"disabled\": true}", admin);

    assertThat(deleted.statusCode()).isEqualTo(400);
    assertThat(json(deleted.body()).path("error").path("message").asText()).contains("last enabled management key");
    assertThat(disabled.statusCode()).isEqualTo(400);
    assertThat(call("GET", "/key", null, admin).statusCode()).isEqualTo(200);
  }

  @Test
  void aManagementKeyMadeThroughTheApiCanManage() {
    JsonNode created = created("{\"name\": \"second admin\", \"kind\": \"management\"}");
    String second = created.path("key").asText();

    assertThat(created.path("data").path("is_management_key").asBoolean()).isTrue();
    assertThat(call("GET", "/keys", null, second).statusCode()).isEqualTo(200);
    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), second).statusCode()).isEqualTo(403);
    assertThat(call("DELETE", "/keys/" + ApiKeys.hash(second), null, admin).statusCode()).isEqualTo(200);
  }

  @Test
  void keyReportsUsagePerWindowAndWhatTheLimitLeaves() {
    JsonNode created = created("{\"name\": \"metered\", \"limit\": 1, \"limit_reset\": \"monthly\"}");
    String plaintext = created.path("key").asText();

    for (int i = 0; i < 2; i++) {
      assertThat(gateway.post("/api/v1/chat/completions", body(ChatCompletionsTest.PROMPT, ""), plaintext)
          .statusCode()).isEqualTo(200);
    }
    JsonNode me = json(call("GET", "/key", null, plaintext).body()).path("data");

    BigDecimal spent = ChatCompletionsTest.COST.multiply(BigDecimal.TWO);
    for (String field : List.of("usage", "usage_daily", "usage_weekly", "usage_monthly")) {
      assertThat(me.path(field).decimalValue()).as(field).isEqualByComparingTo(spent);
    }
    assertThat(me.path("limit").decimalValue()).isEqualByComparingTo("1");
    assertThat(me.path("limit_remaining").decimalValue()).isEqualByComparingTo(BigDecimal.ONE.subtract(spent));
    assertThat(me.path("limit_reset").asText()).isEqualTo("monthly");
    assertThat(me.path("is_free_tier").asBoolean()).isFalse();
    assertThat(me.path("byok_usage").asInt()).isZero();
  }
}
