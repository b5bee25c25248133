package dev.switchboard.routing;

import static dev.switchboard.routing.PlannerFixture.planner;
import static dev.switchboard.routing.PlannerFixture.prefs;
import static dev.switchboard.routing.PlannerFixture.request;
import static dev.switchboard.routing.PlannerFixture.slugs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.provider.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {
  private final RoutePlanner planner = planner();

  /** With every endpoint healthy and a draw of 0 (see {@link PlannerFixture#planner()}). */
  @Test
  void cheapestEndpointFirstByDefault() {
    RoutePlan plan = planner.plan(request("acme/chat", ProviderPreferences.NONE));
    assertThat(slugs(plan)).containsExactly("cheap", "mid", "pricey");
    Attempt first = plan.attempts().getFirst();
    assertThat(first.model().id()).isEqualTo("acme/chat");
    assertThat(first.target()).isEqualTo(new Target("cheap", "cheap-chat", "http://127.0.0.1:9/cheap/v1"));
    assertThat(first.provider().slug()).isEqualTo("cheap");
  }

  @Test
  void aliasResolvesToTheModel() {
    RoutePlan plan = planner.plan(request("backup", ProviderPreferences.NONE));
    assertThat(plan.attempts()).singleElement().satisfies(a -> assertThat(a.model().id()).isEqualTo("acme/backup"));
  }

  @Test
  void orderPutsNamedProvidersFirstCaseInsensitively() {
    assertThat(slugs(planner.plan(request("acme/chat", prefs(List.of("PRICEY"), List.of(), List.of(), true)))))
        .containsExactly("pricey", "cheap", "mid");
    assertThat(slugs(planner.plan(request("acme/chat", prefs(List.of("Mid", "pricey"), List.of(), List.of(), true)))))
        .containsExactly("mid", "pricey", "cheap");
    // A provider in order that does not serve the model changes nothing.
    assertThat(slugs(planner.plan(request("acme/chat", prefs(List.of("nobody"), List.of(), List.of(), true)))))
        .containsExactly("cheap", "mid", "pricey");
  }

  @Test
  void onlyKeepsTheNamedProviders() {
    assertThat(slugs(planner.plan(request("acme/chat", prefs(List.of(), List.of("PRICEY", "mid"), List.of(), true)))))
        .containsExactly("mid", "pricey");
  }

  @Test
  void ignoreDropsTheNamedProviders() {
    assertThat(slugs(planner.plan(request("acme/chat", prefs(List.of(), List.of(), List.of("Cheap"), true)))))
        .containsExactly("mid", "pricey");
  }

  @Test
  void noFallbacksWithOrderKeepsOnlyTheOrderedProviders() {
    ProviderPreferences prefs = prefs(List.of("pricey", "MID"), List.of(), List.of(), false);
    assertThat(slugs(planner.plan(request("acme/chat", prefs)))).containsExactly("pricey", "mid");
  }

  @Test
  void noFallbacksWithoutOrderKeepsOnlyThePrimaryEndpointOfEachModel() {
    ProviderPreferences prefs = prefs(List.of(), List.of(), List.of(), false);
    assertThat(slugs(planner.plan(request("acme/chat", prefs)))).containsExactly("cheap");
    // The primary is chosen among what the other filters left.
    ProviderPreferences ignoringCheap = prefs(List.of(), List.of(), List.of("cheap"), false);
    assertThat(slugs(planner.plan(request("acme/chat", ignoringCheap)))).containsExactly("mid");
    // Model fallbacks are not provider fallbacks: each model keeps its primary.
    RoutePlan plan = planner.plan(request("acme/chat", List.of("acme/backup"), prefs));
    assertThat(slugs(plan)).containsExactly("cheap", "backup");
  }

  @Test
  void requireParametersDropsEndpointsLackingARequestedParameter() {
    ChatRequest withTools = withTools(new ProviderPreferences(
        List.of(), List.of(), List.of(), true, true, null, null, Map.of()));
    assertThat(slugs(planner.plan(withTools))).containsExactly("cheap", "pricey");
    // Without require_parameters the same request may go anywhere.
    assertThat(slugs(planner.plan(withTools(ProviderPreferences.NONE)))).containsExactly("cheap", "mid", "pricey");
  }

  @Test
  void dataCollectionDenyDropsEndpointsThatTrainOrRetain() {
    ProviderPreferences deny = new ProviderPreferences(
        List.of(), List.of(), List.of(), true, false, "deny", null, Map.of());
    assertThat(slugs(planner.plan(request("acme/chat", deny)))).containsExactly("cheap");
    ProviderPreferences allow = new ProviderPreferences(
        List.of(), List.of(), List.of(), true, false, "allow", null, Map.of());
    assertThat(slugs(planner.plan(request("acme/chat", allow)))).containsExactly("cheap", "mid", "pricey");
  }

  @Test
  void fallbackModelsAppendTheirEndpointsInOrder() {
    RoutePlan plan = planner.plan(request("acme/chat", List.of("acme/backup"), ProviderPreferences.NONE));
    assertThat(plan.attempts()).extracting(a -> a.model().id() + "@" + a.endpoint().providerSlug())
        .containsExactly("acme/chat@cheap", "acme/chat@mid", "acme/chat@pricey", "acme/backup@backup");
  }

  @Test
  void aModelReachedTwiceThroughAnAliasIsPlannedOnce() {
    RoutePlan plan = planner.plan(request("acme/backup", List.of("backup"), ProviderPreferences.NONE));
    assertThat(slugs(plan)).containsExactly("backup");
  }

  @Test
  void fallbackModelKeepsThePlanAliveWhenThePrimaryModelIsFilteredOut() {
    ProviderPreferences onlyBackup = prefs(List.of(), List.of("backup"), List.of(), true);
    RoutePlan plan = planner.plan(request("acme/chat", List.of("acme/backup"), onlyBackup));
    assertThat(slugs(plan)).containsExactly("backup");
  }

  @Test
  void unknownModelIsNotFoundNamingIt() {
    assertThatThrownBy(() -> planner.plan(request("acme/nope", ProviderPreferences.NONE)))
        .isInstanceOf(GatewayException.NotFound.class)
        .hasMessageContaining("'acme/nope'");
    assertThatThrownBy(() -> planner.plan(request("acme/chat", List.of("acme/gone"), ProviderPreferences.NONE)))
        .isInstanceOf(GatewayException.NotFound.class)
        .hasMessageContaining("'acme/gone'");
  }

  @Test
  void everythingFilteredSaysWhichFilterRemovedWhichEndpoint() {
    ProviderPreferences prefs = new ProviderPreferences(
        List.of(), List.of("pricey", "mid"), List.of("pricey"), true, false, "deny", null, Map.of());
    assertThatThrownBy(() -> planner.plan(request("acme/chat", prefs)))
        .isInstanceOfSatisfying(GatewayException.NotFound.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage())
              .startsWith("no endpoint can serve this request")
              .contains("acme/chat via pricey: in provider.ignore")
              .contains("acme/chat via cheap: not in provider.only")
              .contains("acme/chat via mid: provider.data_collection is deny");
          assertThat(e.metadata()).containsKey("filtered");
          List<String> filtered =
              ((Map<?, ?>) e.metadata().get("filtered")).keySet().stream().map(String::valueOf).toList();
          assertThat(filtered).containsExactlyInAnyOrder(
              "acme/chat via pricey", "acme/chat via cheap", "acme/chat via mid");
          Map<?, ?> availability = (Map<?, ?>) e.metadata().get("availability");
          assertThat(availability.get("code")).isEqualTo("constraint_filtered");
          assertThat(((List<?>) availability.get("excluded_by")).stream().map(String::valueOf).toList())
              .containsExactlyInAnyOrder("allowed_providers", "data_policy:training");
        });
  }

  @Test
  void requireParametersAndOrderReasonsAreNamed() {
    ProviderPreferences prefs = new ProviderPreferences(
        List.of("mid"), List.of(), List.of(), false, true, null, null, Map.of());
    assertThatThrownBy(() -> planner.plan(withTools(prefs)))
        .isInstanceOf(GatewayException.NotFound.class)
        .hasMessageContaining("acme/chat via mid: provider.require_parameters is true and it does not support 'tools'")
        .hasMessageContaining("acme/chat via cheap: not in provider.order and provider.allow_fallbacks is false");
  }

  @Test
  void anEndpointOfAnUnconfiguredProviderIsNamedInTheError() {
    assertThatThrownBy(() -> planner.plan(request("acme/orphan", ProviderPreferences.NONE)))
        .isInstanceOf(GatewayException.NotFound.class)
        .hasMessageContaining("acme/orphan via ghost: provider is not configured on this gateway");
  }

  @Test
  void sortPartitionNoneSortsEveryModelsEndpointsTogether() {
    ProviderPreferences byModel = sorted("price", null);
    ProviderPreferences together = sorted("price", "none");

    assertThat(slugs(planner.plan(request("acme/chat", List.of("acme/backup"), byModel))))
        .containsExactly("cheap", "mid", "pricey", "backup");
    assertThat(slugs(planner.plan(request("acme/chat", List.of("acme/backup"), together))))
        .as("backup ($3+$3) is cheaper than pricey ($5+$10)")
        .containsExactly("cheap", "mid", "backup", "pricey");
  }

  @Test
  void maxPriceRemovesDearEndpointsAndSaysSoWhenNoneIsLeft() {
    ProviderPreferences upToTwoDollars = new ProviderPreferences(List.of(), List.of(), List.of(), true, false,
        null, null, Map.of(), false, List.of(), null,
        new ProviderPreferences.MaxPrice(new java.math.BigDecimal("2"), null, null, null, null), null, null);
    RoutePlan plan = planner.plan(request("acme/chat", upToTwoDollars));

    assertThat(slugs(plan)).containsExactly("cheap", "mid");
    assertThat(plan.excluded()).singleElement().satisfies(e -> {
      assertThat(e.provider()).isEqualTo("pricey");
      assertThat(e.filter()).isEqualTo("max_price");
    });
    assertThatThrownBy(() -> planner.plan(request("acme/backup", upToTwoDollars)))
        .isInstanceOfSatisfying(GatewayException.NotFound.class, e -> assertThat(e.getMessage())
            .contains("acme/backup via backup: its prompt price $3 per million tokens is above provider.max_price"));
  }

  @Test
  void zdrLeavesOnlyTheZeroRetentionEndpoint() {
    ProviderPreferences zdr = new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null,
        Map.of(), true, List.of(), null, null, null, null);
    assertThat(slugs(planner.plan(request("acme/chat", zdr)))).containsExactly("cheap");
  }

  private static ProviderPreferences sorted(String by, String partition) {
    return new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, by, Map.of(), false,
        List.of(), partition, null, null, null);
  }

  private static ChatRequest withTools(ProviderPreferences prefs) {
    return new ChatRequest("acme/chat", List.of(), List.of(Message.text(Role.USER, "weather?")),
        List.of(new ToolSpec("get_weather", null, null, null)), null, null, null, null, null, null, null,
        List.of(), null, null, null, false, false, prefs, Map.of());
  }
}
