package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.number;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.keys.NewKey;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.LimitReset;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission over HTTP: key limits and required credits refuse with 402, lower {@code max_tokens}
 * to what fits (and say so), and hold concurrent requests on one key within the limit.
 *
 * <p>Prices in the fixture: 1,000 nano-USD per prompt token, 2,000 per completion token. The mock
 * bills 8 prompt and 9 completion tokens for {@link ChatCompletionsTest#PROMPT} (26,000 nano-USD),
 * and the gateway's estimate of that prompt is higher, so every reservation covers the real cost.
 */
class SpendingLimitsTest {
  private static final long PROMPT_NANOS = 1_000;
  private static final long COMPLETION_NANOS = 2_000;
  private static final long COST_NANOS = 26_000;

  @TempDir Path dir;

  /** The gateway's estimate of the prompt tokens of {@link ChatCompletionsTest#PROMPT}. */
  private static long estimatedPrompt() {
    return estimatedPrompt(ChatCompletionsTest.PROMPT);
  }

  private static long estimatedPrompt(String text) {
    return new TokenEstimator().prompt(ChatRequest.of(GatewayFixture.MODEL, List.of(Message.text(Role.USER, text))));
  }

  private static String limitedKey(GatewayFixture gateway, long limitNanos) {
    return gateway.app.keys()
        .create(new NewKey("limited", KeyKind.INFERENCE, limitNanos, LimitReset.DAILY, null)).plaintext();
  }

  private static HttpResponse<String> chat(GatewayFixture gateway, String key, String extra) {
    return gateway.post("/api/v1/chat/completions", body(ChatCompletionsTest.PROMPT, extra), key);
  }

  @Test
  void aKeyWhoseLimitIsSpentGets402SayingWhatRemains() {
    try (GatewayFixture gateway = GatewayFixture.start(dir)) {
      // Room for two requests with max_tokens 10, not three.
      long worst = estimatedPrompt() * PROMPT_NANOS + 10 * COMPLETION_NANOS;
      String key = limitedKey(gateway, 2 * COST_NANOS + estimatedPrompt() * PROMPT_NANOS);

      assertThat(chat(gateway, key, "\"max_tokens\":10").statusCode()).isEqualTo(200);
      assertThat(chat(gateway, key, "\"max_tokens\":10").statusCode()).isEqualTo(200);
      HttpResponse<String> refused = chat(gateway, key, "\"max_tokens\":10");

      assertThat(worst).isGreaterThan(COST_NANOS);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
      JsonNode error = json(refused.body()).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(402);
      assertThat(error.path("message").asText())
          .startsWith("this key's daily limit of $0.")
          .contains("has $0.0000" + (estimatedPrompt()) + " left")
          .contains("starts over at the next midnight");
      assertThat(gateway.generationsOfKey(key)).hasSize(2);
      JsonNode me = json(gateway.get("/api/v1/key", key).body()).path("data");
      assertThat(me.path("limit_remaining").decimalValue())
          .isEqualByComparingTo(BigDecimal.valueOf(estimatedPrompt() * PROMPT_NANOS, 9));
    }
  }

  @Test
  void aWorstCaseThatDoesNotFitRunsWithMaxTokensLoweredAndSaysSo() {
    try (GatewayFixture gateway = GatewayFixture.start(dir)) {
      long fits = 20;
      String key = limitedKey(gateway, estimatedPrompt() * PROMPT_NANOS + fits * COMPLETION_NANOS + 1_500);

      HttpResponse<String> response = chat(gateway, key, "\"max_tokens\":4000");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-switchboard-max-tokens-lowered")).contains(String.valueOf(fits));
      JsonNode upstream = gateway.mock().stats().lastRequest();
      JsonNode sent = upstream.has("max_tokens") ? upstream.path("max_tokens") : upstream.path("max_completion_tokens");
      assertThat(sent.asLong()).as("upstream request %s", upstream).isEqualTo(fits);

      // A request that fits is sent as it came, without the header.
      String roomy = limitedKey(gateway, 1_000_000_000L);
      HttpResponse<String> untouched = chat(gateway, roomy, "\"max_tokens\":4000");
      assertThat(untouched.headers().firstValue("x-switchboard-max-tokens-lowered")).isEmpty();
      JsonNode last = gateway.mock().stats().lastRequest();
      assertThat((last.has("max_tokens") ? last.path("max_tokens") : last.path("max_completion_tokens")).asLong())
          .isEqualTo(4000);
    }
  }

  @Test
  void aStreamSaysItsMaxTokensWereLoweredInItsHeaders() {
    try (GatewayFixture gateway = GatewayFixture.start(dir)) {
      String key = limitedKey(gateway, estimatedPrompt() * PROMPT_NANOS + 12 * COMPLETION_NANOS);

      HttpResponse<String> response = chat(gateway, key, "\"stream\":true");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-switchboard-max-tokens-lowered")).contains("12");
      assertThat(response.body()).contains("data: [DONE]");
    }
  }

  @Test
  void withRequiredCreditsAnAccountSpendsOnlyWhatWasGranted() {
    try (GatewayFixture gateway = GatewayFixture.start(dir, 1,
        env -> GatewayFixture.contractYaml(env, "", "") + "accounting: { require_credits: true }\n")) {
      String admin = gateway.managementKey();

      HttpResponse<String> broke = gateway.chat(body(ChatCompletionsTest.PROMPT, ""));
      assertThat(broke.statusCode()).as(broke.body()).isEqualTo(402);
      assertThat(json(broke.body()).path("error").path("message").asText())
          .contains("the account 'default'").contains("POST /api/v1/credits");

      assertThat(gateway.post("/api/v1/credits", "{\"amount\": 0.0001}", admin).statusCode()).isEqualTo(200);
      assertThat(gateway.chat(body(ChatCompletionsTest.PROMPT, "\"max_tokens\":10")).statusCode()).isEqualTo(200);

      JsonNode credits = json(gateway.get("/api/v1/credits", admin).body()).path("data");
      assertThat(credits.path("total_credits").decimalValue()).isEqualByComparingTo("0.0001");
      assertThat(credits.path("total_usage").decimalValue()).isEqualByComparingTo(ChatCompletionsTest.COST);
    }
  }

  @Test
  void concurrentRequestsOnOneKeyStayWithinItsLimit() throws Exception {
    try (GatewayFixture gateway = GatewayFixture.start(dir)) {
      // A slow upstream keeps every admitted request in flight while the others arrive.
      String prompt = ChatCompletionsTest.PROMPT + " #mock:delay=300";
      long worst = estimatedPrompt(prompt) * PROMPT_NANOS + 10 * COMPLETION_NANOS;
      long limit = 5 * worst;
      String key = limitedKey(gateway, limit);
      int requests = 24;
      List<Integer> statuses = new ArrayList<>();
      String slow = body(prompt, "\"max_tokens\":10");
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
          futures.add(clients.submit(() -> gateway.post("/api/v1/chat/completions", slow, key)));
        }
        for (Future<HttpResponse<String>> future : futures) {
          statuses.add(future.get().statusCode());
        }
      }

      long spent = 0;
      for (Map<String, Object> row : gateway.generationsOfKey(key)) {
        spent += number(row, "cost_nanos");
      }
      assertThat(statuses).containsOnly(200, 402);
      assertThat(statuses).contains(402);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isGreaterThanOrEqualTo(5);
      assertThat(spent).isLessThanOrEqualTo(limit);
      JsonNode me = json(gateway.get("/api/v1/keys/" + ApiKeys.hash(key), gateway.managementKey()).body()).path("data");
      assertThat(me.path("usage_daily").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(spent, 9));
    }
  }
}
