package dev.switchboard.http;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.completions.CompletionsDialect;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.http.responses.ResponsesDialect;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.routing.UpstreamFailures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the golden fixtures of the client dialects ({@code fixtures/dialect-<name>/<case>/}) and
 * checks each file pair against the dialect:
 *
 * <ul>
 *   <li>{@code request.json} (the client's body) → {@code canonical-request.json} (what {@code read}
 *       makes of it), or → {@code expected-error.json} ({@code status}, {@code param}, {@code message})
 *       when the body is refused;
 *   <li>{@code canonical-response.json} → {@code response.json}, answering the case's request when
 *       it has one;
 *   <li>{@code events.jsonl} → {@code stream.sse}: start, every event, then the end with the usage
 *       event's usage, or the error the gateway makes of a {@code failure} event.
 * </ul>
 *
 * <p>Every answer is stamped with {@link #STAMP} and costs {@link #COST}. Run with {@code
 * -Dfixtures.update=true} to rewrite the expected files from the code, then review the diff.
 */
class DialectFixtureTest {
  static final Stamp STAMP = new Stamp("gen-1700000000AbCdEf", 1_700_000_000L, "mock/mock-model", "mock", null);
  static final BigDecimal COST = new BigDecimal("0.000042");
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_002L));
  private static final boolean UPDATE = Boolean.getBoolean("fixtures.update");
  /** Writes updated fixtures with numbers as the dialect wrote them (0.000042, not 4.2E-5). */
  private static final ObjectMapper PRETTY = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  static ChatDialect dialect(Fixture fixture) {
    return switch (fixture.provider()) {
      case "dialect-responses" -> new ResponsesDialect(MAPPER, CLOCK);
      case "dialect-completions" -> new CompletionsDialect(MAPPER);
      default -> throw new IllegalArgumentException("no dialect for " + fixture.provider());
    };
  }

  static Stream<Fixture> readCases() {
    return Fixtures.having(DialectFixtureTest::isDialect, "request.json", "canonical-request.json");
  }

  static Stream<Fixture> refusedCases() {
    return Fixtures.having(DialectFixtureTest::isDialect, "request.json", "expected-error.json");
  }

  static Stream<Fixture> responseCases() {
    return Fixtures.having(DialectFixtureTest::isDialect, "canonical-response.json", "response.json");
  }

  static Stream<Fixture> streamCases() {
    return Fixtures.having(DialectFixtureTest::isDialect, "events.jsonl", "stream.sse");
  }

  /** Anthropic's dialect has its own walker ({@code AnthropicDialectFixtureTest}) and stamps. */
  private static boolean isDialect(String directory) {
    return directory.startsWith("dialect-") && !directory.equals("dialect-anthropic");
  }

  @Test
  void everyDialectHasEveryKindOfFixture() {
    for (String dialect : List.of("dialect-responses", "dialect-completions")) {
      assertThat(readCases().filter(f -> f.provider().equals(dialect))).as(dialect).isNotEmpty();
      assertThat(refusedCases().filter(f -> f.provider().equals(dialect))).as(dialect).isNotEmpty();
      assertThat(responseCases().filter(f -> f.provider().equals(dialect))).as(dialect).isNotEmpty();
      assertThat(streamCases().filter(f -> f.provider().equals(dialect))).as(dialect).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readCases")
  void readsTheRequestIntoTheCanonicalOne(Fixture fixture) {
    ChatRequest request = dialect(fixture).read(fixture.bytes("request.json"));

    ObjectNode actual = CanonicalJson.write(request);
    update(fixture, "canonical-request.json", actual);
    assertThat(canonical(actual)).isEqualTo(canonical(fixture.read("canonical-request.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCases")
  void refusesTheRequestNamingTheField(Fixture fixture) {
    GatewayException error = catchThrowableOfType(GatewayException.class,
        () -> dialect(fixture).read(fixture.bytes("request.json")));

    assertThat(error).as("the request should be refused").isNotNull();
    ObjectNode actual = MAPPER.createObjectNode().put("status", error.status())
        .put("param", (String) error.metadata().get("param")).put("message", error.getMessage());
    update(fixture, "expected-error.json", actual);
    assertThat(canonical(actual)).isEqualTo(canonical(fixture.read("expected-error.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void writesTheCanonicalResponse(Fixture fixture) {
    ChatDialect dialect = dialect(fixture);
    ChatResponse response = readResponse(parse(fixture.read("canonical-response.json")));

    byte[] written = dialect.response(request(fixture, dialect), response, STAMP,
        response.usage() == null ? Usage.ZERO : response.usage(), COST);

    String actual = new String(written, StandardCharsets.UTF_8);
    update(fixture, "response.json", parse(actual));
    assertThat(canonical(actual)).isEqualTo(canonical(fixture.read("response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void writesTheEventsAsTheRecordedStream(Fixture fixture) {
    ChatDialect dialect = dialect(fixture);
    StreamWriter writer = dialect.streamWriter(request(fixture, dialect), STAMP);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.appendStart(out);
    Usage usage = Usage.ZERO;
    GatewayException failure = null;
    for (String line : fixture.read("events.jsonl").lines().filter(l -> !l.isBlank()).toList()) {
      StreamEvent event = CanonicalJson.readEvent(parse(line));
      if (event instanceof StreamEvent.Failure(var error)) {
        // What the gateway does with a failure: settle, then write the client's error.
        failure = UpstreamFailures.toClientError(error, STAMP.provider(), 1);
        break;
      }
      if (event instanceof StreamEvent.UsageReport(Usage reported)) {
        usage = reported;
      }
      writer.append(out, event);
    }
    if (failure != null) {
      writer.appendError(out, failure);
    } else {
      writer.appendEnd(out, usage, COST);
    }

    String actual = out.toString(StandardCharsets.UTF_8);
    if (UPDATE) {
      write(fixture, "stream.sse", actual);
    }
    assertThat(normalise(actual)).isEqualTo(normalise(fixture.read("stream.sse")));
  }

  /** The request a case answers: its {@code request.json} read by the dialect, when it has one. */
  private static @Nullable ChatRequest request(Fixture fixture, ChatDialect dialect) {
    return fixture.has("request.json") ? dialect.read(fixture.bytes("request.json")) : null;
  }

  /** An SSE text as its frames, with each {@code data} JSON in canonical form. */
  static List<String> normalise(String sse) {
    List<String> frames = new ArrayList<>();
    for (String frame : sse.split("\n\n")) {
      StringBuilder normal = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith("data: {")) {
          normal.append("data: ").append(canonical(line.substring("data: ".length())));
        } else {
          normal.append(line);
        }
        normal.append('\n');
      }
      frames.add(normal.toString());
    }
    return frames;
  }

  private static ChatResponse readResponse(JsonNode node) {
    // CanonicalJson writes responses; reading one back is the same mapping, field by field.
    var choices = new ArrayList<Choice>();
    for (JsonNode c : node.path("choices")) {
      choices.add(new Choice(c.path("index").asInt(), CanonicalJson.readMessage(c.get("message")),
          c.hasNonNull("finishReason")
              ? FinishReason.valueOf(c.get("finishReason").asText().toUpperCase(Locale.ROOT))
              : null,
          c.hasNonNull("nativeFinishReason") ? c.get("nativeFinishReason").asText() : null, null));
    }
    return new ChatResponse(node.path("upstreamId").asText(null), node.path("upstreamModel").asText(null), choices,
        node.hasNonNull("usage") ? CanonicalJson.readUsage(node.get("usage")) : null, null);
  }

  private static void update(Fixture fixture, String file, JsonNode actual) {
    if (UPDATE) {
      try {
        JsonNode exact = PRETTY.readTree(actual.toString());
        write(fixture, file, PRETTY.writerWithDefaultPrettyPrinter().writeValueAsString(exact) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Writes into the source tree (not target/), so the change shows in the diff. */
  private static void write(Fixture fixture, String file, String content) {
    Path source = Path.of("src/test/resources/fixtures", fixture.provider(), fixture.name(), file);
    try {
      Files.writeString(source, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
