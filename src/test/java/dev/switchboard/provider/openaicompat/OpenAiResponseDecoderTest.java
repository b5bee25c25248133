package dev.switchboard.provider.openaicompat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Response-decoder behaviour the recorded fixtures do not cover. */
class OpenAiResponseDecoderTest {
  private final OpenAiResponseDecoder decoder =
      new OpenAiResponseDecoder(OpenAiCompatProfiles.load().find("openai").orElseThrow());

  @Test
  void keepsLogprobsAsTheUpstreamWroteThem() {
    String logprobs = "{ \"content\" : [ {\"token\":\"a\",\"logprob\":-1.0E-5} ], \"refusal\":null }";
    ChatResponse response =
        decoder.decode("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"a\"},\"logprobs\":" + logprobs + ",\"finish_reason\":\"stop\"}]}");
    assertThat(response.first().logprobs()).isEqualTo(RawJson.of(logprobs));
  }

  @Test
  void cutsVerbatimValuesAtByteOffsetsAfterMultiByteText() {
    String logprobs = "{\"content\":[{\"token\":\"\u4e2d\",\"logprob\":-0.50}]}";
    String part = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"caf\u00e9\"}}";
    ChatResponse response = decoder.decode(("{\"id\":\"\u00e9\uD83D\uDE00\",\"choices\":[{\"index\":0,\"message\":{\"content\":"
        + "[{\"type\":\"text\",\"text\":\"\u4e2d\u6587\"}," + part + "]},\"logprobs\":" + logprobs + ",\"finish_reason\":\"stop\"}]}")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(response.first().message().content())
        .containsExactly(new ContentPart.Text("\u4e2d\u6587"), new ContentPart.Unknown("image_url", RawJson.of(part)));
    assertThat(response.first().logprobs()).isEqualTo(RawJson.of(logprobs));
  }

  @Test
  void aBodyThatIsNotUtf8DecodesWithReplacementCharacters() {
    byte[] head = "{\"choices\":[{\"message\":{\"content\":\"a".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "b\"},\"finish_reason\":\"stop\"}]}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    body[head.length] = (byte) 0xFF; // never valid in UTF-8
    System.arraycopy(tail, 0, body, head.length + 1, tail.length);

    assertThat(decoder.decode(body).first().message().content()).containsExactly(new ContentPart.Text("a\uFFFDb"));
  }

  @Test
  void readsContentPartsReasoningAndToolCallsFromLooseServers() {
    ChatResponse response =
        decoder.decode(
            "{\"choices\":[{\"message\":{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}}],"
                + "\"reasoning\":\"r\",\"reasoning_content\":\"ignored duplicate\","
                + "\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"x\":1}}},"
                + "{\"id\":\"c2\",\"function\":{\"name\":\"g\",\"arguments\":null}}]}}]}");

    var message = response.first().message();
    assertThat(message.content())
        .containsExactly(
            new ContentPart.Text("a"),
            new ContentPart.Unknown("image_url", RawJson.of("{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}}")));
    assertThat(message.reasoning()).isEqualTo("r");
    assertThat(message.toolCalls()).containsExactly(new ToolCall("call_0", "f", "{\"x\":1}"), new ToolCall("c2", "g", ""));
    assertThat(response.first().finishReason()).isNull();
    assertThat(response.usage()).isNull();
  }

  @Test
  void anErrorEnvelopeWithStatus200IsClassified() {
    assertThatThrownBy(() -> decoder.decode("{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"}}"))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.error().kind()).isEqualTo(Kind.RATE_LIMITED);
          assertThat(e.error().message()).isEqualTo("Rate limit exceeded");
        });
  }

  @Test
  void malformedBodiesAreMalformed() {
    for (String body : new String[] {"{\"choices\":{}}", "{\"choices\":[{\"index\":0}]}", "{\"choices\":[1]}", "{\"choices\":[", "{\"id\":5.5e}"}) {
      assertThatThrownBy(() -> decoder.decode(body))
          .as(body)
          .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error().kind()).isEqualTo(Kind.MALFORMED));
    }
  }
}
