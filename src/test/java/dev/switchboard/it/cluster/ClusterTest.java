package dev.switchboard.it.cluster;

import static dev.switchboard.it.cluster.ThreeNodes.FLAKY;
import static dev.switchboard.it.cluster.ThreeNodes.MODEL;
import static dev.switchboard.it.cluster.ThreeNodes.chatBody;
import static dev.switchboard.it.cluster.ThreeNodes.eventually;
import static dev.switchboard.it.cluster.ThreeNodes.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.cluster.RequiresRedis;
import dev.switchboard.cluster.TestRedis;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.store.Money;
import dev.switchboard.store.RequiresPostgres;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real gateway processes sharing PostgreSQL and Redis ({@link ThreeNodes}): a key's rate
 * limit admits exactly its allowance whichever nodes the requests reach, concurrent spending
 * through all three stays within the key's limit plus the documented bound, and an endpoint one
 * node saw fail is avoided by the others.
 */
@RequiresPostgres
@RequiresRedis
class ClusterTest {
  @TempDir static Path dir;
  static ThreeNodes cluster;

  @BeforeAll
  static void start() {
    cluster = new ThreeNodes(dir, TestRedis.url(), TestRedis.freshPrefix());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKeyLimitedToNRequestsAMinuteGetsExactlyNFromThreeNodes() throws Exception {
    int limit = 6;
    String key = cluster.createKey("\"rate_limit\":{\"requests_per_minute\":" + limit + "}")[0];
    long start = System.nanoTime();
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 3 * limit; i++) {
        int node = i % 3;
        sent.add(pool.submit(() -> cluster.chat(node, key, chatBody(MODEL, "hi", ""))));
      }
      for (Future<HttpResponse<String>> response : sent) {
        statuses.add(response.get().statusCode());
      }
    }
    // The buckets refill one request every 10 s; only a stall that long could add one.
    long refills = (System.nanoTime() - start) * limit / 60_000_000_000L;
    long ok = statuses.stream().filter(s -> s == 200).count();
    assertThat(ok).as(statuses + "\n" + cluster.redisLines()).isBetween((long) limit, limit + refills);
    assertThat(statuses).as("every other answer is a 429").allMatch(s -> s == 200 || s == 429);
  }

  @Test
  void concurrentSpendingThroughThreeNodesStaysWithinTheKeysLimit() throws Exception {
    // Each request reserves its worst case (the estimated prompt plus max_tokens at the model's
    // prices) and costs what the mock bills, which is less. With reservations shared in Redis the
    // documented bound is what admitted requests cost beyond their reservation: none here.
    // The mock answers after 300 ms, so many requests are in flight on every node at once: nodes
    // reserving on their own would each admit against the whole remainder.
    int maxTokens = 20;
    String slow = "hi #mock: delay=300";
    long promptTokens = new TokenEstimator().prompt(ChatRequest.of(MODEL, List.of(Message.text(Role.USER, slow))));
    long worstNanos = promptTokens * 1_000 + maxTokens * 2_000L;
    long limitNanos = 8 * worstNanos;
    String[] key = cluster.createKey("\"limit\":" + Money.toUsd(limitNanos).toPlainString());
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(18)) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 54; i++) {
        int node = i % 3;
        sent.add(pool.submit(() -> cluster.chat(node, key[0], chatBody(MODEL, slow, "\"max_tokens\":" + maxTokens))));
      }
      for (Future<HttpResponse<String>> response : sent) {
        statuses.add(response.get().statusCode());
      }
    }
    HttpResponse<String> fetched = cluster.send(cluster.node(1), "GET", "/api/v1/keys/" + key[1], null, cluster.admin);
    JsonNode data = json(fetched.body()).path("data");
    long usedNanos = Money.toNanos(new BigDecimal(data.path("usage").asText()));
    assertThat(usedNanos).as(statuses + "\n" + cluster.redisLines()).isLessThanOrEqualTo(limitNanos);
    assertThat(statuses).contains(402);
    long ok = statuses.stream().filter(s -> s == 200).count();
    assertThat(ok).as("at least the requests whose worst case fits were admitted").isGreaterThanOrEqualTo(8);
  }

  @Test
  void anEndpointOneNodeSawFailIsAvoidedByAllNodes() {
    String key = cluster.createKey("")[0];
    String byPrice = "\"provider\":{\"sort\":\"price\"}";
    long brokenBefore = cluster.broken.stats().requests();
    HttpResponse<String> first = cluster.chat(0, key, chatBody(FLAKY, "hi", byPrice));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(cluster.broken.stats().requests()).as("node a tried the broken endpoint first").isGreaterThan(brokenBefore);

    for (int node : new int[] {1, 2}) {
      int n = node;
      assertThat(eventually(Duration.ofSeconds(10), () -> brokenUnavailable(n))).as(cluster.logs()).isTrue();
    }
    long brokenAfter = cluster.broken.stats().requests();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = cluster.chat(1 + i % 2, key, chatBody(FLAKY, "hi", byPrice));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(cluster.broken.stats().requests()).as("nodes b and c never called it").isEqualTo(brokenAfter);
  }

  /** Whether node {@code index}'s providers API shows the broken endpoint kept away. */
  private static boolean brokenUnavailable(int index) {
    HttpResponse<String> providers = cluster.send(cluster.node(index), "GET", "/api/v1/providers", null, null);
    for (JsonNode provider : json(providers.body()).path("data")) {
      if (provider.path("slug").asText().equals("broken")) {
        for (JsonNode endpoint : provider.path("endpoints")) {
          if (!endpoint.path("health").path("unavailable_until").isNull()
              && endpoint.path("health").has("unavailable_until")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
