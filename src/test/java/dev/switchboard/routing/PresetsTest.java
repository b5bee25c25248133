package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresetsTest {
  private static final ProviderPreferences CHEAP_ONLY = new ProviderPreferences(List.of(), List.of("cheap", "mid"),
      List.of(), false, false, "deny", "price", Map.of());
  private static final Presets PRESETS = new Presets(List.of(
      new Preset("careful", "acme/chat", List.of("acme/backup"), CHEAP_ONLY, "Be careful.", 0.2, null, 500, 7L,
          List.of("END")),
      new Preset("bare", null, List.of(), ProviderPreferences.NONE, null, null, null, null, null, List.of())));

  private static ChatRequest request(String model, Map<String, RawJson> extra, ProviderPreferences prefs) {
    return new ChatRequest(model, List.of(), List.of(Message.text(Role.USER, "hi")), List.of(), null, null, null,
        0.9, null, null, null, List.of(), null, null, null, false, false, prefs, extra, "s-1");
  }

  @Test
  void aRequestWithoutAPresetIsLeftAlone() {
    ChatRequest plain = request("acme/chat", Map.of(), ProviderPreferences.NONE);
    assertThat(PRESETS.apply(plain)).isSameAs(plain);
  }

  @Test
  void presetAsTheModelSuppliesModelFallbacksAndDefaultsUnderTheRequest() {
    ChatRequest merged = PRESETS.apply(request("@preset/careful", Map.of(), ProviderPreferences.NONE));

    assertThat(merged.model()).isEqualTo("acme/chat");
    assertThat(merged.fallbackModels()).containsExactly("acme/backup");
    assertThat(merged.temperature()).as("the request's own value wins").isEqualTo(0.9);
    assertThat(merged.maxTokens()).isEqualTo(500);
    assertThat(merged.seed()).isEqualTo(7L);
    assertThat(merged.stop()).containsExactly("END");
    assertThat(merged.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
    assertThat(merged.messages().getFirst().textContent()).isEqualTo("Be careful.");
    assertThat(merged.provider().only()).containsExactly("cheap", "mid");
    assertThat(merged.provider().allowFallbacks()).isFalse();
    assertThat(merged.sessionId()).isEqualTo("s-1");
  }

  @Test
  void modelAtPresetKeepsTheRequestsModelAndTheRequestsProviderFieldsWin() {
    ProviderPreferences mine = new ProviderPreferences(List.of(), List.of("pricey"), List.of(), true, false, null,
        null, Map.of());
    ChatRequest merged = PRESETS.apply(request("acme/backup@preset/careful", Map.of(), mine));

    assertThat(merged.model()).isEqualTo("acme/backup");
    assertThat(merged.provider().only()).containsExactly("pricey");
    assertThat(merged.provider().sort()).isEqualTo("price");
    assertThat(merged.provider().dataCollection()).isEqualTo("deny");
  }

  @Test
  void presetFieldIsReadAndNeverForwarded() {
    ChatRequest merged = PRESETS.apply(request("acme/backup",
        Map.of("preset", RawJson.of("\"careful\""), "prompt_cache_key", RawJson.of("\"k\"")), ProviderPreferences.NONE));

    assertThat(merged.model()).isEqualTo("acme/backup");
    assertThat(merged.maxTokens()).isEqualTo(500);
    assertThat(merged.extra()).containsOnlyKeys("prompt_cache_key");
  }

  @Test
  void aSystemPromptIsNotAddedWhenTheRequestHasOne() {
    ChatRequest withSystem = new ChatRequest("@preset/careful", List.of(),
        List.of(Message.text(Role.SYSTEM, "mine"), Message.text(Role.USER, "hi")), List.of(), null, null, null, null,
        null, null, null, List.of(), null, null, null, false, false, ProviderPreferences.NONE, Map.of());
    assertThat(PRESETS.apply(withSystem).messages()).extracting(Message::textContent).containsExactly("mine", "hi");
  }

  @Test
  void unknownPresetIs404AndAPresetWithoutModelNeedsOne() {
    assertThatThrownBy(() -> PRESETS.apply(request("@preset/nope", Map.of(), ProviderPreferences.NONE)))
        .isInstanceOf(GatewayException.NotFound.class)
        .hasMessage("preset 'nope' is not defined on this gateway; it has [bare, careful]");
    assertThatThrownBy(() -> PRESETS.apply(request("@preset/bare", Map.of(), ProviderPreferences.NONE)))
        .isInstanceOfSatisfying(GatewayException.InvalidRequest.class,
            e -> assertThat(e.param()).isEqualTo("model"));
    assertThatThrownBy(() -> PRESETS.apply(request("acme/chat", Map.of("preset", RawJson.of("3")),
        ProviderPreferences.NONE))).isInstanceOf(GatewayException.InvalidRequest.class);
  }

  @Test
  void storedPresetsJoinTheConfiguredOnesWithoutReplacingThem() {
    Presets presets = new Presets(List.of(
        new Preset("careful", "acme/chat", List.of(), ProviderPreferences.NONE, null, 0.2, null, null, null,
            List.of())));
    presets.replaceStored(List.of(
        new Preset("careful", "acme/other", List.of(), ProviderPreferences.NONE, null, 0.7, null, null, null,
            List.of()),
        new Preset("api", "acme/backup", List.of(), ProviderPreferences.NONE, null, null, null, null, null,
            List.of())));

    assertThat(presets.configured("careful")).isTrue();
    assertThat(presets.configured("api")).isFalse();
    assertThat(presets.find("careful").orElseThrow().model()).as("the config's wins").isEqualTo("acme/chat");
    assertThat(presets.apply(request("@preset/api", Map.of(), ProviderPreferences.NONE)).model())
        .isEqualTo("acme/backup");
    presets.replaceStored(List.of());
    assertThatThrownBy(() -> presets.apply(request("@preset/api", Map.of(), ProviderPreferences.NONE)))
        .isInstanceOf(GatewayException.NotFound.class).hasMessageContaining("[careful]");
  }

  @Test
  void presetToolsAreOfferedUnderTheRequestsAndTheRequestsToolOfTheSameNameWins() {
    ToolSpec presetWeather = new ToolSpec("weather", "preset's", null, null);
    ToolSpec presetClock = new ToolSpec("clock", null, null, null);
    ToolSpec requestWeather = new ToolSpec("weather", "request's", null, null);
    Presets presets = new Presets(List.of(new Preset("tools", "acme/chat", List.of(), ProviderPreferences.NONE,
        null, null, null, null, null, List.of(), List.of(presetWeather, presetClock), new ToolChoice.Required())));
    ChatRequest asked = new ChatRequest("@preset/tools", List.of(), List.of(Message.text(Role.USER, "hi")),
        List.of(requestWeather), null, null, null, null, null, null, null, List.of(), null, null, null, false, false,
        ProviderPreferences.NONE, Map.of(), null);

    ChatRequest merged = presets.apply(asked);

    assertThat(merged.tools()).containsExactly(requestWeather, presetClock);
    assertThat(merged.toolChoice()).isEqualTo(new ToolChoice.Required());
    assertThat(Presets.tools(List.of(), List.of(requestWeather))).containsExactly(requestWeather);
  }
}
