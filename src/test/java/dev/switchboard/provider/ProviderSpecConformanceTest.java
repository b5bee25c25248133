package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.switchboard.provider.Fixtures.Fixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates the golden {@code upstream-request.json} of every OpenAI-shaped chat fixture against the request
 * schema the provider publishes (the OpenAPI specs in {@code shared/reference/specs/}, which CI
 * keeps beside the clone). The golden files are what the adapters are asserted to send, so a body
 * the provider's own schema rejects is an encoder bug or a stale spec; this test tells them apart
 * only through the documented exception list below.
 *
 * <p>Anthropic's published spec (November 2024) is older than features the adapter uses on purpose,
 * so the Anthropic requests are checked against {@code BetaCreateMessageParams} (the superset with
 * prompt caching and PDF documents) plus the additions in {@link AnthropicSpecAdditions}, each
 * written from Anthropic's current API reference. Everything else in the body is checked as
 * published.
 *
 * <p>Skipped when the specs folder is absent (a bare clone); it exists in CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderSpecConformanceTest {

  /** Providers whose chat adapter speaks OpenAI Chat Completions. */
  private static final Set<String> OPENAI_SHAPED =
      Set.of("openai", "deepseek", "groq", "mistral", "openrouter");

  /**
   * Golden requests the spec rejects on purpose, each with why. They are asserted to still fail, so
   * an entry cannot outlive its reason unnoticed.
   */
  private static final Map<String, String> KNOWN_VIOLATIONS =
      Map.of(
          // The gateway forwards a content part type it does not know verbatim (forward
          // compatibility); the spec's closed oneOf of part types rejects it by design.
          "openai/unknown-part", "unknown content part passed through");

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private Schema openAiChat;
  private Schema anthropicMessages;

  @BeforeAll
  void loadSpecs() {
    Path specs = specsDir();
    assumeTrue(
        specs != null,
        "provider OpenAPI specs not found (looked for ../shared/reference/specs beside the project,"
            + " or -Dswitchboard.specs=<dir>); CI has them, a bare clone skips this test");
    // The specs are large (openai.yaml ~3 MB): parse each once for the whole class.
    openAiChat = requestSchema(readYaml(specs.resolve("openai.yaml")), "CreateChatCompletionRequest");
    JsonNode anthropic = readYaml(specs.resolve("anthropic.yaml"));
    AnthropicSpecAdditions.apply((ObjectNode) anthropic.path("components").path("schemas"));
    anthropicMessages = requestSchema(anthropic, "BetaCreateMessageParams");
  }

  Stream<Fixture> openAiCases() {
    return Fixtures.having(OPENAI_SHAPED::contains, "upstream-request.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("openAiCases")
  void openAiShapedRequestsMatchCreateChatCompletionRequest(Fixture fixture) {
    List<String> errors = violations(openAiChat, fixture);
    if (KNOWN_VIOLATIONS.containsKey(fixture.toString())) {
      assertThat(errors).as("%s: %s", fixture, KNOWN_VIOLATIONS.get(fixture.toString())).isNotEmpty();
    } else {
      assertThat(errors).as("%s against the provider's schema", fixture).isEmpty();
    }
  }

  Stream<Fixture> anthropicCases() {
    return Fixtures.having("anthropic"::equals, "upstream-request.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("anthropicCases")
  void anthropicRequestsMatchCreateMessageParams(Fixture fixture) {
    assertThat(violations(anthropicMessages, fixture)).as("%s against Anthropic's schema", fixture).isEmpty();
  }

  @Test
  void walkFindsTheChatFixtures() {
    // Guards against a walk that silently validates nothing (renamed folders, wrong file name).
    assertThat(openAiCases()).hasSizeGreaterThanOrEqualTo(16);
    assertThat(anthropicCases()).hasSizeGreaterThanOrEqualTo(11);
  }

  @Test
  void theAnthropicSchemaStillRejectsWhatAnthropicRejects() {
    // The additions widen the 2024 schema; this proves they did not open it up entirely.
    ObjectNode noMaxTokens = (ObjectNode) parse("""
        {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hi"}]}""");
    ObjectNode unknownBlock = (ObjectNode) parse("""
        {"model": "claude-sonnet-4-5", "max_tokens": 10,
         "messages": [{"role": "user", "content": [{"type": "video", "url": "x"}]}]}""");
    ObjectNode lowBudget = (ObjectNode) parse("""
        {"model": "claude-sonnet-4-5", "max_tokens": 10, "thinking": {"type": "enabled", "budget_tokens": 12},
         "messages": [{"role": "user", "content": "hi"}]}""");
    ObjectNode openAiField = (ObjectNode) parse("""
        {"model": "claude-sonnet-4-5", "max_tokens": 10, "response_format": {"type": "json_object"},
         "messages": [{"role": "user", "content": "hi"}]}""");
    for (ObjectNode body : List.of(noMaxTokens, unknownBlock, lowBudget, openAiField)) {
      assertThat(anthropicMessages.validate(body)).as(body.toString()).isNotEmpty();
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> violations(Schema schema, Fixture fixture) {
    JsonNode body = parse(fixture.read("upstream-request.json"));
    return schema.validate(body).stream().map(Error::toString).toList();
  }

  /**
   * A schema that is just {@code $ref} to {@code components.schemas.<name>}, carrying the spec's
   * {@code components} so every {@code #/components/schemas/...} reference inside resolves.
   */
  private static Schema requestSchema(JsonNode spec, String name) {
    assertThat(spec.path("components").path("schemas").has(name))
        .as("spec defines components.schemas.%s", name)
        .isTrue();
    ObjectNode doc = JSON.createObjectNode();
    doc.put("$ref", "#/components/schemas/" + name);
    doc.set("components", spec.get("components"));
    return SchemaRegistry.withDefaultDialect(Dialects.getDraft202012()).getSchema(doc);
  }

  private static JsonNode readYaml(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path specsDir() {
    String override = System.getProperty("switchboard.specs");
    Stream<Path> candidates =
        override != null
            ? Stream.of(Path.of(override))
            : Stream.of(Path.of("..", "shared", "reference", "specs"));
    return candidates.filter(p -> Files.isRegularFile(p.resolve("openai.yaml"))).findFirst().orElse(null);
  }
}
