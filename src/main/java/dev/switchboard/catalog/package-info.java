/**
 * The model catalog: models, the endpoints (model × provider) that serve them, prices, limits
 * and capabilities. A {@link dev.switchboard.catalog.Catalog} is an immutable snapshot; reloads
 * swap the whole snapshot.
 */
@NullMarked
package dev.switchboard.catalog;

import org.jspecify.annotations.NullMarked;
