package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.DataPolicy;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.ProviderPreferences.MaxPrice;
import dev.switchboard.core.Role;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EndpointFilterTest {
  private static final ChatRequest REQUEST = ChatRequest.of("acme/chat", List.of(Message.text(Role.USER, "hi")));

  @Test
  void maxPriceComparesPerMillionTokensExactlyAtTheBoundary() {
    // $3 and $15 per million tokens, stored per token.
    Endpoint endpoint = endpoint(new Pricing(new BigDecimal("0.000003"), new BigDecimal("0.000015"),
        null, null, null, null, null), null, DataPolicy.UNKNOWN);

    assertThat(refusal(endpoint, maxPrice("3", "15", null, null))).isNull();
    assertThat(refusal(endpoint, maxPrice("3.000", null, null, null))).isNull();
    EndpointFilter.Refusal prompt = refusal(endpoint, maxPrice("2.999999999", null, null, null));
    assertThat(prompt).isNotNull();
    assertThat(prompt.filter()).isEqualTo("max_price");
    assertThat(prompt.reason()).isEqualTo(
        "its prompt price $3 per million tokens is above provider.max_price.prompt $2.999999999");
    assertThat(refusal(endpoint, maxPrice(null, "14.99", null, null)))
        .extracting(EndpointFilter.Refusal::reason).asString().contains("completion price $15");
  }

  @Test
  void maxPriceForRequestsAndImagesComparesAsIs() {
    Endpoint endpoint = endpoint(new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, null, null, null,
        new BigDecimal("0.01"), new BigDecimal("0.002")), null, DataPolicy.UNKNOWN);
    Endpoint unpriced = endpoint(Pricing.FREE, null, DataPolicy.UNKNOWN);

    assertThat(refusal(endpoint, maxPrice(null, null, "0.01", "0.002"))).isNull();
    assertThat(refusal(endpoint, maxPrice(null, null, "0.009", null)))
        .extracting(EndpointFilter.Refusal::reason).asString().contains("request price $0.01 per request");
    assertThat(refusal(endpoint, maxPrice(null, null, null, "0.001")))
        .extracting(EndpointFilter.Refusal::reason).asString().contains("image price $0.002 per image");
    assertThat(refusal(unpriced, maxPrice("0", "0", "0", "0"))).as("absent prices are free").isNull();
  }

  @Test
  void quantizationsAdmitUnknownOnlyWhenAskedFor() {
    Endpoint fp8 = endpoint(Pricing.FREE, "fp8", DataPolicy.UNKNOWN);
    Endpoint unknown = endpoint(Pricing.FREE, null, DataPolicy.UNKNOWN);

    assertThat(refusal(fp8, quantizations("fp8", "bf16"))).isNull();
    assertThat(refusal(fp8, quantizations("FP8"))).as("case-insensitive").isNull();
    assertThat(refusal(fp8, quantizations("int4")))
        .extracting(EndpointFilter.Refusal::filter).isEqualTo("quantization");
    assertThat(refusal(unknown, quantizations("fp8")))
        .extracting(EndpointFilter.Refusal::reason).asString().contains("(unknown)");
    assertThat(refusal(unknown, quantizations("fp8", "unknown"))).isNull();
    assertThat(refusal(unknown, ProviderPreferences.NONE)).isNull();
  }

  @Test
  void zdrKeepsOnlyZeroDataRetentionEndpoints() {
    ProviderPreferences zdr = new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null,
        Map.of(), true, List.of(), null, null, null, null);

    assertThat(refusal(endpoint(Pricing.FREE, null, new DataPolicy(false, false, true)), zdr)).isNull();
    assertThat(refusal(endpoint(Pricing.FREE, null, new DataPolicy(false, false, false)), zdr))
        .extracting(EndpointFilter.Refusal::filter).isEqualTo("data_policy:zdr");
    assertThat(refusal(endpoint(Pricing.FREE, null, DataPolicy.UNKNOWN), zdr)).isNotNull();
  }

  @Test
  void freeOnlyRefusesAnyPrice() {
    Endpoint priced = endpoint(Pricing.of(new BigDecimal("0.000001"), BigDecimal.ZERO), null, DataPolicy.UNKNOWN);
    Endpoint free = endpoint(Pricing.FREE, null, DataPolicy.UNKNOWN);

    assertThat(EndpointFilter.refusal(free, REQUEST.requestedParameters(), ProviderPreferences.NONE, true)).isNull();
    assertThat(EndpointFilter.refusal(priced, REQUEST.requestedParameters(), ProviderPreferences.NONE, true))
        .extracting(EndpointFilter.Refusal::filter).isEqualTo("free_variant");
  }

  @Test
  void providerNamesIgnoreCaseAndSurroundingSpace() {
    assertThat(EndpointFilter.names(List.of(" OpenAI "), "openai")).isTrue();
    assertThat(EndpointFilter.names(List.of("open"), "openai")).isFalse();
  }

  private static EndpointFilter.@Nullable Refusal refusal(Endpoint endpoint, ProviderPreferences prefs) {
    return EndpointFilter.refusal(endpoint, REQUEST.requestedParameters(), prefs, false);
  }

  private static ProviderPreferences maxPrice(@Nullable String prompt, @Nullable String completion,
      @Nullable String request, @Nullable String image) {
    return new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null, Map.of(), false,
        List.of(), null, new MaxPrice(decimal(prompt), decimal(completion), decimal(request), decimal(image), null),
        null, null);
  }

  private static ProviderPreferences quantizations(String... names) {
    return new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null, Map.of(), false,
        List.of(names), null, null, null, null);
  }

  private static @Nullable BigDecimal decimal(@Nullable String value) {
    return value == null ? null : new BigDecimal(value);
  }

  private static Endpoint endpoint(Pricing pricing, @Nullable String quantization, DataPolicy policy) {
    return new Endpoint("acme/chat", "p", "p-chat", pricing, 8192, null, quantization, policy, List.of());
  }
}
