package dev.switchboard.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.routing.UpstreamFailures;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures of the Anthropic Messages wire format as the gateway speaks it to clients, under
 * {@code fixtures/dialect-anthropic/<case>/}: {@code request.json} (what an Anthropic SDK sends) to
 * {@code canonical-request.json}; {@code canonical-response.json} to {@code response.json} (what
 * the client receives); {@code events.jsonl} to {@code stream.sse}, byte for byte.
 */
class AnthropicDialectFixtureTest {
  private static final String DIR = "dialect-anthropic";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** What the gateway stamps: the generation id and the catalog model that served the answer. */
  static final Stamp STAMP = new Stamp("gen-1700000000-AbCdEfGhIjKlMnOpQrSt", 1_700_000_000L,
      "anthropic/claude-sonnet-4.5", "anthropic", null);

  private final AnthropicChatDialect dialect = new AnthropicChatDialect(MAPPER);

  static Stream<Fixture> requestCases() {
    return Fixtures.having(DIR::equals, "request.json", "canonical-request.json");
  }

  static Stream<Fixture> responseCases() {
    return Fixtures.having(DIR::equals, "canonical-response.json", "response.json");
  }

  static Stream<Fixture> streamCases() {
    return Fixtures.having(DIR::equals, "events.jsonl", "stream.sse");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void readsTheRequestAsRecorded(Fixture fixture) {
    ChatRequest actual = dialect.read(fixture.bytes("request.json"));

    ChatRequest expected = CanonicalJson.readRequest(CanonicalJson.parse(fixture.read("canonical-request.json")));
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void writesTheResponseAsRecorded(Fixture fixture) {
    ChatResponse response = readResponse(CanonicalJson.parse(fixture.read("canonical-response.json")));
    Usage usage = response.usage() == null ? Usage.ZERO : response.usage();

    byte[] body = dialect.response(response, STAMP, usage, new BigDecimal("0.0042"));

    assertThat(CanonicalJson.canonical(new String(body, StandardCharsets.UTF_8)))
        .isEqualTo(CanonicalJson.canonical(fixture.read("response.json")));
  }

  /**
   * The gateway's calls in order: start, every event, then the end with the last reported usage,
   * or the error for a failure event (as the gateway words an upstream failure).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void writesTheStreamAsRecorded(Fixture fixture) {
    StreamWriter writer = dialect.streamWriter(STAMP);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.appendStart(out);
    Usage usage = Usage.ZERO;
    StreamEvent.Failure failure = null;
    for (String line : fixture.read("events.jsonl").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      StreamEvent event = CanonicalJson.readEvent(CanonicalJson.parse(line));
      writer.append(out, event);
      if (event instanceof StreamEvent.UsageReport(Usage reported)) {
        usage = reported;
      } else if (event instanceof StreamEvent.Failure f) {
        failure = f;
      }
    }
    if (failure != null) {
      writer.appendError(out, UpstreamFailures.toClientError(failure.error(), "anthropic", 1));
    } else {
      writer.appendEnd(out, usage, new BigDecimal("0.0042"));
    }

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(fixture.read("stream.sse"));
  }

  @Test
  void everyCaseIsExercised() {
    List<Fixture> all = Fixtures.all(DIR::equals);
    var used = Stream.of(requestCases(), responseCases(), streamCases())
        .flatMap(s -> s)
        .map(Fixture::toString)
        .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(8);
    assertThat(all).allSatisfy(f -> assertThat(used).as("cases with a complete pair").contains(f.toString()));
  }

  /** A canonical response as {@link CanonicalJson#write(ChatResponse)} writes one. */
  static ChatResponse readResponse(JsonNode node) {
    List<Choice> choices = new ArrayList<>();
    for (JsonNode c : node.path("choices")) {
      FinishReason reason = c.hasNonNull("finishReason")
          ? FinishReason.valueOf(c.get("finishReason").asText().toUpperCase(Locale.ROOT))
          : null;
      choices.add(new Choice(c.path("index").asInt(), CanonicalJson.readMessage(c.get("message")), reason,
          c.hasNonNull("nativeFinishReason") ? c.get("nativeFinishReason").asText() : null, null));
    }
    return new ChatResponse(
        node.hasNonNull("upstreamId") ? node.get("upstreamId").asText() : null,
        node.hasNonNull("upstreamModel") ? node.get("upstreamModel").asText() : null,
        choices,
        node.hasNonNull("usage") ? CanonicalJson.readUsage(node.get("usage")) : null,
        null);
  }
}
