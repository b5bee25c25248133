package dev.switchboard.it.cluster;

import static dev.switchboard.it.cluster.ThreeNodes.MODEL;
import static dev.switchboard.it.cluster.ThreeNodes.chatBody;
import static dev.switchboard.it.cluster.ThreeNodes.eventually;
import static dev.switchboard.it.cluster.ThreeNodes.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cluster.RedisServerProcess;
import dev.switchboard.cluster.TestRedis;
import dev.switchboard.it.process.GatewayProcess;
import dev.switchboard.store.RequiresPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis killed and restarted under load (a private {@code redis-server}, never the machine's):
 * every request through the three nodes still succeeds, with rate limits, reservations and session
 * pins in play; while Redis is away the nodes say they are degraded (once, in the log, and on
 * {@code /health/ready}, still 200), and afterwards they are whole again.
 */
@RequiresPostgres
class RedisRestartTest {
  @TempDir Path dir;

  @Test
  void noRequestFailsBecauseRedisWentAwayAndCameBack() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start(dir);
        ThreeNodes cluster = new ThreeNodes(dir, redis.url(), TestRedis.freshPrefix())) {
      String key = cluster.createKey("\"limit\":100,\"rate_limit\":{\"requests_per_minute\":100000,"
          + "\"tokens_per_minute\":10000000}")[0];
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger sent = new AtomicInteger();
      try (ExecutorService load = Executors.newFixedThreadPool(6)) {
        for (int t = 0; t < 6; t++) {
          int thread = t;
          load.submit(() -> {
            // Bounded: at most 2,000 requests per thread, whatever happens to the loop's flag.
            for (int i = 0; i < 2_000 && running.get(); i++) {
              String extra = "\"session_id\":\"conversation-" + thread + "\",\"max_tokens\":20";
              int status;
              try {
                HttpResponse<String> response = cluster.chat((thread + i) % 3, key, chatBody(MODEL, "hi", extra));
                status = response.statusCode();
                if (status != 200) {
                  failures.add(status + " " + response.body());
                }
              } catch (RuntimeException e) {
                status = -1;
                failures.add(e.toString());
              }
              statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
              sent.incrementAndGet();
            }
          });
        }
        pause(1_500);
        redis.kill();
        for (int node = 0; node < 3; node++) {
          GatewayProcess process = cluster.node(node);
          assertThat(eventually(Duration.ofSeconds(10), () -> degraded(cluster, process)))
              .as("node %s says it is degraded", node).isTrue();
        }
        pause(1_500);
        redis.restart();
        for (int node = 0; node < 3; node++) {
          GatewayProcess process = cluster.node(node);
          assertThat(eventually(Duration.ofSeconds(30), () -> !degraded(cluster, process)))
              .as("node %s is whole again", node).isTrue();
        }
        pause(1_500);
        running.set(false);
      }
      assertThat(sent.get()).isGreaterThan(30);
      assertThat(statuses.keySet()).as(statuses + " " + failures + "\n" + cluster.logs()).containsOnly(200);
      for (GatewayProcess node : cluster.nodes) {
        // Once per outage: "degraded" and "answers again" alternate, starting with "degraded"
        // (on a busy machine a node may also have seen Redis too slow to answer, another outage).
        List<String> said = node.logText().lines()
            .filter(line -> line.contains("RedisLink:") && (line.contains("is DEGRADED") || line.contains("answers again")))
            .map(line -> line.contains("is DEGRADED") ? "down" : "up")
            .toList();
        assertThat(said).as(node.logText()).contains("down", "up");
        for (int i = 0; i < said.size(); i++) {
          assertThat(said.get(i)).as(said.toString()).isEqualTo(i % 2 == 0 ? "down" : "up");
        }
        assertThat(said.size() % 2).as("it ends up, not degraded: %s", said).isZero();
      }
    }
  }

  private static boolean degraded(ThreeNodes cluster, GatewayProcess node) {
    HttpResponse<String> ready = cluster.send(node, "GET", "/health/ready", null, null);
    assertThat(ready.statusCode()).as("a degraded node stays in the load balancer").isEqualTo(200);
    return json(ready.body()).path("status").asText().equals("degraded")
        && json(ready.body()).path("degraded").toString().contains("redis");
  }

  private static void pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }
}
