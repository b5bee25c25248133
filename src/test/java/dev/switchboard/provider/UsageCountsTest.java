package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.Usage;
import org.junit.jupiter.api.Test;

class UsageCountsTest {

  @Test
  void aCountIsANonNegativeNumberOrNotReported() throws Exception {
    JsonNode node = JsonMapper.builder().build().readTree("{\"a\":12,\"b\":-3,\"c\":\"7\",\"d\":null}");
    assertThat(UsageCounts.count(node.get("a"))).isEqualTo(12L);
    assertThat(UsageCounts.count(node.get("b"))).isEqualTo(0L);
    assertThat(UsageCounts.count(node.get("c"))).isNull();
    assertThat(UsageCounts.count(node.get("d"))).isNull();
    assertThat(UsageCounts.count(node.get("missing"))).isNull();
    assertThat(UsageCounts.orZero(null)).isZero();
    assertThat(UsageCounts.orZero(5L)).isEqualTo(5);
  }

  @Test
  void cachedTokensOutsideTheInputCountJoinThePrompt() {
    assertThat(UsageCounts.withCacheOutsideInput(10, 100L, 5L, 20))
        .isEqualTo(new Usage(115, 20, 100L, 5L, null, false));
    assertThat(UsageCounts.withCacheOutsideInput(10, null, null, 20))
        .as("unreported cache counts stay unreported")
        .isEqualTo(new Usage(10, 20, null, null, null, false));
  }
}
