package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamException;
import org.junit.jupiter.api.Test;

/** Response-decoder behaviour the recorded fixtures do not cover. */
class GeminiResponseDecoderTest {

  @Test
  void decodesImagesTheModelDrewAsDataUrlsBetweenItsText() {
    ChatResponse response =
        GeminiResponseDecoder.decode(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Here:\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBO\"}},"
                + "{\"text\":\"Done.\"}]},\"finishReason\":\"STOP\"}]}");

    assertThat(response.first().message().content())
        .containsExactly(
            new ContentPart.Text("Here:"), new ContentPart.Image("data:image/png;base64,iVBO", null), new ContentPart.Text("Done."));
    assertThat(response.usage()).isNull();
  }

  @Test
  void anErrorEnvelopeWithStatus200IsThrownAsItsKind() {
    assertThatThrownBy(
            () -> GeminiResponseDecoder.decode("{\"error\":{\"code\":429,\"message\":\"slow down\",\"status\":\"RESOURCE_EXHAUSTED\"}}"))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          UpstreamError error = e.error();
          assertThat(error.kind()).isEqualTo(Kind.RATE_LIMITED);
          assertThat(error.status()).isEqualTo(429);
        });
  }

  @Test
  void aResponseWithNeitherCandidatesNorABlockIsMalformed() {
    assertThatThrownBy(() -> GeminiResponseDecoder.decode("{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":3}}"))
        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error().kind()).isEqualTo(Kind.MALFORMED));
  }

  @Test
  void aCandidateWithoutAFinishReasonHasNone() {
    ChatResponse response = GeminiResponseDecoder.decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}");

    assertThat(response.first().finishReason()).isNull();
    assertThat(response.first().nativeFinishReason()).isNull();
  }
}
