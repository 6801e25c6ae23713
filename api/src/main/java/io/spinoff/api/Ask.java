package io.spinoff.api;

/**
 * Marks the message of an ask method with the type of its reply. The processor makes the message
 * record of every ask method implement it: for {@code CompletionStage<Integer> get()} the record
 * {@code CounterMessage.Get} implements {@code Ask<Integer>}. {@link ActorRef#ask(Ask)} takes only
 * such messages and returns a future of exactly their reply type, so that asking for the wrong
 * reply type, or asking with the message of a tell, does not compile:
 *
 * <pre>{@code
 * CompletableFuture<Integer> count = ref.ask(CounterMessage.Get.INSTANCE);   // compiles
 * CompletableFuture<String> name = ref.ask(CounterMessage.Get.INSTANCE);     // does not
 * ref.ask(new CounterMessage.Increment(5));                                  // does not: a tell
 * }</pre>
 *
 * <p>It declares nothing: a message stays a plain record. A hand-written message may implement
 * it too, for an ask to a process inside one JVM: such a message has no generated codec, so it
 * cannot be sent to another node (encoding it fails with a message that says so).
 *
 * @param <R> the reply type: the {@code T} of the method's {@code CompletionStage<T>}, {@code Void}
 *     for a reply without a value
 */
public interface Ask<R> {}
