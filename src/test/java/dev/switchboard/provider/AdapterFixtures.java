package dev.switchboard.provider;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.Fixtures.Fixture;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * How one adapter's golden fixtures are read: which fixture folders are its own, which adapter and
 * target a case is checked against, and where a case keeps its recorded stream. The fixture walk
 * ({@link FixtureWalk}), the stream split property ({@link StreamSplitProperty}) and the contract's
 * sample streams all read an adapter's fixtures through its one instance of this.
 *
 * @param covers which fixture folders (provider slugs) hold this adapter's cases
 * @param adapter the adapter a case is checked against; the OpenAI-compatible family has one per
 *     profile, so it may depend on the case
 * @param target where a case's response or stream came from
 * @param streamFile the file of a case that holds its recorded stream
 * @param streamBody a case's recorded stream as the bytes that come over the wire
 */
public record AdapterFixtures(
    Predicate<String> covers,
    Function<Fixture, ProviderAdapter> adapter,
    Function<Fixture, Target> target,
    String streamFile,
    Function<Fixture, byte[]> streamBody) {

  /** An adapter's fixtures whose recorded streams are kept byte for byte as {@code upstream.sse}. */
  public static AdapterFixtures of(
      Predicate<String> covers, Function<Fixture, ProviderAdapter> adapter, Function<Fixture, Target> target) {
    return new AdapterFixtures(covers, adapter, target, "upstream.sse", fixture -> fixture.bytes("upstream.sse"));
  }

  /** The same fixtures with streams kept in {@code file}, turned into wire bytes by {@code body}. */
  public AdapterFixtures withStreams(String file, Function<Fixture, byte[]> body) {
    return new AdapterFixtures(covers, adapter, target, file, body);
  }

  /** The adapter a case is checked against. */
  public ProviderAdapter adapterFor(Fixture fixture) {
    return adapter.apply(fixture);
  }

  /** Where a case's response or stream came from. */
  public Target targetFor(Fixture fixture) {
    return target.apply(fixture);
  }

  /** Every case, sorted. */
  public List<Fixture> all() {
    return Fixtures.all(covers);
  }

  /** The cases that have every one of {@code files}, sorted. */
  public Stream<Fixture> having(String... files) {
    return Fixtures.having(covers, files);
  }

  /** The cases with a canonical request and the upstream request it encodes to. */
  public Stream<Fixture> encodeCases() {
    return having("canonical-request.json", "upstream-request.json");
  }

  /** The cases with an upstream response and the canonical response it decodes to. */
  public Stream<Fixture> decodeCases() {
    return having("upstream-response.json", "canonical-response.json");
  }

  /** The cases with a recorded stream and the events it decodes to. */
  public Stream<Fixture> streamCases() {
    return having(streamFile, "events.jsonl");
  }

  /** The cases with an error response, its status and the error it classifies as. */
  public Stream<Fixture> errorCases() {
    return having("error.json", "status.txt", "expected-error.json");
  }

  /** Every recorded stream, expected events or not (for the adapter contract's sample streams). */
  public List<byte[]> recordedStreams() {
    return having(streamFile).map(streamBody).toList();
  }

  /**
   * Frames a body delivered in {@code chunks} with the reader of the adapter's own framing and
   * decodes it with a fresh decoder, then ends the stream, as the transport does.
   */
  public List<StreamEvent> decodeStream(Fixture fixture, List<byte[]> chunks) {
    ProviderAdapter caseAdapter = adapterFor(fixture);
    List<Frame> frames = StreamDecoding.frames(caseAdapter.framing(), chunks);
    return StreamDecoding.decode(caseAdapter.newStreamDecoder(targetFor(fixture)), frames);
  }

  /** Decodes a case's recorded stream delivered in one piece. */
  public List<StreamEvent> decodeStream(Fixture fixture) {
    return decodeStream(fixture, List.of(streamBody.apply(fixture)));
  }
}
