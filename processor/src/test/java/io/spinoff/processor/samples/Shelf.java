package io.spinoff.processor.samples;

/**
 * A place in the store, a top-level type that {@link Inventory} uses and that its member type
 * {@link Inventory.Shelf} hides inside the generated proxy.
 *
 * @param aisle the aisle
 * @param number the shelf's number in the aisle
 */
public record Shelf(String aisle, int number) {}
