package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.EndpointConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.core.Pricing;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CatalogBuilderTest {
  private static final Pricing CATALOG_PRICE =
      new Pricing(
          price("0.0000025"), price("0.00001"), price("0.00000125"), null, null, null, null);
  private static final DataPolicy OPENAI_POLICY = new DataPolicy(false, true, false);

  /** A two-model catalog: gpt-4o on openai and openrouter, llama on openrouter only. */
  private static final List<ModelEntry> BUNDLED =
      List.of(
          model(
              "openai/gpt-4o",
              List.of("logprobs", "max_tokens", "temperature", "tools"),
              new Endpoint(
                  "openai/gpt-4o",
                  "openai",
                  "gpt-4o-2024-08-06",
                  CATALOG_PRICE,
                  128000,
                  16384,
                  null,
                  OPENAI_POLICY,
                  List.of("max_tokens", "temperature", "tools")),
              new Endpoint(
                  "openai/gpt-4o",
                  "openrouter",
                  "openai/gpt-4o",
                  Pricing.of(price("0.0000025"), price("0.00001")),
                  128000,
                  null,
                  null,
                  DataPolicy.UNKNOWN,
                  List.of("max_tokens", "logprobs"))),
          model(
              "meta-llama/llama-3.3-70b-instruct",
              List.of("max_tokens"),
              new Endpoint(
                  "meta-llama/llama-3.3-70b-instruct",
                  "openrouter",
                  "meta-llama/llama-3.3-70b-instruct",
                  Pricing.of(price("0.0000001"), price("0.0000003")),
                  131072,
                  null,
                  "fp8",
                  DataPolicy.UNKNOWN,
                  List.of("max_tokens"))));

  private static final Set<String> ALL = Set.of("openai", "openrouter", "mock", "local");

  @Test
  void contractExampleAloneYieldsOnlyTheMockModel() {
    ModelConfig mock =
        new ModelConfig(
            "mock/mock-model",
            "Mock Model",
            null,
            32768,
            List.of(
                new EndpointConfig(
                    "mock",
                    "mock-model",
                    Pricing.of(price("0.000001"), price("0.000002")),
                    null,
                    null,
                    null,
                    false)),
            List.of(),
            false);

    Catalog catalog = CatalogBuilder.build(BundledCatalog.load(), List.of(mock), Set.of("mock"));

    assertThat(catalog.models()).extracting(ModelEntry::id).containsExactly("mock/mock-model");
    ModelEntry model = catalog.models().getFirst();
    assertThat(model.name()).isEqualTo("Mock Model");
    assertThat(model.contextLength()).isEqualTo(32768);
    assertThat(model.endpoints()).hasSize(1);
    Endpoint endpoint = model.endpoints().getFirst();
    assertThat(endpoint.providerSlug()).isEqualTo("mock");
    assertThat(endpoint.providerModelId()).isEqualTo("mock-model");
    assertThat(endpoint.pricing().prompt()).isEqualByComparingTo("0.000001");
    assertThat(endpoint.pricing().completion()).isEqualByComparingTo("0.000002");
    assertThat(endpoint.contextLength()).isEqualTo(32768);
    assertThat(endpoint.supportedParameters())
        .containsExactlyElementsOf(CatalogBuilder.DEFAULT_SUPPORTED_PARAMETERS);
  }

  @Test
  void withoutConfigTheCatalogPassesThroughForEnabledProviders() {
    Catalog catalog = CatalogBuilder.build(BUNDLED, List.of(), ALL);
    assertThat(catalog.models()).containsExactlyElementsOf(sortedById(BUNDLED));
  }

  @Test
  void configModelIsAddedWithDefaults() {
    ModelConfig local =
        new ModelConfig(
            "local/qwen", null, null, null, List.of(endpoint("local", 8192)), List.of(), false);

    ModelEntry model = find(CatalogBuilder.build(BUNDLED, List.of(local), ALL), "local/qwen");

    assertThat(model.name()).isEqualTo("local/qwen");
    assertThat(model.description()).isEmpty();
    assertThat(model.contextLength()).isEqualTo(8192);
    assertThat(model.architecture()).isEqualTo(Architecture.TEXT);
    Endpoint endpoint = model.endpoints().getFirst();
    assertThat(endpoint.providerModelId()).isEqualTo("qwen");
    assertThat(endpoint.pricing()).isEqualTo(Pricing.FREE);
    assertThat(endpoint.dataPolicy()).isEqualTo(DataPolicy.UNKNOWN);
    assertThat(endpoint.quantization()).isNull();
    assertThat(model.supportedParameters())
        .containsExactlyElementsOf(CatalogBuilder.DEFAULT_SUPPORTED_PARAMETERS);
  }

  @Test
  void configOverridesNameDescriptionAndContextOfACatalogModel() {
    ModelConfig override =
        new ModelConfig(
            "openai/gpt-4o", "GPT-4o (ours)", "House model", 64000, List.of(), List.of(), false);

    ModelEntry model = find(build(override), "openai/gpt-4o");

    assertThat(model.name()).isEqualTo("GPT-4o (ours)");
    assertThat(model.description()).isEqualTo("House model");
    assertThat(model.contextLength()).isEqualTo(64000);
    assertThat(model.created()).isEqualTo(1_700_000_000L);
    assertThat(model.endpoints()).containsExactlyElementsOf(BUNDLED.getFirst().endpoints());
  }

  @Test
  void configEndpointReplacesTheSameProviderKeepingUnsetFields() {
    EndpointConfig openai = new EndpointConfig("openai", null, null, 100000, null, null, false);

    Endpoint endpoint =
        endpointOf(build(modelConfig("openai/gpt-4o", openai)), "openai/gpt-4o", "openai");

    assertThat(endpoint.contextLength()).isEqualTo(100000);
    assertThat(endpoint.providerModelId()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(endpoint.pricing()).isEqualTo(CATALOG_PRICE);
    assertThat(endpoint.maxCompletionTokens()).isEqualTo(16384);
    assertThat(endpoint.dataPolicy()).isEqualTo(OPENAI_POLICY);
    assertThat(endpoint.supportedParameters())
        .containsExactly("max_tokens", "temperature", "tools");
  }

  @Test
  void configPricingReplacesTheCatalogPricesAsAWhole() {
    Pricing negotiated = Pricing.of(price("0.000002"), price("0.000008"));
    EndpointConfig openai =
        new EndpointConfig(
            "openai", "gpt-4o", negotiated, null, null, List.of("max_tokens"), false);

    Endpoint endpoint =
        endpointOf(build(modelConfig("openai/gpt-4o", openai)), "openai/gpt-4o", "openai");

    assertThat(endpoint.pricing()).isEqualTo(negotiated);
    assertThat(endpoint.pricing().cacheRead()).isNull();
    assertThat(endpoint.providerModelId()).isEqualTo("gpt-4o");
    assertThat(endpoint.supportedParameters()).containsExactly("max_tokens");
  }

  @Test
  void configEndpointOnANewProviderInheritsTheModelsParameters() {
    Catalog catalog = build(modelConfig("openai/gpt-4o", endpoint("local", null)));

    Endpoint local = endpointOf(catalog, "openai/gpt-4o", "local");
    assertThat(local.providerModelId()).isEqualTo("gpt-4o");
    assertThat(local.pricing()).isEqualTo(Pricing.FREE);
    assertThat(local.contextLength()).isEqualTo(128000);
    assertThat(local.supportedParameters())
        .containsExactly("logprobs", "max_tokens", "temperature", "tools");
    assertThat(find(catalog, "openai/gpt-4o").endpoints())
        .extracting(Endpoint::providerSlug)
        .containsExactly("local", "openai", "openrouter");
  }

  @Test
  void disabledModelIsRemovedAndDisablingAnUnknownModelIsHarmless() {
    ModelConfig off =
        new ModelConfig("openai/gpt-4o", null, null, null, List.of(), List.of(), true);
    ModelConfig gone = new ModelConfig("old/model", null, null, null, List.of(), List.of(), true);

    Catalog catalog = CatalogBuilder.build(BUNDLED, List.of(off, gone), ALL);

    assertThat(catalog.models())
        .extracting(ModelEntry::id)
        .containsExactly("meta-llama/llama-3.3-70b-instruct");
  }

  @Test
  void disabledEndpointIsRemovedAndAModelWithoutEndpointsIsDropped() {
    EndpointConfig noOpenRouter =
        new EndpointConfig("openrouter", null, null, null, null, null, true);

    Catalog catalog =
        CatalogBuilder.build(
            BUNDLED,
            List.of(
                modelConfig("openai/gpt-4o", noOpenRouter),
                modelConfig("meta-llama/llama-3.3-70b-instruct", noOpenRouter)),
            ALL);

    assertThat(catalog.models()).extracting(ModelEntry::id).containsExactly("openai/gpt-4o");
    ModelEntry gpt = catalog.models().getFirst();
    assertThat(gpt.endpoints()).extracting(Endpoint::providerSlug).containsExactly("openai");
    // The model's parameters shrink to what its remaining endpoint supports.
    assertThat(gpt.supportedParameters()).containsExactly("max_tokens", "temperature", "tools");
  }

  @Test
  void aliasesResolveToTheModel() {
    ModelConfig aliased =
        new ModelConfig(
            "openai/gpt-4o", null, null, null, List.of(), List.of("gpt-4o", "4o"), false);

    Catalog catalog = CatalogBuilder.build(BUNDLED, List.of(aliased), ALL);

    assertThat(catalog.find("4o")).map(ModelEntry::id).contains("openai/gpt-4o");
    assertThat(catalog.find("gpt-4o").orElseThrow().aliases()).containsExactly("gpt-4o", "4o");
  }

  @Test
  void onlyEnabledProvidersSurviveAndModelParametersAreTheirUnion() {
    Catalog catalog = CatalogBuilder.build(BUNDLED, List.of(), Set.of("openai"));

    assertThat(catalog.models()).extracting(ModelEntry::id).containsExactly("openai/gpt-4o");
    assertThat(catalog.models().getFirst().supportedParameters())
        .containsExactly("max_tokens", "temperature", "tools");

    Catalog both = CatalogBuilder.build(BUNDLED, List.of(), Set.of("openai", "openrouter"));
    assertThat(find(both, "openai/gpt-4o").supportedParameters())
        .containsExactly("logprobs", "max_tokens", "temperature", "tools");
  }

  @Test
  void modelsAreSortedByIdWhateverTheInputOrder() {
    ModelConfig first = modelConfig("zeta/z", endpoint("local", 4096));
    ModelConfig second = modelConfig("alpha/a", endpoint("local", 4096));

    Catalog catalog = CatalogBuilder.build(BUNDLED.reversed(), List.of(first, second), ALL);

    assertThat(catalog.models())
        .extracting(ModelEntry::id)
        .containsExactly(
            "alpha/a", "meta-llama/llama-3.3-70b-instruct", "openai/gpt-4o", "zeta/z");
  }

  @Test
  void aDeclaredButDisabledProviderIsFilteredNotRejected() {
    Catalog catalog =
        CatalogBuilder.build(
            BUNDLED,
            List.of(modelConfig("local/m", endpoint("local", 4096))),
            Set.of("openai", "local"),
            Set.of("openai"));

    assertThat(catalog.models()).extracting(ModelEntry::id).containsExactly("openai/gpt-4o");
  }

  @Test
  void anEndpointOnAnUnconfiguredProviderIsRejectedNamingModelAndField() {
    ModelConfig typo = modelConfig("mock/mock-model", endpoint("mokc", 4096));

    assertThatThrownBy(() -> CatalogBuilder.build(List.of(), List.of(typo), Set.of("mock")))
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOfSatisfying(
            ModelConfigException.class,
            e -> {
              assertThat(e.modelIndex()).isZero();
              assertThat(e.modelId()).isEqualTo("mock/mock-model");
              assertThat(e.field()).isEqualTo("endpoints[0].provider");
            })
        .hasMessage(
            "models[0] 'mock/mock-model': endpoints[0].provider: provider 'mokc' is not"
                + " configured (configured: mock)");
  }

  @Test
  void invalidEntriesAreRejectedWithTheirField() {
    assertRejected(
        modelConfig("no-slash", endpoint("local", 4096)),
        "'no-slash': id: must look like 'author/slug'");
    assertRejected(modelConfig("a/", endpoint("local", 4096)), "id: must look like");
    assertRejected(
        modelConfig("local/m", endpoint("local", null)),
        "'local/m': context_length: is required for a model not in the catalog");
    assertRejected(
        new ModelConfig("local/m", null, null, null, List.of(), List.of(), false),
        "'local/m': endpoints: a model not in the catalog needs at least one enabled endpoint");
    assertRejected(
        modelConfig("local/m", new EndpointConfig("local", null, null, 10, null, null, true)),
        "'local/m': endpoints: a model not in the catalog needs at least one enabled endpoint");
    assertRejected(
        modelConfig("local/m", endpoint("local", 0)),
        "endpoints[0].context_length: must be positive");
    assertRejected(
        modelConfig("local/m", endpoint("local", 10), endpoint("local", 20)),
        "endpoints[1].provider: 'local' appears twice");
    assertRejected(
        new ModelConfig(
            "openai/gpt-4o",
            null,
            null,
            null,
            List.of(),
            List.of("meta-llama/llama-3.3-70b-instruct"),
            false),
        "aliases[0]: 'meta-llama/llama-3.3-70b-instruct' is already a model id");
  }

  @Test
  void duplicateEntriesAndSharedAliasesAreRejected() {
    ModelConfig once = modelConfig("local/m", endpoint("local", 10));
    assertThatThrownBy(() -> CatalogBuilder.build(BUNDLED, List.of(once, once), ALL))
        .hasMessage("models[1] 'local/m': id: is declared twice (first at models[0])");

    ModelConfig a =
        new ModelConfig("openai/gpt-4o", null, null, null, List.of(), List.of("fast"), false);
    ModelConfig b =
        new ModelConfig(
            "meta-llama/llama-3.3-70b-instruct",
            null,
            null,
            null,
            List.of(),
            List.of("fast"),
            false);
    assertThatThrownBy(() -> CatalogBuilder.build(BUNDLED, List.of(a, b), ALL))
        .hasMessage(
            "models[1] 'meta-llama/llama-3.3-70b-instruct': aliases[0]: 'fast' is already an"
                + " alias of 'openai/gpt-4o'");
  }

  @Test
  void outputModalitiesEmbeddingsMakesAnEmbeddingsModelWithEmbeddingDefaults() {
    ModelConfig embed =
        new ModelConfig("local/embed", null, null, 8192, List.of(endpoint("local", null)), List.of(), false,
            List.of("embeddings"));
    ModelEntry model = find(build(embed), "local/embed");

    assertThat(model.architecture().outputsEmbeddings()).isTrue();
    assertThat(model.architecture().modality()).isEqualTo("text->embeddings");
    assertThat(model.architecture().instructType()).isNull();
    assertThat(model.endpoints().getFirst().supportedParameters())
        .isEqualTo(CatalogBuilder.DEFAULT_EMBEDDING_PARAMETERS);
    // Without the field a new model is a text model, with the chat defaults.
    ModelEntry chat = find(build(modelConfig("local/m", endpoint("local", 4096))), "local/m");
    assertThat(chat.architecture()).isEqualTo(Architecture.TEXT);
    assertThat(chat.architecture().outputsEmbeddings()).isFalse();
  }

  @Test
  void outputModalitiesOverrideACatalogModelAndAreValidated() {
    ModelConfig override =
        new ModelConfig("openai/gpt-4o", null, null, null, List.of(), List.of(), false, List.of("text", "image"));
    Architecture changed = find(build(override), "openai/gpt-4o").architecture();
    assertThat(changed.outputModalities()).containsExactly("text", "image");
    assertThat(changed.modality()).isEqualTo("text->text+image");

    assertRejected(
        new ModelConfig("local/e", null, null, 10, List.of(endpoint("local", null)), List.of(), false,
            List.of("embeddings", "text")),
        "models[0] 'local/e': output_modalities: an embeddings model produces only embeddings");
    assertRejected(
        new ModelConfig("local/e", null, null, 10, List.of(endpoint("local", null)), List.of(), false,
            List.of("vectors")),
        "output_modalities: 'vectors' is not one of");
    assertRejected(
        new ModelConfig("local/e", null, null, 10, List.of(endpoint("local", null)), List.of(), false, List.of()),
        "output_modalities: must name at least one modality");
  }

  private static void assertRejected(ModelConfig config, String message) {
    assertThatThrownBy(() -> CatalogBuilder.build(BUNDLED, List.of(config), ALL))
        .isInstanceOf(ModelConfigException.class)
        .hasMessageContaining(message);
  }

  private static Catalog build(ModelConfig config) {
    return CatalogBuilder.build(BUNDLED, List.of(config), ALL);
  }

  private static ModelConfig modelConfig(String id, EndpointConfig... endpoints) {
    return new ModelConfig(id, null, null, null, List.of(endpoints), List.of(), false);
  }

  private static EndpointConfig endpoint(String provider, @Nullable Integer contextLength) {
    return new EndpointConfig(provider, null, null, contextLength, null, null, false);
  }

  private static ModelEntry model(String id, List<String> parameters, Endpoint... endpoints) {
    return new ModelEntry(
        id,
        id,
        id,
        1_700_000_000L,
        "catalog description",
        endpoints[0].contextLength(),
        Architecture.TEXT,
        parameters,
        List.of(endpoints),
        List.of());
  }

  private static List<ModelEntry> sortedById(List<ModelEntry> models) {
    return models.stream().sorted(Comparator.comparing(ModelEntry::id)).toList();
  }

  private static ModelEntry find(Catalog catalog, String id) {
    return catalog.find(id).orElseThrow(() -> new AssertionError(id + " not in catalog"));
  }

  private static Endpoint endpointOf(Catalog catalog, String id, String provider) {
    return find(catalog, id).endpoints().stream()
        .filter(e -> e.providerSlug().equals(provider))
        .findFirst()
        .orElseThrow();
  }

  private static BigDecimal price(String text) {
    return new BigDecimal(text);
  }
}
