package dev.switchboard.store;

/**
 * A storage operation failed (the database is unreachable, locked for too long, or a constraint was
 * violated). Unchecked: callers above the store cannot repair it and let it become a 5xx.
 *
 * <p>Messages name the operation and carry the driver's text, which never includes bound values, so
 * they are safe to log.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
