package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The attempt journal of one node in append-only files, for a SQLite store: what the {@code
 * in_flight} table is for PostgreSQL, without a database commit before each request's first
 * upstream byte.
 *
 * <p>Why: on SQLite the table costs a journal row insert, its commit and its delete for every
 * request, about a third of the writer's work, and the request waits for that commit before its
 * first attempt (docs/performance.md, round 8). An append here is one {@code write(2)} of a line
 * of JSON; once it returns the line is in the page cache and survives the process being killed,
 * which is the durability a SQLite commit has under {@code synchronous=NORMAL} (neither survives a
 * power cut with certainty).
 *
 * <p>Files: {@code <node id>.<sequence>.jsonl} in the journal directory, one line per {@link
 * #append}ed request ({@link JournalLine}), and one more per request {@link #appendSettled settled}
 * before its commit: the whole record, which lets the gateway answer the client before the commit
 * (a commit costs ~0.3 ms at low load, the append ~0.02; docs/performance.md, round 11). A file is
 * rotated at {@code segmentBytes} and deleted once rotated and every request it names is {@link
 * #settled} (committed). So a running node keeps one file,
 * plus the older ones still holding a request in flight (a long stream), at most {@link
 * #MAX_PINNED_FILES} of them before their unsettled lines move to the active file (the lines are
 * kept in memory until their request settles for that, ~300 bytes each); a stopped node leaves the
 * files with its uncommitted requests, which {@link NodeJournal#recoverOrphans} stores: as settled
 * where a settled line says so, else charged at their estimates (a request whose generation is
 * stored is skipped there, so the files need not say what committed).
 *
 * <p>Thread-safe: appends are serialised by a lock (one short {@code write} each); {@link #settled}
 * takes no lock.
 */
public final class JournalFiles implements AutoCloseable {
  /** Size at which a file is rotated: about 20,000 requests. */
  public static final long DEFAULT_SEGMENT_BYTES = 4L << 20;

  /**
   * Rotated files that may stay because a request in them has not settled; beyond this many, the
   * unsettled lines of all of them are written again to the active file and the old files go. So a
   * request that never settles (its settlement failed to commit, say) pins at most a few files
   * until the next restart recovers it, not one file per such request.
   */
  public static final int MAX_PINNED_FILES = 8;

  static final String SUFFIX = ".jsonl";

  private static final System.Logger LOG = System.getLogger(JournalFiles.class.getName());

  private final Path directory;
  private final String nodeId;
  private final long segmentBytes;
  private final ReentrantLock appending = new ReentrantLock();
  /** The requests journaled here and not settled yet: the file holding each, and its line. */
  private final ConcurrentHashMap<String, Entry> open = new ConcurrentHashMap<>();
  private final List<Segment> rotated = new ArrayList<>(); // guarded by appending; some deleted since
  private @Nullable Segment active; // guarded by appending
  private int sequence; // guarded by appending
  private boolean closed; // guarded by appending
  /** Whether the last append failed: its outage is logged once, and its end. Guarded by appending. */
  private boolean failing;

  private JournalFiles(Path directory, String nodeId, long segmentBytes) {
    this.directory = directory;
    this.nodeId = nodeId;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens this node's journal in {@code directory}, creating the directory if needed. The node's
   * first file is created by its first append.
   *
   * @throws StoreException if the directory cannot be created
   */
  public static JournalFiles open(Path directory, String nodeId, long segmentBytes) {
    requireNonNull(directory, "directory");
    requireNonNull(nodeId, "nodeId");
    if (segmentBytes < 1) {
      throw new IllegalArgumentException("segmentBytes must be positive, was " + segmentBytes);
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StoreException("cannot create the attempt journal directory " + directory + ": " + e.getMessage(), e);
    }
    return new JournalFiles(directory, nodeId, segmentBytes);
  }

  /**
   * Journals a request that is about to make its first upstream attempt; returns once the line is
   * written (in the page cache).
   *
   * @throws StoreException if it could not be written (the request must then not be attempted)
   * @throws IllegalStateException if the journal is closed
   */
  public void append(InFlight row) {
    if (!row.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException("row of node " + row.nodeId() + " in the journal of " + nodeId);
    }
    byte[] line = JournalLine.encode(row);
    appending.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the attempt journal is closed");
      }
      Segment segment;
      try {
        segment = activeSegment();
        write(segment, line);
      } catch (StoreException e) {
        if (!failing) {
          // Once per outage: every request is refused meanwhile, and the 503 says no more than that.
          failing = true;
          LOG.log(Level.WARNING, "requests are refused (503) until the attempt journal can be written: {0}",
              e.getMessage());
        }
        throw e;
      }
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "the attempt journal in {0} is written again; requests are served", directory);
      }
      open.put(row.generationId(), new Entry(segment, line, null, null));
      rotateIfFull(segment);
    } finally {
      appending.unlock();
    }
  }

  /**
   * Journals the settlement of a request journaled here, before its commit: once this returns
   * true, the record survives this process as the commit would have it (recovery stores it rather
   * than the request's estimate), so the client may be answered before the commit. The request
   * stays {@link #holds held} until {@link #settled}.
   *
   * @return false, writing nothing, if the request is not journaled here or has settled
   * @throws StoreException if the line could not be written (the commit must then be awaited)
   * @throws IllegalStateException if the journal is closed
   */
  public boolean appendSettled(GenerationRecord record) {
    Entry entry = open.get(record.id());
    if (entry == null || entry.settledLine() != null) {
      return false;
    }
    byte[] line = JournalLine.encode(record);
    appending.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the attempt journal is closed");
      }
      Segment segment = activeSegment();
      write(segment, line);
      // On the entry as it is now: compaction may have moved the request's first line meanwhile.
      boolean held = open.computeIfPresent(record.id(), (id, current) -> current.settledIn(segment, line)) != null;
      if (!held) {
        segment.release(); // it settled meanwhile: the line is not needed
      }
      rotateIfFull(segment);
      return held;
    } finally {
      appending.unlock();
    }
  }

  /** Appends {@code line} to {@code segment}, counting it as unsettled there. Under the lock. */
  private void write(Segment segment, byte[] line) {
    segment.unsettled.incrementAndGet();
    ByteBuffer buffer = ByteBuffer.wrap(line);
    try {
      while (buffer.hasRemaining()) {
        segment.channel.write(buffer);
      }
    } catch (IOException e) {
      segment.unsettled.decrementAndGet();
      if (segment == active) {
        // Part of the line may be in the file: the next line starts a file of its own rather than
        // continuing this one (a line without its newline is skipped at recovery, alone).
        rotate(segment);
      }
      throw new StoreException("cannot write the attempt journal " + segment.path + ": " + e.getMessage(), e);
    }
    segment.bytes += line.length;
  }

  /**
   * Records that a journaled request settled (its generation is committed, or was dropped because
   * recovery had stored it): its file may go once every other request in it has settled too.
   * Unknown ids are ignored.
   */
  public void settled(String generationId) {
    Entry entry = open.remove(generationId);
    if (entry != null) {
      entry.release();
    }
  }

  /** Whether the request {@code generationId} is journaled here and not settled yet. */
  public boolean holds(String generationId) {
    return open.containsKey(generationId);
  }

  /** Requests journaled here and not settled yet. */
  public int pending() {
    return open.size();
  }

  /** This node's files (for tests and operators). */
  public List<Path> files() {
    return files(directory).stream()
        .filter(file -> nodeOf(file).equals(nodeId))
        .toList();
  }

  /**
   * Stops appending. The last file is deleted if everything in it has settled; otherwise it stays,
   * and what it holds is recovered once this node's lease has ended.
   */
  @Override
  public void close() {
    appending.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (active != null) {
        rotate(active);
      }
    } finally {
      appending.unlock();
    }
  }

  private Segment activeSegment() {
    if (active == null) {
      Path path = directory.resolve("%s.%06d%s".formatted(nodeId, ++sequence, SUFFIX));
      try {
        active = new Segment(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND));
      } catch (IOException e) {
        throw new StoreException("cannot create the attempt journal " + path + ": " + e.getMessage(), e);
      }
      rotated.removeIf(segment -> segment.deleted.get());
      if (rotated.size() > MAX_PINNED_FILES) {
        compactInto(active);
      }
    }
    return active;
  }

  /**
   * Writes the unsettled lines of every rotated file again to {@code target}, then lets the old
   * files go. Crash-safe in that order: each request is in at least one file at every moment (a
   * line found twice at recovery is stored once). A request settling meanwhile keeps its entry
   * pointing where its settlement found it.
   */
  private void compactInto(Segment target) {
    for (var each : open.entrySet()) {
      Entry entry = each.getValue();
      if (!entry.inRotated()) {
        continue;
      }
      write(target, entry.line());
      Entry moved = new Entry(target, entry.line(), null, null);
      if (entry.settledLine() != null) {
        write(target, entry.settledLine());
        moved = moved.settledIn(target, entry.settledLine());
      }
      if (open.replace(each.getKey(), entry, moved)) {
        entry.release();
      } else {
        moved.release(); // it settled meanwhile: the copies are settled with it
      }
    }
  }

  /** Rotates {@code segment} once it has reached {@code segmentBytes}. Under the lock. */
  private void rotateIfFull(Segment segment) {
    if (segment.bytes >= segmentBytes) {
      rotate(segment);
    }
  }

  private void rotate(Segment segment) {
    active = null;
    try {
      segment.channel.close();
    } catch (IOException e) {
      // Harmless: every append's write has returned, so what the file holds is in the page cache.
      LOG.log(Level.WARNING, "cannot close the attempt journal {0}: {1}", segment.path, e.getMessage());
    }
    // Set before the check, as release() decrements before it checks: whichever runs last deletes.
    segment.rotated = true;
    if (segment.unsettled.get() == 0) {
      segment.delete();
    } else {
      rotated.add(segment);
    }
  }

  /** The journal files of every node in {@code directory}, oldest sequence of each node first. */
  static List<Path> files(Path directory) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      listing.forEach(files::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException("cannot list the attempt journal " + directory + ": " + e.getMessage(), e);
    }
    files.sort(null);
    return files;
  }

  /** The node whose journal {@code file} is. */
  static String nodeOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /**
   * The requests journaled in {@code file}. A killed process cannot leave a partial line (each
   * {@code write} completes in the kernel), but a power cut can: a last line without its newline is
   * a request that never started, and a garbled line is skipped with a warning rather than keeping
   * the node from starting (as a power cut may also lose SQLite's last commits).
   */
  static List<JournalLine.Decoded> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException gone) {
      return List.of(); // recovered and deleted by another node meanwhile
    } catch (IOException e) {
      throw new StoreException("cannot read the attempt journal " + file + ": " + e.getMessage(), e);
    }
    String nodeId = nodeOf(file);
    List<JournalLine.Decoded> rows = new ArrayList<>();
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (end > start) {
        String line = text.substring(start, end);
        try {
          rows.add(JournalLine.decode(line, nodeId));
        } catch (IllegalArgumentException garbled) {
          LOG.log(Level.WARNING, "skipping a garbled line of the attempt journal {0}: {1}", file,
              String.valueOf(garbled.getMessage()).lines().findFirst().orElse(""));
        }
      }
      start = end + 1;
    }
    return rows;
  }

  /**
   * A request journaled here: its first line and the file holding it, and, once it settled before
   * its commit, its settled line and that line's file (each file counts the request until then).
   */
  private record Entry(Segment segment, byte[] line, @Nullable Segment settledSegment, byte @Nullable [] settledLine) {
    Entry settledIn(Segment where, byte[] settled) {
      return new Entry(segment, line, where, settled);
    }

    boolean inRotated() {
      return segment.rotated || (settledSegment != null && settledSegment.rotated);
    }

    void release() {
      segment.release();
      if (settledSegment != null) {
        settledSegment.release();
      }
    }
  }

  private static final class Segment {
    final Path path;
    final FileChannel channel;
    final AtomicInteger unsettled = new AtomicInteger();
    final AtomicBoolean deleted = new AtomicBoolean();
    long bytes; // guarded by the appending lock
    volatile boolean rotated;

    Segment(Path path, FileChannel channel) {
      this.path = path;
      this.channel = channel;
    }

    /** One of its requests settled (or moved to another file): deleted when rotated and the last. */
    void release() {
      if (unsettled.decrementAndGet() == 0 && rotated) {
        delete();
      }
    }

    void delete() {
      if (deleted.compareAndSet(false, true)) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          // Harmless: recovery skips the lines whose generations are stored, and deletes the file.
          LOG.log(Level.WARNING, "cannot delete the settled attempt journal {0}: {1}", path, e.getMessage());
        }
      }
    }
  }
}
