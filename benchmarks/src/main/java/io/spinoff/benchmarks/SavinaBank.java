package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's bank transactions with asks ("banking", {@code BankingConfig}, the variant in which an
 * account's debit waits for the credit's reply): one invocation is one complete run, in
 * milliseconds.
 *
 * <p>Parameters are Savina's: {@code A = 1,000} accounts, {@code N = 50,000} transactions, each
 * account starting with {@code Long.MAX_VALUE / (A * N)} (Savina's {@code Double.MAX_VALUE / (A *
 * N)}, in whole cents here so that the balances add up exactly). Each run spawns a teller and, as
 * its children, the accounts (1,001 actors, stopped at the end of the run). The teller draws the
 * transactions with Savina's pseudo-random generator (seed 123456): a source among the first 80% of
 * the accounts, a destination above it, and an amount of up to 1,000.00. For each it asks the
 * source to transfer; the source debits itself and asks the destination to credit the amount, and
 * answers the teller only once the destination has answered. Until then the source takes no other
 * transfer: transfers that arrive meanwhile wait in order in the account (Spinoff: a queue in the
 * actor; Pekko: its {@code StashBuffer}), while credits to it are still served. No thread blocks:
 * a reply is piped back to the asking actor as a message (Spinoff: the ask's stage sends it to
 * the actor's own proxy; Pekko: {@code context.ask} with a response adapter). So a run is 100,000
 * asks. Once every transaction has been answered the teller collects the balances and stops.
 *
 * <p>Checked: every transaction completed, the sum of all balances is unchanged, and every
 * balance equals the same transactions applied sequentially. There is no plain-Java baseline: the
 * benchmark carries no work per message, only the two-step exchange between accounts, so a
 * version without actors would measure locks rather than the same computation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaBank {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong RUNS = new AtomicLong();
    private static final Map<Params, long[]> EXPECTED = new ConcurrentHashMap<>();

    /**
     * One run's parameters.
     *
     * @param accounts account actors
     * @param transactions transfers the teller makes
     */
    record Params(int accounts, int transactions) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(1_000, 50_000);

        /** @return the balance each account starts with, in cents */
        long initialBalance() {
            return Long.MAX_VALUE / ((long) accounts * transactions);
        }
    }

    /**
     * What a run did.
     *
     * @param completed transactions answered to the teller
     * @param balances each account's final balance, in cents
     */
    record Outcome(long completed, long[] balances) {}

    /** Savina's pseudo-random generator, so that the transactions are Savina's. */
    static final class PseudoRandom {
        private long value;

        PseudoRandom(long seed) {
            this.value = seed;
        }

        long nextLong() {
            value = ((value * 1309) + 13849) & 65535;
            return value;
        }

        int nextInt(int exclusiveMax) {
            return ((int) nextLong()) % exclusiveMax;
        }

        double nextDouble() {
            return 1.0 / (nextLong() + 1);
        }
    }

    /** Draws the teller's transactions, in Savina's order. */
    static final class Transactions {
        private final PseudoRandom random = new PseudoRandom(123456);
        private final int accounts;
        int source;
        int destination;
        long amount;

        Transactions(int accounts) {
            this.accounts = accounts;
        }

        /** Draws the next transaction into {@link #source}, {@link #destination}, {@link #amount}. */
        void next() {
            // The source is below the destination, as in Savina.
            source = random.nextInt((accounts / 10) * 8);
            int offset = random.nextInt(accounts - source);
            destination = source + Math.max(offset, 1);
            amount = (long) (random.nextDouble() * 1000 * 100);
        }
    }

    /** @return every account's balance after the run's transactions, applied sequentially */
    static long[] expected(Params p) {
        long[] balances = new long[p.accounts()];
        Arrays.fill(balances, p.initialBalance());
        Transactions transactions = new Transactions(p.accounts());
        for (int i = 0; i < p.transactions(); i++) {
            transactions.next();
            balances[transactions.source] -= transactions.amount;
            balances[transactions.destination] += transactions.amount;
        }
        return balances;
    }

    /**
     * @return the sum of the balances, when every transaction completed and every balance is as
     *     expected
     * @throws IllegalStateException otherwise
     */
    static long check(Params p, Outcome outcome) {
        if (outcome.completed() != p.transactions()) {
            throw new IllegalStateException("banking: expected " + p.transactions()
                    + " completed transactions, got " + outcome.completed());
        }
        long expectedTotal = p.initialBalance() * p.accounts();
        long total = Arrays.stream(outcome.balances()).sum();
        if (total != expectedTotal) {
            throw new IllegalStateException("banking: expected the balances to sum to " + expectedTotal + ", got " + total);
        }
        long[] expected = EXPECTED.computeIfAbsent(p, SavinaBank::expected);
        int mismatch = Arrays.mismatch(expected, outcome.balances());
        if (mismatch >= 0) {
            throw new IllegalStateException("banking: expected account " + mismatch + " to hold "
                    + expected[mismatch] + ", got " + outcome.balances()[mismatch]);
        }
        return total;
    }


    // ------------------------------------------------------------------ Spinoff

    /** Starts the transactions and collects the balances. */
    @ActorProtocol
    public interface Teller {
        void start();

        /** A transfer's reply, piped back to the teller. */
        void transferred();

        void balance(int account, long balance);
    }

    /** An account. */
    @ActorProtocol
    public interface Account {
        /** Debits this account and credits {@code destination}; answers once it has answered. */
        @AskTimeout(value = 60, unit = TimeUnit.SECONDS)
        CompletionStage<Void> transfer(long amount, Account destination);

        /** Credits this account. */
        @AskTimeout(value = 60, unit = TimeUnit.SECONDS)
        CompletionStage<Void> credit(long amount);

        /** The destination's reply to {@link #credit}, piped back to the source. */
        void credited();

        void reportBalance(Teller teller);
    }

    static final class SpinoffAccount extends Actor implements Account {
        private final int id;
        private final ArrayDeque<QueuedTransfer> queued = new ArrayDeque<>();
        private Account self;
        private long balance;
        private CompletableFuture<Void> inFlight;

        private record QueuedTransfer(long amount, Account destination, CompletableFuture<Void> reply) {}

        SpinoffAccount(int id, long balance) {
            this.id = id;
            this.balance = balance;
        }

        @Override
        protected void preStart() {
            self = context().self(Account.class);
        }

        @Override
        public CompletionStage<Void> transfer(long amount, Account destination) {
            CompletableFuture<Void> reply = new CompletableFuture<>();
            if (inFlight == null) {
                begin(amount, destination, reply);
            } else {
                queued.add(new QueuedTransfer(amount, destination, reply));
            }
            return reply;
        }

        private void begin(long amount, Account destination, CompletableFuture<Void> reply) {
            balance -= amount;
            inFlight = reply;
            destination.credit(amount).thenRun(self::credited);
        }

        @Override
        public CompletionStage<Void> credit(long amount) {
            balance += amount;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void credited() {
            CompletableFuture<Void> reply = inFlight;
            inFlight = null;
            reply.complete(null);
            QueuedTransfer next = queued.poll();
            if (next != null) {
                begin(next.amount(), next.destination(), next.reply());
            }
        }

        @Override
        public void reportBalance(Teller teller) {
            teller.balance(id, balance);
        }
    }

    static final class SpinoffTeller extends Actor implements Teller {
        private final Params p;
        private final CompletableFuture<Outcome> done;
        private final long[] balances;
        private Account[] accounts;
        private Teller self;
        private long completed;
        private int reported;

        SpinoffTeller(Params p, CompletableFuture<Outcome> done) {
            this.p = p;
            this.done = done;
            this.balances = new long[p.accounts()];
        }

        @Override
        protected void preStart() {
            self = context().self(Teller.class);
            accounts = new Account[p.accounts()];
            for (int i = 0; i < p.accounts(); i++) {
                int id = i;
                accounts[i] = context().spawn(Account.class, () -> new SpinoffAccount(id, p.initialBalance()));
            }
        }

        @Override
        public void start() {
            Transactions transactions = new Transactions(p.accounts());
            for (int i = 0; i < p.transactions(); i++) {
                transactions.next();
                accounts[transactions.source].transfer(transactions.amount, accounts[transactions.destination])
                        .thenRun(self::transferred);
            }
        }

        @Override
        public void transferred() {
            if (++completed == p.transactions()) {
                for (Account account : accounts) {
                    account.reportBalance(self);
                }
            }
        }

        @Override
        public void balance(int account, long balance) {
            balances[account] = balance;
            if (++reported == p.accounts()) {
                context().stop(self);
            }
        }

        @Override
        protected void postStop() {
            done.complete(new Outcome(completed, balances));
        }
    }

    /** @return the checked sum of the balances after one run on Spinoff */
    static long runSpinoff(ActorSystem system, Params p) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        Teller teller = system.spawn(Teller.class, () -> new SpinoffTeller(p, done));
        teller.start();
        return check(p, SavinaSystems.await("banking", done));
    }

    // ------------------------------------------------------------------ Pekko

    /** The reply to a transfer or a credit. */
    enum Ack { INSTANCE }

    /** A message to the Pekko teller. */
    sealed interface TellerMessage permits StartBanking, Transferred, Balance {}

    enum StartBanking implements TellerMessage { INSTANCE }

    /** A transfer's reply, adapted into the teller's protocol. */
    enum Transferred implements TellerMessage { INSTANCE }

    record Balance(int account, long balance) implements TellerMessage {}

    /** A message to a Pekko account. */
    sealed interface AccountMessage permits Transfer, Credit, Credited, ReportBalance {}

    record Transfer(long amount, ActorRef<AccountMessage> destination, ActorRef<Ack> replyTo)
            implements AccountMessage {}

    record Credit(long amount, ActorRef<Ack> replyTo) implements AccountMessage {}

    /** The destination's reply to a credit, adapted into the source's protocol. */
    enum Credited implements AccountMessage { INSTANCE }

    record ReportBalance(ActorRef<TellerMessage> teller) implements AccountMessage {}

    static Behavior<AccountMessage> pekkoAccount(int id, long balance, int stashCapacity) {
        return Behaviors.withStash(stashCapacity,
                stash -> Behaviors.setup(context -> new PekkoAccount(context, stash, id, balance).idle));
    }

    private static final class PekkoAccount {
        private final ActorContext<AccountMessage> context;
        private final StashBuffer<AccountMessage> stash;
        private final int id;
        private final Behavior<AccountMessage> idle;
        private final Behavior<AccountMessage> waiting;
        private long balance;
        private ActorRef<Ack> inFlight;

        PekkoAccount(ActorContext<AccountMessage> context, StashBuffer<AccountMessage> stash, int id, long balance) {
            this.context = context;
            this.stash = stash;
            this.id = id;
            this.balance = balance;
            this.idle = Behaviors.receiveMessage(this::onIdle);
            this.waiting = Behaviors.receiveMessage(this::onWaiting);
        }

        private Behavior<AccountMessage> onIdle(AccountMessage message) {
            switch (message) {
                case Transfer transfer -> {
                    return begin(transfer);
                }
                case Credit credit -> credit(credit);
                case ReportBalance report -> report.teller().tell(new Balance(id, balance));
                case Credited credited -> throw new IllegalStateException(
                        "banking: account " + id + " got a credit's reply with no transfer under way");
            }
            return Behaviors.same();
        }

        private Behavior<AccountMessage> onWaiting(AccountMessage message) {
            switch (message) {
                case Transfer transfer -> stash.stash(transfer);
                case Credit credit -> credit(credit);
                case ReportBalance report -> report.teller().tell(new Balance(id, balance));
                case Credited credited -> {
                    inFlight.tell(Ack.INSTANCE);
                    inFlight = null;
                    return stash.isEmpty() ? idle : stash.unstash(idle, 1, next -> next);
                }
            }
            return Behaviors.same();
        }

        private Behavior<AccountMessage> begin(Transfer transfer) {
            balance -= transfer.amount();
            inFlight = transfer.replyTo();
            context.ask(Ack.class, transfer.destination(), ASK_TIMEOUT,
                    replyTo -> new Credit(transfer.amount(), replyTo),
                    (ack, failure) -> {
                        if (ack == null) {
                            throw new IllegalStateException("banking: account " + id + " got no credit's reply", failure);
                        }
                        return Credited.INSTANCE;
                    });
            return waiting;
        }

        private void credit(Credit credit) {
            balance += credit.amount();
            credit.replyTo().tell(Ack.INSTANCE);
        }
    }

    static Behavior<TellerMessage> pekkoTeller(Params p, CompletableFuture<Outcome> done) {
        return Behaviors.setup(context -> {
            PekkoTeller teller = new PekkoTeller(context, p, done);
            return Behaviors.receiveMessage(teller::onMessage);
        });
    }

    private static final class PekkoTeller {
        private final ActorContext<TellerMessage> context;
        private final Params p;
        private final CompletableFuture<Outcome> done;
        private final long[] balances;
        private final List<ActorRef<AccountMessage>> accounts;
        private long completed;
        private int reported;

        PekkoTeller(ActorContext<TellerMessage> context, Params p, CompletableFuture<Outcome> done) {
            this.context = context;
            this.p = p;
            this.done = done;
            this.balances = new long[p.accounts()];
            this.accounts = new ArrayList<>(p.accounts());
            for (int i = 0; i < p.accounts(); i++) {
                accounts.add(context.spawnAnonymous(pekkoAccount(i, p.initialBalance(), p.transactions())));
            }
        }

        Behavior<TellerMessage> onMessage(TellerMessage message) {
            switch (message) {
                case StartBanking start -> {
                    Transactions transactions = new Transactions(p.accounts());
                    for (int i = 0; i < p.transactions(); i++) {
                        transactions.next();
                        long amount = transactions.amount;
                        ActorRef<AccountMessage> destination = accounts.get(transactions.destination);
                        context.ask(Ack.class, accounts.get(transactions.source), ASK_TIMEOUT,
                                replyTo -> new Transfer(amount, destination, replyTo),
                                (ack, failure) -> {
                                    if (ack == null) {
                                        throw new IllegalStateException("banking: a transfer got no reply", failure);
                                    }
                                    return Transferred.INSTANCE;
                                });
                    }
                }
                case Transferred transferred -> {
                    if (++completed == p.transactions()) {
                        for (ActorRef<AccountMessage> account : accounts) {
                            account.tell(new ReportBalance(context.getSelf()));
                        }
                    }
                }
                case Balance balance -> {
                    balances[balance.account()] = balance.balance();
                    if (++reported == p.accounts()) {
                        Outcome outcome = new Outcome(completed, balances);
                        return Behaviors.stopped(() -> done.complete(outcome));
                    }
                }
            }
            return Behaviors.same();
        }
    }

    /** @return the checked sum of the balances after one run on Pekko */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params p) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        ActorRef<TellerMessage> teller =
                PekkoActors.spawn(system, pekkoTeller(p, done), "banking-" + RUNS.incrementAndGet());
        teller.tell(StartBanking.INSTANCE);
        return check(p, SavinaSystems.await("banking", done));
    }

    // ------------------------------------------------------------------ JMH

    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, Params.SAVINA);
    }

    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, Params.SAVINA);
    }
}
