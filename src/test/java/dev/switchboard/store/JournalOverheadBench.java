package dev.switchboard.store;

import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.Role;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the attempt journal costs a request: the wait for its journal row's commit (the latency
 * added before the first upstream byte), alone and under concurrency, and the prompt estimate it
 * needs for keys nothing caps. Not a test (timings are never asserted); run by hand:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.switchboard.store.JournalOverheadBench [postgres-url]
 * java -Djournal=table -cp … dev.switchboard.store.JournalOverheadBench   # SQLite with the table journal
 * </pre>
 */
public final class JournalOverheadBench {
  private JournalOverheadBench() {}

  public static void main(String[] args) throws Exception {
    try (BenchStore store = BenchStore.open(args, "journal-bench")) {
      GenerationWriter writer = store.writer();
      NodeJournal node = store.node();
      // Warm-up, then idle: one request at a time, so every start is its own commit.
      sequential(writer, node, "warm", 2_000);
      long[] idle = sequential(writer, node, "idle", 2_000);
      System.out.printf("%s (journal in %s) idle: start() returns after p50 %d us, p99 %d us%n", store.backEnd(),
          store.journalFiles() ? "files" : "the table",
          idle[idle.length / 2] / 1_000, idle[idle.length * 99 / 100] / 1_000);
      for (int threads : new int[] {16, 64}) {
        long commitsBefore = writer.commits();
        long[] busy = concurrent(writer, node, threads, 200);
        long commits = writer.commits() - commitsBefore;
        System.out.printf("  %d concurrent requests: start() p50 %d us, p99 %d us; %d journal rows + %d settlements in %d commits%n",
            threads, busy[busy.length / 2] / 1_000, busy[busy.length * 99 / 100] / 1_000, busy.length, busy.length, commits);
      }
    }
    TokenEstimator estimator = new TokenEstimator();
    Admission admission = new Admission(estimator);
    ChatRequest request = ChatRequest.of("m", List.of(Message.text(Role.USER, "Summarise the following. " + "word ".repeat(200))));
    Admission.Quote quote = new Admission.Quote(new Pricing(new BigDecimal("0.000001"), new BigDecimal("0.000002"),
        null, null, null, null, null), 4096, 32768);
    for (int i = 0; i < 20_000; i++) {
      admission.worstCase(request, quote);
    }
    long start = System.nanoTime();
    for (int i = 0; i < 20_000; i++) {
      admission.worstCase(request, quote);
    }
    System.out.printf("worst-case estimate of a ~1 kB prompt (uncapped keys): %.1f us%n",
        (System.nanoTime() - start) / 20_000 / 1_000.0);
  }

  private static InFlight row(String id, NodeJournal node) {
    return new InFlight(id, node.id(), TestStores.KEY_HASH, Database.DEFAULT_ACCOUNT_ID, "m", "p", "pm", false,
        10, 100, 1_000, Instant.now());
  }

  private static long[] sequential(GenerationWriter writer, NodeJournal node, String prefix, int n) throws Exception {
    long[] waits = new long[n];
    for (int i = 0; i < n; i++) {
      String id = "gen-" + prefix + "-" + i;
      long t = System.nanoTime();
      writer.start(row(id, node)).get();
      waits[i] = System.nanoTime() - t;
      writer.settle(TestStores.record(id, TestStores.KEY_HASH, 700, Instant.now())).committed().get();
    }
    Arrays.sort(waits);
    return waits;
  }

  private static long[] concurrent(GenerationWriter writer, NodeJournal node, int threads, int perThread) throws Exception {
    List<Future<long[]>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> sequential(writer, node, "c" + threads + "-" + thread, perThread)));
      }
    }
    long[] all = new long[threads * perThread];
    int i = 0;
    for (Future<long[]> future : futures) {
      for (long wait : future.get()) {
        all[i++] = wait;
      }
    }
    Arrays.sort(all);
    return all;
  }
}
