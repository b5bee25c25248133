package dev.switchboard.mock;

import static java.util.Objects.requireNonNull;

/**
 * Identity of one response, shared by its body or all of its stream events.
 *
 * @param created Unix seconds
 * @param model the model id echoed back
 */
record MockReply(String id, long created, String model) {
  MockReply {
    requireNonNull(id, "id");
    requireNonNull(model, "model");
  }
}
