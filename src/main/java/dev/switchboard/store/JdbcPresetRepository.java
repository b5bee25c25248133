package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link PresetRepository} on the {@code presets} table, in the SQL that SQLite and PostgreSQL share.
 * Thread-safe; caches nothing.
 */
public final class JdbcPresetRepository implements PresetRepository {
  private final DataSource dataSource;

  public JdbcPresetRepository(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  @Override
  public List<StoredPreset> list() {
    return Jdbc.query(dataSource, "listing presets", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
              "SELECT slug, definition, created_at, updated_at FROM presets ORDER BY slug");
          ResultSet rows = statement.executeQuery()) {
        List<StoredPreset> presets = new ArrayList<>();
        while (rows.next()) {
          presets.add(preset(rows));
        }
        return presets;
      }
    });
  }

  @Override
  public Optional<StoredPreset> find(String slug) {
    return Jdbc.query(dataSource, "reading preset " + slug, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT slug, definition, created_at, updated_at FROM presets WHERE slug = ?")) {
        statement.setString(1, slug);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next() ? Optional.of(preset(rows)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public StoredPreset save(String slug, String definition, Instant now) {
    // One statement, so two nodes saving the same slug at once cannot both insert.
    return Jdbc.query(dataSource, "saving preset " + slug, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO presets (slug, definition, created_at, updated_at) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (slug) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at"
              + " RETURNING slug, definition, created_at, updated_at")) {
        statement.setString(1, slug);
        statement.setString(2, definition);
        statement.setLong(3, now.toEpochMilli());
        statement.setLong(4, now.toEpochMilli());
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          return preset(rows);
        }
      }
    });
  }

  @Override
  public boolean delete(String slug) {
    return Jdbc.query(dataSource, "deleting preset " + slug, connection -> {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM presets WHERE slug = ?")) {
        statement.setString(1, slug);
        return statement.executeUpdate() > 0;
      }
    });
  }

  private static StoredPreset preset(ResultSet rows) throws SQLException {
    return new StoredPreset(rows.getString("slug"), rows.getString("definition"),
        Instant.ofEpochMilli(rows.getLong("created_at")), Instant.ofEpochMilli(rows.getLong("updated_at")));
  }
}
