package dev.switchboard.store.sqlite;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.switchboard.store.ConnectionPools;
import dev.switchboard.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.SQLiteDataSource;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Opens SQLite files for Switchboard: the connection pragmas and the migration lock.
 *
 * <p>Pragmas, set on every pooled connection:
 *
 * <ul>
 *   <li>{@code journal_mode=WAL}: readers never block the writer or each other, and another process
 *       (the CLI) can read and write while the server runs.
 *   <li>{@code synchronous=NORMAL}: in WAL mode a commit is written to the WAL but not fsynced; the
 *       WAL is fsynced at checkpoints. A committed transaction therefore survives a process crash
 *       ({@code kill -9}: the data is in the OS page cache), and the file is never corrupted. Only
 *       an OS crash or power loss can lose the last few commits. {@code FULL} would fsync the WAL
 *       on every commit. Group commit would share that cost within a batch, but every batch (and
 *       every CLI write) would still wait for the disk, milliseconds on the small, shared, often
 *       network-backed disks this runs on, and that wait lands on each request's settlement. The
 *       failure the design guards against is the process crash ({@code kill -9}), which NORMAL
 *       survives; deployments that need power-loss durability for every charge use PostgreSQL.
 *   <li>{@code busy_timeout=5000}: a connection waiting for another process's write lock retries
 *       for up to 5 s instead of failing with {@code SQLITE_BUSY} at once.
 *   <li>{@code foreign_keys=ON}: SQLite does not enforce the schema's references otherwise.
 * </ul>
 *
 * <p>Transactions start with {@code BEGIN IMMEDIATE} (every explicit transaction here writes). A
 * deferred transaction that reads and then writes can fail with {@code SQLITE_BUSY} without waiting
 * when another process committed in between; taking the write lock up front makes it wait for
 * {@code busy_timeout} instead.
 */
public final class SqlitePool {
  /** SQLite has one writer at a time; a few connections serve concurrent readers. */
  static final int POOL_SIZE = 4;

  static final int BUSY_TIMEOUT_MS = 5_000;

  /**
   * A directory where the SQLite native library is kept between runs ({@code bin/switchboard} sets
   * it to {@code target/native}). Without it sqlite-jdbc extracts its library to a new file in the
   * temporary directory on every start and compares it byte by byte with the jar's copy, about a
   * tenth of the gateway's start-up.
   */
  public static final String NATIVE_DIR_PROPERTY = "switchboard.native.dir";

  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);
  private static final long LOCK_POLL_MS = 20;

  private SqlitePool() {}

  /**
   * Creates the parent directories and opens a pool on {@code file}, creating the file if needed.
   *
   * @throws StoreException if the directory cannot be created or the file cannot be opened
   */
  public static HikariDataSource open(Path file) {
    createParentDirectories(file);
    useNativeDir();
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
    sqlite.enforceForeignKeys(true);
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
    dataSource.setUrl("jdbc:sqlite:" + file);

    HikariDataSource hikari = new HikariDataSource();
    hikari.setDataSource(dataSource);
    hikari.setPoolName("sqlite:" + file.getFileName());
    hikari.setMaximumPoolSize(POOL_SIZE);
    hikari.setMinimumIdle(1);
    try {
      return ConnectionPools.start(hikari);
    } catch (HikariPool.PoolInitializationException e) {
      throw new StoreException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Points sqlite-jdbc at its native library in {@value #NATIVE_DIR_PROPERTY}, extracting it there
   * first if this version's is not there yet (to a temporary name, then renamed, so a concurrent
   * start never loads a partial file). Does nothing without the property or when {@code
   * org.sqlite.lib.path} is set already; on any failure sqlite-jdbc extracts as usual. If the file
   * there cannot be loaded, sqlite-jdbc also falls back to extracting.
   */
  private static synchronized void useNativeDir() {
    String dir = System.getProperty(NATIVE_DIR_PROPERTY);
    if (dir == null || dir.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
      return;
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try {
      Path folder = Path.of(dir, "sqlite-" + SQLiteJDBCLoader.getVersion()
          + LibraryLoaderUtil.getNativeLibResourcePath().replace('/', '-'));
      Path library = folder.resolve(name);
      if (!Files.isRegularFile(library)) {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
          if (in == null) {
            return; // no library for this platform in the jar: sqlite-jdbc will say so
          }
          Files.createDirectories(folder);
          Path partial = Files.createTempFile(folder, name, ".partial");
          try {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(partial);
          }
        }
      }
      System.setProperty("org.sqlite.lib.path", folder.toString());
      System.setProperty("org.sqlite.lib.name", name);
    } catch (IOException | RuntimeException e) {
      System.getLogger(SqlitePool.class.getName()).log(System.Logger.Level.DEBUG,
          "not keeping the SQLite library in {0}: {1}", dir, e.toString());
    }
  }

  /**
   * Runs {@code action} while holding an exclusive lock on {@code FILE-migrate.lock}, a file beside
   * the database. Flyway cannot lock SQLite ("No concurrent migration supported"), so two processes
   * starting on a fresh file would otherwise both apply V1.
   *
   * <p>The lock is on a separate file on purpose: SQLite itself uses POSIX locks on the database
   * file, and a JVM lock on that file would be released, with SQLite's, whenever any channel on it
   * closed. Java file locks are per process, so threads of one JVM (tests opening two databases)
   * are told apart by {@link OverlappingFileLockException}; both cases poll until free.
   *
   * @throws StoreException if the lock is not free within a minute
   */
  public static <T> T withMigrationLock(Path file, Supplier<T> action) {
    createParentDirectories(file);
    Path lockFile = file.resolveSibling(file.getFileName() + "-migrate.lock");
    try (FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = acquire(channel, lockFile);
      try {
        return action.get();
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static FileLock acquire(FileChannel channel, Path lockFile) throws IOException {
    long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another thread of this JVM
      }
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new StoreException(
            "another process has held "
                + lockFile
                + " for over "
                + LOCK_TIMEOUT.toSeconds()
                + " s");
      }
      try {
        Thread.sleep(LOCK_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for " + lockFile, e);
      }
    }
  }

  private static void createParentDirectories(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StoreException("cannot create directory " + parent + ": " + e.getMessage(), e);
    }
  }
}
