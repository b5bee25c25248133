package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Pricing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundledCatalogTest {
  private static List<ModelEntry> models = List.of();

  @BeforeAll
  static void load() {
    long start = System.nanoTime();
    models = BundledCatalog.load();
    long cold = System.nanoTime() - start;
    start = System.nanoTime();
    BundledCatalog.load();
    long warm = System.nanoTime() - start;
    // Printed, not asserted: start-up cost is watched by eye, never a flaky timing assertion.
    System.out.printf(
        "BundledCatalog.load(): %d models, %d endpoints; first load %.1f ms (incl. Jackson"
            + " class loading), second %.1f ms%n",
        models.size(),
        models.stream().mapToInt(m -> m.endpoints().size()).sum(),
        cold / 1e6,
        warm / 1e6);
  }

  @Test
  void loadsTheWholeOpenRouterListAndMore() {
    assertThat(models).hasSizeGreaterThan(300);
    assertThat(models)
        .extracting(ModelEntry::id)
        .contains("openai/gpt-4o", "mistralai/mistral-nemo");
  }

  @Test
  void everyEndpointHasNonNegativePricesAndPositiveLimits() {
    for (ModelEntry model : models) {
      assertThat(model.endpoints()).as(model.id()).isNotEmpty();
      assertThat(model.contextLength()).as(model.id()).isPositive();
      for (Endpoint endpoint : model.endpoints()) {
        String where = model.id() + " on " + endpoint.providerSlug();
        assertThat(endpoint.modelId()).as(where).isEqualTo(model.id());
        assertThat(endpoint.contextLength()).as(where).isPositive();
        if (endpoint.maxCompletionTokens() != null) {
          assertThat(endpoint.maxCompletionTokens()).as(where).isPositive();
        }
        assertThat(components(endpoint.pricing()))
            .as(where)
            .allSatisfy(price -> assertThat(price.signum()).isNotNegative());
      }
    }
  }

  @Test
  void modelsAreSortedUniqueAndAdvertiseTheirEndpointsParameters() {
    List<String> ids = models.stream().map(ModelEntry::id).toList();
    assertThat(ids).doesNotHaveDuplicates().isSorted().allMatch(id -> id.indexOf('/') > 0);
    for (ModelEntry model : models) {
      TreeSet<String> union = new TreeSet<>();
      model.endpoints().forEach(e -> union.addAll(e.supportedParameters()));
      assertThat(model.supportedParameters()).as(model.id()).containsExactlyElementsOf(union);
      assertThat(model.endpoints().stream().map(Endpoint::providerSlug).toList())
          .as(model.id())
          .doesNotHaveDuplicates()
          .isSorted();
    }
  }

  @Test
  void nativePricesArePerTokenWithoutRoundingError() {
    // models.dev: gpt-4o 2.5 / 10 / cache 1.25 per million; gpt-4o-mini 0.15 / 0.6.
    Pricing gpt4o = endpoint("openai/gpt-4o", "openai").pricing();
    assertThat(gpt4o.prompt().toPlainString()).isEqualTo("0.0000025");
    assertThat(gpt4o.completion().toPlainString()).isEqualTo("0.00001");
    assertThat(plain(gpt4o.cacheRead())).isEqualTo("0.00000125");
    Pricing mini = endpoint("openai/gpt-4o-mini", "openai").pricing();
    assertThat(mini.prompt().toPlainString()).isEqualTo("0.00000015");
    assertThat(mini.completion().toPlainString()).isEqualTo("0.0000006");
    // 0.0375 per million: one more digit than a double's naive division keeps clean.
    Pricing flash8b = endpoint("google/gemini-1.5-flash-8b", "google").pricing();
    assertThat(flash8b.prompt().toPlainString()).isEqualTo("0.0000000375");

    Endpoint sonnet = endpoint("anthropic/claude-sonnet-4", "anthropic");
    assertThat(sonnet.providerModelId()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(sonnet.pricing().prompt().toPlainString()).isEqualTo("0.000003");
    assertThat(plain(sonnet.pricing().cacheWrite())).isEqualTo("0.00000375");
    assertThat(sonnet.maxCompletionTokens()).isEqualTo(64000);
  }

  @Test
  void openRouterPricesAreKeptDigitForDigit() {
    Endpoint flash = endpoint("~google/gemini-flash-latest", "openrouter");
    assertThat(flash.providerModelId()).isEqualTo("~google/gemini-flash-latest");
    assertThat(plain(flash.pricing().cacheWrite())).isEqualTo("0.00000008333333333333334");
    assertThat(plain(flash.pricing().reasoning())).isEqualTo("0.000003");
    assertThat(plain(flash.pricing().image())).isEqualTo("0.0000005");
    assertThat(endpoint("openai/gpt-4o", "openrouter").pricing().prompt().toPlainString())
        .isEqualTo("0.0000025");
  }

  @Test
  void routersWithVariablePricesAreLeftOut() {
    assertThat(models).extracting(ModelEntry::id).doesNotContain("openrouter/auto");
    assertThat(find("openrouter/free")).isPresent();
  }

  @Test
  void firstPartyModelsOpenRouterDoesNotListBecomeModels() {
    ModelEntry grok2 = find("x-ai/grok-2").orElseThrow();
    assertThat(grok2.name()).isEqualTo("xAI: Grok 2");
    assertThat(grok2.endpoints()).extracting(Endpoint::providerSlug).containsExactly("xai");
    // Its dated and -latest aliases at xAI are the same model, not three.
    assertThat(find("x-ai/grok-2-latest")).isEmpty();
  }

  @Test
  void dataPoliciesComeFromTheProviderTable() {
    assertThat(endpoint("deepseek/deepseek-chat", "deepseek").dataPolicy().training()).isTrue();
    assertThat(endpoint("openai/gpt-4o", "openai").dataPolicy())
        .isEqualTo(new DataPolicy(false, true, false));
    assertThat(endpoint("openai/gpt-4o", "openrouter").dataPolicy()).isEqualTo(DataPolicy.UNKNOWN);
  }

  /** Every native price, checked against the models.dev literal it came from, read exactly. */
  @Test
  void everyNativePriceIsTheModelsDevPriceDividedByAMillion() throws IOException {
    Optional<Path> file = ReferenceData.find(ReferenceData.MODELS_DEV);
    assumeThat(file).as("models.dev snapshot in shared/reference").isPresent();
    JsonNode providers =
        new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(file.orElseThrow().toFile())
            .path("providers");
    Map<String, String> keys =
        Map.ofEntries(
            Map.entry("openai", "openai"),
            Map.entry("anthropic", "anthropic"),
            Map.entry("google", "google"),
            Map.entry("deepseek", "deepseek"),
            Map.entry("xai", "xai"),
            Map.entry("mistral", "mistral"),
            Map.entry("groq", "groq"),
            Map.entry("together", "togetherai"),
            Map.entry("fireworks", "fireworks-ai"),
            Map.entry("deepinfra", "deepinfra"),
            Map.entry("cerebras", "cerebras"),
            Map.entry("azure", "azure"),
            Map.entry("bedrock", "amazon-bedrock"));
    int checked = 0;
    TreeSet<String> checkedProviders = new TreeSet<>();
    for (ModelEntry model : models) {
      if (model.architecture().outputsEmbeddings()) {
        continue; // hand-curated, not from models.dev: see embeddingModelsCarryTheirListPrices
      }
      for (Endpoint endpoint : model.endpoints()) {
        String key = keys.get(endpoint.providerSlug());
        if (key == null) {
          continue;
        }
        JsonNode cost =
            providers.path(key).path("models").path(endpoint.providerModelId()).path("cost");
        assertThat(cost.isObject()).as(endpoint.providerModelId()).isTrue();
        Pricing pricing = endpoint.pricing();
        assertPerToken(cost.get("input"), pricing.prompt(), endpoint);
        assertPerToken(cost.get("output"), pricing.completion(), endpoint);
        assertPerToken(cost.get("cache_write"), pricing.cacheWrite(), endpoint);
        assertPerToken(cost.get("reasoning"), pricing.reasoning(), endpoint);
        if (pricing.cacheRead() != null) {
          assertPerToken(cost.get("cache_read"), pricing.cacheRead(), endpoint);
        }
        checked++;
        checkedProviders.add(endpoint.providerSlug());
      }
    }
    assertThat(checked).isGreaterThan(140);
    assertThat(checkedProviders).containsExactlyInAnyOrderElementsOf(keys.keySet());
  }

  /**
   * Bedrock ids ({@code vendor.name-vN:M}) matched to OpenRouter's, prices from models.dev
   * (claude-3.7-sonnet 3 / 15 / cache 0.3 / 3.75 per million; llama-3.3-70b 0.72 / 0.72), and
   * Converse's parameters: no seed.
   */
  @Test
  void bedrockEndpointsCarryBedrockIdsAndPrices() {
    Endpoint sonnet = endpoint("anthropic/claude-3.7-sonnet", "bedrock");
    assertThat(sonnet.providerModelId()).isEqualTo("anthropic.claude-3-7-sonnet-20250219-v1:0");
    assertThat(sonnet.pricing().prompt().toPlainString()).isEqualTo("0.000003");
    assertThat(sonnet.pricing().completion().toPlainString()).isEqualTo("0.000015");
    assertThat(plain(sonnet.pricing().cacheRead())).isEqualTo("0.0000003");
    assertThat(plain(sonnet.pricing().cacheWrite())).isEqualTo("0.00000375");
    assertThat(sonnet.supportedParameters()).contains("tools", "stop").doesNotContain("seed");
    assertThat(sonnet.dataPolicy()).isEqualTo(new DataPolicy(false, true, false));

    Endpoint llama = endpoint("meta-llama/llama-3.3-70b-instruct", "bedrock");
    assertThat(llama.providerModelId()).isEqualTo("meta.llama3-3-70b-instruct-v1:0");
    assertThat(llama.pricing().prompt().toPlainString()).isEqualTo("0.00000072");
    // Amazon's own models keep their "-v1": OpenRouter lists them as amazon/nova-pro-v1.
    assertThat(endpoint("amazon/nova-pro-v1", "bedrock").providerModelId())
        .isEqualTo("amazon.nova-pro-v1:0");
  }

  /**
   * Azure: the models.dev id stands for the deployment name; gpt-4o 2.5 / 10 / cache 1.25 per
   * million. Models OpenRouter lacks but OpenAI's own entry made (o1-mini) are matched too.
   */
  @Test
  void azureEndpointsUseTheConventionalDeploymentName() {
    Endpoint gpt4o = endpoint("openai/gpt-4o", "azure");
    assertThat(gpt4o.providerModelId()).isEqualTo("gpt-4o");
    assertThat(gpt4o.pricing().prompt().toPlainString()).isEqualTo("0.0000025");
    assertThat(gpt4o.pricing().completion().toPlainString()).isEqualTo("0.00001");
    assertThat(plain(gpt4o.pricing().cacheRead())).isEqualTo("0.00000125");
    assertThat(gpt4o.supportedParameters()).contains("seed", "response_format", "tools");
    assertThat(gpt4o.dataPolicy()).isEqualTo(new DataPolicy(false, true, false));
    assertThat(endpoint("openai/o1-mini", "azure").providerModelId()).isEqualTo("o1-mini");
    // Azure-only names are skipped, not made models of their own.
    assertThat(find("openai/gpt-4-32k")).isEmpty();
  }

  /**
   * The hand-curated embedding models (tools/catalog/tables.mjs) with the list prices cited there,
   * per million tokens: OpenAI 0.02 / 0.13 / 0.10, Google 0.15, Mistral 0.10; nothing for output.
   */
  @Test
  void embeddingModelsCarryTheirListPrices() {
    Map<String, String> perMillion = Map.of(
        "openai/text-embedding-3-small via openai", "0.02",
        "openai/text-embedding-3-small via openrouter", "0.02",
        "openai/text-embedding-3-large via openai", "0.13",
        "openai/text-embedding-ada-002 via openai", "0.10",
        "google/gemini-embedding-001 via google", "0.15",
        "mistralai/mistral-embed via mistral", "0.10");
    Map<String, String> found = new java.util.TreeMap<>();
    for (ModelEntry model : models) {
      if (!model.architecture().outputsEmbeddings()) {
        continue;
      }
      assertThat(model.architecture().outputModalities()).as(model.id()).containsExactly("embeddings");
      for (Endpoint endpoint : model.endpoints()) {
        assertThat(endpoint.pricing().completion()).as(model.id()).isEqualByComparingTo(BigDecimal.ZERO);
        found.put(model.id() + " via " + endpoint.providerSlug(),
            endpoint.pricing().prompt().movePointRight(6).setScale(2).toPlainString());
      }
    }
    assertThat(found).isEqualTo(new java.util.TreeMap<>(perMillion));
    assertThat(endpoint("openai/text-embedding-3-small", "openai").supportedParameters())
        .containsExactly("dimensions");
    assertThat(endpoint("openai/text-embedding-ada-002", "openai").supportedParameters()).isEmpty();
  }

  @Test
  void readNamesTheModelAndFieldOfAMistake() {
    String numberPrice =
        catalogJson("\"pricing\": {\"prompt\": 0.000001, \"completion\": \"0.000002\"}");
    assertThatThrownBy(() -> read(numberPrice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("models[0] 'a/b'")
        .hasMessageContaining("'endpoints[0].pricing.prompt' must be a string");
    String negative =
        catalogJson("\"pricing\": {\"prompt\": \"-1\", \"completion\": \"0.000002\"}");
    assertThatThrownBy(() -> read(negative))
        .hasMessageContaining("endpoints[0].pricing")
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> read("{\"version\": 2, \"models\": []}"))
        .hasMessageContaining("unsupported catalog version 2");
  }

  @Test
  void readAcceptsAMinimalModel() {
    String json = catalogJson("\"pricing\": {\"prompt\": \"0.000001\", \"completion\": \"0\"}");
    ModelEntry model = read(json).getFirst();
    assertThat(model.canonicalSlug()).isEqualTo("a/b");
    assertThat(model.description()).isEmpty();
    Endpoint endpoint = model.endpoints().getFirst();
    assertThat(endpoint.pricing())
        .isEqualTo(Pricing.of(new BigDecimal("0.000001"), BigDecimal.ZERO));
    assertThat(endpoint.maxCompletionTokens()).isNull();
  }

  private static String catalogJson(String pricing) {
    return """
        {"version": 1, "models": [{"id": "a/b", "name": "B", "context_length": 1000,
          "architecture": {"modality": "text->text", "input_modalities": ["text"],
            "output_modalities": ["text"], "tokenizer": "Other"},
          "supported_parameters": [],
          "endpoints": [{"provider": "p", "model": "b", "context_length": 1000, %s,
            "supported_parameters": ["tools"],
            "data_policy": {"training": false, "retains_prompts": true, "zdr": false}}]}]}
        """
        .formatted(pricing);
  }

  private static List<ModelEntry> read(String json) {
    return BundledCatalog.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  private static void assertPerToken(
      @Nullable JsonNode perMillion, @Nullable BigDecimal perToken, Endpoint endpoint) {
    String where = endpoint.providerSlug() + ":" + endpoint.providerModelId();
    if (perMillion == null) {
      assertThat(perToken).as(where).isNull();
      return;
    }
    assertThat(perToken).as(where).isNotNull();
    assertThat(perToken.movePointRight(6))
        .as(where)
        .isEqualByComparingTo(perMillion.decimalValue());
  }

  private static Optional<ModelEntry> find(String id) {
    return models.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  private static Endpoint endpoint(String modelId, String provider) {
    return find(modelId).orElseThrow().endpoints().stream()
        .filter(e -> e.providerSlug().equals(provider))
        .findFirst()
        .orElseThrow(() -> new AssertionError(modelId + " has no " + provider + " endpoint"));
  }

  private static @Nullable String plain(@Nullable BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }

  private static List<BigDecimal> components(Pricing pricing) {
    return Stream.of(
            pricing.prompt(),
            pricing.completion(),
            pricing.cacheRead(),
            pricing.cacheWrite(),
            pricing.reasoning(),
            pricing.request(),
            pricing.image())
        .filter(Objects::nonNull)
        .toList();
  }
}
