package dev.switchboard.store;

import dev.switchboard.http.GenerationIds;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The generation writer's own CPU per request (a journal row committed, then the request's record
 * settled, as on the chat path), with requests arriving in groups of a fixed size so each commit
 * carries exactly that many. CPU time of the writer thread, not wall time, so it isolates the
 * store's cost from the rest of the gateway and from what the machine's neighbours do to wall
 * clocks. Not a test (timings are never asserted); run by hand:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.switchboard.store.WriterCostBench [postgres-url]
 * </pre>
 *
 * <p>{@code -Dbench.ddl="stmt; stmt"} runs statements after the migrations, to try a schema change
 * (an index dropped, a table rebuilt) before writing its migration.
 */
public final class WriterCostBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final GenerationIds IDS = new GenerationIds();

  private WriterCostBench() {}

  public static void main(String[] args) throws Exception {
    try (BenchStore store = BenchStore.open(args, "writer-bench")) {
      Database database = store.database();
      GenerationWriter writer = store.writer();
      NodeJournal node = store.node();
      String ddl = System.getProperty("bench.ddl", "");
      if (!ddl.isBlank()) {
        try (var c = database.dataSource().getConnection(); var st = c.createStatement()) {
          for (String sql : ddl.split(";")) {
            if (!sql.isBlank()) {
              st.execute(sql);
            }
          }
        }
      }
      long writerThread = writerThreadId();
      run(writer, node, writerThread, 4, 20_000); // warm-up: JIT and a database of some size
      for (int round = 0; round < 2; round++) {
        for (int group : new int[] {1, 4, 16}) {
          double micros = run(writer, node, writerThread, group, 20_000);
          System.out.printf("%s, %2d requests per commit: writer CPU %.1f us per request%n",
              store.backEnd(), group, micros);
        }
      }
    }
  }

  private static double run(GenerationWriter writer, NodeJournal node, long writerThread, int group, int requests)
      throws Exception {
    long before = THREADS.getThreadCpuTime(writerThread);
    for (int done = 0; done < requests; done += group) {
      List<String> ids = new ArrayList<>(group);
      List<CompletableFuture<Void>> commits = new ArrayList<>(group);
      for (int i = 0; i < group; i++) {
        String id = IDS.next();
        ids.add(id);
        commits.add(writer.start(new InFlight(id, node.id(), TestStores.KEY_HASH, Database.DEFAULT_ACCOUNT_ID,
            "openai/gpt-4o", "openai", "gpt-4o", false, 40, 256, 1_000, Instant.now())));
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get();
      commits.clear();
      for (String id : ids) {
        commits.add(writer.settle(TestStores.record(id, TestStores.KEY_HASH, 700, Instant.now())).committed());
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get();
    }
    return (THREADS.getThreadCpuTime(writerThread) - before) / 1_000.0 / requests;
  }

  private static long writerThreadId() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("generation-writer"))
        .findFirst().orElseThrow().threadId();
  }
}
