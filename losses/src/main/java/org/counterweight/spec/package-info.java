/**
 * The one spec grammar, {@code name(key=value,...)}, shared by losses, output layers, models,
 * optimizers and experiment methods.
 */
package org.counterweight.spec;
