package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.provider.Capability;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile;
import dev.switchboard.provider.openaicompat.OpenAiWireContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiAdapterTest implements OpenAiWireContract {
  private final OpenAiAdapter adapter = OpenAiAdapter.create();

  @Override
  public ProviderAdapter adapter() {
    return adapter;
  }

  @Override
  public Target target() {
    return new Target("openai", "gpt-4o", "https://api.openai.com/v1");
  }

  @Test
  void isTheCompatibleAdapterWithTheOpenAiProfileUnderItsOwnKind() {
    assertThat(adapter.kind()).isEqualTo("openai");
    assertThat(adapter).isInstanceOf(OpenAiCompatAdapter.class);
    assertThat(adapter.framing()).isEqualTo(Framing.SSE);
    OpenAiCompatProfile profile = adapter.profile();
    assertThat(profile.slug()).isEqualTo("openai");
    assertThat(profile.baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(profile.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
    assertThat(profile.authStyle()).isEqualTo(new OpenAiCompatProfile.AuthStyle.Bearer());
    // Everything but continuation: OpenAI answers a trailing assistant message with a new turn.
    assertThat(adapter.capabilities()).containsExactlyInAnyOrder(java.util.Arrays.stream(Capability.values())
        .filter(c -> c != Capability.CONTINUATION).toArray(Capability[]::new));
  }

  @Test
  void sendsOpenAisCurrentParameterNamesAndTheDeveloperRole() {
    var request =
        new ChatRequest(
            "openai/o3", List.of(), List.of(Message.text(Role.DEVELOPER, "d"), Message.text(Role.USER, "u")),
            List.of(), null, null, null, null, null, null, 500, List.of(), null, null, null, false, false,
            dev.switchboard.core.ProviderPreferences.NONE, java.util.Map.of());

    String body = new String(adapter.encode(request, new Target("openai", "o3", "https://api.openai.com/v1")).body(),
        StandardCharsets.UTF_8);

    assertThat(body)
        .isEqualTo(
            "{\"model\":\"o3\",\"messages\":[{\"role\":\"developer\",\"content\":\"d\"},"
                + "{\"role\":\"user\",\"content\":\"u\"}],\"max_completion_tokens\":500}");
  }

  @Test
  void anOperatorProfileKeepsTheOpenAiKind() {
    var custom = new OpenAiAdapter(OpenAiAdapter.builtinProfile().withBaseUrl("http://127.0.0.1:9999/v1/"));
    assertThat(custom.kind()).isEqualTo(OpenAiAdapter.KIND);
    assertThat(custom.profile().baseUrl()).isEqualTo("http://127.0.0.1:9999/v1");
  }
}
