package dev.switchboard.byok;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.switchboard.config.Secret;
import dev.switchboard.store.ProviderCredentials;
import dev.switchboard.store.ReadCache;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Accounts' own provider keys: sealed on the way into the store, opened on the way to the wire.
 *
 * <p>Without a master key the vault is {@linkplain #enabled() disabled}: it stores nothing, and
 * requests run on the operator's keys only. A credential that cannot be opened (sealed under a
 * rotated-away master key, or altered) is skipped with a warning naming the account and provider,
 * never the key.
 *
 * <p>Reads are cached per account for {@value #CACHE_SECONDS} s (requests read it on every call;
 * most accounts have no keys, which is cached too) and reloaded in the background before they
 * expire ({@link ReadCache}). A change made here is seen at once in this process and within that
 * time in other processes. Thread-safe.
 */
public final class ByokVault {
  static final long CACHE_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(ByokVault.class.getName());

  private final ProviderCredentials store;
  private final @Nullable CredentialCipher cipher;
  private final InstantSource clock;
  private final LoadingCache<String, Map<String, Secret>> cache;

  public ByokVault(ProviderCredentials store, Optional<MasterKey> masterKey, InstantSource clock) {
    this.store = requireNonNull(store, "store");
    this.cipher = masterKey.map(CredentialCipher::new).orElse(null);
    this.clock = requireNonNull(clock, "clock");
    this.cache = ReadCache.refreshedAhead(Duration.ofSeconds(CACHE_SECONDS), 100_000, this::open);
  }

  /** A vault with no master key: BYOK is off. */
  public static ByokVault disabled(ProviderCredentials store) {
    return new ByokVault(store, Optional.empty(), InstantSource.system());
  }

  /** Whether a master key is configured, without which nothing can be stored or used. */
  public boolean enabled() {
    return cipher != null;
  }

  /**
   * A stored credential as the API shows it: never the key.
   *
   * @param label the key's last four characters
   * @param keyId the master key it is sealed under
   */
  public record Listed(String provider, String label, String keyId, Instant createdAt, Instant updatedAt) {}

  /**
   * Seals and stores the account's key for the provider, replacing any earlier one.
   *
   * @throws IllegalStateException when BYOK is disabled
   */
  public Listed put(String accountId, String provider, Secret apiKey) {
    CredentialCipher sealer = requireEnabled();
    Instant now = clock.instant();
    CredentialCipher.Sealed sealed = sealer.seal(apiKey.reveal(), context(accountId, provider));
    String plain = apiKey.reveal();
    String label = plain.length() <= 8 ? "" : plain.substring(plain.length() - 4);
    store.put(new ProviderCredentials.Row(accountId, provider, sealed.keyId(), sealed.nonce(),
        sealed.ciphertext(), label, now, now));
    cache.invalidate(accountId);
    return list(accountId).stream().filter(l -> l.provider().equals(provider)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the credential just stored is missing"));
  }

  /** The account's stored credentials, without their keys. */
  public List<Listed> list(String accountId) {
    return store.list(accountId).stream()
        .map(row -> new Listed(row.provider(), row.label(), row.keyId(), row.createdAt(), row.updatedAt()))
        .toList();
  }

  /** Deletes the account's key for the provider; false when it had none. */
  public boolean delete(String accountId, String provider) {
    boolean deleted = store.delete(accountId, provider);
    cache.invalidate(accountId);
    return deleted;
  }

  /**
   * The account's usable keys by provider slug, opened; empty when BYOK is disabled. Reads the
   * store on a cache miss (blocking).
   */
  public Map<String, Secret> keys(String accountId) {
    if (cipher == null) {
      return Map.of();
    }
    return cache.get(accountId);
  }

  /** {@link #keys}, when it can be answered without the store; null when it cannot. */
  public @Nullable Map<String, Secret> cachedKeys(String accountId) {
    return cipher == null ? Map.of() : cache.getIfPresent(accountId);
  }

  private Map<String, Secret> open(String accountId) {
    CredentialCipher opener = requireEnabled();
    Map<String, Secret> keys = new LinkedHashMap<>();
    for (ProviderCredentials.Row row : store.list(accountId)) {
      try {
        keys.put(row.provider(), Secret.of(opener.open(
            new CredentialCipher.Sealed(row.keyId(), row.nonce(), row.ciphertext()),
            context(accountId, row.provider()))));
      } catch (CredentialCipher.OpenFailed e) {
        LOG.log(Level.WARNING, "the BYOK credential of account {0} for provider {1} is not used: {2}",
            accountId, row.provider(), e.getMessage());
      }
    }
    return Map.copyOf(keys);
  }

  private CredentialCipher requireEnabled() {
    if (cipher == null) {
      throw new IllegalStateException(DISABLED);
    }
    return cipher;
  }

  /** Why BYOK refuses without a master key, and how to give it one. */
  public static final String DISABLED = "BYOK is disabled: this gateway has no master key to encrypt"
      + " provider keys with. Set " + MasterKey.ENV + " to 32 random bytes in base64 (openssl rand"
      + " -base64 32), or name a file holding them in secrets.master_key_file, and restart.";

  /** The associated data that binds a sealed key to its account and provider. */
  static String context(String accountId, String provider) {
    return "byok:" + accountId.length() + ":" + accountId + ":" + provider;
  }
}
