package dev.switchboard.keys;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.KeyRepository;
import dev.switchboard.store.KeyUsage;
import dev.switchboard.store.ReadCache;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Issues, lists, changes, revokes, deletes and authenticates API keys.
 *
 * <p>Caching: {@link #authenticate} runs on every request, so lookups are cached by hash for a
 * short time (default {@value #DEFAULT_CACHE_TTL_SECONDS} s), misses included, and reloaded in the
 * background before they expire ({@link ReadCache}). A revocation made in this process drops the
 * entry at once; one made by another process (the CLI, another node) takes effect at the entry's
 * next reload or expiry, so within the TTL. Expiry ({@code expires_at}) is checked on every
 * call against the clock, not cached.
 *
 * <p>Timing: the presented key is never compared with a stored secret. It is hashed, and the
 * SHA-256 digest is what is looked up, so how long a lookup takes can depend only on the digest,
 * and learning digest prefixes tells an attacker nothing about any key's plaintext. That is why
 * there is no constant-time string comparison here: there is no secret-dependent comparison to
 * protect. Unknown, disabled and expired keys all give the same empty answer.
 *
 * <p>Thread-safe.
 */
public final class KeyService {
  public static final long DEFAULT_CACHE_TTL_SECONDS = 5;
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(DEFAULT_CACHE_TTL_SECONDS);

  /** Unknown keys cost one cache slot each; this bounds what a flood of random keys can take. */
  private static final int CACHE_SIZE = 10_000;

  /** Prefixes shorter than this would match keys by accident. */
  private static final int MIN_HASH_PREFIX = 6;

  private static final Pattern FULL_HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  private static final System.Logger LOG = System.getLogger(KeyService.class.getName());

  private final KeyRepository repository;
  private final ApiKeys apiKeys;
  private final Clock clock;
  private final LoadingCache<String, Optional<ApiKey>> byHash;

  /**
   * @param cacheTtl how long a lookup is trusted; {@link Duration#ZERO} disables the cache
   */
  public KeyService(KeyRepository repository, ApiKeys apiKeys, Clock clock, Duration cacheTtl) {
    this.repository = requireNonNull(repository, "repository");
    this.apiKeys = requireNonNull(apiKeys, "apiKeys");
    this.clock = requireNonNull(clock, "clock");
    this.byHash = ReadCache.refreshedAhead(requireNonNull(cacheTtl, "cacheTtl"), CACHE_SIZE, repository::find);
  }

  /** A service with fresh SecureRandom-backed keys, the UTC clock and the default TTL. */
  public KeyService(KeyRepository repository) {
    this(repository, ApiKeys.create(), Clock.systemUTC(), DEFAULT_CACHE_TTL);
  }

  /**
   * Creates and stores a key.
   *
   * @return the plaintext (shown once, never stored) and the stored key
   * @throws IllegalArgumentException if it would expire before it is created
   * @throws dev.switchboard.store.StoreException if its account does not exist
   */
  public IssuedKey create(NewKey spec) {
    return register(apiKeys.generate(), spec);
  }

  private IssuedKey register(String plaintext, NewKey spec) {
    Instant now = clock.instant();
    if (spec.expiresAt() != null && !spec.expiresAt().isAfter(now)) {
      throw new IllegalArgumentException(
          "expires_at must be in the future, was " + spec.expiresAt());
    }
    ApiKey key =
        new ApiKey(
            ApiKeys.hash(plaintext),
            spec.accountId(),
            spec.name(),
            ApiKeys.label(plaintext),
            spec.kind(),
            spec.disabled(),
            spec.limitNanos(),
            spec.limitReset(),
            spec.expiresAt(),
            now,
            now,
            null);
    repository.insert(key);
    byHash.invalidate(key.hash());
    LOG.log(Level.INFO, "created {0} key {1}", key.kind().wireName(), key.label());
    return new IssuedKey(plaintext, key);
  }

  /**
   * Makes sure a management key exists, on first start. With {@code presetKey} (the operator's
   * {@code SWITCHBOARD_ADMIN_KEY}) that key is registered as a management key unless it already
   * is; its plaintext is never stored, only its hash. Without one, a management key is generated
   * if no management key exists at all (enabled or not: disabling the last one is refused, so a
   * disabled one was disabled on purpose through the store).
   *
   * @return the generated key, whose plaintext the caller shows once; empty when none was made
   * @throws IllegalArgumentException if {@code presetKey} is malformed or names an inference key
   */
  public Optional<IssuedKey> bootstrapManagementKey(@Nullable String presetKey) {
    if (presetKey != null) {
      String preset = presetKey.strip();
      if (!ApiKeys.isWellFormed(preset)) {
        throw new IllegalArgumentException(
            "SWITCHBOARD_ADMIN_KEY must be "
                + ApiKeys.PREFIX
                + " followed by "
                + ApiKeys.RANDOM_LENGTH
                + " letters and digits (any key 'switchboard keys create' prints has that shape)");
      }
      Optional<ApiKey> existing = repository.find(ApiKeys.hash(preset));
      if (existing.isPresent()) {
        if (existing.get().kind() != KeyKind.MANAGEMENT) {
          throw new IllegalArgumentException(
              "SWITCHBOARD_ADMIN_KEY is already stored as an inference key; choose another key");
        }
        return Optional.empty();
      }
      register(preset, NewKey.of("admin (SWITCHBOARD_ADMIN_KEY)", KeyKind.MANAGEMENT));
      return Optional.empty();
    }
    boolean any = repository.list().stream().anyMatch(key -> key.kind() == KeyKind.MANAGEMENT);
    return any ? Optional.empty() : Optional.of(create(NewKey.of("admin", KeyKind.MANAGEMENT)));
  }

  /** The key with this hash, enabled or not (through the cache). */
  public Optional<ApiKey> find(String hash) {
    if (!FULL_HASH.matcher(hash).matches()) {
      return Optional.empty();
    }
    return byHash.get(hash, repository::find);
  }

  /** One page of keys, oldest first. */
  public List<ApiKey> page(int offset, int limit, boolean includeDisabled) {
    return repository.page(offset, limit, includeDisabled);
  }

  /** What the key has spent, as of now: one row read, whatever its history. */
  public KeyUsage usage(String hash) {
    return repository.usage(hash, clock.instant());
  }

  /**
   * Changes a key. Takes effect in this process at once, in others within the cache TTL.
   *
   * @return the key as now stored; empty if there is no such key
   * @throws IllegalArgumentException if the change is invalid, or would disable the last enabled
   *     management key (nobody could manage keys any more)
   */
  public Optional<ApiKey> update(String hash, KeyPatch patch) {
    Optional<ApiKey> found = find(hash);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ApiKey key = found.get();
    ApiKey changed = patch.applyTo(key, clock.instant());
    if (changed.disabled() && !key.disabled()) {
      requireAnotherManager(key, "disable");
    }
    boolean stored = repository.update(changed);
    byHash.invalidate(hash);
    if (!stored) {
      return Optional.empty(); // deleted meanwhile
    }
    LOG.log(Level.INFO, "updated key {0}", key.label());
    return Optional.of(changed);
  }

  /**
   * Deletes a key (its generations and charges stay, naming it by hash).
   *
   * @return false if there was no such key
   * @throws IllegalArgumentException if it is the last enabled management key
   */
  public boolean delete(String hash) {
    Optional<ApiKey> found = find(hash);
    if (found.isEmpty()) {
      return false;
    }
    requireAnotherManager(found.get(), "delete");
    boolean deleted = repository.delete(hash);
    byHash.invalidate(hash);
    if (deleted) {
      LOG.log(Level.INFO, "deleted key {0}", found.get().label());
    }
    return deleted;
  }

  private void requireAnotherManager(ApiKey key, String action) {
    Instant now = clock.instant();
    if (key.kind() != KeyKind.MANAGEMENT || !key.isActive(now)) {
      return;
    }
    boolean another =
        repository.list().stream()
            .anyMatch(
                k ->
                    k.kind() == KeyKind.MANAGEMENT
                        && k.isActive(now)
                        && !k.hash().equals(key.hash()));
    if (!another) {
      throw new IllegalArgumentException(
          "cannot "
              + action
              + " the last enabled management key: nobody could manage keys afterwards;"
              + " create another management key first");
    }
  }

  /** Creates an unlimited key that never expires. */
  public IssuedKey create(String name, KeyKind kind) {
    return create(NewKey.of(name, kind));
  }

  /** Every key, oldest first, revoked ones included. */
  public List<ApiKey> list() {
    return repository.list();
  }

  /**
   * Disables the one key that {@code reference} names: its full hash, a hash prefix of at least
   * {@value #MIN_HASH_PREFIX} characters, its label or a label prefix longer than {@code
   * sk-sb-v1-}, or the full key itself. Revoking a revoked key is not an error.
   *
   * @return the key as now stored (disabled)
   * @throws IllegalArgumentException if no key or more than one key matches
   */
  public ApiKey revoke(String reference) {
    ApiKey key = resolve(reference.strip());
    Instant now = clock.instant();
    repository.disable(key.hash(), now);
    byHash.invalidate(key.hash());
    LOG.log(Level.INFO, "revoked key {0}", key.label());
    return repository.find(key.hash()).orElseGet(() -> key.disable(now));
  }

  private ApiKey resolve(String reference) {
    if (ApiKeys.isWellFormed(reference) || FULL_HASH.matcher(reference).matches()) {
      String hash = ApiKeys.isWellFormed(reference) ? ApiKeys.hash(reference) : reference;
      return repository
          .find(hash)
          .orElseThrow(() -> new IllegalArgumentException("no key has hash " + hash));
    }
    String lower = reference.toLowerCase(Locale.ROOT);
    boolean byHashPrefix =
        reference.length() >= MIN_HASH_PREFIX && HEX.matcher(reference).matches();
    boolean byLabelPrefix = reference.length() > ApiKeys.PREFIX.length();
    if (!byHashPrefix && !byLabelPrefix) {
      throw new IllegalArgumentException(
          "give at least "
              + MIN_HASH_PREFIX
              + " characters of the key's hash, or its label up to at least one character after "
              + ApiKeys.PREFIX);
    }
    List<ApiKey> matches =
        repository.list().stream()
            .filter(
                key ->
                    (byHashPrefix && key.hash().startsWith(lower))
                        || (byLabelPrefix && key.label().startsWith(reference)))
            .toList();
    return switch (matches.size()) {
      case 0 -> throw new IllegalArgumentException("no key matches '" + reference + "'");
      case 1 -> matches.getFirst();
      default ->
          throw new IllegalArgumentException(
              "'" + reference + "' matches " + matches.size() + " keys; give more characters");
    };
  }

  /**
   * What {@link #authenticate} would answer, when that answer needs no store read; null when it
   * does. Lets a caller on a Vert.x context answer the common case in place and send only cache
   * misses to a thread that may block. (A nullable Optional on purpose: "not cached" differs from
   * "cached as unknown".)
   */
  public @Nullable Optional<ApiKey> authenticateIfCached(String presentedKey) {
    if (!ApiKeys.isWellFormed(presentedKey)) {
      return Optional.empty();
    }
    Optional<ApiKey> key = byHash.getIfPresent(ApiKeys.hash(presentedKey));
    if (key == null) {
      return null;
    }
    Instant now = clock.instant();
    return key.filter(k -> k.isActive(now));
  }

  /**
   * The key a request presented, if it is known, enabled and not expired. Malformed input never
   * reaches the store.
   *
   * @throws dev.switchboard.store.StoreException if the store cannot be read
   */
  public Optional<ApiKey> authenticate(String presentedKey) {
    if (!ApiKeys.isWellFormed(presentedKey)) {
      return Optional.empty();
    }
    Optional<ApiKey> key = byHash.get(ApiKeys.hash(presentedKey));
    Instant now = clock.instant();
    return key.filter(k -> k.isActive(now));
  }
}
