package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSwitchesTest {
  private static final RoutingConfig RESUME_OFF = RoutingConfig.DEFAULTS
      .withStreamResume(new RoutingConfig.StreamResume(false, 1));
  private static final RoutingConfig HEDGING_ON = RoutingConfig.DEFAULTS
      .withHedging(new RoutingConfig.Hedging(true, Duration.ofSeconds(1), null));

  private static ChatRequest with(Map<String, RawJson> provider) {
    return new ChatRequest("acme/chat", List.of(), List.of(Message.text(Role.USER, "hi")), List.of(), null, null,
        null, null, null, null, null, List.of(), null, null, null, true, false,
        new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null, provider), Map.of());
  }

  @Test
  void theConfigDecidesUnlessTheRequestSays() {
    ChatRequest silent = with(Map.of());
    assertThat(RequestSwitches.streamResume(silent, RoutingConfig.DEFAULTS)).isTrue();
    assertThat(RequestSwitches.streamResume(silent, RESUME_OFF)).isFalse();
    assertThat(RequestSwitches.hedge(silent, RoutingConfig.DEFAULTS)).isFalse();
    assertThat(RequestSwitches.hedge(silent, HEDGING_ON)).isTrue();

    ChatRequest asked = with(Map.of("stream_resume", RawJson.of("true"), "hedge", RawJson.of("false")));
    assertThat(RequestSwitches.streamResume(asked, RESUME_OFF)).isTrue();
    assertThat(RequestSwitches.hedge(asked, HEDGING_ON)).isFalse();
    assertThat(RequestSwitches.streamResume(asked,
        RoutingConfig.DEFAULTS.withStreamResume(new RoutingConfig.StreamResume(true, 0))))
        .as("max_resumes 0 switches resume off for everyone").isFalse();
  }

  @Test
  void aSwitchThatIsNotABooleanIsA400() {
    assertThatThrownBy(() -> RequestSwitches.validate(with(Map.of("hedge", RawJson.of("\"yes\"")))))
        .isInstanceOf(GatewayException.InvalidRequest.class).hasMessageContaining("provider.hedge");
    RequestSwitches.validate(with(Map.of("hedge", RawJson.of("null"))));
  }
}
