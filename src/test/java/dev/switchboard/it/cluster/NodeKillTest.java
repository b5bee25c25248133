package dev.switchboard.it.cluster;

import static dev.switchboard.it.cluster.ThreeNodes.MODEL;
import static dev.switchboard.it.cluster.ThreeNodes.chatBody;
import static dev.switchboard.it.cluster.ThreeNodes.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cluster.RequiresRedis;
import dev.switchboard.cluster.TestRedis;
import dev.switchboard.it.process.Books;
import dev.switchboard.store.Database;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One of three nodes is killed with SIGKILL under load and never restarted: the two survivors
 * recover its in-flight attempts once its lease (2 s here) runs out, and the books balance as in
 * the single-node crash test ({@link Books}). Slow streams and slow non-streamed requests (slowed by
 * the mock) are spread over the three nodes, with fast requests settling through all of them.
 */
@RequiresPostgres
@RequiresRedis
class NodeKillTest {
  private static final int SLOW_STREAMS_PER_NODE = 4;
  private static final int SLOW_COMPLETIONS_PER_NODE = 3;
  private static final int KILLED = 1;

  @TempDir Path dir;

  @Test
  void oneNodeKilledUnderLoadIsRecoveredByTheOthersAndTheBooksBalance() throws Exception {
    try (ThreeNodes cluster = new ThreeNodes(dir, TestRedis.url(), TestRedis.freshPrefix(),
        "accounting: { node_lease: 2s }\n")) {
      String key = cluster.createKey("\"limit\":100")[0];
      Set<String> completed = ConcurrentHashMap.newKeySet();
      AtomicBoolean killed = new AtomicBoolean();
      AtomicBoolean stopFast = new AtomicBoolean();
      String victimId;
      try (Database books = cluster.openStore()) {
        victimId = TestStores.text(books,
            "SELECT id FROM nodes WHERE name LIKE '%:" + cluster.node(KILLED).port() + "'");
      }
      long killedRows;
      try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int node = 0; node < 3; node++) {
          int n = node;
          for (int i = 0; i < SLOW_STREAMS_PER_NODE; i++) {
            load.submit(() -> chat(cluster, n, key, true, "#mock:chunks=40 #mock:chunk-delay=100", completed));
          }
          for (int i = 0; i < SLOW_COMPLETIONS_PER_NODE; i++) {
            load.submit(() -> chat(cluster, n, key, false, "#mock:delay=4000", completed));
          }
        }
        int slow = 3 * (SLOW_STREAMS_PER_NODE + SLOW_COMPLETIONS_PER_NODE);
        assertThat(eventually(Duration.ofSeconds(15), () -> cluster.good.stats().streamsStarted()
            >= 3 * SLOW_STREAMS_PER_NODE && cluster.good.stats().requests() >= slow))
            .as("the slow requests all reached the mock\n" + cluster.logs()).isTrue();
        // Fast requests settle through every node (the killed one's until it dies).
        for (int node = 0; node < 3; node++) {
          int n = node;
          load.submit(() -> {
            boolean stream = false;
            // Bounded: at most 500 requests per loop, whatever happens to the flags.
            for (int i = 0; i < 500 && !stopFast.get() && !(n == KILLED && killed.get()); i++) {
              chat(cluster, n, key, stream = !stream, "", completed);
            }
          });
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> completed.size() >= 6)).isTrue();
        cluster.node(KILLED).kill();
        killed.set(true);

        try (Database books = cluster.openStore()) {
          // A test that cannot fail is a defect: the kill must have left the victim's attempts unsettled.
          killedRows = settledCount(books, "SELECT count(*) FROM in_flight WHERE node_id = '" + victimId + "'");
          assertThat(killedRows).as("journal rows the killed node left")
              .isGreaterThanOrEqualTo(SLOW_STREAMS_PER_NODE + SLOW_COMPLETIONS_PER_NODE);
          // The survivors recover them once the lease has run out, without any restart.
          assertThat(eventually(Duration.ofSeconds(15), () -> TestStores.scalar(books,
              "SELECT count(*) FROM in_flight WHERE node_id = '" + victimId + "'") == 0))
              .as("the survivors recovered the killed node's journal rows\n" + cluster.logs()).isTrue();
        }
        stopFast.set(true);
      }
      assertThat(cluster.node(0).isAlive() && cluster.node(2).isAlive()).isTrue();

      try (Database books = cluster.openStore()) {
        Books.Totals totals;
        try {
          totals = Books.assertBalanced(books, cluster.good.stats().requests(), killedRows, completed);
        } catch (AssertionError unbalanced) {
          // The nodes' logs tell a survivor taken for dead ("settled after it had been recovered") from
          // a count read too early.
          throw new AssertionError(unbalanced.getMessage() + "\n" + cluster.logs(), unbalanced);
        }
        System.out.printf("node-kill test: %d requests reached the mock, %d completed, %d journal rows left by"
            + " the killed node, %d generations (%d recovered by the survivors), %d nano-USD charged%n",
            cluster.good.stats().requests(), completed.size(), killedRows, totals.generations(),
            totals.recovered(), totals.costNanos());
      }
    }
  }

  /**
   * {@code countSql}'s count once two reads 200 ms apart agree. The killed process is gone when kill()
   * returns, but a COMMIT it sent just before dying can still be completing in PostgreSQL (the server
   * finishes a received COMMIT whatever became of the client), and a count read before it misses those
   * rows. One loaded CI run counted 8 and then found 10 recovered; this is the likelier of the two
   * causes found (the other: a starved survivor taken for dead, whose recovered requests the books
   * check would then report). The survivors recover nothing before the 2 s lease has run out, so a
   * stable count is the rows left.
   */
  private static long settledCount(Database books, String countSql) throws InterruptedException {
    long count = TestStores.scalar(books, countSql);
    for (int reads = 0; reads < 5; reads++) {
      Thread.sleep(200);
      long again = TestStores.scalar(books, countSql);
      if (again == count) {
        return count;
      }
      count = again;
    }
    return count;
  }

  private static void chat(ThreeNodes cluster, int node, String key, boolean stream, String directives,
      Set<String> completed) {
    String body = chatBody(MODEL, "tell me a story " + directives, "\"stream\":" + stream + ",\"max_tokens\":200");
    try {
      HttpResponse<String> response = cluster.chat(node, key, body);
      String id = response.headers().firstValue("x-generation-id").orElse(null);
      if (response.statusCode() == 200 && id != null && (!stream || response.body().contains("[DONE]"))) {
        completed.add(id);
      }
    } catch (RuntimeException e) {
      // the node died under this request
    }
  }
}
