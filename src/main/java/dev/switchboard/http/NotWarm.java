package dev.switchboard.http;

/**
 * A read that would have to wait (a cache miss: the store, a worker thread) was asked for on an event
 * loop, which must not wait. Thrown by a request's front before anything with a side effect (a
 * rate-limit token, a reservation) has happened, so the server can run the whole request again on
 * a virtual thread.
 */
public final class NotWarm extends RuntimeException {
  public NotWarm(String what) {
    super(what + " is not cached", null, false, false);
  }
}
