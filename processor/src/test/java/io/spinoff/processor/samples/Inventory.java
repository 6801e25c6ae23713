package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A protocol whose member types share simple names with generated and neighbouring types (see
 * {@code processor/NAMING.md}): {@link Stock} is also the name of the message record of
 * {@link #stock}, and {@link Shelf} hides the top-level {@link io.spinoff.processor.samples.Shelf}
 * inside the generated proxy, which implements this interface and so inherits its member types.
 */
@ActorProtocol
public interface Inventory {
    void stock(Stock stock);

    CompletionStage<Stock> count(String item);

    void shelve(String item, io.spinoff.processor.samples.Shelf shelf, Shelf level);

    CompletionStage<List<io.spinoff.processor.samples.Shelf>> shelves(String item);

    /**
     * Named like {@code InventoryMessage.Stock}, the message record of {@link #stock}.
     *
     * @param item the item
     * @param count how many are in stock
     */
    record Stock(String item, int count) {}

    /**
     * A level of a shelf, named like the top-level {@link io.spinoff.processor.samples.Shelf}.
     *
     * @param level the level, from the floor up
     */
    record Shelf(int level) {}
}
