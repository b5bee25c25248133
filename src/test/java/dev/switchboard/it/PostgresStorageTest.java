package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.keys.ApiKeys;
import dev.switchboard.store.Database;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on {@code storage.url: postgresql://…}: keys and generation records land in
 * PostgreSQL, read back through a second, independent connection pool on the same schema.
 */
@RequiresPostgres
class PostgresStorageTest {
  @TempDir static Path dir;
  static TestStore store;
  static GatewayFixture gateway;
  static Database reader;

  @BeforeAll
  static void start() {
    store = TestPostgres.freshSchema();
    // Quoted: the fixture's YAML puts it in a flow mapping, where '?' and '&' are not plain text.
    String url = "'" + store.config().url() + "'";
    gateway = GatewayFixture.start(dir, 1,
        env -> GatewayFixture.contractYaml(new GatewayFixture.Env(env.mocks(), url), "", ""));
    reader = store.open();
  }

  @AfterAll
  static void stop() {
    try {
      if (reader != null) {
        reader.close();
      }
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  @Test
  void aChatRequestIsRecordedInPostgresBeforeItsResponseCompletes() throws SQLException {
    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT, ""));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String id = json(response.body()).path("id").asText();
    // No polling: the gateway commits the record before it answers.
    GenerationRecord record = reader.generations().find(id).orElseThrow();
    assertThat(record.status()).isEqualTo(GenerationRecord.Status.SUCCESS);
    assertThat(record.keyHash()).isEqualTo(ApiKeys.hash(gateway.key));
    assertThat(record.model()).isEqualTo(GatewayFixture.MODEL);
    assertThat(record.provider()).isEqualTo("mock");
    assertThat(record.usage().promptTokens()).isEqualTo(ChatCompletionsTest.PROMPT_TOKENS);
    assertThat(record.usage().completionTokens()).isEqualTo(ChatCompletionsTest.COMPLETION_TOKENS);
    assertThat(record.costNanos()).isEqualTo(26_000L);
    assertThat(record.streamed()).isFalse();
    // In the partition of the month it was made in.
    YearMonth month = YearMonth.from(record.createdAt().atOffset(ZoneOffset.UTC));
    assertThat(partitionOf(id)).isEqualTo("generations_y%04dm%02d"
        .formatted(month.getYear(), month.getMonthValue()));
  }

  @Test
  void keysAndUsageAreServedFromPostgres() {
    String key = gateway.app.keys().create("pg-usage", KeyKind.INFERENCE).plaintext();
    assertThat(reader.keys().find(ApiKeys.hash(key))).isPresent();

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> chat = gateway.post("/api/v1/chat/completions",
          body(ChatCompletionsTest.PROMPT, "\"stream\":" + (i == 1)), key);
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    }

    assertThat(TestStores.scalar(reader,
        "SELECT count(*) FROM generations WHERE key_hash = '" + ApiKeys.hash(key) + "'")).isEqualTo(2);
    HttpResponse<String> usage = gateway.get("/api/v1/key", key);
    assertThat(usage.statusCode()).isEqualTo(200);
    assertThat(json(usage.body()).path("data").path("usage").decimalValue())
        .isEqualByComparingTo(ChatCompletionsTest.COST.multiply(BigDecimal.TWO));
  }

  private static String partitionOf(String id) throws SQLException {
    try (Connection connection = reader.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT tableoid::regclass::text FROM generations WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getString(1);
      }
    }
  }
}
