package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.transport.SseReader;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the OpenAI fixtures, and what the adapter encodes, to the official {@code openai-java}
 * SDK's models: a second, independent reading of the API reference, so a fixture written from the
 * spec by hand cannot drift into a shape real OpenAI clients would reject.
 */
class OpenAiSdkSchemaTest {
  private static final JsonMapper SDK = ObjectMappers.jsonMapper();

  static Stream<Fixture> requests() {
    // unknown-part forwards a part type OpenAI does not define, on purpose: it tests pass-through.
    return Fixtures.having("openai"::equals, "canonical-request.json", "upstream-request.json")
        .filter(f -> !f.name().equals("unknown-part"));
  }

  static Stream<Fixture> responses() {
    return Fixtures.having("openai"::equals, "upstream-response.json");
  }

  static Stream<Fixture> streams() {
    return Fixtures.having("openai"::equals, "upstream.sse");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void encodedRequestsAreValidCreateParams(Fixture fixture) throws Exception {
    var canonical = CanonicalJson.parse(fixture.read("canonical-request.json"));
    byte[] body =
        OpenAiAdapter.create()
            .encode(CanonicalJson.readRequest(canonical),
                new Target("openai", CanonicalJson.providerModelId(canonical), "https://api.openai.com/v1"))
            .body();

    for (String json : new String[] {fixture.read("upstream-request.json"), new String(body, StandardCharsets.UTF_8)}) {
      var params = SDK.readValue(json, ChatCompletionCreateParams.Body.class);
      assertThatCode(params::validate).as("%s as the SDK reads it", fixture).doesNotThrowAnyException();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void recordedResponsesAreValidChatCompletions(Fixture fixture) throws Exception {
    var completion = SDK.readValue(fixture.read("upstream-response.json"), ChatCompletion.class);
    assertThatCode(completion::validate).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void recordedChunksAreValidChatCompletionChunks(Fixture fixture) throws Exception {
    SseReader reader = SseReader.create();
    for (Frame.Sse frame : reader.feed(fixture.bytes("upstream.sse"))) {
      if (frame.data().equals("[DONE]") || frame.data().startsWith("{\"error\"")) {
        continue;
      }
      var chunk = SDK.readValue(frame.data(), ChatCompletionChunk.class);
      assertThatCode(chunk::validate).as(frame.data()).doesNotThrowAnyException();
    }
  }
}
