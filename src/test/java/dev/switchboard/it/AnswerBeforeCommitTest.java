package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite a request is answered once its settlement is journaled, not once it is committed, and
 * the read APIs wait for the commit. Shown by holding the database's write lock from another
 * connection: the gateway's commits wait for it (up to its 5 s busy timeout) while clients get
 * their answers, and a read of the request's generation or of the credits waits until the lock
 * goes and the commit with it.
 */
class AnswerBeforeCommitTest {
  /** Well inside the store's 5 s busy timeout, after which the held commit would fail. */
  private static final long ANSWER_TIMEOUT_SECONDS = 3;

  @TempDir Path dir;
  private GatewayFixture gateway;
  private Connection lock;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayFixture.start(dir);
    // Warm: the key is cached and everything a first request writes once is written.
    assertThat(gateway.chat(body("warm up", "")).statusCode()).isEqualTo(200);
    lock = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("switchboard.db"));
  }

  @AfterEach
  void stop() throws SQLException {
    lock.close();
    gateway.close();
  }

  private void holdWriteLock() throws SQLException {
    try (Statement statement = lock.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
    }
  }

  private void releaseWriteLock() throws SQLException {
    try (Statement statement = lock.createStatement()) {
      statement.execute("ROLLBACK");
    }
  }

  private HttpResponse<String> answeredWhileLocked(String body) throws Exception {
    return CompletableFuture.supplyAsync(() -> gateway.chat(body)).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aCompletionIsAnsweredWhileItsCommitWaitsAndItsGenerationIsReadOnceCommitted() throws Exception {
    holdWriteLock();
    CompletableFuture<HttpResponse<String>> generation;
    try {
      HttpResponse<String> response = answeredWhileLocked(body("hello", ""));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String id = response.headers().firstValue("x-generation-id").orElseThrow();

      generation = CompletableFuture.supplyAsync(() -> gateway.get("/api/v1/generation?id=" + id, gateway.key));
      Thread.sleep(300);
      // Without the wait it would be a 404 by now: the record is not in the database yet.
      assertThat(generation).as("the read waits for the commit").isNotDone();
    } finally {
      releaseWriteLock();
    }
    HttpResponse<String> read = generation.get(10, TimeUnit.SECONDS);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(json(read.body()).path("data").path("total_cost").decimalValue()).isPositive();
  }

  @Test
  void aStreamEndsWhileItsCommitWaitsAndTheCreditsReadOnceCommittedIncludeIt() throws Exception {
    String admin = gateway.managementKey();
    double usageBefore = json(gateway.get("/api/v1/credits", admin).body()).path("data").path("total_usage").asDouble();
    holdWriteLock();
    CompletableFuture<HttpResponse<String>> credits;
    try {
      HttpResponse<String> response = answeredWhileLocked(body("hello", "\"stream\": true"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("data: [DONE]");

      credits = CompletableFuture.supplyAsync(() -> gateway.get("/api/v1/credits", admin));
      Thread.sleep(300);
      assertThat(credits).as("the read waits for the commit").isNotDone();
    } finally {
      releaseWriteLock();
    }
    HttpResponse<String> read = credits.get(10, TimeUnit.SECONDS);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(json(read.body()).path("data").path("total_usage").asDouble()).isGreaterThan(usageBefore);
  }
}
