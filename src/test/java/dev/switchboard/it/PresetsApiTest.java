package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/presets}: management keys create, list, read and delete presets stored in the
 * database; requests use them as {@code @preset/slug} like the config file's, whose {@code terse}
 * preset the API cannot change.
 */
class PresetsApiTest {
  static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"from the preset\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}";
  static final String LOOKUP = "{\"type\":\"function\",\"function\":{\"name\":\"lookup\","
      + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static String admin;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> GatewayFixture.contractYaml(env, "", "") + """
        presets:
          terse: { system_prompt: Answer in one sentence., temperature: 0.2 }
        """);
    admin = gateway.managementKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<String> post(String body) {
    return gateway.post("/api/v1/presets", body, admin);
  }

  private static HttpResponse<String> chat(String body) {
    gateway.mock().resetStats();
    return gateway.chat(body);
  }

  @Test
  void anInferenceKeyMayNotManagePresets() {
    assertThat(gateway.post("/api/v1/presets", "{\"slug\":\"x\"}", gateway.key).statusCode()).isEqualTo(403);
    assertThat(gateway.get("/api/v1/presets", gateway.key).statusCode()).isEqualTo(403);
    assertThat(gateway.request("DELETE", "/api/v1/presets/x", null, gateway.key).statusCode()).isEqualTo(403);
  }

  @Test
  void aCreatedPresetRoutesRequestsWithItsDefaultsAndTools() {
    HttpResponse<String> created = post("{\"slug\":\"weather\",\"model\":\"mock/mock-model\","
        + "\"system_prompt\":\"You report weather.\",\"temperature\":0.3,\"max_tokens\":50,"
        + "\"provider\":{\"sort\":\"price\"},\"tools\":[" + WEATHER + "],\"tool_choice\":\"auto\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode data = json(created.body()).path("data");
    assertThat(data.path("slug").asText()).isEqualTo("weather");
    assertThat(data.path("source").asText()).isEqualTo("api");
    assertThat(data.path("tools").path(0).path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(data.path("created_at").asText()).isNotEmpty();

    // The request names only the preset; its own tool is added to the preset's, and its temperature wins.
    HttpResponse<String> answer = chat("{\"model\":\"@preset/weather\",\"temperature\":0.9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[" + LOOKUP + "]}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.path("model").asText()).isEqualTo("mock-model");
    assertThat(upstream.path("messages").path(0).path("role").asText()).isEqualTo("system");
    assertThat(upstream.path("messages").path(0).path("content").asText()).isEqualTo("You report weather.");
    assertThat(upstream.path("temperature").asDouble()).isEqualTo(0.9);
    assertThat(upstream.path("max_tokens").asInt()).isEqualTo(50);
    assertThat(names(upstream.path("tools"))).containsExactly("lookup", "get_weather");
    assertThat(upstream.path("tool_choice").asText()).isEqualTo("auto");
    assertThat(gateway.rows("SELECT definition FROM presets WHERE slug = ?", "weather")).hasSize(1);
  }

  @Test
  void aRequestToolOfTheSameNameReplacesThePresets() {
    assertThat(post("{\"slug\":\"tooled\",\"tools\":[" + WEATHER + "]}").statusCode()).isEqualTo(201);
    String own = WEATHER.replace("from the preset", "from the request");

    chat("{\"model\":\"mock/mock-model@preset/tooled\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"tools\":[" + own + "]}");

    JsonNode tools = gateway.mock().stats().lastRequest().path("tools");
    assertThat(tools).hasSize(1);
    assertThat(tools.path(0).path("function").path("description").asText()).isEqualTo("from the request");
  }

  @Test
  void savingAgainReplacesListGetAndDelete() {
    assertThat(post("{\"slug\":\"cycle\",\"temperature\":0.1}").statusCode()).isEqualTo(201);
    HttpResponse<String> replaced = post("{\"slug\":\"cycle\",\"temperature\":0.7}");
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(json(replaced.body()).path("data").path("temperature").asDouble()).isEqualTo(0.7);

    JsonNode listed = json(gateway.get("/api/v1/presets", admin).body()).path("data");
    List<String> slugs = new ArrayList<>();
    listed.forEach(p -> slugs.add(p.path("slug").asText() + ":" + p.path("source").asText()));
    assertThat(slugs).contains("terse:config", "cycle:api");
    assertThat(json(gateway.get("/api/v1/presets/cycle", admin).body()).path("data").path("temperature").asDouble())
        .isEqualTo(0.7);
    assertThat(json(gateway.get("/api/v1/presets/terse", admin).body()).path("data").path("read_only").asBoolean())
        .isTrue();

    assertThat(gateway.request("DELETE", "/api/v1/presets/cycle", null, admin).statusCode()).isEqualTo(200);
    assertThat(gateway.get("/api/v1/presets/cycle", admin).statusCode()).isEqualTo(404);
    assertThat(gateway.request("DELETE", "/api/v1/presets/cycle", null, admin).statusCode()).isEqualTo(404);
    HttpResponse<String> gone = chat("{\"model\":\"mock/mock-model@preset/cycle\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(json(gone.body()).path("error").path("message").asText()).contains("preset 'cycle'");
  }

  @Test
  void configPresetsWorkAndAreReadOnly() {
    HttpResponse<String> answer = chat("{\"model\":\"mock/mock-model@preset/terse\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(gateway.mock().stats().lastRequest().path("temperature").asDouble()).isEqualTo(0.2);

    HttpResponse<String> overwrite = post("{\"slug\":\"terse\",\"temperature\":1}");
    assertThat(overwrite.statusCode()).isEqualTo(403);
    assertThat(json(overwrite.body()).path("error").path("message").asText()).contains("config file");
    assertThat(gateway.request("DELETE", "/api/v1/presets/terse", null, admin).statusCode()).isEqualTo(403);
  }

  @Test
  void invalidPresetsAre400sThatNameTheField() {
    assertThat(error(post("{\"temperature\":0.2}"))).contains("slug is required");
    assertThat(error(post("{\"slug\":\"bad slug\"}"))).contains("slug must be");
    assertThat(error(post("{\"slug\":\"x\",\"temperature\":5}"))).contains("temperature");
    assertThat(error(post("{\"slug\":\"x\",\"colour\":\"red\"}"))).contains("colour");
    assertThat(error(post("{\"slug\":\"x\",\"tools\":[{\"type\":\"function\",\"function\":{}}]}")))
        .contains("tools[0].function.name");
    assertThat(error(post("{\"slug\":\"x\",\"model\":\"@preset/y\"}"))).contains("not another preset");
    assertThat(error(post("{\"slug\":\"x\",\"provider\":{\"sort\":\"fastest\"}}"))).contains("sort");
    assertThat(error(post("{\"slug\":\"x\",\"provider\":{\"hedge\":\"yes\"}}"))).contains("provider.hedge");
    assertThat(error(post("not json"))).contains("JSON");
    assertThat(gateway.get("/api/v1/presets/x", admin).statusCode()).as("nothing was stored").isEqualTo(404);
  }

  private static String error(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return json(response.body()).path("error").path("message").asText();
  }

  private static List<String> names(JsonNode tools) {
    List<String> names = new ArrayList<>();
    tools.forEach(t -> names.add(t.path("function").path("name").asText()));
    return names;
  }
}
